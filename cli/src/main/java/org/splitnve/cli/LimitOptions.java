package org.splitnve.cli;

import org.splitnve.ecptransport.ecp.EcpConfig;
import org.splitnve.ecptransport.lldp.EvbCeilings;
import org.splitnve.ecptransport.lldp.LldpAgentConfig;
import org.splitnve.nnve.NnveConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * How much the stations on the bridge's NIC can make it hold, and how far their EVB TLVs can stretch its timers: the
 * bounds of {@code splitnve bridge}, each a usage error (exit 2) when it is out of range. docs/VDP-ENGINES.md lists
 * them with their defaults.
 */
final class LimitOptions {

    @Option(names = "--max-tsis", paramLabel = "N", description = "TSIs the port holds at most; more: error 2 (default 1000000)")
    Integer tsis;

    @Option(names = "--max-tsis-per-station", paramLabel = "N",
            description = "TSIs one station holds at most on the port; more: error 2 (default 100000)")
    Integer tsisPerStation;

    @Option(names = "--max-vns", paramLabel = "N", description = "VNs connected on the port at most; more: error 2 (default 4094)")
    Integer vns;

    @Option(names = "--max-vns-per-station", paramLabel = "N",
            description = "VNs one station's TSIs are in at most; more: error 2 (default 1024)")
    Integer vnsPerStation;

    @Option(names = "--max-ecp-peers", paramLabel = "N",
            description = "stations ECP keeps state for at once; idle ones are forgotten to make room (default 1024)")
    Integer ecpPeers;

    @Option(names = "--max-neighbors", paramLabel = "N", description = "LLDP neighbours kept at once (default 16)")
    Integer neighbors;

    @Option(names = "--max-rka", paramLabel = "EXP", description = "the most a station's EVB TLV raises RKA to (default 21)")
    Integer maxRka;

    @Option(names = "--max-rwd", paramLabel = "EXP", description = "the most a station's EVB TLV raises RWD to (default 21)")
    Integer maxRwd;

    @Option(names = "--max-ecp-rte", paramLabel = "EXP", description = "the most a station's EVB TLV raises RTE to (default 14)")
    Integer maxRte;

    /** The LLDP agent's bounds: neighbours and EVB ceilings. */
    LldpAgentConfig apply(CommandSpec spec, LldpAgentConfig lldp) {
        EvbCeilings d = EvbCeilings.DEFAULT;
        EvbCeilings ceilings = new EvbCeilings(d.r(), exponent(spec, "--max-ecp-rte", maxRte, d.rte()),
                exponent(spec, "--max-rwd", maxRwd, d.rwd()), exponent(spec, "--max-rka", maxRka, d.rka()));
        return lldp.withCeilings(ceilings).withMaxNeighbors(count(spec, "--max-neighbors", neighbors, lldp.maxNeighbors()));
    }

    /** The ECP engine's bound on peers. */
    EcpConfig apply(CommandSpec spec, EcpConfig ecp) {
        return ecp.withMaxPeers(count(spec, "--max-ecp-peers", ecpPeers, ecp.maxPeers()));
    }

    /** The nNVE's quotas. */
    NnveConfig.Builder apply(CommandSpec spec, NnveConfig.Builder config) {
        NnveConfig d = NnveConfig.DEFAULT;
        return config.maxTsisPerPort(count(spec, "--max-tsis", tsis, d.maxTsisPerPort()))
                .maxTsisPerStation(count(spec, "--max-tsis-per-station", tsisPerStation, d.maxTsisPerStation()))
                .maxVnsPerPort(count(spec, "--max-vns", vns, d.maxVnsPerPort()))
                .maxVnsPerStation(count(spec, "--max-vns-per-station", vnsPerStation, d.maxVnsPerStation()));
    }

    private static int count(CommandSpec spec, String option, Integer value, int dflt) {
        if (value == null) {
            return dflt;
        }
        if (value < 1) {
            throw Usage.error(spec, option + " is at least 1, not " + value);
        }
        return value;
    }

    private static int exponent(CommandSpec spec, String option, Integer value, int dflt) {
        if (value == null) {
            return dflt;
        }
        if (value < 0 || value > 31) {
            throw Usage.error(spec, option + " is 0..31, not " + value);
        }
        return value;
    }
}
