package org.splitnve.nvaetcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A stand-in for the {@link Session} when the watch or the writer is tested on its own: up or down and holding the
 * lease the test says, and a record of what it was told. Also runs test code on the NVA's thread, where they live.
 */
final class ScriptedSession implements SessionLink {

    static final Duration WAIT = Duration.ofSeconds(5);

    volatile boolean up = true;
    volatile long lease = 7;
    volatile boolean closed;
    /** "fail WHY" and "lease lost HEX", in the order they came. */
    final List<String> told = new CopyOnWriteArrayList<>();

    @Override
    public boolean up() {
        return up;
    }

    @Override
    public long lease() {
        return lease;
    }

    @Override
    public void fail(String why, Throwable e) {
        told.add("fail " + why);
    }

    @Override
    public void leaseLost(long held, String why) {
        told.add("lease lost " + Long.toHexString(held));
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    /** Runs {@code work} on the NVA's thread and returns its result once it has run. */
    static <T> T call(NvaThread thread, Supplier<T> work) {
        CompletableFuture<T> out = new CompletableFuture<>();
        assertThat(thread.execute(() -> {
            try {
                out.complete(work.get());
            } catch (RuntimeException e) {
                out.completeExceptionally(e);
            }
        })).as("the NVA's thread takes work").isTrue();
        try {
            return out.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("work on the NVA's thread did not finish", e);
        }
    }

    static void run(NvaThread thread, Runnable work) {
        call(thread, () -> {
            work.run();
            return null;
        });
    }

    /** Waits until everything queued on the NVA's thread so far has run (it runs tasks in order). */
    static void settle(NvaThread thread) {
        run(thread, () -> { });
    }

    /** Holds the NVA's thread busy until the latch is counted down, so that work queues behind it. */
    static CountDownLatch block(NvaThread thread) {
        CountDownLatch gate = new CountDownLatch(1);
        thread.execute(() -> {
            try {
                gate.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return gate;
    }
}
