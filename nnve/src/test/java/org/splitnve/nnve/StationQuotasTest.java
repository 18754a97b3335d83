package org.splitnve.nnve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.splitnve.nnve.NnveTestBed.assoc;
import static org.splitnve.nnve.NnveTestBed.gmv;
import static org.splitnve.nnve.NnveTestBed.pre;
import static org.splitnve.nnve.NnveTestBed.vsi;

import org.junit.jupiter.api.Test;
import org.splitnve.nnve.nva.InMemoryNva;
import org.splitnve.nnve.nva.VnContext;
import org.splitnve.nnve.policy.AuthorizationPolicy;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.AssociationTlv;
import org.splitnve.vdpcore.vdp.FilterFormat;
import org.splitnve.vdpcore.vdp.FilterInfo;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VdpErrorCode;
import org.splitnve.vdpcore.vdp.VnId;

/** Quotas per station and port: refusals with error 2 and keep, before the NVA is asked anything. */
class StationQuotasTest {

    private static final MacAddress A = MacAddress.valueOf("02:00:00:00:0a:01");
    private static final MacAddress B = MacAddress.valueOf("02:00:00:00:0a:02");

    private static void assertRefusedWithKeep(AssociationTlv r) {
        assertThat(r.status().error()).as("error of " + r).isEqualTo(VdpErrorCode.INSUFFICIENT_RESOURCES);
        assertThat(r.status().keep()).isTrue();
    }

    /** An NVA that knows VNs 5001..5004 and remembers every VN it is asked for. */
    private static ControlledNva nva() {
        InMemoryNva store = new InMemoryNva();
        for (int vn = 5001; vn <= 5004; vn++) {
            store.define(new VnContext(VnId.of(vn), "vn-" + vn));
        }
        return new ControlledNva(store);
    }

    @Test
    void a_station_at_its_tsi_quota_is_refused_error_2_with_keep_and_its_held_tsis_still_update() {
        NnveTestBed bed = new NnveTestBed(NnveConfig.builder().maxTsisPerStation(2).build(), AuthorizationPolicy.allowAll(), null);
        NnveTestBed.Station st = bed.station("p1");
        assertThat(st.ask(pre(vsi(1), gmv(5001, 1, 0))).status().error()).isEqualTo(VdpErrorCode.SUCCESS);
        assertThat(st.ask(pre(vsi(2), gmv(5001, 2, 0))).status().error()).isEqualTo(VdpErrorCode.SUCCESS);
        assertRefusedWithKeep(st.ask(pre(vsi(3), gmv(5001, 3, 0))));
        assertThat(st.ask(assoc(vsi(1), gmv(5001, 1, 0))).status().error()).isEqualTo(VdpErrorCode.SUCCESS);
        assertThat(bed.nnve.tsi(st.key(vsi(3)))).isEmpty();
        assertThat(bed.nnve.tsi(st.key(vsi(1)))).get().extracting(TsiView::state).isEqualTo(TsiState.ACTIVATED);
    }

    @Test
    void a_station_at_its_vn_quota_is_refused_a_new_vn_before_the_nva_is_asked() {
        ControlledNva nva = nva();
        NnveTestBed bed = new NnveTestBed(NnveConfig.builder().maxVnsPerStation(2).build(), AuthorizationPolicy.allowAll(), nva);
        NnveTestBed.Station st = bed.station("p1");
        st.ask(pre(vsi(1), gmv(5001, 1, 0)));
        st.ask(pre(vsi(2), gmv(5002, 2, 0)));
        assertRefusedWithKeep(st.ask(pre(vsi(3), gmv(5003, 3, 0))));
        assertThat(nva.asked).containsExactly(VnId.of(5001), VnId.of(5002));
        assertThat(bed.nnve.vaps()).hasSize(2);
        // More TSIs in a VN it is in already are within the quota.
        assertThat(st.ask(pre(vsi(4), gmv(5001, 4, 0))).status().error()).isEqualTo(VdpErrorCode.SUCCESS);
    }

    @Test
    void a_port_at_its_vn_quota_connects_no_more_vns_and_asks_the_nva_nothing() {
        ControlledNva nva = nva();
        NnveTestBed bed = new NnveTestBed(NnveConfig.builder().maxVnsPerPort(1).build(), AuthorizationPolicy.allowAll(), nva);
        NnveTestBed.Station st = bed.station("p1");
        st.ask(pre(vsi(1), gmv(5001, 1, 0)));
        assertRefusedWithKeep(st.ask(pre(vsi(2), gmv(5002, 2, 0))));
        assertThat(nva.asked).containsExactly(VnId.of(5001));
    }

    @Test
    void a_port_without_a_free_tag_asks_the_nva_nothing_for_a_new_vn() {
        ControlledNva nva = nva();
        NnveTestBed bed = new NnveTestBed(NnveConfig.builder().tagRange(10, 10).build(), AuthorizationPolicy.allowAll(), nva);
        NnveTestBed.Station st = bed.station("p1");
        st.ask(pre(vsi(1), gmv(5001, 1, 0)));
        assertRefusedWithKeep(st.ask(pre(vsi(2), gmv(5002, 2, 0))));
        assertThat(nva.asked).containsExactly(VnId.of(5001));
    }

    @Test
    void quotas_count_each_station_apart_and_forget_a_station_that_holds_nothing() throws Exception {
        NnveConfig config = NnveConfig.builder().maxTsisPerStation(1).maxVnsPerStation(1).build();
        StationQuotas q = new StationQuotas("p1", config);
        TsiView a1 = view(A, 1, 5001);
        q.check(A, VnId.of(5001), true, false, 0, 0, 0);
        q.changed(A, null, a1);
        assertThatThrownBy(() -> q.check(A, VnId.of(5001), true, true, 1, 1, 1)).isInstanceOf(Refusal.class)
                .hasMessageContaining("limit of 1 TSIs");
        assertThatThrownBy(() -> q.check(A, VnId.of(5002), false, false, 1, 1, 1)).isInstanceOf(Refusal.class)
                .hasMessageContaining("limit of 1 VNs");
        q.check(B, VnId.of(5002), true, false, 1, 1, 1);
        q.changed(A, a1, a1);
        assertThat(q.tsis(A)).isEqualTo(1);
        q.changed(A, a1, null);
        assertThat(q.stations()).isZero();
        assertThat(q.vns(A)).isZero();
    }

    private static TsiView view(MacAddress station, int n, int vn) {
        TsiKey key = new TsiKey("p1", station, vsi(n));
        return new TsiView(key, NnveTestBed.MGR, 7, 1, VnId.of(vn), LocalTag.of(2), TsiState.ASSOCIATED,
                FilterInfo.of(FilterFormat.GROUPID_MAC_VID, gmv(vn, n, 2)), false, 0);
    }
}
