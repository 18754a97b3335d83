package org.splitnve.tnve;

import java.time.Duration;
import java.util.Objects;

/**
 * When the station sends a request again that did not get through for a reason that may pass: the bridge refused it
 * with error 2 (insufficient resources) and keep, or ECP could not deliver it (the bridge's ECP was not started yet, a
 * link lost every copy). The first retry waits {@code first}, each next one twice as long, never more than {@code max};
 * after {@code attempts} retries the request fails with the last error. Hard errors, other refusals and silence are not
 * retried: they say something a repetition cannot change, or bridge selection deals with them.
 *
 * @param first    the wait before the first retry
 * @param max      the longest wait between two tries
 * @param attempts retries after the first try; 0 turns retrying off
 */
public record RetryPolicy(Duration first, Duration max, int attempts) {

    /** 250 ms, doubling to at most 8 s, six retries: about 16 s in all, well within a caller's minute. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(Duration.ofMillis(250), Duration.ofSeconds(8), 6);

    /** No retries: every failure is reported at once. */
    public static final RetryPolicy NONE = new RetryPolicy(Duration.ofMillis(1), Duration.ofMillis(1), 0);

    public RetryPolicy {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(max, "max");
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("waits are positive and the longest is at least the first: " + first + ", " + max);
        }
        if (attempts < 0) {
            throw new IllegalArgumentException("retries cannot be negative: " + attempts);
        }
    }

    /** Whether a request that failed with {@code error} may pass if sent again. */
    public static boolean mayPass(TnveException error) {
        return error instanceof UndeliverableException
                || error instanceof VdpRefusedException r && r.keep() && !r.hardError() && r.error().value() == 2;
    }

    /** The wait before retry {@code n} (1 for the first): {@code first} x 2^(n-1), at most {@code max}. */
    public Duration delay(int n) {
        Duration d = first;
        for (int i = 1; i < n && d.compareTo(max) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(max) > 0 ? max : d;
    }
}
