package org.splitnve.nnve;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.splitnve.ecptransport.clock.VirtualScheduler;
import org.splitnve.ecptransport.vdp.VdpTimers;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.FilterFormat;
import org.splitnve.vdpcore.vdp.FilterInfo;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VnId;

/** The bridge keep-alive timeout of one port, in virtual time, with the De-Associate recorded. */
class KeepAliveSweepTest {

    private static final Duration TIMEOUT = VdpTimers.DEFAULT.bridgeKeepAliveTimeout();
    private static final Duration FLOOR = TIMEOUT.dividedBy(32);
    private static final Duration MS = Duration.ofMillis(1);

    private final VirtualScheduler clock = new VirtualScheduler();
    private final ConcurrentHashMap<TsiKey, Tsi> tsis = new ConcurrentHashMap<>();
    private final AtomicInteger held = new AtomicInteger();
    private final Counters counters = new Counters();
    private final List<TsiKey> expired = new CopyOnWriteArrayList<>();
    private boolean closed;
    /** Frees the TSI as the port's bridge De-Associate does. */
    private final KeepAliveSweep sweep = new KeepAliveSweep("p1", clock, station -> VdpTimers.DEFAULT, tsis.values(), held::get,
            () -> closed, counters, tsi -> {
                expired.add(tsi.key);
                tsi.view = null;
                held.decrementAndGet();
            }, false);

    /** A TSI held from now on, refreshed now. */
    private Tsi hold(int n) {
        TsiKey key = new TsiKey("p1", MacAddress.valueOf(0x02000000A001L), NnveTestBed.vsi(n));
        Tsi tsi = new Tsi(key);
        tsi.view = new TsiView(key, NnveTestBed.MGR, 7, 1, VnId.of(5001), LocalTag.of(2), TsiState.ASSOCIATED,
                FilterInfo.of(FilterFormat.GROUPID_MAC_VID, NnveTestBed.gmv(5001, n, 2)), false, clock.nanoTime());
        tsi.lastRefresh = clock.nanoTime();
        tsis.put(key, tsi);
        held.incrementAndGet();
        sweep.tsiHeld(key.station());
        return tsi;
    }

    @Test
    void a_tsi_not_refreshed_for_the_timeout_is_de_associated_at_its_deadline_and_not_before() {
        Tsi tsi = hold(1);
        clock.advance(TIMEOUT.minus(MS));
        assertThat(expired).isEmpty();
        clock.advance(MS);
        assertThat(expired).containsExactly(tsi.key);
        assertThat(counters.keepAliveTimeouts.get()).isEqualTo(1);
        assertThat(clock.pendingTimers()).as("a port holding nothing stops sweeping").isZero();
    }

    @Test
    void a_refresh_moves_the_deadline_a_full_timeout_on() {
        Tsi tsi = hold(1);
        clock.advance(TIMEOUT.dividedBy(2));
        tsi.lastRefresh = clock.nanoTime();
        clock.advance(TIMEOUT.minus(MS));
        assertThat(expired).isEmpty();
        clock.advance(MS);
        assertThat(expired).containsExactly(tsi.key);
    }

    @Test
    void sweeps_never_come_closer_than_a_32nd_of_the_timeout() {
        Tsi first = hold(1);
        clock.advance(MS);
        Tsi second = hold(2);
        clock.advance(TIMEOUT.minus(MS));
        assertThat(expired).containsExactly(first.key);
        // The second deadline is 1 ms away, but the next sweep waits for the floor.
        clock.advance(FLOOR.minus(MS));
        assertThat(expired).containsExactly(first.key);
        clock.advance(MS);
        assertThat(expired).containsExactly(first.key, second.key);
    }

    @Test
    void a_tsi_whose_request_is_in_flight_waits_for_it_and_is_swept_after_if_it_did_not_refresh() {
        Tsi tsi = hold(1);
        tsi.busy = true;
        clock.advance(TIMEOUT.multipliedBy(2));
        assertThat(expired).isEmpty();
        tsi.busy = false;
        clock.advance(FLOOR);
        assertThat(expired).containsExactly(tsi.key);
    }

    @Test
    void tsis_in_init_are_not_swept() {
        Tsi tsi = hold(1);
        tsi.view = null;
        held.decrementAndGet();
        clock.advance(TIMEOUT.multipliedBy(2));
        assertThat(expired).isEmpty();
        assertThat(counters.keepAliveTimeouts.get()).isZero();
    }

    @Test
    void a_closed_nnve_neither_sweeps_nor_schedules_and_cancel_stops_the_timer() {
        hold(1);
        sweep.cancel();
        assertThat(clock.pendingTimers()).isZero();
        closed = true;
        hold(2);
        assertThat(clock.pendingTimers()).as("no sweep is started once closed").isZero();
        clock.advance(TIMEOUT.multipliedBy(3));
        assertThat(expired).isEmpty();
    }

    @Test
    void each_station_is_timed_out_at_its_own_negotiated_timeout() {
        MacAddress slow = MacAddress.valueOf(0x02000000A002L);
        VdpTimers slowTimers = VdpTimers.of(3, 8, 20, 21);
        KeepAliveSweep perStation = new KeepAliveSweep("p1", clock, station -> slow.equals(station) ? slowTimers : VdpTimers.DEFAULT,
                tsis.values(), held::get, () -> false, counters, tsi -> {
                    expired.add(tsi.key);
                    tsi.view = null;
                    held.decrementAndGet();
                }, false);
        Tsi normal = hold(1);
        sweep.cancel(); // only the sweep with a timeout per station runs from here on
        perStation.tsiHeld(normal.key.station());
        TsiKey key = new TsiKey("p1", slow, NnveTestBed.vsi(2));
        Tsi other = new Tsi(key);
        other.view = normal.view;
        other.lastRefresh = clock.nanoTime();
        tsis.put(key, other);
        held.incrementAndGet();
        clock.advance(TIMEOUT.plus(TIMEOUT.dividedBy(16)));
        assertThat(expired).containsExactly(normal.key);
        clock.advance(slowTimers.bridgeKeepAliveTimeout().minus(TIMEOUT).plus(slowTimers.bridgeKeepAliveTimeout().dividedBy(16)));
        assertThat(expired).containsExactly(normal.key, key);
    }
}
