package org.splitnve.nnve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.splitnve.nnve.NnveTestBed.MGR;
import static org.splitnve.nnve.NnveTestBed.gmv;
import static org.splitnve.nnve.NnveTestBed.tlv;
import static org.splitnve.nnve.NnveTestBed.vsi;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.splitnve.nnve.policy.AuthorizationPolicy;
import org.splitnve.nnve.policy.AuthorizationRequest;
import org.splitnve.nnve.policy.PolicyDecision;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.AssociationTlv;
import org.splitnve.vdpcore.vdp.FilterEntry;
import org.splitnve.vdpcore.vdp.FilterFormat;
import org.splitnve.vdpcore.vdp.FilterInfo;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.ManagerId;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VdpErrorCode;
import org.splitnve.vdpcore.vdp.VdpTlvType;
import org.splitnve.vdpcore.vdp.VnId;
import org.splitnve.vdpcore.vdp.VsiStatus;

/** Each rule of {@link RequestChecks} on its own, at the edges of VIDs and GroupIDs. */
class RequestChecksTest {

    private static final MacAddress STATION = MacAddress.valueOf(0x02000000A001L);
    private static final String PORT = "p1";
    private static final IntFunction<VnId> NO_TAGS = vid -> null;

    private static Request request(FilterFormat format, FilterEntry... entries) {
        return request(tlv(VdpTlvType.PRE_ASSOCIATE, vsi(1), VsiStatus.REQUEST, format, entries));
    }

    private static Request request(AssociationTlv... tlvs) {
        return new Request(STATION, MGR, List.of(tlvs));
    }

    private static FilterEntry vid(int vid) {
        return FilterEntry.builder().vid(vid).build();
    }

    private static FilterEntry macVid(long mac, int vid) {
        return FilterEntry.builder().mac(MacAddress.valueOf(0x020000000000L + mac)).vid(vid).build();
    }

    private static FilterEntry gmip(int vn, long mac, String ip) throws Exception {
        return FilterEntry.builder().vn(vn).mac(MacAddress.valueOf(0x020000000000L + mac)).ip(InetAddress.getByName(ip)).build();
    }

    /** A TSI held in {@code vn} with {@code tag}, as a Pre-Associate with these entries left it. */
    private static TsiView held(int vn, int tag, FilterEntry... entries) {
        List<FilterEntry> withTag = new ArrayList<>();
        for (FilterEntry e : entries) {
            withTag.add(e.withVid(tag));
        }
        return new TsiView(new TsiKey(PORT, STATION, vsi(1)), MGR, 7, 1, VnId.of(vn), LocalTag.of(tag), TsiState.ASSOCIATED,
                FilterInfo.of(FilterFormat.GROUPID_MAC_VID, withTag), false, 0);
    }

    private static Refusal refusal(ThrowingCheck check) {
        try {
            check.run();
        } catch (Refusal r) {
            return r;
        }
        throw new AssertionError("the check passed; a refusal was expected");
    }

    @FunctionalInterface
    private interface ThrowingCheck {
        void run() throws Refusal;
    }

    // ------------------------------------------------------------ which VN a request names

    @ParameterizedTest(name = "GroupID 0x{0}")
    @ValueSource(ints = {1, 0x7F, 0x80, 0xFF, 0x100, 0xFFFFFF})
    void entries_with_one_groupid_name_that_vn_whatever_its_octets(int groupId) throws Refusal {
        Request req = request(FilterFormat.GROUPID_MAC_VID, gmv(groupId, 1, 0), gmv(groupId, 2, 0));
        assertThat(RequestChecks.vn(req, PORT, NO_TAGS)).isEqualTo(VnId.of(groupId));
    }

    @ParameterizedTest(name = "GroupIDs 0x{0} and 0x{1}")
    @CsvSource({"7F,80", "80,FF", "FF,1FF", "FF,7F"})
    void entries_naming_two_groupids_are_refused_error_5(String a, String b) {
        Request req = request(FilterFormat.GROUPID_MAC_VID, gmv(Integer.parseInt(a, 16), 1, 0), gmv(Integer.parseInt(b, 16), 2, 0));
        Refusal r = refusal(() -> RequestChecks.vn(req, PORT, NO_TAGS));
        assertThat(r.error).isEqualTo(VdpErrorCode.INVALID_VID_GROUPID_OR_MAC);
        assertThat(r.why).contains("a TSI belongs to one VN");
    }

    @Test
    void a_format_without_groupid_and_a_null_vid_is_refused_error_5() {
        Refusal r = refusal(() -> RequestChecks.vn(request(FilterFormat.MAC_VID, macVid(1, 0)), PORT, v -> VnId.of(5001)));
        assertThat(r.error).isEqualTo(VdpErrorCode.INVALID_VID_GROUPID_OR_MAC);
        assertThat(r.why).contains("no GroupID").contains(PORT).endsWith("not null");
    }

    @ParameterizedTest(name = "VID {0}")
    @ValueSource(ints = {1, 2, 4094})
    void a_format_without_groupid_names_the_vn_whose_tag_its_vid_is(int tag) throws Refusal {
        IntFunction<VnId> tags = v -> v == tag ? VnId.of(5001) : null;
        assertThat(RequestChecks.vn(request(FilterFormat.VID, vid(tag)), PORT, tags)).isEqualTo(VnId.of(5001));
        assertThat(RequestChecks.vn(request(FilterFormat.MAC_VID, macVid(1, tag), macVid(2, tag)), PORT, tags)).isEqualTo(VnId.of(5001));
    }

    @ParameterizedTest(name = "VID {0}")
    @ValueSource(ints = {1, 4094})
    void a_format_without_groupid_whose_vid_is_no_tag_on_the_port_is_refused_error_5(int vid) {
        IntFunction<VnId> tags = v -> v == 2 ? VnId.of(5001) : null;
        Refusal r = refusal(() -> RequestChecks.vn(request(FilterFormat.VID, vid(vid)), PORT, tags));
        assertThat(r.error).isEqualTo(VdpErrorCode.INVALID_VID_GROUPID_OR_MAC);
        assertThat(r.why).isEqualTo("VID " + vid + " is not the tag of any VN on " + PORT);
    }

    @Test
    void a_format_without_groupid_whose_entries_carry_tags_of_two_vns_is_refused_error_5() {
        IntFunction<VnId> tags = v -> VnId.of(5000 + v);
        Refusal r = refusal(() -> RequestChecks.vn(request(FilterFormat.MAC_VID, macVid(1, 1), macVid(2, 4094)), PORT, tags));
        assertThat(r.error).isEqualTo(VdpErrorCode.INVALID_VID_GROUPID_OR_MAC);
        assertThat(r.why).contains("tags of VN 5001 and VN 9094");
    }

    @Test
    void a_format_without_groupid_whose_entries_carry_two_tags_of_one_vn_names_that_vn() throws Refusal {
        IntFunction<VnId> tags = v -> v == 2 || v == 3 ? VnId.of(5001) : null;
        assertThat(RequestChecks.vn(request(FilterFormat.MAC_VID, macVid(1, 2), macVid(2, 3)), PORT, tags)).isEqualTo(VnId.of(5001));
    }

    @Test
    void a_vid_of_4095_never_reaches_the_checks_because_a_filter_entry_cannot_hold_it() {
        assertThatThrownBy(() -> vid(4095)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LocalTag.of(4095)).isInstanceOf(IllegalArgumentException.class);
    }

    // ------------------------------------------------------------ the requested VID

    @Test
    void entries_that_all_carry_the_null_vid_leave_the_tag_to_the_bridge() {
        assertThat(RequestChecks.requestedVids(request(FilterFormat.GROUPID_MAC_VID, gmv(5001, 1, 0), gmv(5001, 2, 0)))).isEmpty();
    }

    @ParameterizedTest(name = "VID {0}")
    @ValueSource(ints = {1, 4094})
    void one_non_null_vid_among_null_vids_is_the_vid_asked_for(int vid) {
        Request req = request(FilterFormat.GROUPID_MAC_VID, gmv(5001, 1, 0), gmv(5001, 2, vid), gmv(5001, 3, 0), gmv(5001, 4, vid));
        assertThat(RequestChecks.requestedVids(req)).containsExactly(vid);
    }

    @Test
    void several_vids_on_one_groupid_are_all_asked_for_in_entry_order() {
        Request req = request(FilterFormat.GROUPID_MAC_VID, gmv(5001, 1, 4094), gmv(5001, 2, 0), gmv(5001, 3, 1), gmv(5001, 4, 4094));
        assertThat(RequestChecks.requestedVids(req)).containsExactly(4094, 1);
    }

    @Test
    void the_entries_of_a_request_split_over_two_tlvs_are_checked_together() {
        Request req = request(tlv(VdpTlvType.PRE_ASSOCIATE, vsi(1), VsiStatus.REQUEST, FilterFormat.GROUPID_MAC_VID, gmv(5001, 1, 2)),
                tlv(VdpTlvType.PRE_ASSOCIATE, vsi(1), VsiStatus.REQUEST, FilterFormat.GROUPID_MAC_VID, gmv(5002, 2, 3)));
        assertThat(RequestChecks.requestedVids(req)).containsExactly(2, 3);
        assertThat(refusal(() -> RequestChecks.vn(req, PORT, NO_TAGS)).why).contains("GroupIDs 5001 and 5002");
    }

    // ------------------------------------------------------------ a held VSI and its VN and tag

    @Test
    void a_held_vsi_asking_for_another_vn_is_refused_error_5_until_it_is_de_associated() throws Refusal {
        TsiView h = held(0x7F, 2, gmv(0x7F, 1, 0));
        Refusal r = refusal(() -> RequestChecks.sameVn(h, VnId.of(0x80)));
        assertThat(r.error).isEqualTo(VdpErrorCode.INVALID_VID_GROUPID_OR_MAC);
        assertThat(r.why).isEqualTo("the VSI is in VN 127; De-Associate it before asking for VN 128");
        RequestChecks.sameVn(h, VnId.of(0x7F));
    }

    // ------------------------------------------------------------ refresh or update

    @Test
    void a_request_repeating_the_held_tsi_with_null_vids_is_a_refresh() {
        TsiView h = held(5001, 4094, gmv(5001, 1, 0), gmv(5001, 2, 0));
        assertThat(RequestChecks.sameAs(h, request(FilterFormat.GROUPID_MAC_VID, gmv(5001, 1, 0), gmv(5001, 2, 0)))).isTrue();
    }

    @ParameterizedTest(name = "tag {0}")
    @ValueSource(ints = {1, 4094})
    void a_request_naming_the_assigned_tag_instead_of_the_null_vid_is_a_refresh(int tag) {
        TsiView h = held(5001, tag, gmv(5001, 1, 0), gmv(5001, 2, 0));
        assertThat(RequestChecks.sameAs(h, request(FilterFormat.GROUPID_MAC_VID, gmv(5001, 1, tag), gmv(5001, 2, 0)))).isTrue();
    }

    @ParameterizedTest(name = "VID {0} while the tag is 4094")
    @ValueSource(ints = {1, 4093})
    void a_request_naming_another_non_null_vid_is_an_update(int vid) {
        TsiView h = held(5001, 4094, gmv(5001, 1, 0), gmv(5001, 2, 0));
        assertThat(RequestChecks.sameAs(h, request(FilterFormat.GROUPID_MAC_VID, gmv(5001, 1, vid), gmv(5001, 2, 0)))).isFalse();
    }

    @Test
    void a_request_with_another_address_is_an_update() {
        TsiView h = held(5001, 2, gmv(5001, 1, 0), gmv(5001, 2, 0));
        assertThat(RequestChecks.sameAs(h, request(FilterFormat.GROUPID_MAC_VID, gmv(5001, 1, 0), gmv(5001, 3, 0)))).isFalse();
    }

    @Test
    void a_request_with_fewer_entries_or_the_same_entries_in_another_order_is_an_update() {
        TsiView h = held(5001, 2, gmv(5001, 1, 0), gmv(5001, 2, 0));
        assertThat(RequestChecks.sameAs(h, request(FilterFormat.GROUPID_MAC_VID, gmv(5001, 1, 0)))).isFalse();
        assertThat(RequestChecks.sameAs(h, request(FilterFormat.GROUPID_MAC_VID, gmv(5001, 2, 0), gmv(5001, 1, 0)))).isFalse();
    }

    @Test
    void a_groupid_differing_only_across_the_0x7f_0x80_octet_boundary_is_an_update() {
        TsiView h = held(0x7F, 2, gmv(0x7F, 1, 0));
        assertThat(RequestChecks.sameAs(h, request(FilterFormat.GROUPID_MAC_VID, gmv(0x7F, 1, 0)))).isTrue();
        assertThat(RequestChecks.sameAs(h, request(FilterFormat.GROUPID_MAC_VID, gmv(0x80, 1, 0)))).isFalse();
        assertThat(RequestChecks.sameAs(h, request(FilterFormat.GROUPID_MAC_VID, gmv(0xFF, 1, 0)))).isFalse();
    }

    @Test
    void a_request_with_another_type_id_type_version_manager_or_format_is_an_update() throws Exception {
        TsiView h = held(5001, 2, gmv(5001, 1, 0));
        AssociationTlv same = tlv(VdpTlvType.PRE_ASSOCIATE, vsi(1), VsiStatus.REQUEST, FilterFormat.GROUPID_MAC_VID, gmv(5001, 1, 0));
        assertThat(RequestChecks.sameAs(h, request(same))).isTrue();
        assertThat(RequestChecks.sameAs(h, request(same.toBuilder().typeId(8).build()))).isFalse();
        assertThat(RequestChecks.sameAs(h, request(same.toBuilder().typeVersion(2).build()))).isFalse();
        assertThat(RequestChecks.sameAs(h, new Request(STATION, ManagerId.ofName("other"), List.of(same)))).isFalse();
        assertThat(RequestChecks.sameAs(h, request(FilterFormat.GROUPID_MAC_IP_VID, gmip(5001, 1, "10.0.0.1")))).isFalse();
    }

    // ------------------------------------------------------------ authorization

    @Test
    void an_allowing_policy_sees_the_port_station_manager_vn_and_each_address_once() throws Exception {
        List<AuthorizationRequest> seen = new ArrayList<>();
        AuthorizationPolicy policy = r -> {
            seen.add(r);
            return PolicyDecision.allow("test");
        };
        Request req = request(FilterFormat.GROUPID_MAC_IP_VID, gmip(0x80, 1, "10.0.0.1"), gmip(0x80, 1, "2001:db8::1"),
                gmip(0x80, 2, "10.0.0.1"));
        RequestChecks.authorize(req, VnId.of(0x80), PORT, policy);
        assertThat(seen).singleElement().satisfies(r -> {
            assertThat(r.port()).isEqualTo(PORT);
            assertThat(r.station()).isEqualTo(STATION);
            assertThat(r.manager()).isEqualTo(MGR);
            assertThat(r.vn()).isEqualTo(VnId.of(0x80));
            assertThat(r.macs()).containsExactly(MacAddress.valueOf(0x020000000001L), MacAddress.valueOf(0x020000000002L));
            assertThat(r.ips()).containsExactly(InetAddress.getByName("10.0.0.1"), InetAddress.getByName("2001:db8::1"));
        });
    }

    @Test
    void a_policy_denying_the_vn_is_error_4_and_one_denying_an_address_error_5_with_the_rule_in_the_reason() {
        Request req = request(FilterFormat.GROUPID_MAC_VID, gmv(5001, 1, 0));
        Map<PolicyDecision, VdpErrorCode> cases = Map.of(
                PolicyDecision.denyVn("line 3", "VN 5001 is not allowed"), VdpErrorCode.OTHER_FAILURE,
                PolicyDecision.denyAddress("line 4", "02:00:00:00:00:01 is not allowed"), VdpErrorCode.INVALID_VID_GROUPID_OR_MAC);
        cases.forEach((decision, code) -> {
            Refusal r = refusal(() -> RequestChecks.authorize(req, VnId.of(5001), PORT, x -> decision));
            assertThat(r.error).isEqualTo(code);
            assertThat(r.why).isEqualTo("policy: " + decision.detail() + " [" + decision.rule() + "]");
        });
    }

    @Test
    void a_policy_that_throws_refuses_error_4_instead_of_admitting_the_request() {
        Request req = request(FilterFormat.GROUPID_MAC_VID, gmv(5001, 1, 0));
        Refusal r = refusal(() -> RequestChecks.authorize(req, VnId.of(5001), PORT, x -> {
            throw new IllegalStateException("broken rules");
        }));
        assertThat(r.error).isEqualTo(VdpErrorCode.OTHER_FAILURE);
        assertThat(r.why).startsWith("authorization policy failed").contains("broken rules");
    }

    // ------------------------------------------------------------ limits

    @Test
    void a_new_tsi_below_both_limits_is_accepted_and_one_at_either_limit_is_refused_error_2() {
        NnveConfig config = NnveConfig.builder().maxTsisPerPort(3).maxTsis(5).build();
        assertThatCode(() -> RequestChecks.withinLimits(2, 4, config, PORT)).doesNotThrowAnyException();
        Refusal port = refusal(() -> RequestChecks.withinLimits(3, 3, config, PORT));
        assertThat(port.error).isEqualTo(VdpErrorCode.INSUFFICIENT_RESOURCES);
        assertThat(port.why).isEqualTo("port p1 holds its limit of 3 TSIs");
        Refusal total = refusal(() -> RequestChecks.withinLimits(1, 5, config, PORT));
        assertThat(total.error).isEqualTo(VdpErrorCode.INSUFFICIENT_RESOURCES);
        assertThat(total.why).isEqualTo("the nNVE holds its limit of 5 TSIs");
    }

    @Test
    void a_groupid_format_is_refused_with_error_1_unless_evb_negotiated_groupid_with_the_station() throws Exception {
        Request grouped = request(FilterFormat.GROUPID_MAC_VID, NnveTestBed.gmv(5001, 1, 0));
        Request plain = request(FilterFormat.MAC_VID, macVid(1, 100));
        RequestChecks.groupIdNegotiated(grouped, true);
        RequestChecks.groupIdNegotiated(plain, false);
        assertThatThrownBy(() -> RequestChecks.groupIdNegotiated(grouped, false)).isInstanceOf(Refusal.class)
                .satisfies(r -> assertThat(((Refusal) r).error).isEqualTo(VdpErrorCode.INVALID_FORMAT));
    }
}
