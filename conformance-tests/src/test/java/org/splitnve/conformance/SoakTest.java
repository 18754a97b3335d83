package org.splitnve.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.splitnve.ecptransport.clock.VirtualScheduler;
import org.splitnve.ecptransport.ecp.EcpConfig;
import org.splitnve.ecptransport.link.LinkFaults;
import org.splitnve.ecptransport.link.MemoryLink;
import org.splitnve.ecptransport.lldp.LldpAgentConfig;
import org.splitnve.ecptransport.vdp.VdpStack;
import org.splitnve.ecptransport.vdp.VdpTimers;
import org.splitnve.nnve.Nnve;
import org.splitnve.nnve.NnveConfig;
import org.splitnve.nnve.nva.InMemoryNva;
import org.splitnve.nnve.nva.NvaView;
import org.splitnve.nnve.nva.VnContext;
import org.splitnve.tnve.Migration;
import org.splitnve.tnve.Tnve;
import org.splitnve.tnve.TsiAddress;
import org.splitnve.tnve.TsiResult;
import org.splitnve.tnve.TsiSpec;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.Seeds;
import org.splitnve.vdpcore.vdp.ManagerId;
import org.splitnve.vdpcore.vdp.VdpDecoder;
import org.splitnve.vdpcore.vdp.VdpEncoder;
import org.splitnve.vdpcore.vdp.VnId;
import org.splitnve.vdpcore.vdp.VsiId;

/**
 * Our station and bridge, with a data plane following the bridge, over a link that loses, duplicates and reorders
 * frames, in virtual time: many VSIs each go associate, activate, deactivate, de-associate again and again. Every
 * operation completes or is reported failed, and at the end nothing is left behind anywhere: no TSI, VN or tag on the
 * bridge, no TSI on the station, no mapping in the NVA, no ECP peer beyond the one, nothing queued in a VDP channel, no
 * TSI the data plane forwards for or holds frames for. 10^5 cycles take about ten seconds of wall time.
 */
class SoakTest {

    private static final MacAddress STATION = MacAddress.valueOf("02:00:00:00:5a:01");
    private static final MacAddress BRIDGE = MacAddress.valueOf("02:00:00:00:5b:01");
    private static final ManagerId MGR = ManagerId.ofName("soak");
    /** VSIs cycling at once, each in one of a few VNs. */
    private static final int VSIS = 64;
    private static final int VNS = 8;

    /** What a soak counted. */
    record Counts(long cycles, long operations, long completed, long failed, long virtualSeconds, long wallMillis) {
    }

    @Test
    void a_hundred_thousand_cycles_over_a_lossy_duplicating_reordering_link_leave_nothing_behind() {
        Counts c = soak(100_000, Seeds.random("soak").nextLong());
        System.out.printf("soak: %s%n", c);
    }

    private static Counts soak(int cycles, long seed) {
        long wallStart = System.nanoTime();
        VirtualScheduler clock = new VirtualScheduler();
        LinkFaults faults = LinkFaults.NONE.withLoss(0.1).withDuplication(0.05).withReordering(0.05, Duration.ofMillis(2)).withSeed(seed);
        MemoryLink[] links = MemoryLink.pair(clock, "hv", STATION, "sw-p1", BRIDGE, faults);
        VdpStack station = VdpStack.start(links[0], clock, LldpAgentConfig.station(), EcpConfig.DEFAULT, new VdpDecoder(), new VdpEncoder(),
                seed);
        VdpStack bridge = VdpStack.start(links[1], clock, LldpAgentConfig.bridge(), EcpConfig.DEFAULT, new VdpDecoder(), new VdpEncoder(),
                seed + 1);
        InMemoryNva nva = new InMemoryNva();
        for (int v = 0; v < VNS; v++) {
            nva.define(new VnContext(VnId.of(5000 + v), "vn-" + v));
        }
        Nnve nnve = Nnve.builder().nva(nva).config(NnveConfig.builder().nveName("192.0.2.1").build()).build();
        nnve.addPort(bridge.channel(), bridge.peerTimers(), bridge.groupIdSupport());
        DataPath data = new DataPath("sw-p1", nnve, nva, "192.0.2.1", clock);
        Tnve tnve = Tnve.builder().channel(station.channel()).timers(station.timersSource()).groupIds(station.groupIdSupport())
                .bridge(BRIDGE).build().start();
        clock.advance(Duration.ofSeconds(3)); // EVB negotiated

        AtomicLong started = new AtomicLong();
        AtomicLong operations = new AtomicLong();
        AtomicLong completed = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong done = new AtomicLong();
        for (int i = 0; i < VSIS; i++) {
            TsiSpec spec = TsiSpec.builder().vsiId(VsiId.of(new UUID(0x50AL, i))).managerId(MGR).typeId(7).typeVersion(1)
                    .vn(VnId.of(5000 + i % VNS)).addresses(List.of(TsiAddress.mac(MacAddress.valueOf(0x020000AA0000L + i)))).build();
            cycle(tnve, spec, cycles, started, operations, completed, failed, done);
        }
        boolean finished = clock.runUntil(() -> done.get() == VSIS, Duration.ofDays(30));
        assertThat(finished).as("every VSI ended its cycles; %s", Seeds.replay()).isTrue();
        assertThat(completed.get() + failed.get()).as("every operation completed or was reported failed").isEqualTo(operations.get());
        assertThat(started.get()).isEqualTo(cycles);
        // A PDU lost with all its retries fails only the requests it carried; a station or bridge that stopped serving
        // a VSI after such a loss would fail every later cycle of it.
        assertThat(failed.get()).as("operations failed, of %,d; %s", operations.get(), Seeds.replay()).isLessThan(operations.get() / 100);

        // What a de-associate that failed left on the bridge goes at its keep-alive timeout; what the data plane holds
        // for a deactivated TSI goes when its hold ends.
        clock.advance(VdpTimers.DEFAULT.bridgeKeepAliveTimeout().multipliedBy(2).plus(Duration.ofMinutes(1)));
        assertThat(nnve.totalTsis()).as("TSIs on the bridge").isZero();
        assertThat(nnve.vaps()).as("VNs and their tags on the bridge").isEmpty();
        assertThat(tnve.tsis()).as("TSIs on the station").isEmpty();
        assertThat(nva.mappings(NvaView.MAPPING)).as("mappings in the NVA").isEmpty();
        assertThat(nva.mappings(NvaView.FORWARDING)).isEmpty();
        assertThat(bridge.ecp().peers()).as("ECP peers of the bridge").containsExactly(STATION);
        assertThat(station.ecp().peers()).as("ECP peers of the station").containsExactly(BRIDGE);
        assertThat(bridge.channel().peersWithQueues()).isZero();
        assertThat(station.channel().peersWithQueues()).isZero();
        assertThat(data.dp.activeTsis()).as("TSIs the data plane forwards for").isEmpty();
        assertThat(data.dp.movedTsis()).as("TSIs the data plane holds frames for").isZero();

        Counts counts = new Counts(started.get(), operations.get(), completed.get(), failed.get(),
                Duration.ofNanos(clock.nanoTime()).toSeconds(), (System.nanoTime() - wallStart) / 1_000_000);
        tnve.close();
        nnve.close();
        data.dp.close();
        station.close();
        bridge.close();
        clock.runReady();
        return counts;
    }

    /** Runs associate, activate, deactivate, de-associate for {@code spec} while cycles remain to be started. */
    private static void cycle(Tnve tnve, TsiSpec spec, int cycles, AtomicLong started, AtomicLong operations, AtomicLong completed,
                              AtomicLong failed, AtomicLong done) {
        if (started.get() >= cycles) {
            done.incrementAndGet();
            return;
        }
        started.incrementAndGet();
        List<Supplier<CompletableFuture<TsiResult>>> steps = new ArrayList<>(List.of(
                () -> tnve.associate(spec, Migration.NONE),
                () -> tnve.activate(spec.vsiId(), Migration.NONE),
                () -> tnve.deactivate(spec.vsiId(), Migration.NONE),
                () -> tnve.deassociate(spec.vsiId())));
        step(steps, 0, operations, completed, failed, () -> cycle(tnve, spec, cycles, started, operations, completed, failed, done));
    }

    /** Runs step {@code i} and the ones after it; a failed step ends the cycle with its de-associate. */
    private static void step(List<Supplier<CompletableFuture<TsiResult>>> steps, int i, AtomicLong operations, AtomicLong completed,
                             AtomicLong failed, Runnable next) {
        operations.incrementAndGet();
        steps.get(i).get().whenComplete((r, e) -> {
            (e == null ? completed : failed).incrementAndGet();
            int last = steps.size() - 1;
            if (i == last) {
                next.run();
            } else {
                step(steps, e == null ? i + 1 : last, operations, completed, failed, next);
            }
        });
    }
}
