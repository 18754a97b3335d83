package org.splitnve.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.splitnve.ecptransport.clock.RealScheduler;
import org.splitnve.ecptransport.ecp.EcpConfig;
import org.splitnve.ecptransport.link.LinkFaults;
import org.splitnve.ecptransport.lldp.LldpAgentConfig;
import org.splitnve.ecptransport.link.MemoryLink;
import org.splitnve.ecptransport.vdp.VdpStack;
import org.splitnve.nnve.Nnve;
import org.splitnve.nnve.NnveConfig;
import org.splitnve.nnve.policy.AuthorizationPolicy;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.VdpDecoder;
import org.splitnve.vdpcore.vdp.VdpEncoder;

/**
 * The suite, playing station, against our own nNVE over an in-memory link: every check passes.
 * Both ends advertise RKA 16 (0.66 s keep-alive) and RWD 14 (0.16 s resource wait), so the
 * keep-alive-timeout check takes about a second and the checks that must see no answer wait 0.2 s
 * plus the slack.
 */
class OwnBridgeConformanceTest {

    @Test
    void our_bridge_passes_every_check() throws Exception {
        try (RealScheduler clock = new RealScheduler("own-bridge-wire")) {
            MemoryLink[] wire = MemoryLink.pair(clock, "suite", MacAddress.valueOf("02:00:00:00:c0:01"), "bridge",
                    MacAddress.valueOf("02:00:00:00:c0:02"), LinkFaults.NONE);
            try (RealScheduler bridgeClock = new RealScheduler("own-bridge");
                 VdpStack stack = VdpStack.start(wire[1], bridgeClock, LldpAgentConfig.bridge().withEvbPolicy(
                         LldpAgentConfig.bridge().evbPolicy().toBuilder().rwd(14).rka(16).build()), EcpConfig.DEFAULT, new VdpDecoder(), new VdpEncoder(), 7);
                 Nnve nnve = Nnve.builder().nva(SplitNveTestBed.nva()).policy(AuthorizationPolicy.allowAll())
                         .config(NnveConfig.builder().nveName("own").build()).build()) {
                nnve.addPort(stack.channel(), stack.timersSource());
                ConformanceOptions options = ConformanceOptions.builder(PeerRole.BRIDGE).seed(1).vn(SplitNveTestBed.VN1.value())
                        .evbTimers(3, 8, 14, 16).peerTimeout(Duration.ofSeconds(10)).responseTimeout(Duration.ofSeconds(1)).build();
                ConformanceReport report = ConformanceSuite.run(wire[0], options, r -> { });
                System.out.print(report.toText());
                assertThat(report.results()).allSatisfy(r -> assertThat(r.verdict()).as(r.id() + ": " + r.reason()).isEqualTo(Verdict.PASS));
            }
        }
    }
}
