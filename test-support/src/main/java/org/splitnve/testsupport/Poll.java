package org.splitnve.testsupport;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/** Waiting for a condition that another process brings about, without a fixed sleep. */
final class Poll {

    private Poll() {
    }

    /**
     * Calls {@code probe} every {@code interval} until it returns a value or {@code timeout} has passed. The probe
     * always runs at least once, and once more at the deadline, so a slow last interval cannot cause a false miss.
     */
    static <T> Optional<T> until(Duration timeout, Duration interval, Supplier<Optional<T>> probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            sleep(Duration.ofNanos(Math.min(left, interval.toNanos())));
        }
    }

    /** Sleeps, turning an interrupt into an unchecked exception with the interrupt flag restored. */
    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting", e);
        }
    }
}
