package org.splitnve.tnve;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.splitnve.ecptransport.link.LinkFaults;
import org.splitnve.vdpcore.Seeds;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VnId;
import org.splitnve.vdpcore.vdp.VsiId;

/**
 * Random API call sequences against a well-behaved bridge over a lossy link: every future completes, successfully or
 * with a typed {@link TnveException}, and once keep-alives and the bridge's keep-alive timeout have run, the station
 * and the bridge agree on every VSI. Seeded: the seed is printed; {@code -Dseed=N} replays.
 */
class TnvePropertyTest {

    static Stream<Arguments> runs() {
        return Seeds.cases("tnve-random-api", 25, SplittableRandom::nextLong);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void every_future_completes_and_the_station_ends_agreeing_with_the_bridge(Seeds.Case<Long> c) {
        long seed = c.value();
        SplittableRandom r = new SplittableRandom(seed);
        double loss = r.nextDouble() * 0.05;
        TnveTestBed bed = TnveTestBed.single(TnveConfig.builder().reserveResources(r.nextBoolean()).build(),
                LinkFaults.NONE.withLoss(loss).withSeed(seed));
        String ctx = c.describe() + ", loss " + loss;
        VnId[] vns = {VnId.of(10), VnId.of(20), VnId.of(30)};
        List<CompletableFuture<?>> futures = new ArrayList<>();
        int calls = 40 + r.nextInt(60);
        for (int i = 0; i < calls; i++) {
            int n = 1 + r.nextInt(8);
            VsiId id = TnveTestBed.vsi(n);
            VnId vn = vns[n % 3];
            Migration m = Migration.values()[r.nextInt(3)];
            TsiSpec spec = TnveTestBed.spec(n, vn, TnveTestBed.mac(n * 10 + r.nextInt(3)));
            futures.add(switch (r.nextInt(9)) {
                case 0, 1 -> bed.tnve.associate(spec, m);
                case 2 -> bed.tnve.activate(id, m);
                case 3 -> bed.tnve.activate(spec, m);
                case 4 -> bed.tnve.deactivate(id, m);
                case 5 -> bed.tnve.deassociate(id);
                case 6 -> bed.tnve.updateAddresses(id, List.of(TnveTestBed.mac(n * 10 + 5), TnveTestBed.mac(n * 10 + 6)));
                case 7 -> bed.tnve.vnConnect(vn);
                default -> r.nextInt(4) == 0 ? bed.tnve.vnDisconnect(vn) : bed.tnve.deassociate(id);
            });
            if (r.nextInt(3) == 0) {
                bed.run(Duration.ofNanos(r.nextLong(2_000_000_000L)));
            }
        }
        bed.settle(CompletableFuture.allOf(futures.stream().map(f -> f.handle((v, e) -> null)).toArray(CompletableFuture[]::new)),
                Duration.ofMinutes(10));
        for (CompletableFuture<?> f : futures) {
            assertThat(f).as("every future completes: " + ctx).isDone();
            if (f.isCompletedExceptionally()) {
                try {
                    f.join();
                } catch (CompletionException e) {
                    assertThat(e.getCause()).as("typed failure: " + ctx).isInstanceOf(TnveException.class);
                }
            }
        }
        // Let keep-alives and the bridge's keep-alive timeout reconcile what loss left apart.
        long bridgeTimeout = TnveTestBed.TIMERS.bridgeKeepAliveTimeout().toNanos();
        for (int s = 0; s < 60; s++) {
            bed.run(Duration.ofSeconds(1));
            bed.bridge().expire(TnveTestBed.STATION, bridgeTimeout);
        }
        ScriptedBridge bridge = bed.bridge();
        long succeeded = futures.stream().filter(f -> !f.isCompletedExceptionally()).count();
        assertThat(bridge.requests).as("the run reached the bridge: " + ctx).isNotEmpty();
        assertThat(succeeded).as("some calls succeeded: " + ctx).isPositive();
        for (TsiStatus t : bed.tnve.tsis()) {
            TsiState atStation = t.perBridge().getOrDefault(TnveTestBed.BRIDGE, TsiState.INIT);
            assertThat(bridge.state(t.vsiId())).as("VSI " + t.vsiId() + " on the bridge vs the station: " + ctx).isEqualTo(atStation);
            assertThat(t.busy()).as("no operation left: " + ctx).isFalse();
        }
        for (VsiId held : bridge.held.keySet()) {
            TsiState atStation = bed.tnve.tsi(held).map(t -> t.perBridge().getOrDefault(TnveTestBed.BRIDGE, TsiState.INIT)).orElse(TsiState.INIT);
            assertThat(atStation).as("VSI " + held + " held by the bridge: " + ctx).isEqualTo(bridge.state(held));
        }
    }
}
