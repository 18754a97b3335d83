package org.splitnve.conformance;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.ecptransport.clock.VirtualScheduler;
import org.splitnve.ecptransport.link.Link;
import org.splitnve.ecptransport.link.LinkFaults;
import org.splitnve.ecptransport.link.MemoryLink;
import org.splitnve.vdpcore.MacAddress;

/**
 * Runs every check for a role against the peer reachable through one link, in order, and collects
 * a {@link ConformanceReport}. A check that throws fails with the exception as its reason; once the
 * first check has found no EVB peer, the rest are not tested. A required feature that was not
 * tested fails, or does not apply when the options are lenient ({@link Outcome#untested}).
 *
 * <pre>{@code
 * ConformanceReport report = ConformanceSuite.run(link, ConformanceOptions.builder(PeerRole.BRIDGE).build(), r -> {});
 * }</pre>
 */
public final class ConformanceSuite {

    private static final Logger LOG = LoggerFactory.getLogger(ConformanceSuite.class);

    private ConformanceSuite() {
    }

    /** The checks for a role, as the suite would run them (for listings and documentation). */
    public static List<Check> checks(Probe probe) {
        return switch (probe.options().role()) {
            case BRIDGE -> BridgeChecks.all(probe);
            case STATION -> StationChecks.all(probe);
        };
    }

    /** The checks for a role, with their IDs and titles, without touching any network. */
    public static List<Check> list(ConformanceOptions options) {
        MemoryLink[] unused = MemoryLink.pair(new VirtualScheduler(), "list", MacAddress.valueOf(0x020000000001L), "peer",
                MacAddress.valueOf(0x020000000002L), LinkFaults.NONE);
        try (Probe probe = new Probe(unused[0], options)) {
            return checks(probe).stream().filter(c -> options.selects(c.id())).toList();
        }
    }

    /**
     * Runs the suite. The link stays open (the caller owns it); {@code progress} sees each result
     * as it is decided.
     */
    public static ConformanceReport run(Link link, ConformanceOptions options, Consumer<CheckResult> progress) {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        List<CheckResult> results = new ArrayList<>();
        try (Probe probe = new Probe(link, options)) {
            probe.start();
            LOG.info("conformance {}: testing a {}{}", link.name(), options.role().label(),
                    options.peerMac() != null ? " at " + options.peerMac() : "");
            for (Check c : checks(probe)) {
                if (!options.selects(c.id())) {
                    continue;
                }
                CheckResult r = runOne(probe, c, results.isEmpty());
                results.add(r);
                LOG.info("conformance {}: {} {}: {}", link.name(), r.verdict(), r.id(), r.reason());
                try {
                    progress.accept(r);
                } catch (RuntimeException e) {
                    LOG.warn("conformance {}: progress listener failed on {}", link.name(), r.id(), e);
                }
            }
            String peer = probe.peer() != null ? probe.peer().toString() : "unknown";
            return new ConformanceReport(options.role(), link.name(), peer, started, Duration.ofNanos(System.nanoTime() - t0), results);
        }
    }

    private static CheckResult runOne(Probe probe, Check c, boolean first) {
        long t = System.nanoTime();
        Outcome o;
        if (!first && probe.peer() == null) {
            o = Outcome.untested("no EVB peer was found");
        } else {
            try {
                o = c.procedure().run(probe);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                o = Outcome.fail("interrupted");
            } catch (Exception e) {
                LOG.warn("conformance {}: check {} threw", probe.link().name(), c.id(), e);
                o = Outcome.fail("the check could not run: " + e);
            }
        }
        o = o.resolve(probe.options().lenient());
        return new CheckResult(c.id(), c.group(), c.title(), o.verdict(), o.reason(), Duration.ofNanos(System.nanoTime() - t));
    }
}
