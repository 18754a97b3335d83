package org.splitnve.ecptransport.vdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.splitnve.ecptransport.clock.VirtualScheduler;
import org.splitnve.ecptransport.ecp.EcpConfig;
import org.splitnve.ecptransport.link.LinkFaults;
import org.splitnve.ecptransport.link.MemoryLink;
import org.splitnve.ecptransport.lldp.LldpAgentConfig;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.lldp.EvbMode;
import org.splitnve.vdpcore.vdp.AssociationTlv;
import org.splitnve.vdpcore.vdp.FilterEntry;
import org.splitnve.vdpcore.vdp.FilterFormat;
import org.splitnve.vdpcore.vdp.ManagerId;
import org.splitnve.vdpcore.vdp.ParsedVdpdu;
import org.splitnve.vdpcore.vdp.VdpDecoder;
import org.splitnve.vdpcore.vdp.VdpEncoder;
import org.splitnve.vdpcore.vdp.VdpTlvType;
import org.splitnve.vdpcore.vdp.VsiId;
import org.splitnve.vdpcore.vdp.VsiStatus;

/** A station stack and a bridge stack on one in-memory link, in virtual time. */
class VdpStackTest {

    private static final MacAddress STATION = MacAddress.valueOf("02:00:00:00:05:01");
    private static final MacAddress BRIDGE = MacAddress.valueOf("02:00:00:00:05:02");

    @Test
    void each_stack_finds_the_other_by_its_evb_mode_and_vdp_timers_follow_the_negotiated_values() {
        VirtualScheduler clock = new VirtualScheduler();
        MemoryLink[] pair = MemoryLink.pair(clock, "st", STATION, "br", BRIDGE, LinkFaults.NONE);
        LldpAgentConfig bridgeConfig = LldpAgentConfig.bridge();
        bridgeConfig = bridgeConfig.withEvbPolicy(bridgeConfig.evbPolicy().toBuilder().rka(21).build());
        VdpStack station = VdpStack.station(pair[0], clock, 1);
        VdpStack bridge = VdpStack.start(pair[1], clock, bridgeConfig, EcpConfig.DEFAULT, new VdpDecoder(), new VdpEncoder(), 2);

        assertThat(station.evbPeer(EvbMode.BRIDGE)).isEmpty();
        clock.advance(Duration.ofSeconds(3));
        assertThat(station.evbPeer(EvbMode.BRIDGE)).contains(BRIDGE);
        assertThat(bridge.evbPeer(EvbMode.STATION)).contains(STATION);
        // RKA operates at the larger of the two: the bridge's 21 over the station's 20.
        assertThat(station.timers()).isEqualTo(VdpTimers.of(3, 8, 20, 21));
        assertThat(station.timersSource().get()).isEqualTo(station.timers());
        assertThat(station.lldp().operating().groupIdUsable()).isTrue();

        List<ParsedVdpdu> got = new ArrayList<>();
        bridge.channel().addListener((peer, pdu) -> got.add(pdu));
        AssociationTlv tlv = AssociationTlv.builder().type(VdpTlvType.PRE_ASSOCIATE).status(VsiStatus.REQUEST)
                .vsiId(new VsiId.Uuid(new UUID(1, 2))).filter(FilterFormat.GROUPID_VID, FilterEntry.builder().vn(77).vid(0).build()).build();
        station.channel().send(BRIDGE, ManagerId.ofName("m"), tlv);
        clock.advance(Duration.ofMillis(10));
        assertThat(got).singleElement().satisfies(p -> assertThat(p.associations()).containsExactly(tlv));

        station.close();
        bridge.close();
        clock.advance(Duration.ofSeconds(1));
    }
}
