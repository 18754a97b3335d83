package org.splitnve.conformance;

/** What one check concluded about the implementation under test. */
public enum Verdict {
    PASS,
    FAIL,
    /** The check could not apply to this peer or run; the result's reason says why. */
    NOT_APPLICABLE;

    /** Four characters for a report line: {@code pass}, {@code FAIL} (loud), {@code n/a }. */
    public String tag() {
        return switch (this) {
            case PASS -> "pass";
            case FAIL -> "FAIL";
            case NOT_APPLICABLE -> "n/a ";
        };
    }
}
