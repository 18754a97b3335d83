package org.splitnve.ecptransport.clock;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A scheduler in real time: one daemon thread. A task that throws is logged and the thread goes
 * on, so that one bad callback cannot stop every protocol timer.
 */
public final class RealScheduler implements Scheduler, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RealScheduler.class);

    private final ScheduledThreadPoolExecutor executor;
    private volatile Thread thread;

    public RealScheduler(String name) {
        executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            thread = t;
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        // On close, tasks already due (an agent's goodbye, a link's close) still run; timers do not.
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.prestartCoreThread();
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public void execute(Runnable task) {
        executor.execute(guarded(task));
    }

    @Override
    public Timer schedule(Duration delay, Runnable task) {
        ScheduledFuture<?> f;
        try {
            f = executor.schedule(guarded(task), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // A task running while the scheduler closes (an LLDP goodbye arriving during shutdown)
            // may still arm a timer; it could never fire, so it is born cancelled instead of failing the task.
            LOG.debug("scheduler {}: closed, timer in {} not armed", thread == null ? "?" : thread.getName(), delay);
            return CANCELLED;
        }
        return new Timer() {
            @Override
            public boolean cancel() {
                return f.cancel(false);
            }

            @Override
            public boolean isCancelled() {
                return f.isCancelled();
            }
        };
    }

    private static final Timer CANCELLED = new Timer() {
        @Override
        public boolean cancel() {
            return false;
        }

        @Override
        public boolean isCancelled() {
            return true;
        }
    };

    @Override
    public boolean inSchedulerThread() {
        return Thread.currentThread() == thread;
    }

    /** The executor, for code that needs a standard interface (futures' timeouts). */
    public ScheduledExecutorService executor() {
        return executor;
    }

    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                LOG.error("scheduler task failed; the scheduler goes on", e);
            }
        };
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!inSchedulerThread() && !executor.awaitTermination(2, java.util.concurrent.TimeUnit.SECONDS)) {
                LOG.warn("scheduler {}: tasks still running after 2 s; interrupting", thread == null ? "?" : thread.getName());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.shutdownNow();
    }
}
