package org.splitnve.ecptransport.link;

import java.time.Duration;

/**
 * What an in-memory link does to frames: loss, duplication, reordering and delay, each drawn from
 * a seeded random source so that a failing run can be replayed from its seed.
 *
 * @param loss          probability that a frame is dropped
 * @param duplication   probability that a delivered frame is delivered twice
 * @param reordering    probability that a frame is held back by up to {@code reorderWindow}
 * @param delay         fixed one-way delay of every frame
 * @param reorderWindow the most a reordered frame is held back beyond {@code delay}
 * @param seed          seed of the random source
 */
public record LinkFaults(double loss, double duplication, double reordering, Duration delay, Duration reorderWindow, long seed) {

    /** A perfect link with a 10 us delay. */
    public static final LinkFaults NONE = new LinkFaults(0, 0, 0, Duration.ofNanos(10_000), Duration.ZERO, 0);

    public LinkFaults {
        check(loss, "loss");
        check(duplication, "duplication");
        check(reordering, "reordering");
        if (delay.isNegative() || reorderWindow.isNegative()) {
            throw new IllegalArgumentException("delays cannot be negative");
        }
    }

    private static void check(double p, String what) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(what + " is a probability in [0, 1]: " + p);
        }
    }

    public LinkFaults withLoss(double p) {
        return new LinkFaults(p, duplication, reordering, delay, reorderWindow, seed);
    }

    public LinkFaults withDuplication(double p) {
        return new LinkFaults(loss, p, reordering, delay, reorderWindow, seed);
    }

    public LinkFaults withReordering(double p, Duration window) {
        return new LinkFaults(loss, duplication, p, delay, window, seed);
    }

    public LinkFaults withDelay(Duration d) {
        return new LinkFaults(loss, duplication, reordering, d, reorderWindow, seed);
    }

    public LinkFaults withSeed(long s) {
        return new LinkFaults(loss, duplication, reordering, delay, reorderWindow, s);
    }
}
