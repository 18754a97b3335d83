package org.splitnve.nvaetcd;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Waits between attempts after failures: the first delay, doubling up to the longest, each drawn within 20 % below
 * it so that many nNVEs that lost etcd together do not all come back in the same millisecond. Not thread-safe.
 */
final class Backoff {

    private final long firstMillis;
    private final long maxMillis;
    private long nextMillis;

    Backoff(Duration first, Duration max) {
        this.firstMillis = first.toMillis();
        this.maxMillis = max.toMillis();
        this.nextMillis = firstMillis;
    }

    /** The delay before the next attempt; each call doubles the following one, up to the longest. */
    long nextMillis() {
        long base = nextMillis;
        nextMillis = Math.min(maxMillis, nextMillis * 2);
        return base - ThreadLocalRandom.current().nextLong(base / 5 + 1);
    }

    /** After a success the next failure starts from the first delay again. */
    void reset() {
        nextMillis = firstMillis;
    }
}
