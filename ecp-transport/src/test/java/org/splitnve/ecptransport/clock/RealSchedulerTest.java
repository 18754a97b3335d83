package org.splitnve.ecptransport.clock;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RealSchedulerTest {

    @Test
    void a_task_due_at_close_still_runs() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        RealScheduler s = new RealScheduler("due-at-close");
        s.execute(ran::countDown);
        s.close();
        assertThat(ran.await(1, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void a_timer_armed_by_a_task_running_during_close_is_born_cancelled_instead_of_failing_the_task() throws Exception {
        RealScheduler s = new RealScheduler("arm-during-close");
        CountDownLatch closing = new CountDownLatch(1);
        AtomicReference<Object> outcome = new AtomicReference<>();
        s.execute(() -> {
            try {
                closing.await(2, TimeUnit.SECONDS);
                for (int i = 0; i < 400 && !s.executor().isShutdown(); i++) {
                    Thread.sleep(5);
                }
                outcome.set(s.schedule(Duration.ofSeconds(1), () -> { }));
            } catch (RuntimeException | InterruptedException e) {
                outcome.set(e);
            }
        });
        Thread closer = new Thread(s::close);
        closer.start();
        closing.countDown();
        closer.join(5_000);
        assertThat(outcome.get()).isInstanceOfSatisfying(Scheduler.Timer.class, t -> assertThat(t.isCancelled()).isTrue());
    }

    @Test
    void a_timer_armed_after_close_is_born_cancelled() {
        RealScheduler s = new RealScheduler("after-close");
        s.close();
        assertThat(s.schedule(Duration.ofMillis(1), () -> { }).isCancelled()).isTrue();
    }
}
