package org.splitnve.nnve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.splitnve.nnve.NnveTestBed.assoc;
import static org.splitnve.nnve.NnveTestBed.deassoc;
import static org.splitnve.nnve.NnveTestBed.gmv;
import static org.splitnve.nnve.NnveTestBed.pre;
import static org.splitnve.nnve.NnveTestBed.tlv;
import static org.splitnve.nnve.NnveTestBed.vsi;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.splitnve.nnve.NnveTestBed.Station;
import org.splitnve.nnve.nva.NvaView;
import org.splitnve.nnve.nva.TsiMapping;
import org.splitnve.nnve.policy.AuthorizationPolicy;
import org.splitnve.nnve.policy.PolicyFile;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.AssociationTlv;
import org.splitnve.vdpcore.vdp.FilterEntry;
import org.splitnve.vdpcore.vdp.FilterFormat;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.RejectedTlv;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VdpErrorCode;
import org.splitnve.vdpcore.vdp.VdpTlvType;
import org.splitnve.vdpcore.vdp.Vdpdu;
import org.splitnve.vdpcore.vdp.VnId;
import org.splitnve.vdpcore.vdp.VsiStatus;

@Timeout(60)
class NnveBridgeRulesTest {

    private static final VnId VN1 = VnId.of(5001);
    private static final VnId VN2 = VnId.of(5002);

    private static void assertSuccess(AssociationTlv r) {
        assertThat(r.status().isResponse()).as("response bit").isTrue();
        assertThat(r.status().error()).as("error of " + r).isEqualTo(VdpErrorCode.SUCCESS);
        assertThat(r.status().keep()).isFalse();
    }

    private static void assertRefused(AssociationTlv r, VdpErrorCode code) {
        assertThat(r.status().isResponse()).isTrue();
        assertThat(r.status().error()).as("error of " + r).isEqualTo(code);
        assertThat(r.status().keep()).as("keep").isTrue();
    }

    private static int vid(AssociationTlv r) {
        return r.filter().entries().get(0).vid();
    }

    private static TsiMapping mapping(int vn, long mac) {
        return new TsiMapping(VnId.of(vn), MacAddress.valueOf(0x020000000000L + mac), null, "nve");
    }

    @Test
    void a_null_vid_is_answered_with_one_tag_per_vn_per_port() {
        NnveTestBed bed = new NnveTestBed();
        Station st = bed.station("p1");
        AssociationTlv a = st.ask(pre(vsi(1), gmv(5001, 1, 0)));
        AssociationTlv b = st.ask(pre(vsi(2), gmv(5001, 2, 0)));
        AssociationTlv c = st.ask(pre(vsi(3), gmv(5002, 3, 0)));
        assertSuccess(a);
        assertSuccess(b);
        assertSuccess(c);
        assertThat(vid(a)).isBetween(2, 4094).isEqualTo(vid(b)).isNotEqualTo(vid(c));
        assertThat(vid(c)).isBetween(2, 4094);
        assertThat(bed.nnve.vap("p1", VN1)).get().satisfies(v -> {
            assertThat(v.state()).isEqualTo(VapState.VN_CONNECTED);
            assertThat(v.tag()).isEqualTo(LocalTag.of(vid(a)));
            assertThat(v.associatedTsis()).isEqualTo(2);
            assertThat(v.context().name()).isEqualTo("vn-5001");
        });
        assertThat(bed.nnve.dataPlaneView().vnOfTag("p1", LocalTag.of(vid(c)))).contains(VN2);
        assertThat(bed.nnve.tsi(st.key(vsi(1)))).get().extracting(TsiView::state).isEqualTo(TsiState.ASSOCIATED);
    }

    @Test
    void the_same_vn_on_a_second_port_gets_its_own_tag() {
        NnveTestBed bed = new NnveTestBed();
        Station p1 = bed.station("p1");
        Station p2 = bed.station("p2");
        int vn2OnP1 = vid(p1.ask(pre(vsi(1), gmv(5002, 1, 0))));
        int vn1OnP1 = vid(p1.ask(pre(vsi(2), gmv(5001, 2, 0))));
        int vn1OnP2 = vid(p2.ask(pre(vsi(3), gmv(5001, 3, 0))));
        assertThat(vn1OnP1).isNotEqualTo(vn2OnP1);
        // p2 has its own VID space: its first VN gets the first tag, which p1 gave to another VN.
        assertThat(vn1OnP2).isEqualTo(vn2OnP1);
        assertThat(bed.nnve.dataPlaneView().tagOfVn("p2", VN1)).contains(LocalTag.of(vn1OnP2));
        assertThat(bed.nnve.dataPlaneView().tagOfVn("p1", VN1)).contains(LocalTag.of(vn1OnP1));
        assertThat(bed.nnve.vaps()).hasSize(3);
    }

    @Test
    void a_shared_tag_domain_gives_a_vn_one_tag_on_every_port() {
        NnveTestBed bed = new NnveTestBed(NnveConfig.builder().tagDomain(TagDomain.SHARED).build(), AuthorizationPolicy.allowAll(), null);
        Station p1 = bed.station("p1");
        Station p2 = bed.station("p2");
        int onP1 = vid(p1.ask(pre(vsi(1), gmv(5001, 1, 0))));
        int onP2 = vid(p2.ask(pre(vsi(2), gmv(5001, 2, 0))));
        int other = vid(p2.ask(pre(vsi(3), gmv(5002, 3, 0))));
        assertThat(onP2).isEqualTo(onP1);
        assertThat(other).isNotEqualTo(onP1);
        // The tag stays bound while another port still uses the VN.
        assertSuccess(p1.ask(deassoc(vsi(1), gmv(5001, 1, 0))));
        assertThat(bed.nnve.dataPlaneView().tagOfVn("p2", VN1)).contains(LocalTag.of(onP1));
        assertThat(vid(p1.ask(pre(vsi(4), gmv(5003, 4, 0))))).isNotEqualTo(onP1).isNotEqualTo(other);
    }

    @Test
    void two_entries_in_one_tlv_are_both_answered_with_the_tag() {
        NnveTestBed bed = new NnveTestBed();
        Station st = bed.station("p1");
        AssociationTlv r = st.ask(pre(vsi(1), gmv(5001, 1, 0), gmv(5001, 2, 0)));
        assertSuccess(r);
        assertThat(r.filter().entries()).hasSize(2);
        int tag = vid(r);
        assertThat(r.filter().entries()).allSatisfy(e -> assertThat(e.vid()).isEqualTo(tag));
        assertThat(r.filter().entries()).extracting(FilterEntry::mac)
                .containsExactly(MacAddress.valueOf("02:00:00:00:00:01"), MacAddress.valueOf("02:00:00:00:00:02"));
        assertThat(bed.memoryNva.mappings(NvaView.MAPPING)).containsExactlyInAnyOrder(mapping(5001, 1), mapping(5001, 2));
    }

    @Test
    void ps_and_pcp_are_preserved_in_the_answer() {
        NnveTestBed bed = new NnveTestBed();
        Station st = bed.station("p1");
        FilterEntry e = FilterEntry.builder().vn(5001).mac(MacAddress.valueOf("02:00:00:00:00:01")).priority(5).vid(0).build();
        AssociationTlv r = st.ask(pre(vsi(1), e));
        assertSuccess(r);
        FilterEntry got = r.filter().entries().get(0);
        assertThat(got.ps()).isTrue();
        assertThat(got.pcp()).isEqualTo(5);
        assertThat(got.vid()).isNotZero();
        assertThat(got.groupId()).isEqualTo(5001);
    }

    @Test
    void pre_associate_then_associate_with_m_and_migration_indication_fires_the_migration_hook_and_echoes_0x80() {
        NnveTestBed bed = new NnveTestBed();
        Station st = bed.station("p1");
        VsiStatus mig = VsiStatus.request().migrationIndicationValid(true).m(true).build();
        AssociationTlv p = st.ask(tlv(VdpTlvType.PRE_ASSOCIATE, vsi(1), VsiStatus.request().migrationIndicationValid(true).build(),
                FilterFormat.GROUPID_MAC_VID, gmv(5001, 1, 0)));
        assertSuccess(p);
        assertThat(p.status().migrationIndicationValid()).isTrue();
        assertThat(bed.dataPlane).doesNotContain("migrated " + vsi(1));
        AssociationTlv a = st.ask(tlv(VdpTlvType.ASSOCIATE, vsi(1), mig, FilterFormat.GROUPID_MAC_VID, gmv(5001, 1, 0)));
        assertSuccess(a);
        assertThat(a.status().migrationIndicationValid()).as("0x80 echoed").isTrue();
        assertThat(bed.dataPlane).containsSubsequence("activated " + vsi(1), "migrated " + vsi(1));
        assertThat(bed.nnve.tsi(st.key(vsi(1)))).get().satisfies(v -> {
            assertThat(v.state()).isEqualTo(TsiState.ACTIVATED);
            assertThat(v.migration()).isTrue();
        });
        // The keep-alive of the same Associate is not a second migration.
        st.ask(tlv(VdpTlvType.ASSOCIATE, vsi(1), mig, FilterFormat.GROUPID_MAC_VID, gmv(5001, 1, 0)));
        assertThat(bed.dataPlane.stream().filter(s -> s.equals("migrated " + vsi(1)))).hasSize(1);
    }

    @Test
    void the_migration_indication_is_not_echoed_when_configured_off_and_the_hook_can_be_turned_off() {
        NnveTestBed bed = new NnveTestBed(NnveConfig.builder().echoMigrationIndication(false).migrationHook(false).build(),
                AuthorizationPolicy.allowAll(), null);
        Station st = bed.station("p1");
        AssociationTlv a = st.ask(tlv(VdpTlvType.ASSOCIATE, vsi(1), VsiStatus.request().migrationIndicationValid(true).m(true).build(),
                FilterFormat.GROUPID_MAC_VID, gmv(5001, 1, 0)));
        assertSuccess(a);
        assertThat(a.status().migrationIndicationValid()).isFalse();
        assertThat(bed.dataPlane).contains("activated " + vsi(1)).doesNotContain("migrated " + vsi(1));
    }

    @Test
    void associate_then_pre_associate_deactivates_and_withdraws_the_forwarding_view() {
        NnveTestBed bed = new NnveTestBed();
        Station st = bed.station("p1");
        int tag = vid(st.ask(assoc(vsi(1), gmv(5001, 1, 0))));
        assertThat(bed.memoryNva.mappings(NvaView.FORWARDING)).containsExactly(mapping(5001, 1));
        assertThat(bed.nnve.dataPlaneView().activeTsis()).hasSize(1);
        AssociationTlv r = st.ask(pre(vsi(1), gmv(5001, 1, 0)));
        assertSuccess(r);
        assertThat(vid(r)).isEqualTo(tag);
        assertThat(bed.memoryNva.mappings(NvaView.FORWARDING)).isEmpty();
        assertThat(bed.memoryNva.mappings(NvaView.MAPPING)).containsExactly(mapping(5001, 1));
        assertThat(bed.nnve.tsi(st.key(vsi(1)))).get().extracting(TsiView::state).isEqualTo(TsiState.ASSOCIATED);
        assertThat(bed.nnve.vap("p1", VN1)).get().extracting(VapView::tag).isEqualTo(LocalTag.of(tag));
        assertThat(bed.nnve.dataPlaneView().activeTsis()).isEmpty();
        assertThat(bed.dataPlane).containsSubsequence("activated " + vsi(1), "deactivated " + vsi(1));
        assertThat(bed.events(TsiEvent.class)).last().satisfies(e -> {
            assertThat(e.oldState()).isEqualTo(TsiState.ACTIVATED);
            assertThat(e.newState()).isEqualTo(TsiState.ASSOCIATED);
            assertThat(e.why()).contains("deactivate");
        });
    }

    @Test
    void de_associate_frees_the_tag_when_the_last_tsi_of_the_vn_goes() {
        NnveTestBed bed = new NnveTestBed();
        Station st = bed.station("p1");
        int tag = vid(st.ask(assoc(vsi(1), gmv(5001, 1, 0))));
        st.ask(pre(vsi(2), gmv(5001, 2, 0)));
        AssociationTlv d1 = st.ask(deassoc(vsi(1), gmv(5001, 1, 0)));
        assertSuccess(d1);
        assertThat(vid(d1)).isEqualTo(tag);
        assertThat(bed.nnve.vap("p1", VN1)).get().extracting(VapView::associatedTsis).isEqualTo(1);
        assertSuccess(st.ask(deassoc(vsi(2), gmv(5001, 2, 0))));
        assertThat(bed.nnve.vap("p1", VN1)).isEmpty();
        assertThat(bed.nnve.dataPlaneView().vnOfTag("p1", LocalTag.of(tag))).isEmpty();
        assertThat(bed.nnve.tsis()).isEmpty();
        assertThat(bed.memoryNva.mappings(NvaView.MAPPING)).isEmpty();
        assertThat(bed.memoryNva.mappings(NvaView.FORWARDING)).isEmpty();
        assertThat(bed.events(VapEvent.class)).last().satisfies(e -> {
            assertThat(e.oldState()).isEqualTo(VapState.VN_CONNECTED);
            assertThat(e.newState()).isEqualTo(VapState.VN_DISCONNECTED);
            assertThat(e.tag()).isEqualTo(LocalTag.of(tag));
        });
        assertThat(bed.dataPlane).contains("unmapped p1 5001 " + tag);
    }

    @Test
    void a_released_tag_is_reused_by_the_next_vn() {
        NnveTestBed bed = new NnveTestBed(NnveConfig.builder().tagRange(10, 10).build(), AuthorizationPolicy.allowAll(), null);
        Station st = bed.station("p1");
        assertThat(vid(st.ask(pre(vsi(1), gmv(5001, 1, 0))))).isEqualTo(10);
        assertSuccess(st.ask(deassoc(vsi(1), gmv(5001, 1, 0))));
        AssociationTlv r = st.ask(pre(vsi(2), gmv(5002, 2, 0)));
        assertSuccess(r);
        assertThat(vid(r)).isEqualTo(10);
        assertThat(bed.nnve.dataPlaneView().vnOfTag("p1", LocalTag.of(10))).contains(VN2);
    }

    @Test
    void a_station_keep_alive_refreshes_the_vsi_without_changing_it() {
        NnveTestBed bed = new NnveTestBed();
        Station st = bed.station("p1");
        int tag = vid(st.ask(assoc(vsi(1), gmv(5001, 1, 0))));
        int eventsBefore = bed.events.size();
        for (int i = 0; i < 6; i++) {
            bed.advance(NnveTestBed.TIMERS.keepAlive().minusMillis(300));
            AssociationTlv r = st.ask(assoc(vsi(1), gmv(5001, 1, 0)));
            assertSuccess(r);
            assertThat(vid(r)).isEqualTo(tag);
        }
        assertThat(Duration.ofNanos(bed.clock.nanoTime())).isGreaterThan(NnveTestBed.TIMERS.bridgeKeepAliveTimeout().multipliedBy(3));
        assertThat(bed.nnve.tsi(st.key(vsi(1)))).get().extracting(TsiView::state).isEqualTo(TsiState.ACTIVATED);
        assertThat(st.bridgeDeassociates()).isEmpty();
        assertThat(bed.events).hasSize(eventsBefore);
        assertThat(bed.nnve.counters().refreshes()).isEqualTo(6);
        assertThat(bed.nnve.counters().keepAliveTimeouts()).isZero();
    }

    @Test
    void a_keep_alive_timeout_sends_an_unsolicited_de_associate_and_frees_everything() {
        NnveTestBed bed = new NnveTestBed();
        Station st = bed.station("p1");
        int tag = vid(st.ask(assoc(vsi(1), gmv(5001, 1, 0), gmv(5001, 2, 0))));
        bed.advance(NnveTestBed.TIMERS.bridgeKeepAliveTimeout().multipliedBy(5).dividedBy(4).plusSeconds(1));
        assertThat(st.bridgeDeassociates()).singleElement().satisfies(d -> {
            assertThat(d.vsiId()).isEqualTo(vsi(1));
            assertThat(d.status().isResponse()).isFalse();
            assertThat(d.typeId()).isEqualTo(7);
            assertThat(d.filter().entries()).hasSize(2).allSatisfy(e -> assertThat(e.vid()).isEqualTo(tag));
        });
        assertThat(bed.nnve.tsis()).isEmpty();
        assertThat(bed.nnve.vaps()).isEmpty();
        assertThat(bed.memoryNva.mappings(NvaView.MAPPING)).isEmpty();
        assertThat(bed.memoryNva.mappings(NvaView.FORWARDING)).isEmpty();
        assertThat(bed.nnve.counters().keepAliveTimeouts()).isEqualTo(1);
        assertThat(bed.nnve.counters().bridgeDeassociates()).isEqualTo(1);
        assertThat(bed.nnve.port("p1")).get().extracting(NnvePort::tsiCount).isEqualTo(0);
    }

    @Test
    void a_vid_that_is_another_vns_tag_is_answered_error_5_with_keep_and_the_state_is_unchanged() {
        NnveTestBed bed = new NnveTestBed();
        Station st = bed.station("p1");
        int tag = vid(st.ask(pre(vsi(1), gmv(5001, 1, 0))));
        int other = vid(st.ask(pre(vsi(9), gmv(5002, 9, 0))));
        // Another VSI of the VN asks for a VID that is the tag of another VN.
        AssociationTlv r = st.ask(pre(vsi(2), gmv(5001, 2, other)));
        assertRefused(r, VdpErrorCode.INVALID_VID_GROUPID_OR_MAC);
        assertThat(vid(r)).isEqualTo(other);
        assertThat(bed.nnve.tsi(st.key(vsi(2)))).isEmpty();
        // The held VSI asks to activate with that VID: refused, still Associated with its tag.
        assertRefused(st.ask(assoc(vsi(1), gmv(5001, 1, other))), VdpErrorCode.INVALID_VID_GROUPID_OR_MAC);
        assertThat(bed.nnve.tsi(st.key(vsi(1)))).get().satisfies(v -> {
            assertThat(v.state()).isEqualTo(TsiState.ASSOCIATED);
            assertThat(v.tag()).isEqualTo(LocalTag.of(tag));
        });
        assertThat(bed.memoryNva.mappings(NvaView.FORWARDING)).isEmpty();
        // A new VN asking for the tag of another VN: refused; asking for a free VID: it gets it.
        assertRefused(st.ask(pre(vsi(3), gmv(5003, 3, other))), VdpErrorCode.INVALID_VID_GROUPID_OR_MAC);
        assertThat(bed.nnve.vap("p1", VnId.of(5003))).isEmpty();
        AssociationTlv ok = st.ask(pre(vsi(3), gmv(5003, 3, 777)));
        assertSuccess(ok);
        assertThat(vid(ok)).isEqualTo(777);
        // And the VID equal to the VN's tag is accepted.
        assertSuccess(st.ask(pre(vsi(4), gmv(5001, 4, tag))));
        assertThat(bed.events(RefusalEvent.class)).hasSize(3)
                .allSatisfy(e -> assertThat(e.error()).isEqualTo(VdpErrorCode.INVALID_VID_GROUPID_OR_MAC));
    }

    @Test
    void an_exhausted_tag_pool_is_answered_error_2() {
        NnveTestBed bed = new NnveTestBed(NnveConfig.builder().tagRange(10, 11).build(), AuthorizationPolicy.allowAll(), null);
        Station st = bed.station("p1");
        assertSuccess(st.ask(pre(vsi(1), gmv(5001, 1, 0))));
        assertSuccess(st.ask(pre(vsi(2), gmv(5002, 2, 0))));
        AssociationTlv r = st.ask(pre(vsi(3), gmv(5003, 3, 0)));
        assertRefused(r, VdpErrorCode.INSUFFICIENT_RESOURCES);
        assertThat(vid(r)).isZero();
        assertThat(bed.nnve.vaps()).hasSize(2);
        // A VN already connected still takes more TSIs.
        assertSuccess(st.ask(pre(vsi(4), gmv(5001, 4, 0))));
    }

    @Test
    void a_tsi_limit_per_port_or_in_total_is_answered_error_2() {
        NnveTestBed bed = new NnveTestBed(NnveConfig.builder().maxTsisPerPort(2).maxTsis(3).build(), AuthorizationPolicy.allowAll(), null);
        Station p1 = bed.station("p1");
        Station p2 = bed.station("p2");
        assertSuccess(p1.ask(pre(vsi(1), gmv(5001, 1, 0))));
        assertSuccess(p1.ask(pre(vsi(2), gmv(5001, 2, 0))));
        assertRefused(p1.ask(pre(vsi(3), gmv(5001, 3, 0))), VdpErrorCode.INSUFFICIENT_RESOURCES);
        assertSuccess(p2.ask(pre(vsi(4), gmv(5002, 4, 0))));
        assertRefused(p2.ask(pre(vsi(5), gmv(5001, 5, 0))), VdpErrorCode.INSUFFICIENT_RESOURCES);
        // A held TSI is not counted twice: its updates still go through at the limit.
        assertSuccess(p1.ask(assoc(vsi(1), gmv(5001, 1, 0))));
        assertThat(bed.nnve.totalTsis()).isEqualTo(3);
        assertThat(bed.nnve.vap("p2", VN1)).isEmpty();
    }

    @Test
    void a_policy_refusing_the_vn_is_answered_error_4_and_an_address_outside_it_error_5() throws Exception {
        PolicyFile policy = PolicyFile.parse("""
                # only VN 5001, only MACs 02:00:00:00:00:00..0f
                allow vn 5001 manager snvmgr addresses 02:00:00:00:00:00/ff:ff:ff:ff:ff:f0
                """);
        NnveTestBed bed = new NnveTestBed(NnveConfig.DEFAULT, policy, null);
        Station st = bed.station("p1");
        assertSuccess(st.ask(pre(vsi(1), gmv(5001, 1, 0))));
        assertRefused(st.ask(pre(vsi(2), gmv(5002, 2, 0))), VdpErrorCode.OTHER_FAILURE);
        assertRefused(st.ask(pre(vsi(3), gmv(5001, 0x20, 0))), VdpErrorCode.INVALID_VID_GROUPID_OR_MAC);
        // An address update of a held TSI is checked again; the TSI keeps its old addresses.
        assertRefused(st.ask(pre(vsi(1), gmv(5001, 1, 0), gmv(5001, 0x21, 0))), VdpErrorCode.INVALID_VID_GROUPID_OR_MAC);
        assertThat(bed.nnve.tsi(st.key(vsi(1)))).get().extracting(v -> v.filter().entries().size()).isEqualTo(1);
        assertThat(bed.nnve.vap("p1", VN2)).isEmpty();
        assertThat(bed.events(RefusalEvent.class)).extracting(RefusalEvent::why)
                .anySatisfy(w -> assertThat(w).contains("default deny"))
                .anySatisfy(w -> assertThat(w).contains("line 2").contains("02:00:00:00:00:20"));
    }

    @Test
    void a_vn_the_nva_does_not_know_is_answered_error_5() {
        NnveTestBed bed = new NnveTestBed();
        Station st = bed.station("p1");
        assertRefused(st.ask(pre(vsi(1), gmv(6000, 1, 0))), VdpErrorCode.INVALID_VID_GROUPID_OR_MAC);
        assertThat(bed.nnve.vaps()).isEmpty();
        assertThat(bed.nnve.tsis()).isEmpty();
    }

    @Test
    void an_nva_slower_than_the_resource_wait_is_answered_error_3_and_its_late_answer_changes_nothing() {
        NnveTestBed base = new NnveTestBed();
        ControlledNva nva = new ControlledNva(base.memoryNva);
        NnveTestBed bed = new NnveTestBed(NnveConfig.DEFAULT, AuthorizationPolicy.allowAll(), nva);
        nva.store.define(new org.splitnve.nnve.nva.VnContext(VN1, "vn-5001"));
        Station st = bed.station("p1");
        nva.hold = true;
        st.send(pre(vsi(1), gmv(5001, 1, 0)));
        bed.advance(NnveTestBed.TIMERS.resourceWait().minusMillis(100));
        assertThat(st.all()).isEmpty();
        bed.advance(Duration.ofMillis(400));
        assertThat(st.all()).singleElement().satisfies(r -> assertRefused(r, VdpErrorCode.UNABLE_TO_CONTACT_VSI_MANAGER));
        nva.release();
        bed.settle();
        assertThat(st.all()).hasSize(1);
        assertThat(bed.nnve.vaps()).isEmpty();
        assertThat(bed.nnve.counters().nvaTimeouts()).isEqualTo(1);
        // The next request asks the NVA again rather than joining the stuck lookup.
        nva.hold = false;
        assertSuccess(st.ask(pre(vsi(1), gmv(5001, 1, 0))));
        assertThat(nva.asked).hasSize(2);
    }

    @Test
    void a_failing_nva_is_answered_error_3() {
        NnveTestBed base = new NnveTestBed();
        ControlledNva nva = new ControlledNva(base.memoryNva);
        NnveTestBed bed = new NnveTestBed(NnveConfig.DEFAULT, AuthorizationPolicy.allowAll(), nva);
        Station st = bed.station("p1");
        nva.failure = new IllegalStateException("NVA down");
        assertRefused(st.ask(pre(vsi(1), gmv(5001, 1, 0))), VdpErrorCode.UNABLE_TO_CONTACT_VSI_MANAGER);
        assertThat(bed.nnve.counters().nvaFailures()).isEqualTo(1);
    }

    @Test
    void requests_for_one_vsi_do_not_interleave_while_the_nva_resolves() {
        NnveTestBed base = new NnveTestBed();
        ControlledNva nva = new ControlledNva(base.memoryNva);
        NnveTestBed bed = new NnveTestBed(NnveConfig.DEFAULT, AuthorizationPolicy.allowAll(), nva);
        Station st = bed.station("p1");
        nva.hold = true;
        st.send(pre(vsi(1), gmv(5001, 1, 0)));
        bed.settle();
        st.send(assoc(vsi(1), gmv(5001, 1, 0)));
        bed.settle();
        assertThat(st.all()).isEmpty();
        assertThat(nva.asked).hasSize(1);
        nva.release();
        bed.settle();
        List<AssociationTlv> answers = st.all();
        assertThat(answers).extracting(AssociationTlv::type).containsExactly(VdpTlvType.PRE_ASSOCIATE, VdpTlvType.ASSOCIATE);
        answers.forEach(NnveBridgeRulesTest::assertSuccess);
        assertThat(bed.nnve.tsi(st.key(vsi(1)))).get().extracting(TsiView::state).isEqualTo(TsiState.ACTIVATED);
        assertThat(bed.events(TsiEvent.class)).extracting(TsiEvent::newState).containsExactly(TsiState.ASSOCIATED, TsiState.ACTIVATED);
    }

    @Test
    void a_rejected_tlv_is_answered_with_its_error_code_while_the_good_tlv_beside_it_is_served() {
        NnveTestBed bed = new NnveTestBed();
        Station st = bed.station("p1");
        AssociationTlv good = pre(vsi(1), gmv(5001, 1, 0));
        AssociationTlv bad = pre(vsi(2), gmv(5001, 2, 0));
        byte[] pdu = Station.encode(Vdpdu.of(NnveTestBed.MGR, good, bad));
        int secondValue = 2 + 16 + 2 + good.valueLength() + 2;
        pdu[secondValue + AssociationTlv.HEADER_LENGTH] = 0x7E; // no such filter format
        st.sendRawPdu(pdu);
        bed.settle();
        assertThat(st.all()).singleElement().satisfies(r -> {
            assertThat(r.vsiId()).isEqualTo(vsi(1));
            assertSuccess(r);
        });
        List<RejectedTlv> echoed = st.received.stream().flatMap(p -> p.rejected().stream()).toList();
        assertThat(echoed).singleElement().satisfies(r -> {
            assertThat(r.vsiId()).isEqualTo(vsi(2));
            assertThat(r.value()[0] & 0xFF).as("response, keep, error 1").isEqualTo(0x40 | 0x20 | 1);
        });
        assertThat(bed.nnve.counters().rejectedTlvs()).isEqualTo(1);
        assertThat(bed.nnve.tsis()).extracting(v -> v.key().vsiId()).containsExactly(vsi(1));
    }

    @Test
    void m_and_s_together_with_the_migration_indication_are_answered_error_1_echoing_0x80() {
        NnveTestBed bed = new NnveTestBed();
        Station st = bed.station("p1");
        byte[] pdu = Station.encode(Vdpdu.of(NnveTestBed.MGR, assoc(vsi(1), gmv(5001, 1, 0))));
        pdu[2 + 16 + 2] = (byte) (0x80 | 0x20 | 0x10);
        st.sendRawPdu(pdu);
        bed.settle();
        List<RejectedTlv> echoed = st.received.stream().flatMap(p -> p.rejected().stream()).toList();
        List<AssociationTlv> decoded = st.all();
        // The echo itself decodes (its filter is fine), so it may come back as a plain response.
        if (!decoded.isEmpty()) {
            assertThat(decoded).singleElement().satisfies(r -> {
                assertRefused(r, VdpErrorCode.INVALID_FORMAT);
                assertThat(r.status().migrationIndicationValid()).isTrue();
            });
        } else {
            assertThat(echoed).singleElement().satisfies(r -> assertThat(r.value()[0] & 0xFF).isEqualTo(0x80 | 0x40 | 0x20 | 1));
        }
        assertThat(bed.nnve.tsis()).isEmpty();
    }

    @Test
    void disconnect_vn_de_associates_every_tsi_of_the_vn_on_the_port_and_releases_the_tag() throws Exception {
        NnveTestBed bed = new NnveTestBed();
        Station st = bed.station("p1");
        int tag = vid(st.ask(assoc(vsi(1), gmv(5001, 1, 0))));
        st.ask(pre(vsi(2), gmv(5001, 2, 0)));
        st.ask(pre(vsi(3), gmv(5001, 3, 0)));
        st.ask(pre(vsi(4), gmv(5002, 4, 0)));
        CompletableFuture<Void> f = bed.nnve.disconnectVn("p1", VN1, "tenant removed");
        bed.settle();
        assertThat(f).isCompleted();
        f.get();
        assertThat(st.bridgeDeassociates()).extracting(AssociationTlv::vsiId).containsExactlyInAnyOrder(vsi(1), vsi(2), vsi(3));
        assertThat(st.bridgeDeassociates()).allSatisfy(d -> assertThat(vid(d)).isEqualTo(tag));
        assertThat(bed.nnve.vap("p1", VN1)).isEmpty();
        assertThat(bed.nnve.vap("p1", VN2)).isPresent();
        assertThat(bed.nnve.tsis()).extracting(v -> v.key().vsiId()).containsExactly(vsi(4));
        assertThat(bed.memoryNva.mappings(NvaView.MAPPING)).containsExactly(mapping(5002, 4));
        assertThat(bed.events(VapEvent.class)).last().satisfies(e -> assertThat(e.why()).contains("tenant removed"));
        CompletableFuture<Void> again = bed.nnve.disconnectVn("p1", VN1, "again");
        bed.settle();
        assertThatThrownBy(again::get).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(NnveException.UnknownVap.class);
    }

    @Test
    void deassociate_from_the_nve_sends_an_unsolicited_de_associate_and_frees_the_tsi() throws Exception {
        NnveTestBed bed = new NnveTestBed();
        Station st = bed.station("p1");
        st.ask(assoc(vsi(1), gmv(5001, 1, 0)));
        CompletableFuture<Void> f = bed.nnve.deassociate(st.key(vsi(1)), "operator");
        bed.settle();
        assertThat(f).isCompleted();
        f.get();
        assertThat(st.bridgeDeassociates()).singleElement().extracting(AssociationTlv::vsiId).isEqualTo(vsi(1));
        assertThat(bed.nnve.tsis()).isEmpty();
        assertThat(bed.nnve.vaps()).isEmpty();
        assertThat(bed.dataPlane).contains("deactivated " + vsi(1));
        CompletableFuture<Void> again = bed.nnve.deassociate(st.key(vsi(1)), "again");
        bed.settle();
        assertThatThrownBy(again::get).hasCauseInstanceOf(NnveException.UnknownTsi.class);
        // The station's answer to our De-Associate is only counted.
        st.send(deassoc(vsi(1), gmv(5001, 1, 0)).toBuilder().status(VsiStatus.response().build()).build());
        bed.settle();
        assertThat(bed.nnve.counters().stationAcks()).isEqualTo(1);
    }

    @Test
    void a_de_associate_the_station_cannot_receive_frees_the_tsi_and_fails_the_future() {
        NnveTestBed bed = new NnveTestBed();
        Station st = bed.station("p1");
        st.ask(pre(vsi(1), gmv(5001, 1, 0)));
        st.ecp.link().close();
        CompletableFuture<Void> f = bed.nnve.deassociate(st.key(vsi(1)), "operator");
        bed.advance(Duration.ofSeconds(2));
        assertThat(f).isCompletedExceptionally();
        assertThatThrownBy(f::get).hasCauseInstanceOf(NnveException.Undelivered.class);
        assertThat(bed.nnve.tsis()).isEmpty();
        assertThat(bed.nnve.counters().undelivered()).isEqualTo(1);
    }

    @Test
    void the_same_vsi_id_on_two_ports_is_two_instances() {
        NnveTestBed bed = new NnveTestBed();
        Station p1 = bed.station("p1");
        Station p2 = bed.station("p2");
        assertSuccess(p1.ask(assoc(vsi(1), gmv(5001, 1, 0))));
        assertSuccess(p2.ask(pre(vsi(1), gmv(5001, 1, 0))));
        assertThat(bed.nnve.tsis()).hasSize(2);
        assertThat(bed.nnve.tsi(p1.key(vsi(1)))).get().extracting(TsiView::state).isEqualTo(TsiState.ACTIVATED);
        assertThat(bed.nnve.tsi(p2.key(vsi(1)))).get().extracting(TsiView::state).isEqualTo(TsiState.ASSOCIATED);
        assertThat(bed.memoryNva.holders(mapping(5001, 1), NvaView.MAPPING)).isEqualTo(2);
        // The source side goes: the destination keeps its instance and the mapping.
        assertSuccess(p1.ask(deassoc(vsi(1), gmv(5001, 1, 0))));
        assertThat(bed.nnve.tsis()).extracting(TsiView::key).containsExactly(p2.key(vsi(1)));
        assertThat(bed.memoryNva.mappings(NvaView.MAPPING)).containsExactly(mapping(5001, 1));
        assertThat(bed.memoryNva.mappings(NvaView.FORWARDING)).isEmpty();
    }

    @Test
    void an_address_update_republishes_the_mappings() {
        NnveTestBed bed = new NnveTestBed();
        Station st = bed.station("p1");
        st.ask(assoc(vsi(1), gmv(5001, 1, 0)));
        assertSuccess(st.ask(assoc(vsi(1), gmv(5001, 1, 0), gmv(5001, 2, 0))));
        assertThat(bed.memoryNva.mappings(NvaView.FORWARDING)).containsExactlyInAnyOrder(mapping(5001, 1), mapping(5001, 2));
        assertSuccess(st.ask(assoc(vsi(1), gmv(5001, 2, 0))));
        assertThat(bed.memoryNva.mappings(NvaView.MAPPING)).containsExactly(mapping(5001, 2));
        assertThat(bed.memoryNva.mappings(NvaView.FORWARDING)).containsExactly(mapping(5001, 2));
        assertThat(bed.nnve.tsi(st.key(vsi(1)))).get().satisfies(v -> {
            assertThat(v.state()).isEqualTo(TsiState.ACTIVATED);
            assertThat(v.macs()).containsExactly(MacAddress.valueOf("02:00:00:00:00:02"));
        });
        assertThat(bed.events(TsiEvent.class)).last().satisfies(e -> assertThat(e.why()).contains("addresses updated"));
    }

    @Test
    void an_address_set_split_over_two_tlvs_is_one_request_and_each_tlv_is_answered() {
        NnveTestBed bed = new NnveTestBed();
        Station st = bed.station("p1");
        List<AssociationTlv> answers = st.exchange(pre(vsi(1), gmv(5001, 1, 0)), pre(vsi(1), gmv(5001, 2, 0)));
        assertThat(answers).hasSize(2);
        answers.forEach(NnveBridgeRulesTest::assertSuccess);
        assertThat(answers.get(0).filter().entries().get(0).mac()).isEqualTo(MacAddress.valueOf("02:00:00:00:00:01"));
        assertThat(answers.get(1).filter().entries().get(0).mac()).isEqualTo(MacAddress.valueOf("02:00:00:00:00:02"));
        assertThat(bed.nnve.tsi(st.key(vsi(1)))).get().extracting(v -> v.filter().entries().size()).isEqualTo(2);
        assertThat(bed.nnve.counters().requests()).isEqualTo(1);
    }

    @Test
    void a_vsi_asking_for_another_vn_is_refused_error_5_until_it_is_de_associated() {
        NnveTestBed bed = new NnveTestBed();
        Station st = bed.station("p1");
        st.ask(pre(vsi(1), gmv(5001, 1, 0)));
        assertRefused(st.ask(pre(vsi(1), gmv(5002, 1, 0))), VdpErrorCode.INVALID_VID_GROUPID_OR_MAC);
        assertThat(bed.nnve.tsi(st.key(vsi(1)))).get().extracting(TsiView::vn).isEqualTo(VN1);
        assertThat(bed.nnve.vap("p1", VN2)).isEmpty();
        st.ask(deassoc(vsi(1), gmv(5001, 1, 0)));
        assertSuccess(st.ask(pre(vsi(1), gmv(5002, 1, 0))));
    }

    @Test
    void entries_naming_two_vns_are_refused_error_5() {
        NnveTestBed bed = new NnveTestBed();
        Station st = bed.station("p1");
        assertRefused(st.ask(pre(vsi(1), gmv(5001, 1, 0), gmv(5002, 2, 0))), VdpErrorCode.INVALID_VID_GROUPID_OR_MAC);
        assertThat(bed.nnve.vaps()).isEmpty();
    }

    @Test
    void a_filter_without_groupid_names_its_vn_by_the_tag_on_the_port() {
        NnveTestBed bed = new NnveTestBed();
        Station st = bed.station("p1");
        int tag = vid(st.ask(pre(vsi(1), gmv(5001, 1, 0))));
        FilterEntry byTag = FilterEntry.builder().mac(MacAddress.valueOf("02:00:00:00:00:02")).vid(tag).build();
        assertSuccess(st.ask(tlv(VdpTlvType.PRE_ASSOCIATE, vsi(2), VsiStatus.REQUEST, FilterFormat.MAC_VID, byTag)));
        assertThat(bed.nnve.tsi(st.key(vsi(2)))).get().extracting(TsiView::vn).isEqualTo(VN1);
        FilterEntry unknownTag = FilterEntry.builder().mac(MacAddress.valueOf("02:00:00:00:00:03")).vid(tag + 1).build();
        assertRefused(st.ask(tlv(VdpTlvType.PRE_ASSOCIATE, vsi(3), VsiStatus.REQUEST, FilterFormat.MAC_VID, unknownTag)),
                VdpErrorCode.INVALID_VID_GROUPID_OR_MAC);
        FilterEntry nullVid = FilterEntry.builder().vid(0).build();
        assertRefused(st.ask(tlv(VdpTlvType.PRE_ASSOCIATE, vsi(4), VsiStatus.REQUEST, FilterFormat.VID, nullVid)),
                VdpErrorCode.INVALID_VID_GROUPID_OR_MAC);
    }

    @Test
    void a_de_associate_for_an_unknown_vsi_is_answered_success_and_counted() {
        NnveTestBed bed = new NnveTestBed();
        Station st = bed.station("p1");
        assertSuccess(st.ask(deassoc(vsi(1), gmv(5001, 1, 0))));
        assertThat(bed.nnve.counters().unknownDeassociates()).isEqualTo(1);
        assertThat(bed.nnve.tsis()).isEmpty();
        assertThat(bed.nnve.port("p1").get().instances()).isEmpty();
    }

    @Test
    void a_response_bit_tlv_arriving_at_the_bridge_is_ignored_and_counted() {
        NnveTestBed bed = new NnveTestBed();
        Station st = bed.station("p1");
        st.send(pre(vsi(1), gmv(5001, 1, 0)).toBuilder().status(VsiStatus.response().build()).build());
        bed.settle();
        assertThat(st.all()).isEmpty();
        assertThat(bed.nnve.counters().unexpectedResponses()).isEqualTo(1);
        assertThat(bed.nnve.tsis()).isEmpty();
    }

    @Test
    void a_listener_that_throws_does_not_break_the_bridge() {
        NnveTestBed bed = new NnveTestBed();
        bed.nnve.addListener(new NnveListener() {
            @Override
            public void onTsi(TsiEvent e) {
                throw new IllegalStateException("observer bug");
            }

            @Override
            public void onVap(VapEvent e) {
                throw new IllegalStateException("observer bug");
            }
        });
        bed.nnve.dataPlaneView().addListener(new DataPlaneListener() {
            @Override
            public void onTsiActivated(TsiView tsi) {
                throw new IllegalStateException("data plane bug");
            }
        });
        Station st = bed.station("p1");
        assertSuccess(st.ask(assoc(vsi(1), gmv(5001, 1, 0))));
        assertThat(bed.nnve.tsi(st.key(vsi(1)))).get().extracting(TsiView::state).isEqualTo(TsiState.ACTIVATED);
        assertThat(bed.nnve.counters().listenerFailures()).isEqualTo(3);
    }

    @Test
    void counters_count_responses_by_error_code() {
        NnveTestBed bed = new NnveTestBed();
        Station st = bed.station("p1");
        st.ask(pre(vsi(1), gmv(5001, 1, 0)));
        st.ask(pre(vsi(2), gmv(6000, 2, 0)));
        NnveCounters c = bed.nnve.counters();
        assertThat(c.requests()).isEqualTo(2);
        assertThat(c.responses()).isEqualTo(2);
        assertThat(c.responses(0)).isEqualTo(1);
        assertThat(c.responses(5)).isEqualTo(1);
        assertThat(c.refusals()).isEqualTo(1);
    }
}
