package org.splitnve.nnve.policy;

import java.util.Objects;

/**
 * The answer of an {@link AuthorizationPolicy}.
 *
 * @param outcome allow, or which kind of refusal
 * @param rule    the rule that decided, as text (e.g. {@code "line 3: allow vn 5001 ..."}), for the log
 * @param detail  why, e.g. the address that was not allowed; empty when allowed
 */
public record PolicyDecision(Outcome outcome, String rule, String detail) {

    /** What the nNVE answers: {@link #DENY_VN} is VDP error 4, {@link #DENY_ADDRESS} error 5. */
    public enum Outcome {
        ALLOW,
        DENY_VN,
        DENY_ADDRESS
    }

    public PolicyDecision {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(detail, "detail");
    }

    public static PolicyDecision allow(String rule) {
        return new PolicyDecision(Outcome.ALLOW, rule, "");
    }

    public static PolicyDecision denyVn(String rule, String detail) {
        return new PolicyDecision(Outcome.DENY_VN, rule, detail);
    }

    public static PolicyDecision denyAddress(String rule, String detail) {
        return new PolicyDecision(Outcome.DENY_ADDRESS, rule, detail);
    }

    public boolean allowed() {
        return outcome == Outcome.ALLOW;
    }
}
