package org.splitnve.nnve.policy;

/** A policy file that does not parse; {@link #line()} is 1-based. */
public final class PolicyParseException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int line;
    private final String reason;

    public PolicyParseException(int line, String reason) {
        super("policy line " + line + ": " + reason);
        this.line = line;
        this.reason = reason;
    }

    public int line() {
        return line;
    }

    public String reason() {
        return reason;
    }
}
