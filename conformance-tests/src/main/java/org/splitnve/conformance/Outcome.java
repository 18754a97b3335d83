package org.splitnve.conformance;

import java.util.Objects;

/**
 * A check's verdict and its reason, before the suite adds the check's name and timing.
 *
 * @param untested the check could not test a feature the standard requires (the peer gave it no
 *                 occasion, or an earlier step failed): the suite counts it as {@link Verdict#FAIL},
 *                 or as {@link Verdict#NOT_APPLICABLE} when the run is lenient
 */
public record Outcome(Verdict verdict, String reason, boolean untested) {

    public Outcome {
        Objects.requireNonNull(verdict);
        Objects.requireNonNull(reason);
        if (untested && verdict != Verdict.NOT_APPLICABLE) {
            throw new IllegalArgumentException("an untested outcome has no verdict of its own: " + verdict);
        }
    }

    public static Outcome pass(String reason) {
        return new Outcome(Verdict.PASS, reason, false);
    }

    public static Outcome fail(String reason) {
        return new Outcome(Verdict.FAIL, reason, false);
    }

    /** The check does not apply because the standard makes the feature optional (or the user turned it off). */
    public static Outcome notApplicable(String reason) {
        return new Outcome(Verdict.NOT_APPLICABLE, reason, false);
    }

    /** A required feature this run could not test: FAIL, or n/a when lenient ({@link #resolve}). */
    public static Outcome untested(String reason) {
        return new Outcome(Verdict.NOT_APPLICABLE, reason, true);
    }

    /** Pass with {@code ok}, else fail with {@code bad}. */
    public static Outcome when(boolean condition, String ok, String bad) {
        return condition ? pass(ok) : fail(bad);
    }

    /** The verdict that counts: an untested required feature fails unless the run is lenient. */
    Outcome resolve(boolean lenient) {
        if (!untested) {
            return this;
        }
        String why = "not tested: " + reason;
        return lenient ? notApplicable(why) : fail(why + " (a required feature; --lenient counts it n/a)");
    }
}
