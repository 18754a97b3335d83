package org.splitnve.ecptransport.vdp;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.ecptransport.clock.Scheduler;
import org.splitnve.ecptransport.ecp.EcpEngine;
import org.splitnve.ecptransport.ecp.TransportFault;
import org.splitnve.ecptransport.log.RateLimitedLog;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.MalformedFrameException;
import org.splitnve.vdpcore.ecp.EcpSubtype;
import org.splitnve.vdpcore.vdp.AssociationTlv;
import org.splitnve.vdpcore.vdp.ManagerId;
import org.splitnve.vdpcore.vdp.ParsedVdpdu;
import org.splitnve.vdpcore.vdp.VdpDecoder;
import org.splitnve.vdpcore.vdp.VdpEncoder;
import org.splitnve.vdpcore.vdp.VdpTlvType;
import org.splitnve.vdpcore.vdp.Vdpdu;

/**
 * VDP over one ECP engine: packs association TLVs into VDPDUs and unpacks received ones.
 *
 * <p>Requests queued for a peer while earlier VDPDUs to it are still unacknowledged wait here and
 * then share VDPDUs (one Manager ID TLV, as many TLVs as fit the port's MTU less 6, {@link Vdpdu#maxLength}: 1494
 * octets on a 1500-octet MTU, 8994 on a 9000-octet one), so re-associating thousands of VSIs costs a few hundred
 * ECPDUs, not thousands. At most
 * {@value #WINDOW} VDPDUs per peer are handed to ECP at once: one outstanding and one ready behind
 * it, which keeps the link busy while everything after that still batches.
 *
 * <p>A request is a list of TLVs for one VSI (an address set split by
 * {@link AssociationTlv.Builder#buildSplit()}); its TLVs always travel in one VDPDU, so the receiver
 * sees the whole set at once. Its future completes when the ECPDU carrying it is acknowledged, or
 * fails with the ECP delivery exception: nothing is dropped without its sender knowing.
 *
 * <p>Received VDPDUs are decoded with {@link VdpDecoder#decodeTolerant} so that a bad TLV is
 * answered with its error code and the good TLVs beside it are still served. All of it runs on the
 * ECP engine's scheduler thread; {@link #send} may be called from any thread.
 *
 * <p>What waits here is bounded: at most {@link org.splitnve.ecptransport.ecp.EcpConfig#maxQueuedPerPeer} requests per peer and
 * {@value #MAX_QUEUED_PEERS_FACTOR} times that in all; a request beyond fails at once (counted as
 * undelivered), so a station that never acknowledges cannot make its answers pile up. A peer with
 * nothing waiting or in flight leaves no state here.
 */
public final class VdpChannel implements AutoCloseable {

    /** VDPDUs per peer handed to ECP before the rest wait to be batched. */
    public static final int WINDOW = 2;

    /** Requests waiting for all peers together, in multiples of the per-peer bound. */
    public static final int MAX_QUEUED_PEERS_FACTOR = 4;

    private static final Logger LOG = LoggerFactory.getLogger(VdpChannel.class);
    private static final int MANAGER_TLV = 2 + ManagerId.LENGTH;
    private static final int END_TLV = 2;

    private final EcpEngine ecp;
    private final Scheduler scheduler;
    private final VdpDecoder decoder;
    private final VdpEncoder encoder;
    private final int maxPdu;
    private final List<VdpListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<MacAddress, PeerQueue> queues = new HashMap<>();
    private final ByteBuffer scratch;
    /** Deliberate defects for the conformance suite's mutation tests (the ECP engine's, which logs them); empty outside them. */
    private final Set<TransportFault> faults;
    private final RateLimitedLog dropped;
    private final int maxQueuedPerPeer;
    private final int maxQueued;
    /** Requests waiting in all the peers' queues. */
    private int queued;
    private volatile boolean closed;

    private final AtomicLong pdusOut = new AtomicLong();
    private final AtomicLong tlvsOut = new AtomicLong();
    private final AtomicLong pdusIn = new AtomicLong();
    private final AtomicLong tlvsIn = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong undelivered = new AtomicLong();

    /**
     * One TLV to send: an association TLV, or the raw value octets of a TLV that did not decode,
     * echoed to answer it (docs/VDP-ENGINES.md). Raw values are not copied: do not change them.
     *
     * @param tlv      the TLV, or null for a raw one
     * @param rawType  the raw TLV's type, or null
     * @param rawValue the raw TLV's value octets, or null
     */
    public record OutgoingTlv(AssociationTlv tlv, VdpTlvType rawType, byte[] rawValue) {

        public OutgoingTlv {
            if ((tlv == null) == (rawValue == null) || (rawValue != null && rawType == null)) {
                throw new IllegalArgumentException("an outgoing TLV is either an association TLV or a raw type and value");
            }
            if (rawValue != null && rawValue.length > AssociationTlv.MAX_VALUE_LENGTH) {
                throw new IllegalArgumentException("TLV value of " + rawValue.length + " octets");
            }
        }

        public static OutgoingTlv of(AssociationTlv tlv) {
            return new OutgoingTlv(java.util.Objects.requireNonNull(tlv, "tlv"), null, null);
        }

        public static OutgoingTlv raw(VdpTlvType type, byte[] value) {
            return new OutgoingTlv(null, type, value.clone());
        }

        /** Octets on the wire, header included. */
        int length() {
            return 2 + (tlv != null ? tlv.valueLength() : rawValue.length);
        }
    }

    /**
     * One request or answer: the TLVs of one VSI, sent together. {@code toPeerMac}: an answer, or a
     * PDU that concerns the peer alone, which ECP sends to the peer's own MAC ({@link EcpEngine#reply}).
     */
    private record Item(ManagerId managerId, List<OutgoingTlv> tlvs, boolean toPeerMac, int length, CompletableFuture<Void> done) {
    }

    private static final class PeerQueue {
        final ArrayDeque<Item> pending = new ArrayDeque<>();
        int inFlight;
        boolean flushScheduled;
    }

    public VdpChannel(EcpEngine ecp, Scheduler scheduler, VdpDecoder decoder, VdpEncoder encoder) {
        this.ecp = Objects.requireNonNull(ecp);
        this.scheduler = Objects.requireNonNull(scheduler);
        this.maxPdu = Vdpdu.maxLength(ecp.mtu());
        // Both ends size VDPDUs to the port's MTU, so each must also take VDPDUs that large.
        this.decoder = Objects.requireNonNull(decoder).withMaxLength(Math.max(decoder.maxLength(), maxPdu));
        this.encoder = Objects.requireNonNull(encoder);
        this.scratch = ByteBuffer.allocate(maxPdu);
        this.faults = ecp.config().faults();
        this.maxQueuedPerPeer = ecp.config().maxQueuedPerPeer();
        this.maxQueued = (int) Math.min(Integer.MAX_VALUE, (long) maxQueuedPerPeer * MAX_QUEUED_PEERS_FACTOR);
        this.dropped = RateLimitedLog.of(LOG, "vdp " + ecp.link().name(), scheduler::nanoTime);
        ecp.register(EcpSubtype.VDP, this::onPdu);
    }

    public void addListener(VdpListener l) {
        listeners.add(Objects.requireNonNull(l));
    }

    public void removeListener(VdpListener l) {
        listeners.remove(l);
    }

    public EcpEngine ecp() {
        return ecp;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    /** The name of the port, for logs. */
    public String portName() {
        return ecp.link().name();
    }

    public MacAddress localMac() {
        return ecp.link().macAddress();
    }

    /** The largest VDPDU this channel sends and takes: the port's MTU less 6. */
    public int maxPdu() {
        return maxPdu;
    }

    /**
     * Queues the TLVs of one request (all for one VSI) for {@code peer}, to the destination the
     * peer's ECP addressing names.
     *
     * @throws IllegalArgumentException if the TLVs cannot share one VDPDU
     */
    public CompletableFuture<Void> send(MacAddress peer, ManagerId managerId, List<AssociationTlv> tlvs) {
        return enqueue(peer, item(peer, managerId, wrap(tlvs), false));
    }

    public CompletableFuture<Void> send(MacAddress peer, ManagerId managerId, AssociationTlv tlv) {
        return send(peer, managerId, List.of(tlv));
    }

    /**
     * Queues TLVs that answer {@code peer} (responses), or that concern it alone (a bridge's own
     * De-Associate of one of its VSIs): they go to the peer's own MAC, whatever its addressing
     * (docs/PROTOCOL.md 4.3), so that a peer behind a bridged network hears them.
     *
     * @throws IllegalArgumentException if the TLVs cannot share one VDPDU
     */
    public CompletableFuture<Void> reply(MacAddress peer, ManagerId managerId, List<AssociationTlv> tlvs) {
        return enqueue(peer, item(peer, managerId, wrap(tlvs), true));
    }

    /**
     * Like {@link #reply(MacAddress, ManagerId, List)}, for an answer that mixes association TLVs
     * and echoed raw ones: every TLV of a request is answered, in its order, in one VDPDU.
     */
    public CompletableFuture<Void> replyAll(MacAddress peer, ManagerId managerId, List<OutgoingTlv> tlvs) {
        return enqueue(peer, item(peer, managerId, List.copyOf(tlvs), true));
    }

    /** Queues one TLV given as raw value octets (the answer to a TLV that did not decode), to the peer's own MAC. */
    public CompletableFuture<Void> replyRaw(MacAddress peer, ManagerId managerId, VdpTlvType type, byte[] value) {
        return enqueue(peer, item(peer, managerId, List.of(OutgoingTlv.raw(type, value)), true));
    }

    private static List<OutgoingTlv> wrap(List<AssociationTlv> tlvs) {
        List<OutgoingTlv> out = new ArrayList<>(tlvs.size());
        for (AssociationTlv t : tlvs) {
            out.add(OutgoingTlv.of(t));
        }
        return out;
    }

    private Item item(MacAddress peer, ManagerId managerId, List<OutgoingTlv> tlvs, boolean toPeerMac) {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(managerId, "managerId");
        if (tlvs.isEmpty()) {
            throw new IllegalArgumentException("a request has at least one TLV");
        }
        int len = 0;
        for (OutgoingTlv t : tlvs) {
            len += t.length();
        }
        if (len + MANAGER_TLV + END_TLV > maxPdu) {
            throw new IllegalArgumentException("a request of " + tlvs.size() + " TLVs and " + len
                    + " octets does not fit one VDPDU of " + maxPdu + " octets; use fewer filter entries");
        }
        return new Item(managerId, tlvs, toPeerMac, len, new CompletableFuture<>());
    }

    private CompletableFuture<Void> enqueue(MacAddress peer, Item item) {
        if (scheduler.inSchedulerThread()) {
            add(peer, item);
        } else {
            scheduler.execute(() -> add(peer, item));
        }
        return item.done;
    }

    private void add(MacAddress peer, Item item) {
        if (closed) {
            undelivered.incrementAndGet();
            item.done.completeExceptionally(new IllegalStateException("VDP channel on " + portName() + " is closed"));
            return;
        }
        PeerQueue q = queues.computeIfAbsent(peer, k -> new PeerQueue());
        if (q.pending.size() >= maxQueuedPerPeer || queued >= maxQueued) {
            undelivered.incrementAndGet();
            dropped.warn("queue full", "vdp {}: {} requests wait for {} ({} for all peers); one more is refused", portName(),
                    q.pending.size(), peer, queued);
            item.done.completeExceptionally(new IllegalStateException("VDP channel on " + portName() + ": " + q.pending.size()
                    + " requests already wait for " + peer));
            forgetIfIdle(peer, q);
            return;
        }
        q.pending.add(item);
        queued++;
        if (!q.flushScheduled && q.inFlight < WINDOW) {
            // Flush after the tasks already queued, so that a burst submitted together shares PDUs.
            q.flushScheduled = true;
            scheduler.execute(() -> {
                q.flushScheduled = false;
                flush(peer, q);
                forgetIfIdle(peer, q);
            });
        }
    }

    private void flush(MacAddress peer, PeerQueue q) {
        while (q.inFlight < WINDOW && !q.pending.isEmpty()) {
            List<Item> batch = new ArrayList<>();
            Item head = q.pending.peek();
            ManagerId mgr = head.managerId();
            int used = MANAGER_TLV + END_TLV;
            while (!q.pending.isEmpty()) {
                Item next = q.pending.peek();
                // One VDPDU has one Manager ID and one destination.
                if (!next.managerId().equals(mgr) || next.toPeerMac() != head.toPeerMac() || used + next.length() > maxPdu) {
                    break;
                }
                used += next.length();
                batch.add(q.pending.poll());
                queued--;
            }
            transmit(peer, q, mgr, head.toPeerMac(), batch);
        }
    }

    private void transmit(MacAddress peer, PeerQueue q, ManagerId mgr, boolean toPeerMac, List<Item> batch) {
        scratch.clear();
        scratch.putShort((short) ((VdpTlvType.MANAGER_ID.value() << 9) | ManagerId.LENGTH));
        mgr.writeTo(scratch);
        int tlvs = 0;
        for (Item it : batch) {
            for (OutgoingTlv t : it.tlvs()) {
                if (t.tlv() != null) {
                    int at = scratch.position();
                    encoder.encodeAssociation(t.tlv(), scratch);
                    if (faults.contains(TransportFault.WRONG_ENTRY_COUNT)) {
                        scratch.putShort(at + 2 + 23, (short) (scratch.getShort(at + 2 + 23) + 1));
                    }
                    if (faults.contains(TransportFault.M_AND_S_TOGETHER) && (scratch.get(at + 2) & 0x50) == 0x10) {
                        scratch.put(at + 2, (byte) (scratch.get(at + 2) | 0x20));
                    }
                } else {
                    scratch.putShort((short) ((t.rawType().value() << 9) | t.rawValue().length));
                    scratch.put(t.rawValue());
                }
                tlvs++;
            }
        }
        scratch.putShort((short) 0);
        scratch.flip();
        q.inFlight++;
        pdusOut.incrementAndGet();
        tlvsOut.addAndGet(tlvs);
        final int count = tlvs;
        LOG.debug("vdp {}: to {} VDPDU of {} TLVs, {} octets", portName(), peer, count, scratch.remaining());
        (toPeerMac ? ecp.reply(peer, EcpSubtype.VDP, scratch) : ecp.send(peer, EcpSubtype.VDP, scratch)).whenComplete((ok, failure) -> {
            if (scheduler.inSchedulerThread()) {
                completed(peer, q, batch, failure);
            } else {
                scheduler.execute(() -> completed(peer, q, batch, failure));
            }
        });
    }

    private void completed(MacAddress peer, PeerQueue q, List<Item> batch, Throwable failure) {
        q.inFlight--;
        if (failure != null) {
            undelivered.addAndGet(batch.size());
            dropped.warn("not delivered", "vdp {}: VDPDU of {} requests to {} not delivered: {}", portName(), batch.size(), peer,
                    failure.getMessage());
        }
        for (Item it : batch) {
            if (failure == null) {
                it.done.complete(null);
            } else {
                it.done.completeExceptionally(failure);
            }
        }
        flush(peer, q);
        forgetIfIdle(peer, q);
    }

    /** A peer with nothing waiting, in flight or about to be flushed keeps no queue. */
    private void forgetIfIdle(MacAddress peer, PeerQueue q) {
        if (q.pending.isEmpty() && q.inFlight == 0 && !q.flushScheduled) {
            queues.remove(peer, q);
        }
    }

    /** Peers with requests waiting or in flight. */
    public int peersWithQueues() {
        return queues.size();
    }

    /** Requests waiting in this channel (not yet handed to ECP) for a peer. */
    public int pending(MacAddress peer) {
        PeerQueue q = queues.get(peer);
        return q == null ? 0 : q.pending.size();
    }

    private void onPdu(MacAddress peer, ByteBuffer payload) {
        pdusIn.incrementAndGet();
        ParsedVdpdu pdu;
        try {
            pdu = decoder.decodeTolerant(payload);
        } catch (MalformedFrameException e) {
            malformed.incrementAndGet();
            dropped.warn("malformed VDPDU", "vdp {}: malformed VDPDU from {} dropped (error {}): {}", portName(), peer, e.vdpError(),
                    e.reason());
            for (VdpListener l : listeners) {
                try {
                    l.onMalformed(peer, e);
                } catch (RuntimeException x) {
                    LOG.error("vdp {}: listener failed on a malformed PDU", portName(), x);
                }
            }
            return;
        }
        tlvsIn.addAndGet(pdu.associations().size());
        if (!pdu.rejected().isEmpty()) {
            rejected.addAndGet(pdu.rejected().size());
            pdu.rejected().forEach(r -> dropped.warn("rejected TLV", "vdp {}: from {} rejected {}", portName(), peer, r));
        }
        if (pdu.skippedUnknown() > 0) {
            skipped.addAndGet(pdu.skippedUnknown());
            dropped.info("unknown TLV type", "vdp {}: from {} skipped {} TLVs of unknown type", portName(), peer, pdu.skippedUnknown());
        }
        for (VdpListener l : listeners) {
            try {
                l.onVdpdu(peer, pdu);
            } catch (RuntimeException x) {
                LOG.error("vdp {}: listener failed on a VDPDU from {}", portName(), peer, x);
            }
        }
    }

    public VdpChannelCounters counters() {
        return new VdpChannelCounters(pdusOut.get(), tlvsOut.get(), pdusIn.get(), tlvsIn.get(), malformed.get(),
                rejected.get(), skipped.get(), undelivered.get());
    }

    /** Fails every waiting request; the ECP engine is not closed (it belongs to the caller). */
    @Override
    public void close() {
        closed = true;
        scheduler.execute(() -> {
            dropped.flush();
            for (Map.Entry<MacAddress, PeerQueue> e : queues.entrySet()) {
                Item it;
                while ((it = e.getValue().pending.poll()) != null) {
                    undelivered.incrementAndGet();
                    it.done.completeExceptionally(new IllegalStateException("VDP channel on " + portName() + " closed"));
                }
            }
        });
    }
}
