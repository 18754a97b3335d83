package org.splitnve.ecptransport.vdp;

import java.time.Duration;
import org.splitnve.ecptransport.lldp.EvbOperating;
import org.splitnve.vdpcore.lldp.EvbTlv;

/**
 * The VDP timers of one port, derived from the operating EVB values exactly as docs/PROTOCOL.md 3.3
 * (and lldpad) computes them, so that our bridge never times out a station that lldpad's
 * arithmetic keeps alive.
 *
 * @param keepAlive              station: re-send the current TLV this often (10 us x 2^RKA)
 * @param responseWait           station: a request unanswered this long has failed
 * @param bridgeKeepAliveTimeout bridge: a VSI not refreshed this long is de-associated
 * @param resourceWait           bridge: how long it may take to answer (10 us x 2^RWD)
 */
public record VdpTimers(Duration keepAlive, Duration responseWait, Duration bridgeKeepAliveTimeout, Duration resourceWait) {

    /** lldpad's defaults: R 3, RTE 8, RWD 20, RKA 20. */
    public static final VdpTimers DEFAULT = of(3, 8, 20, 20);

    public static VdpTimers of(EvbOperating op) {
        return of(op.r(), op.rte(), op.rwd(), op.rka());
    }

    public static VdpTimers of(int r, int rte, int rwd, int rka) {
        long ecpBudget = (1L + 2L * r) * EvbTlv.timerDuration(rte).toNanos();
        long rwdNanos = EvbTlv.timerDuration(rwd).toNanos();
        long rkaNanos = EvbTlv.timerDuration(rka).toNanos();
        return new VdpTimers(Duration.ofNanos(rkaNanos), Duration.ofNanos((ecpBudget + rwdNanos) * 3 / 2),
                Duration.ofNanos((ecpBudget + rkaNanos) * 3 / 2), Duration.ofNanos(rwdNanos));
    }
}
