package org.splitnve.conformance;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The results of one run against one peer, in check order.
 *
 * @param iface the interface (or in-memory link) the suite ran on
 * @param peer  the peer's MAC as learnt from LLDP, or {@code "unknown"} when none answered
 */
public record ConformanceReport(PeerRole role, String iface, String peer, Instant started, Duration elapsed, List<CheckResult> results) {

    public ConformanceReport {
        results = List.copyOf(results);
    }

    public long count(Verdict v) {
        return results.stream().filter(r -> r.verdict() == v).count();
    }

    public boolean passed() {
        return count(Verdict.FAIL) == 0;
    }

    public Optional<CheckResult> result(String id) {
        return results.stream().filter(r -> r.id().equals(id)).findFirst();
    }

    /** One line per check with its reason under it, and a closing count, as {@code splitnve conformance} prints it. */
    public String toText() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "splitnve conformance: %s %s on %s%n", role.label(), peer, iface));
        for (CheckResult r : results) {
            s.append(String.format(Locale.ROOT, "  %s  %-36s %s%n", r.verdict().tag(), r.id(), r.title()));
            s.append(String.format(Locale.ROOT, "        %s (%d ms)%n", r.reason(), r.elapsed().toMillis()));
        }
        s.append(summary()).append(System.lineSeparator());
        return s.toString();
    }

    /** "23 passed, 15 failed, 0 not applicable in 41.7 s". */
    public String summary() {
        return String.format(Locale.ROOT, "%d passed, %d failed, %d not applicable in %.1f s",
                count(Verdict.PASS), count(Verdict.FAIL), count(Verdict.NOT_APPLICABLE), elapsed.toMillis() / 1000.0);
    }
}
