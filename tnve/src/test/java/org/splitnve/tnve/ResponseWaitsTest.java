package org.splitnve.tnve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitnve.tnve.TnveTestBed.BRIDGE;
import static org.splitnve.tnve.TnveTestBed.mac;
import static org.splitnve.tnve.TnveTestBed.spec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.splitnve.ecptransport.clock.VirtualScheduler;
import org.splitnve.vdpcore.vdp.VdpTlvType;
import org.splitnve.vdpcore.vdp.VnId;
import org.splitnve.vdpcore.vdp.VsiStatus;

/** The station's response waits: each expires at its own deadline, behind one timer however many there are. */
class ResponseWaitsTest {

    private static final Duration WAIT = Duration.ofMillis(100);

    private final VirtualScheduler clock = new VirtualScheduler();
    private final List<String> expired = new ArrayList<>();
    private final List<Long> when = new ArrayList<>();
    private final ResponseWaits waits = new ResponseWaits(clock, (b, p) -> {
        expired.add(p.purpose);
        when.add(clock.nanoTime());
    });

    private static Binding binding(int n) {
        return new Tsi(spec(n, VnId.of(5001), mac(n)), false).binding(BRIDGE);
    }

    private static PendingRequest request(String purpose) {
        return new PendingRequest(PendingRequest.Kind.OPERATION, VdpTlvType.ASSOCIATE, VsiStatus.REQUEST, purpose, o -> { });
    }

    @Test
    void thousands_of_waits_take_one_timer_and_each_expires_at_its_own_deadline() {
        long start = clock.nanoTime();
        for (int i = 0; i < 10_000; i++) {
            waits.start(binding(i), request("r" + i), WAIT);
            if (i % 1000 == 999) {
                clock.advance(Duration.ofMillis(1));
            }
        }
        assertThat(clock.pendingTimers()).isEqualTo(1);
        assertThat(waits.size()).isEqualTo(10_000);

        clock.advance(Duration.ofMillis(90));
        assertThat(expired).hasSize(1000).startsWith("r0").endsWith("r999");
        assertThat(when).containsOnly(start + WAIT.toNanos());
        clock.advance(Duration.ofMillis(20));
        assertThat(expired).hasSize(10_000);
        assertThat(waits.size()).isZero();
        assertThat(clock.pendingTimers()).isZero();
    }

    @Test
    void a_stopped_wait_never_expires_and_the_next_one_still_expires_on_time() {
        long start = clock.nanoTime();
        PendingRequest first = request("first");
        PendingRequest second = request("second");
        waits.start(binding(1), first, WAIT);
        clock.advance(Duration.ofMillis(10));
        waits.start(binding(2), second, WAIT);
        waits.stop(first);
        waits.stop(first);

        clock.advance(Duration.ofMillis(95));
        assertThat(expired).isEmpty();
        clock.advance(Duration.ofMillis(5));
        assertThat(expired).containsExactly("second");
        assertThat(when).containsExactly(start + WAIT.toNanos() + Duration.ofMillis(10).toNanos());
    }

    @Test
    void a_shorter_wait_after_a_longer_one_expires_first() {
        waits.start(binding(1), request("long"), WAIT);
        waits.start(binding(2), request("short"), Duration.ofMillis(30));
        waits.start(binding(3), request("middle"), Duration.ofMillis(60));

        clock.advance(Duration.ofMillis(30));
        assertThat(expired).containsExactly("short");
        clock.advance(Duration.ofMillis(70));
        assertThat(expired).containsExactly("short", "middle", "long");
    }

    @Test
    void a_wait_started_again_replaces_the_first_and_closing_stops_them_all() {
        PendingRequest p = request("again");
        waits.start(binding(1), p, WAIT);
        clock.advance(Duration.ofMillis(50));
        waits.start(binding(1), p, WAIT);
        assertThat(waits.size()).isEqualTo(1);
        clock.advance(Duration.ofMillis(60));
        assertThat(expired).isEmpty();
        clock.advance(Duration.ofMillis(40));
        assertThat(expired).containsExactly("again");

        waits.start(binding(2), request("closed"), WAIT);
        waits.close();
        clock.advance(Duration.ofSeconds(1));
        assertThat(expired).containsExactly("again");
    }
}
