package org.splitnve.ecptransport.lldp;

import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import org.splitnve.ecptransport.ecp.TransportFault;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.lldp.EvbTlv;

/**
 * Settings of an LLDP agent: where it sends, how often, and the EVB policy it advertises.
 *
 * @param destination   nearest-customer-bridge by default, the agent EVB runs on
 * @param fastInterval  interval of the fast-start transmissions (1 s)
 * @param fastCount     how many fast transmissions after start or a new neighbour (4)
 * @param slowInterval  interval afterwards (30 s)
 * @param ttlSeconds    TTL advertised (120)
 * @param evbPolicy     our EVB values before negotiation; {@code null} sends no EVB TLV
 * @param ceilings      the most a neighbour's EVB TLV may raise each timer to ({@link EvbCeilings#DEFAULT})
 * @param maxNeighbors  neighbours kept at once; a new one beyond is ignored (counted) until one ages out (16)
 * @param faults        deliberate defects of the agent, for the conformance suite's mutation tests only; empty by default
 */
public record LldpAgentConfig(MacAddress destination, Duration fastInterval, int fastCount, Duration slowInterval,
                              int ttlSeconds, EvbTlv evbPolicy, EvbCeilings ceilings, int maxNeighbors, Set<TransportFault> faults) {

    /** Neighbours one port keeps by default: a point-to-point EVB link has one. */
    public static final int DEFAULT_MAX_NEIGHBORS = 16;

    public LldpAgentConfig {
        Objects.requireNonNull(destination);
        Objects.requireNonNull(ceilings, "ceilings");
        if (maxNeighbors < 1) {
            throw new IllegalArgumentException("at least one neighbour: " + maxNeighbors);
        }
        if (fastInterval.isNegative() || fastInterval.isZero() || slowInterval.isNegative() || slowInterval.isZero()) {
            throw new IllegalArgumentException("intervals must be positive");
        }
        if (ttlSeconds < 1 || ttlSeconds > 0xFFFF) {
            throw new IllegalArgumentException("TTL is 1..65535 seconds: " + ttlSeconds);
        }
        faults = Set.copyOf(faults);
    }

    /** Station defaults as lldpad has them (R 3, RTE 8, RWD 20, RKA 20), asking for GroupID support. */
    public static LldpAgentConfig station() {
        return new LldpAgentConfig(MacAddress.NEAREST_CUSTOMER_BRIDGE, Duration.ofSeconds(1), 4, Duration.ofSeconds(30), 120,
                EvbTlv.stationDefaults().sgid(true).stationStatus(EvbTlv.SGID | EvbTlv.RRREQ | 3).build(), EvbCeilings.DEFAULT,
                DEFAULT_MAX_NEIGHBORS, Set.of());
    }

    /** Bridge defaults: bridge mode with GroupID support and reflective relay capability. */
    public static LldpAgentConfig bridge() {
        return new LldpAgentConfig(MacAddress.NEAREST_CUSTOMER_BRIDGE, Duration.ofSeconds(1), 4, Duration.ofSeconds(30), 120,
                EvbTlv.stationDefaults().mode(org.splitnve.vdpcore.lldp.EvbMode.BRIDGE)
                        .bridgeStatus(EvbTlv.BGID | EvbTlv.RRCAP).stationStatus(0).build(), EvbCeilings.DEFAULT,
                DEFAULT_MAX_NEIGHBORS, Set.of());
    }

    public LldpAgentConfig withEvbPolicy(EvbTlv policy) {
        return new LldpAgentConfig(destination, fastInterval, fastCount, slowInterval, ttlSeconds, policy, ceilings, maxNeighbors, faults);
    }

    public LldpAgentConfig withIntervals(Duration fast, int count, Duration slow) {
        return new LldpAgentConfig(destination, fast, count, slow, ttlSeconds, evbPolicy, ceilings, maxNeighbors, faults);
    }

    /** The same settings with these ceilings on what a neighbour's EVB TLV may raise the timers to. */
    public LldpAgentConfig withCeilings(EvbCeilings c) {
        return new LldpAgentConfig(destination, fastInterval, fastCount, slowInterval, ttlSeconds, evbPolicy, c, maxNeighbors, faults);
    }

    /** The same settings keeping at most {@code max} neighbours. */
    public LldpAgentConfig withMaxNeighbors(int max) {
        return new LldpAgentConfig(destination, fastInterval, fastCount, slowInterval, ttlSeconds, evbPolicy, ceilings, max, faults);
    }

    /** The same settings with these deliberate defects switched on: for the conformance suite's mutation tests only. */
    public LldpAgentConfig withFaults(Collection<TransportFault> f) {
        return new LldpAgentConfig(destination, fastInterval, fastCount, slowInterval, ttlSeconds, evbPolicy, ceilings, maxNeighbors,
                Set.copyOf(f));
    }
}
