package org.splitnve.nnve.policy;

/**
 * Decides whether an end device may put a TSI into a VN and claim addresses there (RFC 8394
 * Req-11 and section 6: an NVE must not let a hypervisor join any VN or spoof any address).
 * Called on the protocol thread for every request that changes a TSI, so it must be fast and must
 * not block; implementations must be thread-safe if shared between bridges.
 */
@FunctionalInterface
public interface AuthorizationPolicy {

    PolicyDecision authorize(AuthorizationRequest request);

    /** Lets everything in; for labs and tests. */
    static AuthorizationPolicy allowAll() {
        return r -> PolicyDecision.allow("allow all");
    }
}
