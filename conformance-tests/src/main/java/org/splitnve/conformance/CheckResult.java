package org.splitnve.conformance;

import java.time.Duration;
import java.util.Objects;

/**
 * The outcome of one check.
 *
 * @param id      stable identifier such as {@code ecp.duplicate-suppressed}, used by JUnit XML and
 *                by the recorded results in the documentation
 * @param group   {@code ecp}, {@code evb} or {@code vdp}
 * @param title   what the check asks of the peer, as a sentence
 * @param reason  why it passed, failed or did not apply: what was sent and what came back
 */
public record CheckResult(String id, String group, String title, Verdict verdict, String reason, Duration elapsed) {

    public CheckResult {
        Objects.requireNonNull(id);
        Objects.requireNonNull(group);
        Objects.requireNonNull(title);
        Objects.requireNonNull(verdict);
        Objects.requireNonNull(reason);
        Objects.requireNonNull(elapsed);
    }
}
