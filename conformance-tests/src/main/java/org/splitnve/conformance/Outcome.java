package org.splitnve.conformance;

import java.util.Objects;

/** A check's verdict and its reason, before the suite adds the check's name and timing. */
public record Outcome(Verdict verdict, String reason) {

    public Outcome {
        Objects.requireNonNull(verdict);
        Objects.requireNonNull(reason);
    }

    public static Outcome pass(String reason) {
        return new Outcome(Verdict.PASS, reason);
    }

    public static Outcome fail(String reason) {
        return new Outcome(Verdict.FAIL, reason);
    }

    public static Outcome notApplicable(String reason) {
        return new Outcome(Verdict.NOT_APPLICABLE, reason);
    }

    /** Pass with {@code ok}, else fail with {@code bad}. */
    public static Outcome when(boolean condition, String ok, String bad) {
        return condition ? pass(ok) : fail(bad);
    }
}
