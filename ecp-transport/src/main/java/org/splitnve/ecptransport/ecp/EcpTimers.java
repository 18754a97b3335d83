package org.splitnve.ecptransport.ecp;

import java.time.Duration;
import org.splitnve.vdpcore.lldp.EvbTlv;

/**
 * The operating ECP timers with one peer, as EVB negotiated them with that peer (docs/PROTOCOL.md section 2): a PDU is
 * sent at most R + 1 times, one every 10 us x 2^RTE.
 *
 * @param maxRetries R, 0..7
 * @param rte        the ack timer exponent, 0..31
 */
public record EcpTimers(int maxRetries, int rte) {

    public EcpTimers {
        if (maxRetries < 0 || maxRetries > 7) {
            throw new IllegalArgumentException("R is 0..7: " + maxRetries);
        }
        if (rte < 0 || rte > 31) {
            throw new IllegalArgumentException("RTE is 0..31: " + rte);
        }
    }

    public Duration ackTimeout() {
        return EvbTlv.timerDuration(rte);
    }

    /** How long a copy of a delivered PDU can still arrive: the sender's R + 1 sends, plus one timer of slack. */
    long duplicateHorizonNanos() {
        return (maxRetries + 2L) * ackTimeout().toNanos();
    }
}
