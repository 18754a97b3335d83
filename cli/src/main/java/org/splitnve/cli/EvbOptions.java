package org.splitnve.cli;

import org.splitnve.ecptransport.lldp.LldpAgentConfig;
import org.splitnve.vdpcore.lldp.EvbTlv;
import picocli.CommandLine.Option;

/**
 * The EVB values a port advertises. Each operates at the larger of ours and the peer's, so these
 * are floors: lowering them speeds nothing up against a peer that asks for more.
 */
final class EvbOptions {

    @Option(names = "--ecp-retries", paramLabel = "R", description = "ECP retries R, 0..7 (default 3)")
    Integer r;

    @Option(names = "--ecp-rte", paramLabel = "EXP", description = "ECP ack timer exponent: 10 us x 2^EXP (default 8)")
    Integer rte;

    @Option(names = "--rwd", paramLabel = "EXP", description = "VDP resource wait exponent: 10 us x 2^EXP (default 20)")
    Integer rwd;

    @Option(names = "--rka", paramLabel = "EXP", description = "VDP keep-alive exponent: 10 us x 2^EXP (default 20, 10.5 s)")
    Integer rka;

    /** The agent configuration with our overrides applied; IllegalArgumentException names a bad value. */
    LldpAgentConfig apply(LldpAgentConfig base) {
        EvbTlv.Builder b = base.evbPolicy().toBuilder();
        if (r != null) {
            check("--ecp-retries", r, 7);
            b.r(r);
        }
        if (rte != null) {
            check("--ecp-rte", rte, 31);
            b.rte(rte);
        }
        if (rwd != null) {
            check("--rwd", rwd, 31);
            b.rwd(rwd);
        }
        if (rka != null) {
            check("--rka", rka, 31);
            b.rka(rka);
        }
        return base.withEvbPolicy(b.build());
    }

    private static void check(String name, int v, int max) {
        if (v < 0 || v > max) {
            throw new IllegalArgumentException(name + " is 0.." + max + ", not " + v);
        }
    }
}
