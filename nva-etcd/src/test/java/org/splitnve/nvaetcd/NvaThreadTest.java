package org.splitnve.nvaetcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The NVA's thread on its own: a task's failure is not fatal, every call has a deadline, and a stopped thread says so. */
class NvaThreadTest {

    private final NvaThread thread = new NvaThread("192.0.2.1", Duration.ofMillis(200));

    @AfterEach
    void tearDown() {
        thread.shutDown();
    }

    @Test
    void a_task_that_throws_is_logged_and_the_next_task_still_runs() throws Exception {
        CompletableFuture<String> next = new CompletableFuture<>();
        thread.execute(() -> {
            throw new IllegalStateException("a bug in one task");
        });
        thread.execute(() -> next.complete(Thread.currentThread().getName()));
        assertThat(next.get(5, TimeUnit.SECONDS)).isEqualTo("nva-etcd-192.0.2.1");
    }

    @Test
    void a_call_etcd_does_not_answer_comes_back_on_the_nva_thread_as_a_timeout_after_the_deadline() throws Exception {
        CompletableFuture<String> outcome = new CompletableFuture<>();
        long start = System.nanoTime();
        thread.onLoop(new CompletableFuture<String>(), (v, e) -> outcome.complete(Thread.currentThread().getName() + " "
                + (e == null ? "none" : e.getClass().getSimpleName())));
        assertThat(outcome.get(5, TimeUnit.SECONDS)).isEqualTo("nva-etcd-192.0.2.1 TimeoutException");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(150), Duration.ofSeconds(3));
    }

    @Test
    void a_failed_call_is_handed_over_as_its_cause_not_the_future_wrapper() throws Exception {
        AtomicReference<Throwable> got = new AtomicReference<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletableFuture<String> call = CompletableFuture.supplyAsync(() -> {
            throw new CompletionException(new IOException("connection refused"));
        });
        thread.onLoop(call, (v, e) -> {
            got.set(e);
            done.complete(null);
        });
        done.get(5, TimeUnit.SECONDS);
        assertThat(got.get()).isInstanceOf(IOException.class).hasMessage("connection refused");
    }

    @Test
    void a_stopped_thread_refuses_work_and_scheduling_on_it_does_nothing() {
        thread.shutDown();
        assertThat(thread.execute(() -> { })).isFalse();
        thread.schedule(() -> { }, 10);
    }

    @Test
    void a_timed_call_fails_by_itself_once_the_deadline_passes() {
        CompletableFuture<String> never = thread.timed(new CompletableFuture<>());
        assertThat(never).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(TimeoutException.class);
    }
}
