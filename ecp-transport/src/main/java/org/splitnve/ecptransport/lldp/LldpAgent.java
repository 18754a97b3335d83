package org.splitnve.ecptransport.lldp;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.ecptransport.clock.Scheduler;
import org.splitnve.ecptransport.ecp.EcpEngine;
import org.splitnve.ecptransport.ecp.TransportFault;
import org.splitnve.ecptransport.link.Link;
import org.splitnve.ecptransport.link.LinkException;
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
 */
public final class LldpAgent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LldpAgent.class);

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

    private final Map<MacAddress, NeighborState> neighbors = new HashMap<>();
    private EvbTlv received;
    private MacAddress evbSource;
    private EvbTlv outgoing;
    private EvbOperating operating;
    /**
     * What the getters show to other threads: published in one write once a received TLV has been negotiated, so
     * that a reader never pairs a new received TLV with the outgoing one it has not yet produced.
     */
    private volatile EvbState published = new EvbState(null, null, null);
    private int fastLeft;
    private Scheduler.Timer txTimer;
    private volatile boolean closed;

    private final AtomicLong framesOut = new AtomicLong();
    private final AtomicLong framesIn = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong ageouts = new AtomicLong();

    private static final class NeighborState {
        LldpNeighbor neighbor;
        Scheduler.Timer expiry;
    }

    public LldpAgent(Link link, Scheduler scheduler, LldpAgentConfig config) {
        this.link = Objects.requireNonNull(link);
        this.scheduler = Objects.requireNonNull(scheduler);
        this.config = Objects.requireNonNull(config);
        this.chassisId = ChassisId.ofMac(link.macAddress());
        this.portId = PortId.ofInterfaceName(link.name().isEmpty() ? "port" : link.name());
        if (config.evbPolicy() != null) {
            this.outgoing = EvbNegotiation.outgoing(config.evbPolicy(), null);
            this.operating = EvbNegotiation.operating(outgoing, null);
            this.published = new EvbState(null, outgoing, operating);
        }
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
        EvbTlv heard = null;
        synchronized (neighbors) {
            NeighborState s = neighbors.get(peer);
            if (s != null) {
                heard = s.neighbor.evb();
            }
        }
        return heard == null || (bridge ? heard.sgid() : heard.bgid());
    }

    /** The neighbours heard and not yet aged out. Safe from any thread. */
    public List<LldpNeighbor> neighbors() {
        synchronized (neighbors) {
            List<LldpNeighbor> out = new ArrayList<>();
            for (NeighborState s : neighbors.values()) {
                out.add(s.neighbor);
            }
            return out;
        }
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
        byte[] copy = new byte[frame.remaining()];
        frame.duplicate().get(copy);
        scheduler.execute(() -> receive(ByteBuffer.wrap(copy)));
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
            LOG.debug("lldp {}: malformed LLDPDU from {}: {}", link.name(), eth.src(), e.reason());
            return;
        }
        framesIn.incrementAndGet();
        MacAddress from = eth.src();
        if (pdu.ttl() == 0) {
            removeNeighbor(from, "it sent TTL 0 (shutdown)");
            return;
        }
        LldpNeighbor n = new LldpNeighbor(from, pdu.chassisId(), pdu.portId(), pdu.ttl(), pdu.evb());
        NeighborState s;
        boolean isNew;
        synchronized (neighbors) {
            s = neighbors.get(from);
            isNew = s == null;
            if (isNew) {
                s = new NeighborState();
                neighbors.put(from, s);
            }
        }
        boolean changed = isNew || !s.neighbor.equals(n);
        s.neighbor = n;
        if (s.expiry != null) {
            s.expiry.cancel();
        }
        NeighborState st = s;
        s.expiry = scheduler.schedule(Duration.ofSeconds(pdu.ttl()), () -> {
            if (neighbors.get(from) == st) {
                ageouts.incrementAndGet();
                removeNeighbor(from, "TTL of " + n.ttlSeconds() + " s expired");
            }
        });
        if (isNew) {
            LOG.info("lldp {}: neighbour {} up (chassis {}, port {}, EVB {})", link.name(), from, n.chassisId(), n.portId(), n.evb());
            // 802.1AB: a new neighbour gets the fast-start burst so both sides learn each other quickly.
            fastLeft = config.fastCount();
        }
        if (changed) {
            for (LldpListener l : listeners) {
                try {
                    l.onNeighborUp(n);
                } catch (RuntimeException e) {
                    LOG.error("lldp {}: listener failed; the agent goes on", link.name(), e);
                }
            }
        }
        if (pdu.evb() != null && config.evbPolicy() != null && !pdu.evb().equals(received)) {
            LOG.info("lldp {}: EVB from {}: {}", link.name(), from, pdu.evb());
            received = pdu.evb();
            evbSource = from;
            renegotiate("EVB TLV received from " + from);
        }
    }

    private void removeNeighbor(MacAddress mac, String why) {
        NeighborState s;
        synchronized (neighbors) {
            s = neighbors.remove(mac);
        }
        if (s == null) {
            return;
        }
        if (s.expiry != null) {
            s.expiry.cancel();
        }
        LOG.info("lldp {}: neighbour {} down: {}", link.name(), mac, why);
        for (LldpListener l : listeners) {
            try {
                l.onNeighborDown(s.neighbor, why);
            } catch (RuntimeException e) {
                LOG.error("lldp {}: listener failed; the agent goes on", link.name(), e);
            }
        }
        if (mac.equals(evbSource)) {
            received = null;
            evbSource = null;
            renegotiate("EVB neighbour " + mac + " gone");
        }
    }

    private void renegotiate(String why) {
        EvbTlv out = EvbNegotiation.outgoing(config.evbPolicy(), config.faults().contains(TransportFault.EVB_IGNORES_PEER) ? null : received);
        if (config.faults().contains(TransportFault.NO_GROUPID_ECHO)) {
            out = withoutGroupIdEcho(out);
        }
        EvbOperating op = EvbNegotiation.operating(out, received);
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

    /** Says goodbye (TTL 0) and stops. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        link.removeListener(frameListener);
        scheduler.execute(() -> {
            transmit(0);
            closed = true;
            if (txTimer != null) {
                txTimer.cancel();
            }
            synchronized (neighbors) {
                for (NeighborState s : neighbors.values()) {
                    if (s.expiry != null) {
                        s.expiry.cancel();
                    }
                }
            }
            LOG.info("lldp {}: agent stopped", link.name());
        });
    }
}
