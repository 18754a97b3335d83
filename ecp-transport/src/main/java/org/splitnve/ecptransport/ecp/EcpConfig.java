package org.splitnve.ecptransport.ecp;

import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import org.splitnve.vdpcore.lldp.EvbTlv;

/**
 * ECP settings of one port. R and RTE are the operating values that EVB negotiation produces;
 * until then the engine uses these (lldpad's defaults: R 3, RTE 8).
 *
 * @param maxRetries      R: a PDU is sent at most R + 1 times (0..7)
 * @param rte             the ack timer is 10 us x 2^RTE (0..31)
 * @param addressing      default destination of requests, per peer overridable
 * @param maxQueuedPerPeer upper-layer PDUs waiting behind the outstanding one; more are refused
 * @param faults          deliberate defects of the ECP engine and the VDP channel, for the conformance
 *                        suite's mutation tests only; empty by default
 */
public record EcpConfig(int maxRetries, int rte, EcpAddressing addressing, int maxQueuedPerPeer, Set<TransportFault> faults) {

    public static final EcpConfig DEFAULT = new EcpConfig(3, 8, EcpAddressing.nearestCustomerBridge(), 65_536, Set.of());

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
        faults = Set.copyOf(faults);
    }

    public Duration ackTimeout() {
        return EvbTlv.timerDuration(rte);
    }

    public EcpConfig withTimers(int r, int newRte) {
        return new EcpConfig(r, newRte, addressing, maxQueuedPerPeer, faults);
    }

    public EcpConfig withAddressing(EcpAddressing a) {
        return new EcpConfig(maxRetries, rte, a, maxQueuedPerPeer, faults);
    }

    /** The same settings with these deliberate defects switched on: for the conformance suite's mutation tests only. */
    public EcpConfig withFaults(Collection<TransportFault> f) {
        return new EcpConfig(maxRetries, rte, addressing, maxQueuedPerPeer, Set.copyOf(f));
    }
}
