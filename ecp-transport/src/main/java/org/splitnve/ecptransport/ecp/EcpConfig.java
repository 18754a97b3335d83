package org.splitnve.ecptransport.ecp;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.lldp.EvbTlv;

/**
 * ECP settings of one port. R and RTE are the operating values that EVB negotiation produces;
 * until then the engine uses these (lldpad's defaults: R 3, RTE 8).
 *
 * @param maxRetries       R: a PDU is sent at most R + 1 times (0..7)
 * @param rte              the ack timer is 10 us x 2^RTE (0..31)
 * @param addressing       default destination of requests, per peer overridable
 * @param maxQueuedPerPeer upper-layer PDUs waiting behind the outstanding one, and VDP requests waiting in the
 *                         {@code VdpChannel} for one peer; more are refused
 * @param groups           the group addresses whose ECPDUs the engine takes, besides those to its own
 *                         MAC (docs/PROTOCOL.md 4.3); the nearest-customer-bridge address by default
 * @param maxPeers         peers the port keeps state for at once; when it holds that many, the idle ones are
 *                         forgotten to make room, and a request from a new peer finds none, it is dropped unacked
 * @param faults           deliberate defects of the ECP engine and the VDP channel, for the conformance
 *                         suite's mutation tests only; empty by default
 */
public record EcpConfig(int maxRetries, int rte, EcpAddressing addressing, int maxQueuedPerPeer, Set<MacAddress> groups,
                        int maxPeers, Set<TransportFault> faults) {

    /** Peers a port keeps state for by default: far more stations than one port serves, far fewer than a flood brings. */
    public static final int DEFAULT_MAX_PEERS = 1024;

    public static final EcpConfig DEFAULT = new EcpConfig(3, 8, EcpAddressing.nearestCustomerBridge(), 65_536,
            Set.of(MacAddress.NEAREST_CUSTOMER_BRIDGE), DEFAULT_MAX_PEERS, Set.of());

    public EcpConfig {
        if (maxRetries < 0 || maxRetries > 7) {
            throw new IllegalArgumentException("R is 0..7: " + maxRetries);
        }
        if (rte < 0 || rte > 31) {
            throw new IllegalArgumentException("RTE is 0..31: " + rte);
        }
        Objects.requireNonNull(addressing, "addressing");
        if (maxQueuedPerPeer < 1) {
            throw new IllegalArgumentException("maxQueuedPerPeer " + maxQueuedPerPeer);
        }
        if (maxPeers < 1) {
            throw new IllegalArgumentException("at least one peer: " + maxPeers);
        }
        for (MacAddress g : groups) {
            EcpAddressing.checkGroup(g);
        }
        groups = Set.copyOf(groups);
        faults = Set.copyOf(faults);
    }

    public Duration ackTimeout() {
        return EvbTlv.timerDuration(rte);
    }

    public EcpConfig withTimers(int r, int newRte) {
        return new EcpConfig(r, newRte, addressing, maxQueuedPerPeer, groups, maxPeers, faults);
    }

    /**
     * Requests go this way by default; a configured group address is also listened to, so that a
     * peer using the same group reaches this engine.
     */
    public EcpConfig withAddressing(EcpAddressing a) {
        EcpConfig c = new EcpConfig(maxRetries, rte, a, maxQueuedPerPeer, groups, maxPeers, faults);
        return a.kind() == EcpAddressing.Kind.GROUP ? c.listeningTo(a.destination(null)) : c;
    }

    /** The engine also takes ECPDUs sent to {@code group} (a non-reserved group address, or the nearest-customer-bridge one). */
    public EcpConfig listeningTo(MacAddress group) {
        EcpAddressing.checkGroup(group);
        Set<MacAddress> more = new LinkedHashSet<>(groups);
        more.add(group);
        return new EcpConfig(maxRetries, rte, addressing, maxQueuedPerPeer, more, maxPeers, faults);
    }

    /** The same settings with at most {@code max} PDUs, and VDP requests, waiting per peer. */
    public EcpConfig withMaxQueuedPerPeer(int max) {
        return new EcpConfig(maxRetries, rte, addressing, max, groups, maxPeers, faults);
    }

    /** The same settings keeping state for at most {@code max} peers at once. */
    public EcpConfig withMaxPeers(int max) {
        return new EcpConfig(maxRetries, rte, addressing, maxQueuedPerPeer, groups, max, faults);
    }

    /** The same settings with these deliberate defects switched on: for the conformance suite's mutation tests only. */
    public EcpConfig withFaults(Collection<TransportFault> f) {
        return new EcpConfig(maxRetries, rte, addressing, maxQueuedPerPeer, groups, maxPeers, Set.copyOf(f));
    }
}
