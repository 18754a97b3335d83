package org.splitnve.conformance;

/** What one check concluded about the implementation under test. */
public enum Verdict {
    PASS,
    FAIL,
    /** The check could not apply to this peer or run; the result's reason says why. */
    NOT_APPLICABLE
}
