package org.splitnve.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitnve.conformance.SplitNveTestBed.VN1;
import static org.splitnve.conformance.SplitNveTestBed.ip;
import static org.splitnve.conformance.SplitNveTestBed.spec;
import static org.splitnve.conformance.SplitNveTestBed.vsi;

import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.splitnve.conformance.SplitNveTestBed.Bridge;
import org.splitnve.conformance.SplitNveTestBed.Host;
import org.splitnve.ecptransport.ecp.EcpConfig;
import org.splitnve.ecptransport.link.LinkFaults;
import org.splitnve.ecptransport.link.MemoryLink;
import org.splitnve.ecptransport.lldp.LldpAgentConfig;
import org.splitnve.tnve.GroupIdNotNegotiatedException;
import org.splitnve.tnve.Migration;
import org.splitnve.tnve.TsiAddress;
import org.splitnve.tnve.VdpRefusedException;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.lldp.EvbTlv;
import org.splitnve.vdpcore.vdp.AssociationTlv;
import org.splitnve.vdpcore.vdp.FilterFormat;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VdpErrorCode;

/**
 * docs/PROTOCOL.md section 2: filter formats with a GroupID are used by the station, and accepted by the bridge, only
 * where the EVB TLVs allow them (the bridge's BGID and the station's SGID).
 */
class GroupIdNegotiationTest {

    static final MacAddress HV1 = MacAddress.valueOf("02:00:00:00:0a:01");
    static final MacAddress NNVE1 = MacAddress.valueOf("02:00:00:00:0b:01");

    final SplitNveTestBed bed = new SplitNveTestBed();

    private static LldpAgentConfig bridgeWithoutBgid() {
        LldpAgentConfig b = LldpAgentConfig.bridge();
        return b.withEvbPolicy(b.evbPolicy().toBuilder().bridgeStatus(b.evbPolicy().bridgeStatus() & ~EvbTlv.BGID).build());
    }

    private static LldpAgentConfig stationWithoutSgid() {
        LldpAgentConfig s = LldpAgentConfig.station();
        return s.withEvbPolicy(s.evbPolicy().toBuilder().stationStatus(s.evbPolicy().stationStatus() & ~EvbTlv.SGID).build());
    }

    /** A station and a bridge on one link, each with its own EVB policy, that have heard each other's LLDPDUs. */
    private Host pair(LldpAgentConfig bridge, LldpAgentConfig station, UnaryOperator<org.splitnve.tnve.Tnve.Builder> tweak, Bridge n) {
        MemoryLink[] l = bed.pair("hv1", HV1, "nnve1-hv1", NNVE1, LinkFaults.NONE);
        n.serve(l[1], EcpConfig.DEFAULT, bridge);
        Host h = bed.host("hv1", l[0], NNVE1, tweak, station);
        bed.run(Duration.ofMillis(100));
        return h;
    }

    @Test
    void a_station_whose_bridge_does_not_offer_groupid_falls_back_to_formats_without_one() {
        Bridge n = bed.nnve("nnve1", NNVE1);
        Host h = pair(bridgeWithoutBgid(), LldpAgentConfig.station(), UnaryOperator.identity(), n);

        Throwable t = bed.failure(h.tnve.activate(spec(1, VN1), Migration.NONE));

        assertThat(n.receivedTlvs()).isNotEmpty().allSatisfy(tlv -> {
            assertThat(tlv.filter().format()).as("MAC/VID instead of GroupID/MAC/VID").isEqualTo(FilterFormat.MAC_VID);
        });
        // Without a GroupID the VN is named by its tag, which no bridge has given yet: error 5, as docs/VDP-ENGINES.md says.
        assertThat(t).isInstanceOf(VdpRefusedException.class);
        assertThat(((VdpRefusedException) t).error()).isEqualTo(VdpErrorCode.INVALID_VID_GROUPID_OR_MAC);

        // An address set of IPs alone has no format without a GroupID: refused before anything is sent.
        int sent = n.receivedTlvs().size();
        Throwable ipOnly = bed.failure(h.tnve.activate(spec(2, VN1, TsiAddress.ip(ip("10.0.0.2"))), Migration.NONE));
        assertThat(ipOnly).isInstanceOf(GroupIdNotNegotiatedException.class);
        assertThat(n.receivedTlvs()).hasSize(sent);
        assertThat(h.tnve.state(vsi(2))).isEqualTo(TsiState.INIT);
    }

    @Test
    void the_nnve_answers_groupid_requests_with_error_1_from_a_station_that_did_not_ask_for_groupid() {
        Bridge n = bed.nnve("nnve1", NNVE1);
        // A station that does not set SGID but sends GroupID formats anyway.
        Host h = pair(LldpAgentConfig.bridge(), stationWithoutSgid(), b -> b.groupIds(peer -> true), n);

        Throwable t = bed.failure(h.tnve.activate(spec(1, VN1), Migration.NONE));

        assertThat(n.receivedTlvs()).extracting(AssociationTlv::filter).allSatisfy(f ->
                assertThat(f.format()).isEqualTo(FilterFormat.GROUPID_MAC_VID));
        assertThat(t).isInstanceOf(VdpRefusedException.class);
        assertThat(((VdpRefusedException) t).error()).isEqualTo(VdpErrorCode.INVALID_FORMAT);
        assertThat(n.nnve.tsis()).isEmpty();
        assertThat(n.vap(VN1)).isEmpty();
    }

    @Test
    void with_bgid_and_sgid_both_set_the_groupid_formats_are_used_and_served() {
        Bridge n = bed.nnve("nnve1", NNVE1);
        Host h = pair(LldpAgentConfig.bridge(), LldpAgentConfig.station(), UnaryOperator.identity(), n);

        assertThat(bed.await(h.tnve.activate(spec(1, VN1), Migration.NONE)).state()).isEqualTo(TsiState.ACTIVATED);
        assertThat(n.receivedTlvs()).allSatisfy(tlv -> assertThat(tlv.filter().format()).isEqualTo(FilterFormat.GROUPID_MAC_VID));
        assertThat(h.stack.lldp().groupIdUsable(NNVE1)).isTrue();
        assertThat(n.stack.lldp().groupIdUsable(HV1)).isTrue();
    }
}
