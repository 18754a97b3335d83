package org.splitnve.nnve;

import java.time.Duration;
import java.util.Collection;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.ecptransport.clock.Scheduler;
import org.splitnve.ecptransport.log.RateLimitedLog;
import org.splitnve.ecptransport.vdp.VdpTimers;
import org.splitnve.vdpcore.MacAddress;

/**
 * The bridge keep-alive timeout of one port (docs/PROTOCOL.md 3.3): a TSI whose station
 * stopped refreshing it for {@code bridgeKeepAliveTimeout} is handed to {@code expire}, which
 * de-associates it from the bridge side. One timer per port, at the earliest deadline of its TSIs,
 * instead of one per TSI. Each TSI's timeout is its station's, from the EVB values negotiated with that station
 * (Req-2): a neighbour that negotiated long timers keeps only its own TSIs longer. Runs on the protocol thread.
 */
final class KeepAliveSweep {

    private static final Logger LOG = LoggerFactory.getLogger(KeepAliveSweep.class);

    private final String port;
    private final Scheduler scheduler;
    private final Function<MacAddress, VdpTimers> timers;
    private final Collection<Tsi> tsis;
    private final IntSupplier held;
    private final BooleanSupplier closed;
    private final Counters counters;
    private final Consumer<Tsi> expire;
    /** The deliberate defect {@link BridgeFault#NO_KEEP_ALIVE_TIMEOUT}, for the conformance suite's mutation tests. */
    private final boolean neverExpire;
    /** Stations decide how many TSIs time out at once: the state change is logged as every other one, this warning bounded. */
    private final RateLimitedLog timedOut;
    private Scheduler.Timer next;

    /**
     * @param tsis   the port's TSI instances, a live view
     * @param held   how many of them are held (Associated or Activated)
     * @param expire de-associates a TSI whose deadline passed; called at most once per TSI and sweep
     * @param neverExpire the deliberate defect {@link BridgeFault#NO_KEEP_ALIVE_TIMEOUT}: nothing expires
     */
    KeepAliveSweep(String port, Scheduler scheduler, Function<MacAddress, VdpTimers> timers, Collection<Tsi> tsis, IntSupplier held,
                   BooleanSupplier closed, Counters counters, Consumer<Tsi> expire, boolean neverExpire) {
        this.port = port;
        this.scheduler = scheduler;
        this.timers = timers;
        this.tsis = tsis;
        this.held = held;
        this.closed = closed;
        this.counters = counters;
        this.expire = expire;
        this.neverExpire = neverExpire;
        this.timedOut = RateLimitedLog.of(LOG, "nnve " + port, scheduler::nanoTime);
    }

    /** Called when a TSI of {@code station} is held: its deadline is a full timeout away, so an idle port sweeps then. */
    void tsiHeld(MacAddress station) {
        if (next == null && !closed.getAsBoolean()) {
            Duration timeout = timers.apply(station).bridgeKeepAliveTimeout();
            next = scheduler.schedule(atLeastFloor(timeout, timeout), this::sweep);
        }
    }

    /** Stops sweeping (the nNVE closed). */
    void cancel() {
        if (next != null) {
            next.cancel();
            next = null;
        }
    }

    /**
     * The sweep runs at the earliest deadline of the port's TSIs, but never more often than every
     * 1/32 of the timeout: one timer per port instead of one per TSI, so 100,000 TSIs cost one scan
     * per sweep (at most 32 per timeout, about every 0.5 s at RKA 20), and a station that stops
     * refreshing is de-associated at most about 3 % after its deadline (docs/PROTOCOL.md 3.3), which a
     * conformance suite timing the De-Associate can see.
     */
    private static Duration atLeastFloor(Duration wait, Duration timeout) {
        Duration floor = timeout.dividedBy(32);
        if (floor.compareTo(Duration.ofMillis(1)) < 0) {
            floor = Duration.ofMillis(1);
        }
        return wait.compareTo(floor) < 0 ? floor : wait;
    }

    private void sweep() {
        next = null;
        if (closed.getAsBoolean()) {
            return;
        }
        long now = scheduler.nanoTime();
        long earliest = Long.MAX_VALUE;
        long shortest = Long.MAX_VALUE;
        for (Tsi tsi : tsis) {
            if (tsi.view == null) {
                continue;
            }
            long timeout = timers.apply(tsi.key.station()).bridgeKeepAliveTimeout().toNanos();
            shortest = Math.min(shortest, timeout);
            long idle = now - tsi.lastRefresh;
            if (tsi.busy) {
                // Its request in flight will refresh it; if it does not, its deadline still stands.
                earliest = Math.min(earliest, Math.max(0, timeout - idle));
            } else if (idle >= timeout && !neverExpire) {
                counters.keepAliveTimeouts.incrementAndGet();
                timedOut.warn("keep-alive timeout", "nnve {}: {} from {} not refreshed for {} ms: de-associating", port, tsi.key.vsiId(),
                        tsi.key.station(), idle / 1_000_000);
                expire.accept(tsi);
            } else {
                earliest = Math.min(earliest, timeout - idle);
            }
        }
        if (held.getAsInt() > 0 && next == null) {
            Duration timeout = shortest == Long.MAX_VALUE ? timers.apply(null).bridgeKeepAliveTimeout() : Duration.ofNanos(shortest);
            long wait = earliest == Long.MAX_VALUE ? timeout.toNanos() : earliest;
            next = scheduler.schedule(atLeastFloor(Duration.ofNanos(wait), timeout), this::sweep);
        }
    }
}
