package org.splitnve.ecptransport.clock;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;

/**
 * A scheduler in virtual time for tests: nothing runs until the test advances the clock, and then
 * everything due runs in order on the caller's thread. Timer tests take microseconds whatever the
 * timeouts, and a seeded test replays exactly.
 */
public final class VirtualScheduler implements Scheduler {

    private static final Duration STEP = Duration.ofMillis(1);

    private final PriorityQueue<Entry> timers = new PriorityQueue<>();
    private final ArrayDeque<Runnable> ready = new ArrayDeque<>();
    private long now;
    private long sequence;
    private boolean running;

    /** Starts at an arbitrary non-zero time so that nothing relies on the clock starting at 0. */
    public VirtualScheduler() {
        this(1_000_000_000L);
    }

    public VirtualScheduler(long startNanos) {
        this.now = startNanos;
    }

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public void execute(Runnable task) {
        ready.add(task);
    }

    @Override
    public Timer schedule(Duration delay, Runnable task) {
        long d = Math.max(0, delay.toNanos());
        Entry e = new Entry(now + d, sequence++, task);
        timers.add(e);
        return e;
    }

    @Override
    public boolean inSchedulerThread() {
        return running;
    }

    /** Runs everything that is ready now, without moving the clock. Returns the tasks run. */
    public int runReady() {
        int n = 0;
        boolean outer = !running;
        running = true;
        try {
            while (true) {
                Runnable r = ready.poll();
                if (r == null) {
                    Entry e = timers.peek();
                    if (e == null || e.due > now) {
                        return n;
                    }
                    timers.poll();
                    if (e.cancelled) {
                        continue;
                    }
                    e.fired = true;
                    r = e.task;
                }
                r.run();
                n++;
            }
        } finally {
            if (outer) {
                running = false;
            }
        }
    }

    /** Moves the clock forward by {@code d}, running every task due on the way, in time order. */
    public int advance(Duration d) {
        return advanceTo(now + d.toNanos());
    }

    /** Moves the clock to {@code target}, running every task due on the way, in time order. */
    public int advanceTo(long target) {
        int n = runReady();
        while (true) {
            Entry e = timers.peek();
            if (e == null || e.due > target) {
                break;
            }
            now = Math.max(now, e.due);
            n += runReady();
        }
        now = Math.max(now, target);
        return n + runReady();
    }

    /**
     * Runs until nothing is left to do or the clock reaches {@code limit} from now, whichever
     * comes first; returns true if the scheduler went idle.
     */
    public boolean runUntilIdle(Duration limit) {
        long end = now + limit.toNanos();
        runReady();
        while (true) {
            Entry e = nextLive();
            if (e == null) {
                return true;
            }
            if (e.due > end) {
                now = end;
                return false;
            }
            now = Math.max(now, e.due);
            runReady();
        }
    }

    /**
     * Runs virtual time in steps of one millisecond until {@code condition} holds or {@code limit} has passed,
     * whichever comes first; returns whether the condition holds. The condition is checked before the first step,
     * after the ready tasks have run, and after every step, so a test that waits for an answer sees the clock stop
     * within a millisecond of it and a seeded run stops at the same instant every time.
     */
    public boolean runUntil(BooleanSupplier condition, Duration limit) {
        long end = now + limit.toNanos();
        runReady();
        while (!condition.getAsBoolean()) {
            if (now >= end) {
                return false;
            }
            advance(STEP);
        }
        return true;
    }

    /** The number of timers still pending (not cancelled, not fired). */
    public int pendingTimers() {
        int n = 0;
        for (Entry e : timers) {
            if (!e.cancelled) {
                n++;
            }
        }
        return n;
    }

    private Entry nextLive() {
        Entry e;
        while ((e = timers.peek()) != null && e.cancelled) {
            timers.poll();
        }
        return e;
    }

    private static final class Entry implements Timer, Comparable<Entry> {
        final long due;
        final long seq;
        final Runnable task;
        boolean cancelled;
        boolean fired;

        Entry(long due, long seq, Runnable task) {
            this.due = due;
            this.seq = seq;
            this.task = task;
        }

        @Override
        public boolean cancel() {
            if (cancelled || fired) {
                return false;
            }
            cancelled = true;
            return true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public int compareTo(Entry o) {
            int c = Long.compare(due, o.due);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }
}
