package org.splitnve.ecptransport.lldp;

import org.splitnve.ecptransport.vdp.VdpTimers;
import org.splitnve.vdpcore.lldp.EvbTlv;

/**
 * The most a neighbour's EVB TLV may raise each timer to: R, RTE, RWD and RKA operate at the larger of ours and the
 * neighbour's (docs/PROTOCOL.md section 2), and a neighbour that advertised RKA 31 would otherwise make the bridge keep
 * its TSIs for six hours after it went silent. A received value above its ceiling counts as the ceiling; our own values
 * are the operator's and stay as configured.
 *
 * @param r   ECP retries, 0..7
 * @param rte ECP ack timer exponent, 0..31
 * @param rwd VDP resource-wait exponent, 0..31
 * @param rka VDP keep-alive exponent, 0..31
 */
public record EvbCeilings(int r, int rte, int rwd, int rka) {

    /**
     * R 7, RTE 14 (0.16 s), RWD 21 (21 s), RKA 21 (21 s): the bridge keep-alive timeout stays under a minute (35 s) and
     * lldpad's defaults (R 3, RTE 8, RWD 20, RKA 20) are well inside.
     */
    public static final EvbCeilings DEFAULT = new EvbCeilings(7, 14, 21, 21);

    /** No ceiling: what the TLV's fields can carry. */
    public static final EvbCeilings NONE = new EvbCeilings(7, 31, 31, 31);

    public EvbCeilings {
        if (r < 0 || r > 7) {
            throw new IllegalArgumentException("the R ceiling is 0..7: " + r);
        }
        check("RTE", rte);
        check("RWD", rwd);
        check("RKA", rka);
    }

    private static void check(String what, int v) {
        if (v < 0 || v > 31) {
            throw new IllegalArgumentException("the " + what + " ceiling is 0..31: " + v);
        }
    }

    /** {@code received} with every timer above its ceiling lowered to it. */
    public EvbTlv clamp(EvbTlv received) {
        if (received.r() <= r && received.rte() <= rte && received.rwd() <= rwd && received.rka() <= rka) {
            return received;
        }
        return received.toBuilder().r(Math.min(received.r(), r)).rte(Math.min(received.rte(), rte)).rwd(Math.min(received.rwd(), rwd))
                .rka(Math.min(received.rka(), rka)).build();
    }

    /** The VDP timers of a peer at every ceiling: the longest the bridge keep-alive timeout can become by negotiation. */
    public VdpTimers timers() {
        return VdpTimers.of(r, rte, rwd, rka);
    }

    @Override
    public String toString() {
        return "R<=" + r + " RTE<=" + rte + " RWD<=" + rwd + " RKA<=" + rka;
    }
}
