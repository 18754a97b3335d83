package org.splitnve.ecptransport.clock;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class VirtualSchedulerTest {

    @Test
    void run_until_stops_within_a_millisecond_of_the_condition_becoming_true() {
        VirtualScheduler clock = new VirtualScheduler(0);
        AtomicBoolean done = new AtomicBoolean();
        clock.schedule(Duration.ofNanos(2_500_000), () -> done.set(true));

        assertThat(clock.runUntil(done::get, Duration.ofSeconds(1))).isTrue();
        assertThat(clock.nanoTime()).isEqualTo(Duration.ofMillis(3).toNanos());
    }

    @Test
    void run_until_returns_false_when_the_limit_passes_first_and_leaves_the_clock_at_the_limit() {
        VirtualScheduler clock = new VirtualScheduler(0);
        AtomicInteger fired = new AtomicInteger();
        clock.schedule(Duration.ofSeconds(5), fired::incrementAndGet);

        assertThat(clock.runUntil(() -> false, Duration.ofMillis(20))).isFalse();
        assertThat(clock.nanoTime()).isEqualTo(Duration.ofMillis(20).toNanos());
        assertThat(fired).hasValue(0);
    }

    @Test
    void run_until_runs_ready_tasks_before_the_first_check_without_moving_the_clock() {
        VirtualScheduler clock = new VirtualScheduler(7);
        AtomicBoolean done = new AtomicBoolean();
        clock.execute(() -> done.set(true));

        assertThat(clock.runUntil(done::get, Duration.ofSeconds(1))).isTrue();
        assertThat(clock.nanoTime()).isEqualTo(7);
    }

    @Test
    void run_until_idle_reports_idle_and_stops_at_the_last_timer() {
        VirtualScheduler clock = new VirtualScheduler(0);
        clock.schedule(Duration.ofMillis(40), () -> { });

        assertThat(clock.runUntilIdle(Duration.ofSeconds(1))).isTrue();
        assertThat(clock.nanoTime()).isEqualTo(Duration.ofMillis(40).toNanos());
        assertThat(clock.pendingTimers()).isZero();
    }
}
