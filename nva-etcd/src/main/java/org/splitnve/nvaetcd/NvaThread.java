package org.splitnve.nvaetcd;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The etcd NVA's own thread, on which all of its state lives, and the deadline of every etcd call. The session, the
 * watch, the writer and the VN lookups share it, so that none of them locks: each etcd call is bounded here and its
 * outcome comes back to this thread. Once shut down it refuses work, which callers turn into "closed".
 */
final class NvaThread {

    private static final Logger LOG = LoggerFactory.getLogger(NvaThread.class);

    private final String nveName;
    private final Duration requestTimeout;
    private final ScheduledThreadPoolExecutor loop;

    NvaThread(String nveName, Duration requestTimeout) {
        this.nveName = nveName;
        this.requestTimeout = requestTimeout;
        this.loop = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "nva-etcd-" + nveName);
            t.setDaemon(true);
            return t;
        });
        loop.setRemoveOnCancelPolicy(true);
    }

    /** Runs {@code task} on the NVA's thread; false once it is shut down. A task's exception is logged, not fatal. */
    boolean execute(Runnable task) {
        try {
            loop.execute(() -> guarded(task));
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    private void guarded(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.error("nva-etcd {}: unexpected failure", nveName, e);
        }
    }

    /** Runs {@code task} on the NVA's thread after {@code delayMillis}; nothing once it is shut down. */
    void schedule(Runnable task, long delayMillis) {
        try {
            loop.schedule(() -> execute(task), delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // shut down
        }
    }

    /**
     * Runs {@code task} on the NVA's thread every {@code periodMillis}, the first time after one period. A run that
     * throws is logged, as any task's, and the next runs still come: a periodic task the executor saw throw would never
     * run again, and a lease keep-alive stopped that way ends in the lease running out.
     */
    ScheduledFuture<?> every(long periodMillis, Runnable task) {
        return loop.scheduleWithFixedDelay(() -> guarded(task), periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    /** Bounds {@code f} by the request timeout and hands its outcome, unwrapped, to {@code then} on the NVA's thread. */
    <T> void onLoop(CompletableFuture<T> f, BiConsumer<T, Throwable> then) {
        timed(f).whenComplete((v, e) -> execute(() -> then.accept(v, Jetcd.unwrap(e))));
    }

    /** {@code f}, failed with a {@link java.util.concurrent.TimeoutException} if etcd has not answered within the request timeout. */
    <T> CompletableFuture<T> timed(CompletableFuture<T> f) {
        return f.orTimeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops the thread, waiting at most the request timeout for the task under way. */
    void shutDown() {
        loop.shutdownNow();
        try {
            loop.awaitTermination(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
