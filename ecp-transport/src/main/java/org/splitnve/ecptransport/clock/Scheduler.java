package org.splitnve.ecptransport.clock;

import java.time.Duration;

/**
 * Time and the one thread that protocol state runs on. Engines never read the wall clock or start
 * threads themselves: they ask a scheduler, so that a test can run them in virtual time
 * ({@link VirtualScheduler}), deterministically and fast, and production runs them in real time
 * ({@link RealScheduler}).
 *
 * <p>Every task runs on the scheduler's single thread, one at a time, in submission order for
 * {@link #execute} and in due-time order (then submission order) for {@link #schedule}. State
 * touched only from tasks therefore needs no locks.
 */
public interface Scheduler {

    /** Monotonic nanoseconds; only differences mean anything. */
    long nanoTime();

    /** Runs the task on the scheduler thread as soon as possible. */
    void execute(Runnable task);

    /** Runs the task on the scheduler thread after {@code delay}; the handle cancels it. */
    Timer schedule(Duration delay, Runnable task);

    /** True when called from the scheduler thread (or, in virtual time, from inside a task). */
    boolean inSchedulerThread();

    /** A scheduled task that has not run yet can be cancelled; cancelling twice is harmless. */
    interface Timer {
        /** @return true if this call stopped the task from running */
        boolean cancel();

        boolean isCancelled();
    }
}
