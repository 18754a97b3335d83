package org.splitnve.ecptransport.lldp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.splitnve.ecptransport.clock.VirtualScheduler;
import org.splitnve.ecptransport.ecp.EcpConfig;
import org.splitnve.ecptransport.ecp.EcpEngine;
import org.splitnve.ecptransport.link.LinkFaults;
import org.splitnve.ecptransport.link.MemoryLink;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.frame.FrameDecoder;
import org.splitnve.vdpcore.frame.FrameEncoder;
import org.splitnve.vdpcore.lldp.ChassisId;
import org.splitnve.vdpcore.lldp.Lldpdu;
import org.splitnve.vdpcore.lldp.PortId;
import org.splitnve.vdpcore.lldp.EvbMode;
import org.splitnve.vdpcore.lldp.EvbTlv;

/** One test per LLDP agent and EVB negotiation rule, in virtual time. */
class LldpAgentRulesTest {

    private static final MacAddress STATION = MacAddress.valueOf("02:00:00:00:00:51");
    private static final MacAddress BRIDGE = MacAddress.valueOf("02:00:00:00:00:b1");

    private VirtualScheduler clock;
    private MemoryLink[] links;
    private final List<EvbTlv> bridgeSaw = new ArrayList<>();

    @BeforeEach
    void setUp() {
        clock = new VirtualScheduler();
        links = MemoryLink.pair(clock, "s0", STATION, "b0", BRIDGE, LinkFaults.NONE);
        links[1].addListener((f, t) -> {
            try {
                var d = new FrameDecoder().decode(f);
                if (d.lldp() != null) {
                    bridgeSaw.add(d.lldp().evb());
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    private static EvbTlv station(int r, int rte, int rwd, int rka) {
        return EvbTlv.builder().mode(EvbMode.STATION).stationStatus(EvbTlv.SGID | EvbTlv.RRREQ | 3).r(r).rte(rte).rwd(rwd).rka(rka).build();
    }

    private static EvbTlv bridge(int r, int rte, int rwd, int rka) {
        return EvbTlv.builder().mode(EvbMode.BRIDGE).bridgeStatus(EvbTlv.BGID | EvbTlv.RRCAP).r(r).rte(rte).rwd(rwd).rka(rka).build();
    }

    @Test
    void theAgentSendsEverySecondAtStartThenEveryThirtySeconds() {
        new LldpAgent(links[0], clock, LldpAgentConfig.station()).start();
        clock.advance(Duration.ofMillis(4500));
        assertThat(bridgeSaw).hasSize(5); // t = 0, 1, 2, 3, 4 s
        clock.advance(Duration.ofSeconds(25));
        assertThat(bridgeSaw).hasSize(5);
        clock.advance(Duration.ofSeconds(6));
        assertThat(bridgeSaw).hasSize(6);
    }

    @Test
    void eachTimerOperatesAtTheMaximumOfLocalAndReceived() {
        LldpAgent s = new LldpAgent(links[0], clock, LldpAgentConfig.station().withEvbPolicy(station(3, 8, 20, 20))).start();
        LldpAgent b = new LldpAgent(links[1], clock, LldpAgentConfig.bridge().withEvbPolicy(bridge(5, 7, 21, 14))).start();
        clock.advance(Duration.ofSeconds(3));
        EvbOperating so = s.operating();
        EvbOperating bo = b.operating();
        assertThat(so.r()).isEqualTo(5);
        assertThat(so.rte()).isEqualTo(8);
        assertThat(so.rwd()).isEqualTo(21);
        assertThat(so.rka()).isEqualTo(20);
        assertThat(bo).usingRecursiveComparison().comparingOnlyFields("r", "rte", "rwd", "rka").isEqualTo(so);
    }

    @Test
    void rolIsSetWhenTheRemoteValueWinsTiesIncluded() {
        LldpAgent s = new LldpAgent(links[0], clock, LldpAgentConfig.station().withEvbPolicy(station(3, 8, 20, 20))).start();
        new LldpAgent(links[1], clock, LldpAgentConfig.bridge().withEvbPolicy(bridge(3, 8, 22, 20))).start();
        clock.advance(Duration.ofSeconds(3));
        assertThat(s.outgoingEvb().rolRwd()).as("remote RWD 22 beats 20").isTrue();
        assertThat(s.outgoingEvb().rolRka()).as("a tie counts as the remote's").isTrue();
    }

    @Test
    void rolIsClearWhenTheLocalValueWins() {
        // Checked on one exchange: once the bridge echoes the maximum back, lldpad's rule turns the
        // comparison into a tie and ROL ends up set on both sides.
        EvbTlv out = EvbNegotiation.outgoing(station(3, 8, 25, 25), bridge(3, 8, 20, 20));
        assertThat(out.rolRwd()).isFalse();
        assertThat(out.rolRka()).isFalse();
        assertThat(out.rwd()).isEqualTo(25);
    }

    @Test
    void groupIdIsUsableOnlyWhenBridgeBgidAndStationSgidAreBothSet() {
        LldpAgent s = new LldpAgent(links[0], clock, LldpAgentConfig.station()).start();
        LldpAgent b = new LldpAgent(links[1], clock, LldpAgentConfig.bridge()).start();
        clock.advance(Duration.ofSeconds(3));
        assertThat(s.operating().groupIdUsable()).isTrue();
        assertThat(b.operating().groupIdUsable()).isTrue();
    }

    @Test
    void groupIdIsNotUsableWhenTheBridgeDoesNotSupportIt() {
        LldpAgent s = new LldpAgent(links[0], clock, LldpAgentConfig.station()).start();
        new LldpAgent(links[1], clock, LldpAgentConfig.bridge().withEvbPolicy(
                bridge(3, 8, 20, 20).toBuilder().bgid(false).build())).start();
        clock.advance(Duration.ofSeconds(3));
        assertThat(s.operating().groupIdUsable()).isFalse();
    }

    @Test
    void theBridgeGrantsReflectiveRelayWhenAskedAndTheStationReportsIt() {
        LldpAgent s = new LldpAgent(links[0], clock, LldpAgentConfig.station()).start();
        LldpAgent b = new LldpAgent(links[1], clock, LldpAgentConfig.bridge()).start();
        clock.advance(Duration.ofSeconds(3));
        assertThat(b.outgoingEvb().rrctr()).isTrue();
        assertThat(s.outgoingEvb().rrstat()).isEqualTo(1);
        assertThat(s.operating().peerMode()).isEqualTo(EvbMode.BRIDGE);
    }

    @Test
    void beforeAnythingIsHeardTheStationReportsRrstatUnknown() {
        LldpAgent s = new LldpAgent(links[0], clock, LldpAgentConfig.station());
        assertThat(s.outgoingEvb().rrstat()).isEqualTo(3);
    }

    @Test
    void theOperatingRAndRteGoToTheAttachedEcpEngine() {
        EcpEngine ecp = new EcpEngine(links[0], clock, EcpConfig.DEFAULT, 1).start();
        LldpAgent s = new LldpAgent(links[0], clock, LldpAgentConfig.station()).start();
        s.attach(ecp);
        new LldpAgent(links[1], clock, LldpAgentConfig.bridge().withEvbPolicy(bridge(6, 12, 20, 20))).start();
        clock.advance(Duration.ofSeconds(3));
        assertThat(ecp.config().maxRetries()).isEqualTo(6);
        assertThat(ecp.config().rte()).isEqualTo(12);
    }

    @Test
    void aNeighbourAgesOutWhenItsTtlExpires() throws Exception {
        LldpAgent s = new LldpAgent(links[0], clock, LldpAgentConfig.station()).start();
        List<String> events = new ArrayList<>();
        s.addListener(new LldpListener() {
            @Override
            public void onNeighborUp(LldpNeighbor n) {
                events.add("up");
            }

            @Override
            public void onNeighborDown(LldpNeighbor n, String why) {
                events.add("down");
            }
        });
        // One LLDPDU with TTL 5 from a neighbour that then goes silent.
        ByteBuffer f = ByteBuffer.allocate(128);
        new FrameEncoder().lldp(MacAddress.NEAREST_CUSTOMER_BRIDGE, BRIDGE,
                Lldpdu.of(ChassisId.ofMac(BRIDGE), PortId.ofInterfaceName("b0"), 5, List.of(bridge(3, 8, 20, 20))), f);
        f.flip();
        links[1].send(f);
        clock.advance(Duration.ofSeconds(4));
        assertThat(s.neighbors()).hasSize(1);
        clock.advance(Duration.ofSeconds(2));
        assertThat(s.neighbors()).isEmpty();
        assertThat(events).containsExactly("up", "down");
        assertThat(s.ageouts()).isEqualTo(1);
    }

    @Test
    void whenTheEvbNeighbourGoesTheOperatingValuesFallBackToOurPolicy() {
        LldpAgent s = new LldpAgent(links[0], clock, LldpAgentConfig.station().withEvbPolicy(station(3, 8, 20, 20))).start();
        LldpAgent b = new LldpAgent(links[1], clock, LldpAgentConfig.bridge().withEvbPolicy(bridge(7, 9, 20, 20))).start();
        clock.advance(Duration.ofSeconds(3));
        assertThat(s.operating().r()).isEqualTo(7);
        b.close();
        clock.advance(Duration.ofSeconds(1));
        assertThat(s.neighbors()).isEmpty();
        assertThat(s.operating().r()).isEqualTo(3);
    }

    @Test
    void aNeighbourThatSendsTtlZeroIsRemovedAtOnce() {
        LldpAgent s = new LldpAgent(links[0], clock, LldpAgentConfig.station()).start();
        LldpAgent b = new LldpAgent(links[1], clock, LldpAgentConfig.bridge()).start();
        clock.advance(Duration.ofSeconds(2));
        assertThat(s.neighbors()).hasSize(1);
        b.close();
        clock.advance(Duration.ofMillis(1));
        assertThat(s.neighbors()).isEmpty();
        assertThat(s.ageouts()).isZero();
    }

    @Test
    void aChangeInWhatWeSayIsSentAtOnce() {
        new LldpAgent(links[0], clock, LldpAgentConfig.station().withIntervals(Duration.ofSeconds(30), 0, Duration.ofSeconds(30))).start();
        clock.advance(Duration.ofMillis(1));
        int before = bridgeSaw.size();
        new LldpAgent(links[1], clock, LldpAgentConfig.bridge().withEvbPolicy(bridge(7, 9, 20, 20))).start();
        clock.advance(Duration.ofMillis(10));
        assertThat(bridgeSaw.size()).isGreaterThan(before);
        assertThat(bridgeSaw.get(bridgeSaw.size() - 1).r()).isEqualTo(7);
    }

    @Test
    void aMalformedLldpduIsCountedAndChangesNothing() throws Exception {
        LldpAgent s = new LldpAgent(links[0], clock, LldpAgentConfig.station()).start();
        ByteBuffer bad = ByteBuffer.allocate(60);
        MacAddress.NEAREST_CUSTOMER_BRIDGE.writeTo(bad);
        BRIDGE.writeTo(bad);
        bad.putShort((short) 0x88CC).putShort((short) ((2 << 9) | 3)); // port ID before chassis ID
        bad.position(0);
        links[1].send(bad);
        clock.advance(Duration.ofMillis(1));
        assertThat(s.malformed()).isEqualTo(1);
        assertThat(s.neighbors()).isEmpty();
        assertThat(s.operating().r()).isEqualTo(3);
    }
}
