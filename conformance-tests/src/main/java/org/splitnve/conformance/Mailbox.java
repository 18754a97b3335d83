package org.splitnve.conformance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Everything of one kind the peer sent, kept in arrival order. Checks take a {@link #mark()} before
 * they act and then wait for what arrives after it, so traffic left over from an earlier check
 * (a late retransmission, an unsolicited De-Associate) cannot satisfy a later one.
 */
final class Mailbox<T> {

    private final List<T> items = new ArrayList<>();

    synchronized void add(T item) {
        items.add(item);
        notifyAll();
    }

    synchronized int mark() {
        return items.size();
    }

    /** The first item at or after {@code from} that matches, waiting up to {@code timeout} for it. */
    synchronized Optional<T> await(int from, Predicate<? super T> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int next = from;
        while (true) {
            for (; next < items.size(); next++) {
                if (match.test(items.get(next))) {
                    return Optional.of(items.get(next));
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            wait(Math.max(1, left / 1_000_000), 0);
        }
    }

    /** Every item at or after {@code from} that matches, as of now. */
    synchronized List<T> since(int from, Predicate<? super T> match) {
        List<T> out = new ArrayList<>();
        for (int i = from; i < items.size(); i++) {
            if (match.test(items.get(i))) {
                out.add(items.get(i));
            }
        }
        return out;
    }
}
