package org.splitnve.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.splitnve.ecptransport.clock.RealScheduler;
import org.splitnve.ecptransport.ecp.EcpConfig;
import org.splitnve.ecptransport.link.LinkFaults;
import org.splitnve.ecptransport.link.MemoryLink;
import org.splitnve.ecptransport.lldp.LldpAgentConfig;
import org.splitnve.ecptransport.vdp.VdpStack;
import org.splitnve.tnve.Migration;
import org.splitnve.tnve.Tnve;
import org.splitnve.tnve.TsiAddress;
import org.splitnve.tnve.TsiSpec;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.lldp.EvbMode;
import org.splitnve.vdpcore.vdp.VdpDecoder;
import org.splitnve.vdpcore.vdp.VdpEncoder;

/**
 * The suite, playing bridge, against our own tNVE over an in-memory link. The station activates one
 * TSI as a migration destination (M with 0x80, GroupID/MAC/VID, null VID), which the suite follows,
 * and a second one with a MAC/IP entry that it then deactivates (Associate to Pre-Associate).
 */
class OwnStationConformanceTest {

    private static final MacAddress SUITE = MacAddress.valueOf("02:00:00:00:c1:01");
    private static final MacAddress STATION = MacAddress.valueOf("02:00:00:00:c1:02");
    /** RKA 14 on both ends: a keep-alive every 164 ms, so the keep-alive checks take moments. */
    private static final int RKA = 14;

    /** What the station does not do: filter formats it never sends. */
    private static final Set<String> NOT_APPLICABLE = Set.of("vdp.filter.vid", "vdp.filter.mac-vid",
            "vdp.filter.group-vid", "vdp.filter.group-ip-vid", "vdp.filter.mac-ip-vid");

    @Test
    void our_station_passes_every_check_that_applies() throws Exception {
        try (RealScheduler clock = new RealScheduler("own-station-wire")) {
            MemoryLink[] wire = MemoryLink.pair(clock, "suite", SUITE, "station", STATION, LinkFaults.NONE);
            LldpAgentConfig lldp = LldpAgentConfig.station().withEvbPolicy(LldpAgentConfig.station().evbPolicy().toBuilder().rka(RKA).build());
            try (RealScheduler stationClock = new RealScheduler("own-station");
                 VdpStack stack = VdpStack.start(wire[1], stationClock, lldp, EcpConfig.DEFAULT, new VdpDecoder(), new VdpEncoder(), 7);
                 Tnve tnve = Tnve.builder().channel(stack.channel()).timers(stack.timersSource()).bridge(SUITE).build().start()) {
                TsiSpec a = TsiSpec.builder().vsiId(SplitNveTestBed.vsi(1)).managerId(SplitNveTestBed.MGR).typeId(0x123456).typeVersion(1)
                        .vn(SplitNveTestBed.VN1).address(TsiAddress.mac(SplitNveTestBed.vmMac(1))).build();
                TsiSpec b = TsiSpec.builder().vsiId(SplitNveTestBed.vsi(2)).managerId(SplitNveTestBed.MGR).typeId(0x123456).typeVersion(1)
                        .vn(SplitNveTestBed.VN2).address(TsiAddress.macIp(SplitNveTestBed.vmMac(2), SplitNveTestBed.ip("10.0.0.2"))).build();
                // The administrator's side: once the bridge is heard, activate A, then B, then deactivate B.
                CompletableFuture<Void> admin = CompletableFuture.runAsync(() -> {
                    try {
                        assertThat(stack.awaitEvbPeer(EvbMode.BRIDGE, Duration.ofSeconds(10))).isPresent();
                        tnve.activate(a, Migration.TO_THIS_STATION).get(20, TimeUnit.SECONDS);
                        tnve.activate(b, Migration.NONE).get(20, TimeUnit.SECONDS);
                        tnve.deactivate(b.vsiId(), Migration.NONE).get(20, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                ConformanceOptions options = ConformanceOptions.builder(PeerRole.STATION).seed(1).vn(SplitNveTestBed.VN1.value())
                        .evbTimers(3, 8, 20, RKA).peerTimeout(Duration.ofSeconds(10)).responseTimeout(Duration.ofSeconds(1))
                        .stationWait(Duration.ofSeconds(20)).build();
                ConformanceReport report = ConformanceSuite.run(wire[0], options, r -> { });
                System.out.print(report.toText());
                admin.get(5, TimeUnit.SECONDS);

                assertThat(report.results()).allSatisfy(r -> assertThat(r.verdict()).as(r.id() + ": " + r.reason())
                        .isEqualTo(NOT_APPLICABLE.contains(r.id()) ? Verdict.NOT_APPLICABLE : Verdict.PASS));
                assertThat(report.results()).filteredOn(r -> r.verdict() == Verdict.NOT_APPLICABLE)
                        .allSatisfy(r -> assertThat(r.reason()).isEqualTo("the station did not use it"));
                Map<String, Verdict> verdicts = report.results().stream()
                        .collect(Collectors.toMap(CheckResult::id, CheckResult::verdict, (x, y) -> x, TreeMap::new));
                assertThat(verdicts.keySet()).containsAll(List.of("ecp.retransmission", "ecp.duplicate-suppressed",
                        "vdp.keep-alive-timeout-de-associate", "vdp.filter.group-mac-ip-vid"));
            }
        }
    }
}
