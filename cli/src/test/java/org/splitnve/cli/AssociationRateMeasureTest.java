package org.splitnve.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.splitnve.ecptransport.clock.RealScheduler;
import org.splitnve.ecptransport.link.PcapLink;
import org.splitnve.ecptransport.vdp.VdpStack;
import org.splitnve.nnve.Nnve;
import org.splitnve.testsupport.InNamespace;
import org.splitnve.testsupport.Lldpad;
import org.splitnve.testsupport.LldpadConfig;
import org.splitnve.testsupport.LldpadScenarios;
import org.splitnve.testsupport.Prerequisites;
import org.splitnve.tnve.Migration;
import org.splitnve.tnve.Tnve;
import org.splitnve.tnve.TsiAddress;
import org.splitnve.tnve.TsiSpec;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.frame.EtherType;
import org.splitnve.vdpcore.lldp.EvbMode;
import org.splitnve.vdpcore.vdp.ManagerId;
import org.splitnve.vdpcore.vdp.VnId;
import org.splitnve.vdpcore.vdp.VsiId;

/**
 * Associations per second, in one run: our station to our bridge over a veth pair with pcap4j
 * (10,000 VSIs, all requested at once, so the VDP channel batches them), next to lldpad station to
 * lldpad bridge with vdptool (100 VSIs, one vdptool call each, which is how lldpad is driven).
 * Prints the figures; never fails on them. Run:
 * {@code mvn -pl cli -am verify -Dgroups=measure -Dmeasure.excludedGroups=none -Dsurefire.failIfNoSpecifiedTests=false}
 */
@Tag("measure")
class AssociationRateMeasureTest {

    private static final int OURS = 10_000;
    private static final int LLDPADS = 100;
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void associations_per_second_ours_over_veth_next_to_lldpad_with_vdptool() throws Exception {
        LldpadScenarios.requirePrerequisites();
        Prerequisites.requireLibpcap();
        double ours = ours();
        double lldpad = lldpad();
        System.out.printf("%nassociations per second (veth, one run)%n");
        System.out.printf("  %-52s %,10.0f /s%n", "splitnve station -> splitnve bridge, " + OURS + " VSIs", ours);
        System.out.printf("  %-52s %,10.1f /s%n", "lldpad station -> lldpad bridge (vdptool), " + LLDPADS + " VSIs", lldpad);
        assertThat(ours).isPositive();
        assertThat(lldpad).isPositive();
    }

    private double ours() throws Exception {
        try (Namespaces ns = Namespaces.create("rate-st", "02:00:00:00:0d:01", "rate-br", "02:00:00:00:0d:02")) {
            // Tracked first, closed after the stacks (which finish on them) and before the namespaces go.
            RealScheduler stClock = ns.track(new RealScheduler("rate-station"));
            RealScheduler brClock = ns.track(new RealScheduler("rate-bridge"));
            PcapLink stLink = InNamespace.call(ns.a, () -> PcapLink.open(ns.ifA(), EtherType.ECP, EtherType.LLDP));
            PcapLink brLink = InNamespace.call(ns.b, () -> PcapLink.open(ns.ifB(), EtherType.ECP, EtherType.LLDP));
            VdpStack station = ns.track(VdpStack.station(stLink, stClock, 1));
            VdpStack bridge = ns.track(VdpStack.bridge(brLink, brClock, 2));
            Nnve nnve = ns.track(Nnve.builder().nva(new CommandLineNva(List.of())).build());
            nnve.addPort(bridge.channel(), bridge.timersSource());
            Optional<MacAddress> peer = station.awaitEvbPeer(EvbMode.BRIDGE, WAIT);
            assertThat(peer).isPresent();
            Tnve tnve = ns.track(Tnve.builder().channel(station.channel()).timers(station.timersSource()).bridge(peer.get()).build().start());

            List<TsiSpec> specs = new ArrayList<>(OURS);
            for (int i = 0; i < OURS; i++) {
                specs.add(TsiSpec.builder().vsiId(new VsiId.Uuid(new UUID(0x5a3b0c1d00004000L, i))).managerId(ManagerId.ofName("snvmgr"))
                        .typeId(4711).typeVersion(1).vn(VnId.of(5001 + i % 10))
                        .address(new TsiAddress.Mac(MacAddress.valueOf(0x020000100000L + i))).build());
            }
            long t0 = System.nanoTime();
            List<CompletableFuture<?>> done = new ArrayList<>(OURS);
            for (TsiSpec s : specs) {
                done.add(tnve.activate(s, Migration.NONE));
            }
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertThat(nnve.totalTsis()).isEqualTo(OURS);
            System.out.printf("ours: %,d VSIs in %.3f s; station sent %,d VDPDUs%n", OURS, seconds, station.channel().counters().pdusOut());
            return OURS / seconds;
        }
    }

    private double lldpad() throws Exception {
        try (Namespaces ns = Namespaces.create("rate-lst", "02:00:00:00:0d:11", "rate-lbr", "02:00:00:00:0d:12")) {
            Lldpad bridge = ns.track(Lldpad.start(ns.b, ns.ifB(), LldpadConfig.of(LldpadConfig.Role.BRIDGE).withGroupId(true)));
            Lldpad station = ns.track(Lldpad.start(ns.a, ns.ifA(), LldpadConfig.of(LldpadConfig.Role.STATION).withGroupId(true)));
            station.waitForEvbPeer(WAIT);
            bridge.waitForEvbPeer(WAIT);
            long t0 = System.nanoTime();
            for (int i = 0; i < LLDPADS; i++) {
                String out = station.vdptool("-i", ns.ifA(), "-T", "-W", "-V", "assoc", "-c", "mode=assoc", "-c", "mgrid2=snvmgr",
                        "-c", "typeid=4711", "-c", "typeidver=1", "-c", "uuid=" + String.format("7a3b0c1d-0000-4000-8000-%012d", i),
                        "-c", "hints=none", "-c", String.format("filter=0-02:00:00:20:%02x:%02x-%d", i >> 8, i & 0xFF, 5001 + i % 10));
                assertThat(out).contains("Response from VDP");
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("lldpad: %d VSIs in %.3f s%n", LLDPADS, seconds);
            return LLDPADS / seconds;
        }
    }
}
