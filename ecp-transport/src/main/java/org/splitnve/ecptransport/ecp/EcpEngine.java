package org.splitnve.ecptransport.ecp;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.ecptransport.clock.Scheduler;
import org.splitnve.ecptransport.link.Link;
import org.splitnve.ecptransport.link.LinkException;
import org.splitnve.ecptransport.log.RateLimitedLog;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.MalformedFrameException;
import org.splitnve.vdpcore.ecp.EcpDecoder;
import org.splitnve.vdpcore.ecp.EcpHeader;
import org.splitnve.vdpcore.ecp.EcpOperation;
import org.splitnve.vdpcore.ecp.EcpSubtype;
import org.splitnve.vdpcore.ecp.Ecpdu;
import org.splitnve.vdpcore.frame.EtherType;
import org.splitnve.vdpcore.frame.EthernetHeader;
import org.splitnve.vdpcore.vdp.Vdpdu;

/**
 * The ECP engine of one port (802.1Q clause 43, docs/PROTOCOL.md section 1): reliable, ordered,
 * exactly-once delivery of upper-layer PDUs to each peer, state kept per peer MAC so one station
 * can talk to several bridges and one bridge port to several stations.
 *
 * <p>Transmit: a FIFO per peer, one PDU outstanding, retransmitted every 10 us x 2^RTE, sent at
 * most R + 1 times; the next PDU goes as soon as the ack arrives. A PDU that runs out of retries
 * fails its future, and the next one goes out. Sequence numbers start at a random value so that a
 * restarted engine is not mistaken for a duplicate by a peer that remembers its last number.
 *
 * <p>Receive: a request whose sequence number equals the last delivered one from that peer is a
 * duplicate: acked, not delivered; so is one delivered within the time its copies can still be in
 * flight (see {@link EcpPeer}). Acks match the outstanding PDU only. Bad version or operation,
 * unknown subtype: dropped and counted, never acked. A request is acked on the link's receive
 * thread as soon as it arrives, so that a busy scheduler thread or a slow upper layer cannot make
 * the peer retransmit.
 *
 * <p>State is bounded: only a well-formed request for a registered subtype makes a peer, at most
 * {@link EcpConfig#maxPeers} of them, idle ones forgotten to make room ({@link EcpPeerTable}); what is
 * dropped is counted ({@link #portCounters}) and logged a few lines a second at most. Each peer's R and
 * RTE are those EVB negotiated with it ({@link #setPeerTimers}), else the port's.
 *
 * <p>All state lives on the scheduler thread; {@link #send} may be called from any thread.
 */
public final class EcpEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EcpEngine.class);
    /** Room in a frame beyond the MTU: the Ethernet header and one 802.1Q tag. */
    private static final int FRAME_OVERHEAD = EthernetHeader.LENGTH + 4;

    private final Link link;
    private final Scheduler scheduler;
    private final SplittableRandom random;
    private final int mtu;
    private final EcpDecoder decoder;
    private final Map<Integer, EcpUpperLayer> upperLayers = new ConcurrentHashMap<>();
    private final EcpPeerTable peers;
    private final RateLimitedLog dropped;
    private final List<EcpPeerListener> listeners = new CopyOnWriteArrayList<>();
    private final ByteBuffer tx;
    private final Link.FrameListener frameListener = this::onFrame;
    private volatile EcpConfig config;
    private volatile boolean closed;
    private final int maxPayload;
    /** Deliberate defects for the conformance suite's mutation tests; empty outside them. */
    private final Set<TransportFault> faults;
    private final AtomicLong misaddressed = new AtomicLong();
    private final AtomicLong frames = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong strayAcks = new AtomicLong();
    private final AtomicLong unknownSubtype = new AtomicLong();

    /**
     * @param seed seeds the random first sequence number of each peer; pass a fresh random value in
     *             production and a fixed one in tests
     */
    public EcpEngine(Link link, Scheduler scheduler, EcpConfig config, long seed) {
        this.link = Objects.requireNonNull(link, "link");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.config = Objects.requireNonNull(config, "config");
        this.random = new SplittableRandom(seed);
        // Sized to the port (docs/PROTOCOL.md section 1), within what VDPDUs are sized for: bounded either way.
        this.mtu = Math.max(Link.STANDARD_MTU, Math.min(link.mtu(), Vdpdu.MAX_MTU));
        this.decoder = new EcpDecoder(mtu + FRAME_OVERHEAD);
        this.tx = ByteBuffer.allocate(mtu + FRAME_OVERHEAD);
        this.maxPayload = mtu - Ecpdu.HEADER_LENGTH;
        this.faults = config.faults();
        this.dropped = RateLimitedLog.of(LOG, "ecp " + link.name(), scheduler::nanoTime);
        this.peers = new EcpPeerTable(link.name(), () -> this.config, random, dropped);
    }

    /** Starts receiving from the link. */
    public EcpEngine start() {
        link.addListener(frameListener);
        LOG.info("ecp {}: started, R={} RTE={} ({}), addressing {}, listening to {} and {}", link.name(), config.maxRetries(),
                config.rte(), config.ackTimeout(), config.addressing(), link.macAddress(), config.groups());
        if (!faults.isEmpty()) {
            LOG.warn("ecp {}: deliberate defects {} switched on: this engine is broken on purpose, for conformance mutation tests only",
                    link.name(), faults);
        }
        return this;
    }

    public Link link() {
        return link;
    }

    /** The MTU this engine sizes its PDUs to: the link's, between 1500 and {@value Vdpdu#MAX_MTU} octets. */
    public int mtu() {
        return mtu;
    }

    public EcpConfig config() {
        return config;
    }

    /** Registers the upper layer of a subtype (VDP is 1); requests for unregistered subtypes are dropped. */
    public void register(EcpSubtype subtype, EcpUpperLayer upper) {
        if (upperLayers.putIfAbsent(subtype.value(), Objects.requireNonNull(upper)) != null) {
            throw new IllegalStateException("subtype " + subtype + " already has an upper layer");
        }
    }

    public void addPeerListener(EcpPeerListener l) {
        listeners.add(Objects.requireNonNull(l));
    }

    public void removePeerListener(EcpPeerListener l) {
        listeners.remove(l);
    }

    /**
     * The operating R and RTE, as EVB negotiation sets them. The new timer applies from the next
     * (re)transmission on.
     */
    public void setTimers(int maxRetries, int rte) {
        EcpConfig old = config;
        config = old.withTimers(maxRetries, rte);
        if (old.maxRetries() != maxRetries || old.rte() != rte) {
            LOG.info("ecp {}: timers R {} -> {}, RTE {} -> {} ({})", link.name(), old.maxRetries(), maxRetries, old.rte(), rte,
                    config.ackTimeout());
        }
    }

    /**
     * The operating R and RTE with one peer, as EVB negotiated them with that peer (docs/PROTOCOL.md section 2); the
     * port's ({@link #setTimers}) apply to peers without. Null forgets them. Any thread.
     */
    public void setPeerTimers(MacAddress peer, EcpTimers timers) {
        EcpTimers old = peers.timers(peer);
        if (timers == null) {
            peers.forgetNegotiated(peer);
        } else {
            peers.negotiated(peer, timers);
        }
        EcpTimers now = peers.timers(peer);
        if (!old.equals(now)) {
            LOG.info("ecp {}: timers with {} R {} -> {}, RTE {} -> {} ({})", link.name(), peer, old.maxRetries(), now.maxRetries(),
                    old.rte(), now.rte(), now.ackTimeout());
        }
    }

    /** The R and RTE in use with {@code peer}. Any thread. */
    public EcpTimers timers(MacAddress peer) {
        return peers.timers(peer);
    }

    /** How requests to this peer are addressed, instead of the port's default. A peer so addressed is never forgotten. */
    public void setAddressing(MacAddress peer, EcpAddressing addressing) {
        scheduler.execute(() -> {
            EcpPeer p = peers.getOrCreate(peer, scheduler.nanoTime());
            if (p == null) {
                LOG.warn("ecp {}: cannot address peer {} by {}: the peer table is full", link.name(), peer, addressing);
                return;
            }
            LOG.info("ecp {}: peer {} addressing {} -> {}", link.name(), peer, p.addressing, addressing);
            p.addressing = addressing;
        });
    }

    /**
     * Queues an upper-layer PDU for {@code peer}. The future completes when the peer acks it, or
     * exceptionally with {@link EcpDeliveryException} when it cannot be delivered. The payload's
     * remaining octets are copied before this returns.
     */
    public CompletableFuture<Void> send(MacAddress peer, EcpSubtype subtype, ByteBuffer payload) {
        return queue(peer, subtype, payload, false);
    }

    /**
     * Queues an upper-layer PDU that answers {@code peer}, or that concerns it alone, in order with
     * everything else queued for it: it goes to the peer's own MAC whatever the peer's addressing,
     * as docs/PROTOCOL.md 4.3 has acks and responses go to the source of what they answer. A bridge
     * sends everything to a station this way, so a station behind a bridged network hears it.
     */
    public CompletableFuture<Void> reply(MacAddress peer, EcpSubtype subtype, ByteBuffer payload) {
        return queue(peer, subtype, payload, true);
    }

    private CompletableFuture<Void> queue(MacAddress peer, EcpSubtype subtype, ByteBuffer payload, boolean toPeerMac) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        if (payload.remaining() > maxPayload) {
            result.completeExceptionally(new EcpDeliveryException(EcpDeliveryException.Reason.TOO_LARGE, peer, subtype, -1, 0,
                    payload.remaining() + " octets exceed " + maxPayload, null));
            return result;
        }
        byte[] copy = new byte[payload.remaining()];
        payload.duplicate().get(copy);
        EcpPeer.Pending pending = new EcpPeer.Pending(subtype, ByteBuffer.wrap(copy), result, toPeerMac);
        scheduler.execute(() -> enqueue(peer, pending));
        return result;
    }

    private void enqueue(MacAddress peerMac, EcpPeer.Pending pending) {
        EcpPeer p = peers.getOrCreate(peerMac, scheduler.nanoTime());
        if (p == null) {
            pending.result.completeExceptionally(new EcpDeliveryException(EcpDeliveryException.Reason.TOO_MANY_PEERS, peerMac,
                    pending.subtype, -1, 0, "the port keeps state for " + config.maxPeers() + " peers, none idle", null));
            return;
        }
        if (closed) {
            fail(p, pending, EcpDeliveryException.Reason.ENGINE_CLOSED, null, null);
            return;
        }
        if (p.queue.size() >= config.maxQueuedPerPeer()) {
            fail(p, pending, EcpDeliveryException.Reason.QUEUE_FULL, p.queue.size() + " PDUs queued", null);
            return;
        }
        p.queue.add(pending);
        if (p.outstanding == null) {
            sendNext(p);
        }
    }

    /** The counters of one peer, or all zero if it is unknown. Safe from any thread (a racy snapshot). */
    public EcpCounters counters(MacAddress peer) {
        EcpPeer p = peers.get(peer);
        return p == null ? new EcpCounters(0, 0, 0, 0, 0, 0, 0, 0, 0) : p.counters();
    }

    /** The peers this port keeps state for. */
    public List<MacAddress> peers() {
        return peers.macs();
    }

    /** What the port counted beyond its peers' own counters. Any thread (a racy snapshot). */
    public EcpPortCounters portCounters() {
        return new EcpPortCounters(frames.get(), peers.size(), peers.evicted(), peers.refused(), malformed.get(), strayAcks.get(), unknownSubtype.get(),
                misaddressed.get());
    }

    /** PDUs queued or outstanding for a peer. */
    public int backlog(MacAddress peer) {
        EcpPeer p = peers.get(peer);
        return p == null ? 0 : p.queue.size() + (p.outstanding == null ? 0 : 1);
    }

    private void sendNext(EcpPeer p) {
        while (p.outstanding == null && !p.queue.isEmpty()) {
            EcpPeer.Pending next = p.queue.poll();
            next.sequence = p.takeSequence();
            p.outstanding = next;
            p.sent++;
            transmit(p);
        }
    }

    /** (Re)sends the outstanding PDU and arms its ack timer. */
    private void transmit(EcpPeer p) {
        EcpPeer.Pending out = p.outstanding;
        out.attempts++;
        p.lastActive = scheduler.nanoTime();
        tx.clear();
        (faults.contains(TransportFault.RESPONSES_TO_GROUP_ADDRESS) ? MacAddress.NEAREST_CUSTOMER_BRIDGE
                : out.toPeerMac ? p.mac : p.addressing.destination(p.mac)).writeTo(tx);
        link.macAddress().writeTo(tx);
        tx.putShort((short) EtherType.ECP);
        EcpHeader.write(tx, EcpOperation.REQUEST.value(), out.subtype.value(), out.sequence);
        tx.put(out.payload.duplicate());
        while (tx.position() < EthernetHeader.MIN_FRAME) {
            tx.put((byte) 0);
        }
        tx.flip();
        try {
            link.send(tx);
        } catch (LinkException e) {
            p.outstanding = null;
            fail(p, out, EcpDeliveryException.Reason.LINK_FAILED, e.getMessage(), e);
            sendNext(p);
            return;
        }
        LOG.debug("ecp {}: -> {} {} seq {} attempt {}", link.name(), p.mac, out.subtype, out.sequence, out.attempts);
        p.ackTimer = scheduler.schedule(peers.timers(p.mac).ackTimeout(), () -> onAckTimeout(p, out));
    }

    private void onAckTimeout(EcpPeer p, EcpPeer.Pending out) {
        if (p.outstanding != out || closed) {
            return;
        }
        int maxRetries = peers.timers(p.mac).maxRetries();
        if (!faults.contains(TransportFault.NO_RETRANSMISSION)
                && out.attempts <= maxRetries + (faults.contains(TransportFault.EXTRA_RETRANSMISSION) ? 1 : 0)) {
            p.retransmitted++;
            LOG.debug("ecp {}: no ack from {} for seq {}, retransmitting ({} of {})", link.name(), p.mac, out.sequence,
                    out.attempts, maxRetries);
            transmit(p);
            return;
        }
        p.outstanding = null;
        p.failed++;
        // A station that never answers (a source MAC that was never a station) decides how often this happens.
        dropped.warn("not acked", "ecp {}: {} seq {} to {} not acked after {} attempts; reporting it failed", link.name(), out.subtype,
                out.sequence, p.mac, out.attempts);
        setState(p, EcpPeer.State.UNREACHABLE, "PDU seq " + out.sequence + " not acked after " + out.attempts + " attempts");
        out.result.completeExceptionally(new EcpDeliveryException(EcpDeliveryException.Reason.RETRIES_EXHAUSTED, p.mac,
                out.subtype, out.sequence, out.attempts, null, null));
        sendNext(p);
    }

    /**
     * Runs on the link's receive thread: filters, decodes once, and acks a request at once,
     * instead of after it has waited on the scheduler thread behind timers, sends and the upper
     * layer's handling of earlier PDUs. An ack says ECP has the PDU, nothing more, and whether one
     * is due depends only on the frame and the registered subtypes, so it needs none of the state
     * that lives on the scheduler thread. Against lldpad (R 3, RTE 8: four copies within about
     * 8 ms) an upper layer that took a few milliseconds on a PDU, such as its first VDPDU decode,
     * made our acks of the next copies late enough that lldpad used up its retries.
     */
    private void onFrame(ByteBuffer frame, long timestamp) {
        if (closed) {
            return;
        }
        EthernetHeader eth;
        try {
            eth = EthernetHeader.parse(frame);
        } catch (MalformedFrameException e) {
            return; // not even Ethernet: nobody to count it against
        }
        if (!isForUs(eth)) {
            return; // not ECP, not for us, or our own frame come back (some capture devices loop them)
        }
        frames.incrementAndGet();
        // The listener's buffer is valid only during this call; the payload view must outlive it.
        byte[] copy = new byte[frame.remaining()];
        frame.duplicate().get(copy);
        int header = eth.payloadOffset();
        if (faults.contains(TransportFault.ACCEPT_ANY_VERSION) && header < copy.length) {
            copy[header] = (byte) (0x10 | copy[header] & 0x0F);
        }
        if (faults.contains(TransportFault.ACCEPT_OPERATION_2) && header < copy.length && (copy[header] & 0x0C) == 0x08) {
            copy[header] &= (byte) 0xF3;
        }
        MacAddress src = eth.src();
        Ecpdu pdu;
        try {
            pdu = decoder.decode(ByteBuffer.wrap(copy).position(eth.payloadOffset()));
        } catch (MalformedFrameException e) {
            onScheduler(() -> onMalformed(src, e));
            return;
        }
        boolean acked = false;
        // A request from a peer the table has no room for is dropped on the scheduler thread: it must not be acked.
        if (!pdu.isAck() && (upperLayers.containsKey(pdu.subtype().value()) || faults.contains(TransportFault.ACK_UNKNOWN_SUBTYPE))
                && peers.hasRoomFor(src)) {
            sendAck(src, pdu);
            acked = true;
        }
        boolean ackSent = acked;
        onScheduler(() -> receive(src, pdu, ackSent));
    }

    /** Hands a received frame's work to the scheduler; after close, or once the scheduler is gone, the frame is ignored. */
    private void onScheduler(Runnable task) {
        try {
            scheduler.execute(task);
        } catch (RejectedExecutionException schedulerClosed) {
            LOG.debug("ecp {}: frame after the scheduler closed, ignored", link.name());
        }
    }

    /**
     * An ECP frame from someone else, to our own MAC or to a group address we are configured for
     * (docs/PROTOCOL.md 4.3). Any other destination, the broadcast address included, is someone
     * else's: two NVEs on one segment must not both serve a request.
     */
    private boolean isForUs(EthernetHeader eth) {
        if (eth.etherType() != EtherType.ECP || eth.src().equals(link.macAddress())) {
            return false;
        }
        MacAddress dst = eth.dst();
        if (dst.equals(link.macAddress()) || config.groups().contains(dst)) {
            return true;
        }
        long n = misaddressed.incrementAndGet();
        dropped.info("misaddressed ECPDU", "ecp {}: ECPDU from {} to {} is for neither our MAC nor a group we listen to {}; ignored"
                + " ({} so far)", link.name(), eth.src(), dst, config.groups(), n);
        return false;
    }

    /** ECPDUs from others to a destination that is neither our MAC nor one of our groups, ignored. Any thread. */
    public long misaddressed() {
        return misaddressed.get();
    }

    private void onMalformed(MacAddress src, MalformedFrameException e) {
        if (closed) {
            return;
        }
        malformed.incrementAndGet();
        EcpPeer p = peers.get(src);
        if (p != null) {
            p.malformed++;
        }
        dropped.info("malformed ECPDU", "ecp {}: malformed ECPDU from {} dropped: {}", link.name(), src, e.reason());
    }

    private void receive(MacAddress src, Ecpdu pdu, boolean acked) {
        if (closed) {
            return;
        }
        long now = scheduler.nanoTime();
        if (pdu.isAck()) {
            EcpPeer p = peers.get(src);
            if (p == null) {
                strayAcks.incrementAndGet();
                dropped.info("stray ack", "ecp {}: ack seq {} from {}, a station we keep no state for, ignored", link.name(),
                        pdu.sequence(), src);
                return;
            }
            p.lastActive = now;
            onAck(p, pdu);
            return;
        }
        if (!upperLayers.containsKey(pdu.subtype().value())) {
            unknownSubtype.incrementAndGet();
            EcpPeer known = peers.get(src);
            if (known != null) {
                known.unknownSubtype++;
            }
            dropped.info("unknown subtype", "ecp {}: request for subtype {} from {} has no upper layer; dropped", link.name(),
                    pdu.subtype(), src);
            return;
        }
        EcpPeer p = peers.getOrCreate(src, now);
        if (p == null) {
            return; // counted and logged by the table; unacked unless the table filled up since the frame came in
        }
        p.lastActive = now;
        onRequest(p, src, pdu, acked);
    }

    private void onAck(EcpPeer p, Ecpdu ack) {
        EcpPeer.Pending out = p.outstanding;
        if (out == null || out.sequence != ack.sequence() || out.subtype != ack.subtype()) {
            p.unexpectedAcks++;
            dropped.debug("unexpected ack", "ecp {}: ack seq {} from {} matches nothing outstanding", link.name(), ack.sequence(), p.mac);
            return;
        }
        if (p.ackTimer != null) {
            p.ackTimer.cancel();
        }
        p.outstanding = null;
        p.acked++;
        setState(p, EcpPeer.State.REACHABLE, "ack for seq " + ack.sequence());
        out.result.complete(null);
        sendNext(p);
    }

    private void onRequest(EcpPeer p, MacAddress src, Ecpdu pdu, boolean acked) {
        EcpUpperLayer upper = upperLayers.get(pdu.subtype().value());
        setState(p, EcpPeer.State.REACHABLE, "request seq " + pdu.sequence());
        if (!acked) {
            sendAck(src, pdu); // the upper layer registered after the frame arrived
        }
        long horizon = peers.timers(p.mac).duplicateHorizonNanos();
        if (!faults.contains(TransportFault.DELIVER_DUPLICATES) && (p.isDuplicate(pdu.sequence(), scheduler.nanoTime(), horizon)
                || faults.contains(TransportFault.NO_SEQUENCE_WRAP) && pdu.sequence() < p.lastDelivered)) {
            p.duplicates++;
            LOG.debug("ecp {}: duplicate seq {} from {} acked, not delivered", link.name(), pdu.sequence(), p.mac);
            return;
        }
        p.markDelivered(pdu.sequence(), scheduler.nanoTime(), horizon);
        p.delivered++;
        try {
            upper.onPdu(p.mac, pdu.payload());
        } catch (RuntimeException e) {
            LOG.error("ecp {}: upper layer {} failed on a PDU from {}; the engine goes on", link.name(), pdu.subtype(), p.mac, e);
        }
    }

    /** Sends an ack; callable from any thread (its own buffer, and links are thread-safe). */
    private void sendAck(MacAddress to, Ecpdu pdu) {
        if (faults.contains(TransportFault.NO_ACK)) {
            return;
        }
        ByteBuffer ack = ByteBuffer.allocate(Ecpdu.ACK_FRAME_LENGTH);
        (faults.contains(TransportFault.RESPONSES_TO_GROUP_ADDRESS) ? MacAddress.NEAREST_CUSTOMER_BRIDGE : to).writeTo(ack);
        link.macAddress().writeTo(ack);
        ack.putShort((short) EtherType.ECP);
        EcpHeader.write(ack, EcpOperation.ACK.value(), pdu.subtype().value(),
                (pdu.sequence() + (faults.contains(TransportFault.WRONG_ACK_SEQUENCE) ? 1 : 0)) & 0xFFFF);
        ack.flip();
        try {
            link.send(ack);
        } catch (LinkException e) {
            LOG.warn("ecp {}: could not ack seq {} to {}: {}", link.name(), pdu.sequence(), to, e.getMessage());
        }
    }

    private void setState(EcpPeer p, EcpPeer.State to, String why) {
        EcpPeer.State from = p.state;
        if (from == to) {
            return;
        }
        if (to == EcpPeer.State.REACHABLE) {
            p.downWithLink = false;
        }
        p.state = to;
        EcpCounters c = p.counters();
        LOG.info("ecp {}: peer {} {} -> {} ({}); counters {}", link.name(), p.mac, from, to, why, c);
        for (EcpPeerListener l : listeners) {
            try {
                l.onPeerState(p.mac, to == EcpPeer.State.REACHABLE, why, c);
            } catch (RuntimeException e) {
                LOG.error("ecp {}: peer listener failed; the engine goes on", link.name(), e);
            }
        }
    }

    private void fail(EcpPeer p, EcpPeer.Pending pending, EcpDeliveryException.Reason reason, String detail, Throwable cause) {
        p.failed++;
        pending.result.completeExceptionally(new EcpDeliveryException(reason, p.mac, pending.subtype, pending.sequence,
                pending.attempts, detail, cause));
    }

    /**
     * The link went down: every peer is unreachable until it comes back ({@link #linkUp}), and the peer listeners hear
     * it, so that a station sees its bridges lost at once rather than at its next keep-alive. Any thread.
     */
    public void linkDown(String why) {
        onScheduler(() -> {
            for (EcpPeer p : peers.all()) {
                if (p.state == EcpPeer.State.REACHABLE) {
                    p.downWithLink = true;
                    setState(p, EcpPeer.State.UNREACHABLE, "link down: " + why);
                }
            }
        });
    }

    /**
     * The link is up again: the peers the link took down are presumed reachable again, and the listeners hear it, so
     * that a station re-sends what its bridges may have lost meanwhile. A peer that does not answer is lost again by the
     * usual means. Any thread.
     */
    public void linkUp() {
        onScheduler(() -> {
            for (EcpPeer p : peers.all()) {
                if (p.downWithLink) {
                    p.downWithLink = false;
                    setState(p, EcpPeer.State.REACHABLE, "link up again");
                }
            }
        });
    }

    /** Fails every queued and outstanding PDU with {@code ENGINE_CLOSED} and stops receiving. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        link.removeListener(frameListener);
        onScheduler(() -> {
            dropped.flush();
            for (EcpPeer p : peers.all()) {
                if (p.ackTimer != null) {
                    p.ackTimer.cancel();
                }
                if (p.outstanding != null) {
                    fail(p, p.outstanding, EcpDeliveryException.Reason.ENGINE_CLOSED, null, null);
                    p.outstanding = null;
                }
                EcpPeer.Pending q;
                while ((q = p.queue.poll()) != null) {
                    fail(p, q, EcpDeliveryException.Reason.ENGINE_CLOSED, null, null);
                }
            }
            LOG.info("ecp {}: closed", link.name());
        });
    }
}
