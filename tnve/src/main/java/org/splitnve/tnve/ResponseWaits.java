package org.splitnve.tnve;

import java.time.Duration;
import org.splitnve.ecptransport.clock.Scheduler;

/**
 * The response waits of the station's outstanding requests, in deadline order behind one timer armed for the
 * earliest, instead of one scheduler timer per request: tens of thousands of requests in flight would otherwise fill
 * the scheduler's queue, and every task on the protocol thread would pay for its size. Requests sent one after the
 * other with the same wait join at the tail and leave from anywhere, both in constant time. Each still expires at
 * exactly its own deadline. Touched on the protocol thread only.
 */
final class ResponseWaits {

    /** Told of a request whose wait ran out, in deadline order. */
    @FunctionalInterface
    interface Expiry {
        void expired(Binding b, PendingRequest p);
    }

    private final Scheduler scheduler;
    private final Expiry expiry;
    private PendingRequest first;
    private PendingRequest last;
    private int size;
    private Scheduler.Timer timer;
    /** The deadline {@link #timer} is armed for. */
    private long armedFor;
    private boolean closed;

    ResponseWaits(Scheduler scheduler, Expiry expiry) {
        this.scheduler = scheduler;
        this.expiry = expiry;
    }

    /** Starts the wait of {@code p}, outstanding on {@code b}, now. */
    void start(Binding b, PendingRequest p, Duration wait) {
        stop(p);
        p.wait = wait;
        p.waitingOn = b;
        p.deadline = scheduler.nanoTime() + wait.toNanos();
        PendingRequest after = last;
        // The wait only changes when EVB renegotiates, so a new deadline is nearly always the latest.
        while (after != null && after.deadline - p.deadline > 0) {
            after = after.earlier;
        }
        p.earlier = after;
        p.later = after == null ? first : after.later;
        if (p.earlier == null) {
            first = p;
        } else {
            p.earlier.later = p;
        }
        if (p.later == null) {
            last = p;
        } else {
            p.later.earlier = p;
        }
        size++;
        arm();
    }

    /** Ends the wait of {@code p} (answered, undeliverable, abandoned); nothing if it is not waiting. */
    void stop(PendingRequest p) {
        if (p.waitingOn == null) {
            return;
        }
        if (p.earlier == null) {
            first = p.later;
        } else {
            p.earlier.later = p.later;
        }
        if (p.later == null) {
            last = p.earlier;
        } else {
            p.later.earlier = p.earlier;
        }
        p.earlier = null;
        p.later = null;
        p.waitingOn = null;
        size--;
        // The timer stays: firing early for a deadline no longer waited on costs one look at the head.
    }

    /** Requests waiting for an answer. */
    int size() {
        return size;
    }

    /** No wait expires from now on. */
    void close() {
        closed = true;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    private void arm() {
        if (closed || first == null || timer != null && first.deadline - armedFor >= 0) {
            return;
        }
        if (timer != null) {
            timer.cancel();
        }
        armedFor = first.deadline;
        timer = scheduler.schedule(Duration.ofNanos(Math.max(0, armedFor - scheduler.nanoTime())), this::fire);
    }

    private void fire() {
        timer = null;
        long now = scheduler.nanoTime();
        while (!closed && first != null && first.deadline - now <= 0) {
            PendingRequest p = first;
            Binding b = p.waitingOn;
            stop(p);
            expiry.expired(b, p);
        }
        arm();
    }
}
