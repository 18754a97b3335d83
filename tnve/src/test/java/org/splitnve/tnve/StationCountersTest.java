package org.splitnve.tnve;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The station's counters. */
class StationCountersTest {

    @Test
    void the_snapshot_carries_each_count_into_its_own_field() {
        StationCounters c = new StationCounters();
        List<AtomicLong> all = List.of(c.requests, c.keepAlives, c.responses, c.unmatched, c.timeouts, c.undeliverable,
                c.bridgeDeassociates, c.badInput, c.bridgeDeactivates, c.bridgeRemovals, c.retries);
        for (int i = 0; i < all.size(); i++) {
            all.get(i).addAndGet(i + 1);
        }
        assertThat(c.snapshot()).isEqualTo(new TnveCounters(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11));
    }

    @Test
    void a_snapshot_does_not_move_with_later_counts() {
        StationCounters c = new StationCounters();
        c.requests.incrementAndGet();
        TnveCounters before = c.snapshot();
        c.requests.incrementAndGet();
        assertThat(before.requests()).isEqualTo(1);
        assertThat(c.snapshot().requests()).isEqualTo(2);
    }
}
