package org.splitnve.conformance;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.ecptransport.link.LinkException;
import org.splitnve.vdpcore.ecp.EcpHeader;
import org.splitnve.vdpcore.vdp.AssociationTlv;
import org.splitnve.vdpcore.vdp.FilterEntry;
import org.splitnve.vdpcore.vdp.FilterInfo;
import org.splitnve.vdpcore.vdp.ManagerId;
import org.splitnve.vdpcore.vdp.VdpErrorCode;
import org.splitnve.vdpcore.vdp.VdpTlvType;
import org.splitnve.vdpcore.vdp.VsiId;
import org.splitnve.vdpcore.vdp.VsiStatus;

/**
 * The suite's bridge against a station: a thread that answers every new request the station sends
 * with success, whichever check is running. A station whose keep-alive goes unanswered drops its VSI
 * (lldpad silently, after its response wait), so answering cannot wait for the check that happens to
 * look at keep-alives.
 *
 * <p>It is also the suite's ECP receiver: a copy of the station's last delivered sequence number is a
 * retransmission, not a new request. Its first data PDU is held unacknowledged until a second copy
 * comes, which is how {@code ecp.retransmission} sees the station retransmit without losing the
 * request. Null VIDs get a VID per GroupID (one local tag per VN, as a bridge gives it) or, without
 * a GroupID, per VSI, counting from {@link #FIRST_VID}.
 *
 * <p>The second, third and fourth VSI the station asks for are refused, each in one of the ways of
 * {@link RefusalKind}, every time it asks (De-Associates excepted), so that the refusal checks can
 * watch what the station does next.
 */
final class StationResponder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StationResponder.class);
    static final int FIRST_VID = 200;
    private static final Duration POLL = Duration.ofMillis(100);
    private static final int VDP = 1;

    /**
     * One new data PDU from the station and what we answered.
     *
     * @param index        position among the exchanges, for waiting on the ones after it
     * @param requests     its association TLVs with the response bit clear
     * @param responses    its association TLVs with the response bit set (answers to our De-Associates)
     * @param answers      what we sent back, empty when nothing could be answered
     * @param answerSeq    our ECP sequence number for the answers, or -1
     * @param ackMark      the ack mailbox mark taken just before the answers went out
     */
    record Exchange(int index, PeerPdu pdu, List<PeerTlv> requests, List<PeerTlv> responses, List<AssociationTlv> answers,
                    int answerSeq, int ackMark, long answeredNanos) {

        boolean requests(VsiId v) {
            return requestFor(v).isPresent();
        }

        Optional<PeerTlv> requestFor(VsiId v) {
            byte[] b = BridgeChecks.bytes(v);
            return requests.stream().filter(t -> t.sameVsi(b)).findFirst();
        }
    }

    /** How the suite refuses the second, third and fourth VSI a station asks for, in that order. */
    enum RefusalKind {
        KEEP("error 2 (insufficient resources) with keep", VdpErrorCode.INSUFFICIENT_RESOURCES, true, false),
        INVALID("error 5 (invalid VID, GroupID or MAC)", VdpErrorCode.INVALID_VID_GROUPID_OR_MAC, false, false),
        HARD("error 4 (other failure) with the hard-error bit", VdpErrorCode.OTHER_FAILURE, false, true);

        final String text;
        final VdpErrorCode error;
        final boolean keep;
        final boolean hard;

        RefusalKind(String text, VdpErrorCode error, boolean keep, boolean hard) {
            this.text = text;
            this.error = error;
            this.keep = keep;
            this.hard = hard;
        }
    }

    /** The station's first data PDU, every copy that came before our ack, and when we acked. */
    record FirstRequest(int mailboxIndex, int sequence, List<PeerPdu> copies, long ackNanos, Duration waited) {
    }

    private final Probe probe;
    private final Mailbox<Exchange> exchanges = new Mailbox<>();
    private final CompletableFuture<FirstRequest> first = new CompletableFuture<>();
    private final Object sendLock = new Object();
    private final Map<String, Integer> vids = new HashMap<>();
    private final Set<VsiId> revoked = new HashSet<>();
    private final ArrayDeque<Integer> forced = new ArrayDeque<>();
    private final Thread thread;
    private volatile boolean running = true;
    private int nextVid = FIRST_VID;
    private int lastDelivered = -1;
    private int count;
    private final Map<VsiId, ManagerId> managerOfVsi = new ConcurrentHashMap<>();
    /** The VSIs the station asked for (De-Associates aside), in order of their first request. */
    private final List<VsiId> asked = new ArrayList<>();
    private final Map<VsiId, RefusalKind> refusing = new ConcurrentHashMap<>();
    private final Map<RefusalKind, CompletableFuture<VsiId>> refused = new EnumMap<>(RefusalKind.class);
    private Sent last;

    StationResponder(Probe probe) {
        this.probe = probe;
        this.thread = new Thread(this::run, "conformance-bridge-" + probe.link().name());
        thread.setDaemon(true);
        for (RefusalKind k : RefusalKind.values()) {
            refused.put(k, new CompletableFuture<>());
        }
    }

    StationResponder start() {
        thread.start();
        return this;
    }

    Mailbox<Exchange> exchanges() {
        return exchanges;
    }

    /** The first request, once it came and was acked; empty if none came within {@code timeout}. */
    Optional<FirstRequest> awaitFirst(Duration timeout) throws InterruptedException {
        try {
            return Optional.of(first.get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("the bridge thread failed", e.getCause());
        }
    }

    /** The VSI refused in this way, once the station asked for one; empty if it did not within {@code timeout}. */
    Optional<VsiId> awaitRefused(RefusalKind kind, Duration timeout) throws InterruptedException {
        try {
            return Optional.of(refused.get(kind).get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("the bridge thread failed", e.getCause());
        }
    }

    /** Whether the suite refuses this VSI's requests. */
    boolean refuses(VsiId v) {
        return refusing.containsKey(v);
    }

    /** The next answers use these sequence numbers, in order, whatever VSI they are for. */
    void forceSequences(int... seqs) {
        synchronized (sendLock) {
            for (int s : seqs) {
                forced.add(s);
            }
        }
    }

    void clearForcedSequences() {
        synchronized (sendLock) {
            forced.clear();
        }
    }

    /** A VSI the bridge de-associated: its per-VSI VID is gone, and a later null VID gets a new one. */
    void revoke(VsiId v) {
        synchronized (sendLock) {
            vids.remove("vsi:" + v);
            revoked.add(v);
        }
    }

    /** The VID granted for this entry of this VSI, or 0 when none was. */
    int grantedVid(VsiId v, FilterEntry e) {
        synchronized (sendLock) {
            return vids.getOrDefault(key(v, e), 0);
        }
    }

    /** What we sent: our sequence number, the ack mailbox mark taken just before, and when. */
    record Sent(int seq, int ackMark, long nanos) {
    }

    /** The Manager ID the station used for this VSI (a bridge answers under the station's), else ours. */
    ManagerId managerOf(VsiId v) {
        return managerOfVsi.getOrDefault(v, probe.managerId());
    }

    /** The VDPDU bytes (Manager ID, the TLVs, End). */
    byte[] vdpdu(ManagerId manager, List<AssociationTlv> tlvs) {
        return probe.vdpdu(manager, tlvs);
    }

    /** Sends a VDPDU under our next sequence number, or the next forced one. */
    Sent send(ManagerId manager, List<AssociationTlv> tlvs) throws LinkException {
        synchronized (sendLock) {
            Integer f = forced.poll();
            if (f != null) {
                probe.setNextSequence(f);
            }
            Sent s = new Sent(probe.nextSequence(), probe.markAcks(), System.nanoTime());
            probe.sendEcp(EcpHeader.word(1, 0, VDP), s.seq(), vdpdu(manager, tlvs));
            last = s;
            return s;
        }
    }

    /** Sends one ECP frame as given under a new sequence number of ours. */
    Sent sendRaw(int word, byte[] payload) throws LinkException {
        synchronized (sendLock) {
            Sent s = new Sent(probe.nextSequence(), probe.markAcks(), System.nanoTime());
            probe.sendEcp(word, s.seq(), payload);
            return s;
        }
    }

    /**
     * Sends {@code payload} under the sequence number of the last VDPDU we sent, once that one is
     * acked (so that the station has delivered it and holds it as its last); empty when it was not
     * acked within {@code ackWait}.
     */
    Optional<Sent> repeatLastSequence(int word, byte[] payload, Duration ackWait) throws Exception {
        // Wait for the ack without the send lock, so the station's requests are answered meanwhile;
        // if an answer went out in between, that one is now the last and is waited for instead.
        while (true) {
            Sent target;
            synchronized (sendLock) {
                target = last;
            }
            if (target == null || probe.awaitAck(target.ackMark(), target.seq(), ackWait).isEmpty()) {
                return Optional.empty();
            }
            synchronized (sendLock) {
                if (last == target) {
                    Sent s = new Sent(target.seq(), probe.markAcks(), System.nanoTime());
                    probe.sendEcp(word, s.seq(), payload);
                    return Optional.of(s);
                }
            }
        }
    }

    private void run() {
        int at = 0;
        try {
            while (running) {
                Optional<PeerPdu> pdu = probe.awaitPdu(at, p -> true, POLL);
                if (pdu.isEmpty()) {
                    continue;
                }
                PeerPdu p = pdu.get();
                if (!first.isDone() && p.operation() == 0) {
                    holdFirst(at, p);
                }
                at++;
                if (p.operation() != 0 || p.sequence() == lastDelivered) {
                    continue;
                }
                lastDelivered = p.sequence();
                handle(p);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | LinkException e) {
            LOG.error("conformance {}: the bridge side stopped", probe.link().name(), e);
            first.completeExceptionally(e);
        } finally {
            probe.autoAck(true);
        }
    }

    /** Waits for a second copy of the station's first PDU (its ack timer runs out), which the probe acks at once. */
    private void holdFirst(int at, PeerPdu p) throws InterruptedException, LinkException {
        Duration limit = probe.operating().ackTimeout().multipliedBy(2).plus(probe.options().responseTimeout());
        probe.awaitPdu(at + 1, q -> q.sequence() == p.sequence() && q.operation() == 0, limit);
        // The probe acked the second copy on its receive thread already; without one, ack now.
        long acked = probe.releaseHold();
        List<PeerPdu> copies = probe.dataSince(at).stream().filter(q -> q.sequence() == p.sequence() && q.nanos() <= acked).toList();
        LOG.info("conformance {}: station's first PDU seq {}: {} copies before our ack", probe.link().name(), p.sequence(), copies.size());
        first.complete(new FirstRequest(at, p.sequence(), copies, acked, Duration.ofNanos(acked - p.nanos())));
    }

    private void handle(PeerPdu p) throws LinkException, InterruptedException {
        List<PeerTlv> requests = p.tlvs().stream().filter(t -> !t.isResponse()).toList();
        List<PeerTlv> responses = p.tlvs().stream().filter(PeerTlv::isResponse).toList();
        ManagerId manager = p.managerId() != null ? p.managerId() : probe.managerId();
        List<AssociationTlv> answers = new ArrayList<>();
        synchronized (sendLock) {
            if (p.problem() == null) {
                for (PeerTlv t : requests) {
                    t.association().ifPresent(a -> {
                        managerOfVsi.put(a.vsiId(), manager);
                        RefusalKind refusal = refusalFor(a);
                        answers.add(refusal != null ? refuse(a, refusal) : answer(a));
                    });
                }
            }
            Sent sent = new Sent(-1, probe.markAcks(), 0);
            if (!answers.isEmpty()) {
                sent = send(manager, answers);
                LOG.debug("conformance {}: answered station seq {} with seq {}: {}", probe.link().name(), p.sequence(), sent.seq(), answers);
            }
            exchanges.add(new Exchange(count++, p, requests, responses, List.copyOf(answers), sent.seq(), sent.ackMark(), sent.nanos()));
        }
    }

    /** How the request is refused, or {@code null} for success; assigns a refusal to the second to fourth VSI asked for. */
    private RefusalKind refusalFor(AssociationTlv a) {
        if (a.type().equals(VdpTlvType.DE_ASSOCIATE)) {
            return null;
        }
        if (!asked.contains(a.vsiId())) {
            asked.add(a.vsiId());
            int n = asked.size();
            if (n >= 2 && n <= 1 + RefusalKind.values().length) {
                RefusalKind k = RefusalKind.values()[n - 2];
                refusing.put(a.vsiId(), k);
                LOG.info("conformance {}: VSI {} is the station's VSI number {}: refusing it with {}", probe.link().name(), a.vsiId(), n, k.text);
            }
        }
        return refusing.get(a.vsiId());
    }

    /** The same TLV refused as {@code kind} says, the migration indication echoed. */
    private AssociationTlv refuse(AssociationTlv a, RefusalKind kind) {
        VsiStatus st = VsiStatus.response().migrationIndicationValid(a.status().migrationIndicationValid()).error(kind.error)
                .keep(kind.keep).hardError(kind.hard).build();
        refused.get(kind).complete(a.vsiId());
        return a.toBuilder().status(st).build();
    }

    /** Success for the same TLV, with VIDs for null VIDs and the migration indication echoed. */
    private AssociationTlv answer(AssociationTlv a) {
        VsiStatus st = VsiStatus.response().migrationIndicationValid(a.status().migrationIndicationValid()).build();
        if (a.type().equals(VdpTlvType.DE_ASSOCIATE)) {
            vids.remove("vsi:" + a.vsiId());
            return a.toBuilder().status(st).build();
        }
        List<FilterEntry> entries = new ArrayList<>();
        for (FilterEntry e : a.filter().entries()) {
            if (e.vid() != FilterEntry.NULL_VID) {
                entries.add(e);
                continue;
            }
            String k = key(a.vsiId(), e);
            Integer vid = vids.get(k);
            if (vid == null) {
                vid = nextVid++;
                vids.put(k, vid);
            }
            entries.add(e.withVid(vid));
        }
        return a.toBuilder().status(st).filter(FilterInfo.of(a.filter().format(), entries)).build();
    }

    private String key(VsiId v, FilterEntry e) {
        return e.hasGroupId() && !revoked.contains(v) ? "vn:" + e.groupId() : "vsi:" + v;
    }

    @Override
    public void close() {
        running = false;
        // It may be waiting on the probe's mailbox or holding our send lock: wake it, or it outlives the probe.
        thread.interrupt();
        try {
            thread.join(POLL.toMillis() * 5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        probe.autoAck(true);
    }
}
