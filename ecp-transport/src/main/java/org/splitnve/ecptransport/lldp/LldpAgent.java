package org.splitnve.ecptransport.lldp;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.ecptransport.clock.Scheduler;
import org.splitnve.ecptransport.ecp.EcpEngine;
import org.splitnve.ecptransport.ecp.EcpTimers;
import org.splitnve.ecptransport.ecp.TransportFault;
import org.splitnve.ecptransport.link.Link;
import org.splitnve.ecptransport.link.LinkException;
import org.splitnve.ecptransport.log.RateLimitedLog;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.MalformedFrameException;
import org.splitnve.vdpcore.frame.EtherType;
import org.splitnve.vdpcore.frame.EthernetHeader;
import org.splitnve.vdpcore.frame.FrameEncoder;
import org.splitnve.vdpcore.lldp.ChassisId;
import org.splitnve.vdpcore.lldp.EvbMode;
import org.splitnve.vdpcore.lldp.EvbTlv;
import org.splitnve.vdpcore.lldp.LldpDecoder;
import org.splitnve.vdpcore.lldp.LldpTlv;
import org.splitnve.vdpcore.lldp.Lldpdu;
import org.splitnve.vdpcore.lldp.PortId;

/**
 * The LLDP agent of one port for one destination address (nearest customer bridge by default, the
 * agent EVB runs on): transmits chassis ID, port ID, TTL and the EVB TLV (fast start, then slow;
 * at once when what it says changes), keeps its neighbours with TTL expiry, and negotiates EVB
 * with the neighbour as lldpad does ({@link EvbNegotiation}). The operating R and RTE go to an
 * attached {@link EcpEngine}; listeners get neighbours and the operating values for VDP.
 *
 * <p>What a neighbour can do to the port is bounded ({@link LldpNeighbors}): at most
 * {@link LldpAgentConfig#maxNeighbors} neighbours, timers it can raise no further than the
 * {@link LldpAgentConfig#ceilings ceilings}, a fast-start burst restarted by a new neighbour at most once
 * a second. With several stations on one port (Req-2) each one's values are negotiated with it alone
 * ({@link #operating(MacAddress)}, and R and RTE per peer in the ECP engine), and the TLV we send
 * carries our own timers, which each station then raises only for itself.
 */
public final class LldpAgent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LldpAgent.class);
    private static final long FAST_BURST_RESTART_NANOS = 1_000_000_000L;

    private final Link link;
    private final Scheduler scheduler;
    private final LldpAgentConfig config;
    private final ChassisId chassisId;
    private final PortId portId;
    private final LldpDecoder decoder = new LldpDecoder();
    private final FrameEncoder encoder = new FrameEncoder();
    private final ByteBuffer tx = ByteBuffer.allocate(1518);
    private final List<LldpListener> listeners = new CopyOnWriteArrayList<>();
    private final List<EcpEngine> ecpEngines = new CopyOnWriteArrayList<>();
    private final Link.FrameListener frameListener = this::onFrame;

    private final LldpNeighbors neighbors;
    private final RateLimitedLog dropped;
    /** What we operate at with a peer we have not heard: our policy alone. */
    private final EvbOperating policyOperating;
    /** The last EVB TLV received from the EVB source, as received. */
    private EvbTlv received;
    /** What that TLV counts for in negotiation: within the ceilings, and without its timers while several stations speak. */
    private EvbTlv negotiated;
    private MacAddress evbSource;
    private EvbTlv outgoing;
    private EvbOperating operating;
    /**
     * What the getters show to other threads: published in one write once a received TLV has been negotiated, so
     * that a reader never pairs a new received TLV with the outgoing one it has not yet produced.
     */
    private volatile EvbState published = new EvbState(null, null, null);
    private int fastLeft;
    /** When a new neighbour last restarted the fast-start burst, or Long.MIN_VALUE. */
    private long burstRestarted = Long.MIN_VALUE;
    private Scheduler.Timer txTimer;
    /** When {@link #txTimer} fires. */
    private long nextTxNanos;
    private volatile boolean closed;
    /** Set as soon as {@link #close} is called, on any thread: frames from then on are ignored. */
    private volatile boolean stopping;

    private final AtomicLong framesOut = new AtomicLong();
    private final AtomicLong framesIn = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong ageouts = new AtomicLong();

    public LldpAgent(Link link, Scheduler scheduler, LldpAgentConfig config) {
        this.link = Objects.requireNonNull(link);
        this.scheduler = Objects.requireNonNull(scheduler);
        this.config = Objects.requireNonNull(config);
        this.chassisId = ChassisId.ofMac(link.macAddress());
        this.portId = PortId.ofInterfaceName(link.name().isEmpty() ? "port" : link.name());
        this.dropped = RateLimitedLog.of(LOG, "lldp " + link.name(), scheduler::nanoTime);
        this.neighbors = new LldpNeighbors(link.name(), scheduler, config, dropped, (mac, why) -> {
            ageouts.incrementAndGet();
            removeNeighbor(mac, why);
        });
        if (config.evbPolicy() != null) {
            this.outgoing = EvbNegotiation.outgoing(config.evbPolicy(), null);
            this.operating = EvbNegotiation.operating(outgoing, null);
            this.published = new EvbState(null, outgoing, operating);
        }
        this.policyOperating = operating;
    }

    public void addListener(LldpListener l) {
        listeners.add(Objects.requireNonNull(l));
    }

    /** Hands the operating R and RTE to this ECP engine now and whenever they change. */
    public void attach(EcpEngine engine) {
        ecpEngines.add(engine);
        EvbOperating op = published.operating();
        if (op != null) {
            engine.setTimers(op.r(), op.rte());
        }
    }

    /** Starts receiving and transmitting. */
    public LldpAgent start() {
        link.addListener(frameListener);
        scheduler.execute(() -> {
            LOG.info("lldp {}: agent started toward {}, EVB policy {}", link.name(), config.destination(), config.evbPolicy());
            if (!config.faults().isEmpty()) {
                LOG.warn("lldp {}: deliberate defects {} switched on: this agent is broken on purpose, for conformance mutation tests only",
                        link.name(), config.faults());
            }
            fastLeft = config.fastCount();
            transmitAndReschedule();
        });
        return this;
    }

    /** The operating EVB values: before a neighbour is heard, our own policy. Safe from any thread. */
    public EvbOperating operating() {
        return published.operating();
    }

    /**
     * The operating EVB values with one peer (Req-2): negotiated with its own EVB TLV, within the ceilings, when it is
     * a neighbour that sends one; our policy alone otherwise (a peer whose LLDPDUs do not arrive, beyond a bridged
     * network, or a neighbour ignored because the table was full). Null without an EVB policy. Safe from any thread.
     */
    public EvbOperating operating(MacAddress peer) {
        EvbOperating op = neighbors.operating(peer);
        return op != null ? op : policyOperating;
    }

    /** The EVB TLV we transmit now. Safe from any thread. */
    public EvbTlv outgoingEvb() {
        return published.outgoing();
    }

    /** The last EVB TLV received, or {@code null}. Safe from any thread. */
    public EvbTlv receivedEvb() {
        return published.received();
    }

    /** The received TLV, the outgoing TLV negotiated from it and the operating values, all of one moment. */
    public EvbState evbState() {
        return published;
    }

    /**
     * One consistent view of EVB on the port.
     *
     * @param received  the last EVB TLV received, or {@code null}
     * @param outgoing  the TLV transmitted in answer, or {@code null} without an EVB policy
     * @param operating the operating values, or {@code null} without an EVB policy
     */
    public record EvbState(EvbTlv received, EvbTlv outgoing, EvbOperating operating) {
    }

    /**
     * Whether filter formats with a GroupID may be used with {@code peer} (docs/PROTOCOL.md section 2): our EVB policy
     * sets our bit (BGID as a bridge, SGID as a station), and the peer, if its EVB TLV has been heard, sets its own.
     * A peer not heard (beyond a bridged network, where LLDP does not cross) leaves it to our bit; without an EVB
     * policy there is nothing to negotiate and the answer is yes. Safe from any thread.
     */
    public boolean groupIdUsable(MacAddress peer) {
        EvbTlv policy = config.evbPolicy();
        if (policy == null) {
            return true;
        }
        boolean bridge = policy.mode() == EvbMode.BRIDGE;
        if (!(bridge ? policy.bgid() : policy.sgid())) {
            return false;
        }
        EvbTlv heard = neighbors.evb(peer);
        return heard == null || (bridge ? heard.sgid() : heard.bgid());
    }

    /** The neighbours heard and not yet aged out, in the order first heard. Safe from any thread. */
    public List<LldpNeighbor> neighbors() {
        return neighbors.all();
    }

    /** New neighbours ignored because the port kept as many as it may. */
    public long neighborsRefused() {
        return neighbors.refused();
    }

    public long framesOut() {
        return framesOut.get();
    }

    public long framesIn() {
        return framesIn.get();
    }

    public long malformed() {
        return malformed.get();
    }

    public long ageouts() {
        return ageouts.get();
    }

    private void onFrame(ByteBuffer frame, long timestamp) {
        if (stopping) {
            return; // a frame the receive thread held while we closed
        }
        byte[] copy = new byte[frame.remaining()];
        frame.duplicate().get(copy);
        try {
            scheduler.execute(() -> receive(ByteBuffer.wrap(copy)));
        } catch (RejectedExecutionException schedulerClosed) {
            LOG.debug("lldp {}: frame after the scheduler closed, ignored", link.name());
        }
    }

    private void receive(ByteBuffer frame) {
        if (closed) {
            return;
        }
        EthernetHeader eth;
        try {
            eth = EthernetHeader.parse(frame);
        } catch (MalformedFrameException e) {
            return;
        }
        if (eth.etherType() != EtherType.LLDP || !eth.dst().equals(config.destination()) || eth.src().equals(link.macAddress())) {
            return;
        }
        Lldpdu pdu;
        try {
            pdu = decoder.decode(frame.position(eth.payloadOffset()));
        } catch (MalformedFrameException e) {
            malformed.incrementAndGet();
            dropped.info("malformed LLDPDU", "lldp {}: malformed LLDPDU from {}: {}", link.name(), eth.src(), e.reason());
            return;
        }
        framesIn.incrementAndGet();
        MacAddress from = eth.src();
        if (pdu.ttl() == 0) {
            removeNeighbor(from, "it sent TTL 0 (shutdown)");
            return;
        }
        LldpNeighbors.Heard heard = neighbors.heard(from, pdu);
        if (heard == null) {
            return; // the table is full: counted and logged
        }
        LldpNeighbor n = heard.neighbor();
        if (heard.isNew()) {
            LOG.info("lldp {}: neighbour {} up (chassis {}, port {}, EVB {})", link.name(), from, n.chassisId(), n.portId(), n.evb());
            restartFastBurst();
        }
        if (heard.changed()) {
            for (LldpListener l : listeners) {
                try {
                    l.onNeighborUp(n);
                } catch (RuntimeException e) {
                    LOG.error("lldp {}: listener failed; the agent goes on", link.name(), e);
                }
            }
        }
        if (heard.evbChanged()) {
            peerTimers(from, neighbors.operating(from));
        }
        if (pdu.evb() != null && config.evbPolicy() != null && (!pdu.evb().equals(received) || !input(pdu.evb()).equals(negotiated))) {
            LOG.info("lldp {}: EVB from {}: {}", link.name(), from, pdu.evb());
            received = pdu.evb();
            evbSource = from;
            negotiated = input(received);
            renegotiate("EVB TLV received from " + from);
        }
    }

    /**
     * 802.1AB: a new neighbour gets the fast-start burst so both sides learn each other quickly; a stream of new
     * neighbours restarts it at most once a second, so it cannot keep the port sending every second.
     */
    private void restartFastBurst() {
        long now = scheduler.nanoTime();
        if (burstRestarted != Long.MIN_VALUE && now - burstRestarted < FAST_BURST_RESTART_NANOS) {
            return;
        }
        burstRestarted = now;
        fastLeft = config.fastCount();
        long fast = config.fastInterval().toNanos();
        if (txTimer != null && nextTxNanos - now > fast) {
            // The burst starts within one fast interval, not at the end of a slow one.
            txTimer.cancel();
            nextTxNanos = now + fast;
            txTimer = scheduler.schedule(config.fastInterval(), this::transmitAndReschedule);
        }
    }

    /** A received EVB TLV as negotiation takes it: within the ceilings, and our own timers when several stations send one. */
    private EvbTlv input(EvbTlv evb) {
        EvbTlv clamped = config.ceilings().clamp(evb);
        return neighbors.withEvb() > 1 ? clamped.toBuilder().r(0).rte(0).rwd(0).rka(0).build() : clamped;
    }

    /** The ECP timers with one peer follow what was negotiated with it; null: the port's again. */
    private void peerTimers(MacAddress peer, EvbOperating op) {
        for (EcpEngine e : ecpEngines) {
            e.setPeerTimers(peer, op == null ? null : new EcpTimers(op.r(), op.rte()));
        }
    }

    private void removeNeighbor(MacAddress mac, String why) {
        LldpNeighbor gone = neighbors.remove(mac);
        if (gone == null) {
            return;
        }
        LOG.info("lldp {}: neighbour {} down: {}", link.name(), mac, why);
        peerTimers(mac, null);
        for (LldpListener l : listeners) {
            try {
                l.onNeighborDown(gone, why);
            } catch (RuntimeException e) {
                LOG.error("lldp {}: listener failed; the agent goes on", link.name(), e);
            }
        }
        if (config.evbPolicy() == null) {
            return;
        }
        if (mac.equals(evbSource)) {
            // Another station that sends EVB, if any, is the one negotiated with now.
            received = null;
            evbSource = null;
            for (LldpNeighbor n : neighbors.all()) {
                if (n.evb() != null) {
                    received = n.evb();
                    evbSource = n.mac();
                }
            }
        }
        EvbTlv input = received == null ? null : input(received);
        if (!Objects.equals(input, negotiated)) {
            negotiated = input;
            renegotiate("EVB neighbour " + mac + " gone");
        }
    }

    private void renegotiate(String why) {
        EvbTlv out = EvbNegotiation.outgoing(config.evbPolicy(), config.faults().contains(TransportFault.EVB_IGNORES_PEER) ? null : negotiated);
        if (config.faults().contains(TransportFault.NO_GROUPID_ECHO)) {
            out = withoutGroupIdEcho(out);
        }
        EvbOperating op = EvbNegotiation.operating(out, negotiated);
        EvbOperating old = operating;
        boolean txChanged = !out.equals(outgoing);
        outgoing = out;
        operating = op;
        published = new EvbState(received, out, op);
        if (!op.equals(old)) {
            LOG.info("lldp {}: EVB operating {} -> {} ({})", link.name(), old, op, why);
            for (EcpEngine e : ecpEngines) {
                e.setTimers(op.r(), op.rte());
            }
            for (LldpListener l : listeners) {
                try {
                    l.onEvbOperating(op);
                } catch (RuntimeException e) {
                    LOG.error("lldp {}: listener failed; the agent goes on", link.name(), e);
                }
            }
        }
        if (txChanged) {
            transmitAndReschedule(); // tell the neighbour at once, as lldpad's somethingChangedLocal does
        }
    }

    /** The TLV without the echo of the neighbour's GroupID bit: a deliberate defect for the conformance suite's mutation tests. */
    private static EvbTlv withoutGroupIdEcho(EvbTlv out) {
        return out.mode() == EvbMode.STATION ? out.toBuilder().bridgeStatus(out.bridgeStatus() & ~EvbTlv.BGID).build()
                : out.toBuilder().stationStatus(out.stationStatus() & ~EvbTlv.SGID).build();
    }

    private void transmitAndReschedule() {
        if (closed) {
            return;
        }
        transmit(config.ttlSeconds());
        if (txTimer != null) {
            txTimer.cancel();
        }
        Duration next = fastLeft > 0 ? config.fastInterval() : config.slowInterval();
        if (fastLeft > 0) {
            fastLeft--;
        }
        nextTxNanos = scheduler.nanoTime() + next.toNanos();
        txTimer = scheduler.schedule(next, this::transmitAndReschedule);
    }

    private void transmit(int ttl) {
        List<LldpTlv> tlvs = outgoing == null || config.faults().contains(TransportFault.NO_EVB_TLV) ? List.of() : List.of(outgoing);
        Lldpdu pdu = Lldpdu.of(chassisId, portId, ttl, tlvs);
        tx.clear();
        encoder.lldp(config.destination(), link.macAddress(), pdu, tx);
        tx.flip();
        try {
            link.send(tx);
            framesOut.incrementAndGet();
        } catch (LinkException e) {
            LOG.warn("lldp {}: could not send LLDPDU: {}", link.name(), e.getMessage());
        }
    }

    /**
     * The link is up again after being down: the neighbours may have aged us out meanwhile, so we speak at once and
     * then fast, as after start. Any thread.
     */
    public void linkUp() {
        try {
            scheduler.execute(() -> {
                if (closed) {
                    return;
                }
                fastLeft = config.fastCount();
                transmitAndReschedule();
            });
        } catch (RejectedExecutionException schedulerClosed) {
            LOG.debug("lldp {}: link up after the scheduler closed", link.name());
        }
    }

    /** Says goodbye (TTL 0) and stops. */
    @Override
    public void close() {
        if (closed || stopping) {
            return;
        }
        stopping = true;
        link.removeListener(frameListener);
        try {
            scheduler.execute(() -> {
                transmit(0);
                closed = true;
                if (txTimer != null) {
                    txTimer.cancel();
                }
                neighbors.close();
                dropped.flush();
                LOG.info("lldp {}: agent stopped", link.name());
            });
        } catch (RejectedExecutionException schedulerClosed) {
            closed = true;
            LOG.info("lldp {}: agent stopped without a goodbye: its scheduler closed first", link.name());
        }
    }
}
