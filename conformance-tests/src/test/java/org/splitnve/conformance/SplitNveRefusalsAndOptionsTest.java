package org.splitnve.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitnve.conformance.SplitNveTestBed.VN1;
import static org.splitnve.conformance.SplitNveTestBed.VN2;
import static org.splitnve.conformance.SplitNveTestBed.spec;
import static org.splitnve.conformance.SplitNveTestBed.vsi;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.splitnve.nnve.nva.InMemoryNva;
import org.splitnve.nnve.nva.Nva;
import org.splitnve.nnve.nva.TsiMapping;
import org.splitnve.nnve.nva.VnContext;
import org.splitnve.tnve.ResponseTimeoutException;
import org.junit.jupiter.api.Test;
import org.splitnve.conformance.SplitNveTestBed.Bridge;
import org.splitnve.conformance.SplitNveTestBed.Host;
import org.splitnve.ecptransport.link.LinkFaults;
import org.splitnve.nnve.NnveConfig;
import org.splitnve.nnve.TagDomain;
import org.splitnve.nnve.VapView;
import org.splitnve.nnve.nva.NvaView;
import org.splitnve.nnve.policy.AuthorizationPolicy;
import org.splitnve.tnve.Migration;
import org.splitnve.tnve.RequestTooLargeException;
import org.splitnve.tnve.TsiAddress;
import org.splitnve.tnve.TsiResult;
import org.splitnve.tnve.TsiSpec;
import org.splitnve.nnve.TsiView;
import org.splitnve.vdpcore.Seeds;
import org.splitnve.vdpcore.vdp.VdpTlvType;
import org.splitnve.tnve.VdpRefusedException;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.AssociationTlv;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VdpErrorCode;
import org.splitnve.vdpcore.vdp.VnId;

/**
 * What the nNVE refuses and how the tNVE reports it, and the nNVE options a station sees: every
 * refusal is a typed failure with the VDP error code on the station and leaves both sides as they
 * were; tag domains and the migration indication echo change what the station learns.
 */
class SplitNveRefusalsAndOptionsTest {

    static final MacAddress HV1 = MacAddress.valueOf("02:00:00:00:0a:01");
    static final MacAddress HV2 = MacAddress.valueOf("02:00:00:00:0a:02");
    static final MacAddress NNVE1 = MacAddress.valueOf("02:00:00:00:0b:01");

    final SplitNveTestBed bed = new SplitNveTestBed();

    private Bridge nnve(NnveConfig config) {
        return bed.nnve("nnve1", NNVE1, config, AuthorizationPolicy.allowAll(), SplitNveTestBed.nva());
    }

    @Test
    void a_tsi_beyond_the_port_limit_is_refused_with_insufficient_resources_and_the_held_ones_stay() {
        Bridge n = nnve(NnveConfig.builder().nveName("nnve1").maxTsisPerPort(3).build());
        Host h = bed.directHost("hv1", HV1, n, LinkFaults.NONE);
        for (int i = 1; i <= 3; i++) {
            bed.await(h.tnve.activate(spec(i, VN1), Migration.NONE));
        }

        Throwable t = bed.failure(h.tnve.activate(spec(4, VN1), Migration.NONE));

        assertThat(t).isInstanceOf(VdpRefusedException.class);
        assertThat(((VdpRefusedException) t).error()).isEqualTo(VdpErrorCode.INSUFFICIENT_RESOURCES);
        assertThat(h.tnve.state(vsi(4))).isEqualTo(TsiState.INIT);
        assertThat(n.state(h, vsi(4))).isEqualTo(TsiState.INIT);
        assertThat(n.nnve.totalTsis()).isEqualTo(3);
        assertThat(n.vap(VN1).orElseThrow().associatedTsis()).isEqualTo(3);
        for (int i = 1; i <= 3; i++) {
            assertThat(h.tnve.state(vsi(i))).isEqualTo(TsiState.ACTIVATED);
        }
    }

    @Test
    void a_vn_the_nva_does_not_know_is_refused_with_error_5_and_no_vap_is_created() {
        Bridge n = nnve(NnveConfig.builder().nveName("nnve1").build());
        Host h = bed.directHost("hv1", HV1, n, LinkFaults.NONE);
        VnId unknown = VnId.of(7777);

        Throwable t = bed.failure(h.tnve.activate(spec(1, unknown), Migration.NONE));

        assertThat(t).isInstanceOf(VdpRefusedException.class);
        assertThat(((VdpRefusedException) t).error()).isEqualTo(VdpErrorCode.INVALID_VID_GROUPID_OR_MAC);
        assertThat(h.tnve.state(vsi(1))).isEqualTo(TsiState.INIT);
        assertThat(h.tnve.localTag(unknown)).isEmpty();
        assertThat(n.vap(unknown)).isEmpty();
        assertThat(n.nnve.tsis()).isEmpty();
        assertThat(n.nva.mappings(NvaView.MAPPING)).isEmpty();
    }

    @Test
    void with_a_shared_tag_domain_a_vn_has_one_tag_on_every_port_and_two_vns_never_share_one() {
        Bridge n = nnve(NnveConfig.builder().nveName("nnve1").tagDomain(TagDomain.SHARED).build());
        Host a = bed.directHost("hv1", HV1, n, LinkFaults.NONE);
        String portA = n.port();
        Host b = bed.directHost("hv2", HV2, n, LinkFaults.NONE);
        String portB = n.port();

        TsiResult a1 = bed.await(a.tnve.activate(spec(1, VN1), Migration.NONE));
        TsiResult b2 = bed.await(b.tnve.activate(spec(2, VN2), Migration.NONE));
        TsiResult b1 = bed.await(b.tnve.activate(spec(3, VN1), Migration.NONE));

        assertThat(a1.tag()).isEqualTo(b1.tag()).isNotEqualTo(b2.tag());
        assertThat(n.nnve.vap(portA, VN1).map(VapView::tag)).contains(a1.tag());
        assertThat(n.nnve.vap(portB, VN1).map(VapView::tag)).contains(a1.tag());
        assertThat(n.nnve.vap(portB, VN2).map(VapView::tag)).contains(b2.tag());
        assertThat(a.tnve.localTag(VN1)).isEqualTo(b.tnve.localTag(VN1));
    }

    @Test
    void with_per_port_tag_domains_each_port_numbers_its_vns_on_its_own() {
        Bridge n = nnve(NnveConfig.builder().nveName("nnve1").build());
        Host a = bed.directHost("hv1", HV1, n, LinkFaults.NONE);
        Host b = bed.directHost("hv2", HV2, n, LinkFaults.NONE);

        LocalTag ta = bed.await(a.tnve.activate(spec(1, VN1), Migration.NONE)).tag();
        LocalTag tb = bed.await(b.tnve.activate(spec(2, VN2), Migration.NONE)).tag();

        assertThat(ta).as("each port's first VN gets the first tag of its own range").isEqualTo(tb);
    }

    @Test
    void an_nnve_that_does_not_echo_the_migration_indication_is_treated_as_legacy_and_gets_no_0x80_afterwards() {
        Bridge n = nnve(NnveConfig.builder().nveName("nnve1").echoMigrationIndication(false).build());
        Host h = bed.directHost("hv1", HV1, n, LinkFaults.NONE);

        bed.await(h.vm.created(spec(1, VN1)));
        assertThat(h.tnve.isLegacy(NNVE1)).isTrue();
        int before = n.receivedTlvs().size();

        bed.await(h.vm.migrateIn(spec(2, VN1)));

        List<AssociationTlv> after = n.receivedTlvs().subList(before, n.receivedTlvs().size()).stream()
                .filter(t -> t.vsiId().equals(vsi(2))).toList();
        assertThat(after).isNotEmpty().allSatisfy(t -> {
            assertThat(t.status().migrationIndicationValid()).isFalse();
            assertThat(t.status().m()).as("M is still sent, as a legacy hint").isTrue();
        });
        assertThat(n.tsi(h, vsi(2)).orElseThrow().migration()).as("M without 0x80 is a migration in, as 802.1Q has it").isTrue();
        assertThat(n.dataPlane(SplitNveTestBed.Migrated.class)).extracting(m -> m.tsi().key().vsiId()).containsExactly(vsi(2));
        assertThat(h.tnve.state(vsi(2))).isEqualTo(TsiState.ACTIVATED);

        bed.await(h.vm.suspended(vsi(1)));
        assertThat(n.state(h, vsi(1))).as("deactivate still works against our nNVE").isEqualTo(TsiState.ASSOCIATED);
        assertThat(h.tnve.state(vsi(1))).isEqualTo(TsiState.ASSOCIATED);
    }
    @Test
    void a_tsi_whose_addresses_overflow_one_tlv_is_split_over_several_and_the_nnve_holds_the_whole_set() {
        Bridge n = nnve(NnveConfig.builder().nveName("nnve1").build());
        Host h = bed.directHost("hv1", HV1, n, SplitNveEndToEndTest.lossy(Seeds.random("split-tlvs").nextLong()));
        List<TsiAddress> many = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            many.add(TsiAddress.macIp(SplitNveTestBed.vmMac(i), SplitNveTestBed.ip("2001:db8::" + Integer.toHexString(i))));
        }
        TsiSpec big = spec(1, VN1, many.toArray(TsiAddress[]::new));

        TsiResult r = bed.await(h.tnve.activate(big, Migration.NONE));

        assertThat(r.state()).as(Seeds.replay()).isEqualTo(TsiState.ACTIVATED);
        TsiView v = n.tsi(h, vsi(1)).orElseThrow();
        assertThat(v.state()).isEqualTo(TsiState.ACTIVATED);
        assertThat(v.filter().entries()).hasSize(40);
        assertThat(n.view(NvaView.FORWARDING)).hasSize(40);
        assertThat(n.receivedTlvs().stream().filter(t -> t.vsiId().equals(vsi(1)) && t.type() == VdpTlvType.ASSOCIATE).count())
                .as("the request went as several TLVs").isGreaterThan(1);

        // Keep-alives of the split set are refreshes, not changes, and a smaller update replaces the whole set.
        long changes = n.nnve.counters().requests() - n.nnve.counters().refreshes();
        bed.run(h.stack.timers().keepAlive().multipliedBy(3));
        assertThat(n.nnve.counters().requests() - n.nnve.counters().refreshes()).as(Seeds.replay()).isEqualTo(changes);
        assertThat(n.state(h, vsi(1))).isEqualTo(TsiState.ACTIVATED);
        bed.await(h.tnve.updateAddresses(vsi(1), many.subList(0, 2)));
        assertThat(n.tsi(h, vsi(1)).orElseThrow().filter().entries()).hasSize(2);
        assertThat(n.view(NvaView.FORWARDING)).hasSize(2);
    }

    @Test
    void a_tsi_whose_addresses_do_not_fit_one_vdpdu_fails_typed_before_anything_is_sent() {
        Bridge n = nnve(NnveConfig.builder().nveName("nnve1").build());
        Host h = bed.directHost("hv1", HV1, n, LinkFaults.NONE);
        List<TsiAddress> tooMany = new ArrayList<>();
        for (int i = 1; i <= 80; i++) {
            tooMany.add(TsiAddress.macIp(SplitNveTestBed.vmMac(i), SplitNveTestBed.ip("2001:db8::" + Integer.toHexString(i))));
        }

        Throwable t = bed.failure(h.tnve.activate(spec(1, VN1, tooMany.toArray(TsiAddress[]::new)), Migration.NONE));

        assertThat(t).isInstanceOf(RequestTooLargeException.class);
        assertThat(h.tnve.state(vsi(1))).isEqualTo(TsiState.INIT);
        assertThat(n.received).isEmpty();
        assertThat(n.nnve.tsis()).isEmpty();
    }
    @Test
    void an_nva_that_does_not_answer_makes_the_nnve_refuse_with_error_3_before_the_station_gives_up_waiting() {
        InMemoryNva views = SplitNveTestBed.nva();
        Nva silent = new Nva() {
            @Override
            public CompletionStage<Optional<VnContext>> vnContext(VnId vn) {
                return new CompletableFuture<>(); // the NVA never answers
            }

            @Override
            public CompletionStage<Void> publish(TsiMapping mapping, NvaView view) {
                return views.publish(mapping, view);
            }

            @Override
            public CompletionStage<Void> withdraw(TsiMapping mapping, NvaView view) {
                return views.withdraw(mapping, view);
            }
        };
        Bridge n = bed.nnve("nnve1", NNVE1, NnveConfig.builder().nveName("nnve1").build(), AuthorizationPolicy.allowAll(), views, silent);
        Host h = bed.directHost("hv1", HV1, n, LinkFaults.NONE);

        Throwable t = bed.failure(h.tnve.activate(spec(1, VN1), Migration.NONE));

        assertThat(t).isInstanceOf(VdpRefusedException.class);
        assertThat(((VdpRefusedException) t).error()).isEqualTo(VdpErrorCode.UNABLE_TO_CONTACT_VSI_MANAGER);
        assertThat(n.stack.timers().resourceWait()).isLessThan(h.stack.timers().responseWait());
        assertThat(n.nnve.counters().nvaTimeouts()).isEqualTo(1);
        assertThat(h.tnve.state(vsi(1))).isEqualTo(TsiState.INIT);
        assertThat(n.nnve.tsis()).isEmpty();
        assertThat(n.vap(VN1)).isEmpty();
    }

    @Test
    void a_request_the_nnve_never_answers_fails_with_a_response_timeout_and_the_vsi_stays_init() {
        Bridge n = nnve(NnveConfig.builder().nveName("nnve1").build());
        Host h = bed.directHost("hv1", HV1, n, LinkFaults.NONE);
        n.nnve.close(); // ECP still acknowledges; VDP answers nothing

        Throwable t = bed.failure(h.tnve.activate(spec(1, VN1), Migration.NONE));

        assertThat(t).isInstanceOf(ResponseTimeoutException.class);
        assertThat(((ResponseTimeoutException) t).waited()).isEqualTo(h.stack.timers().responseWait());
        assertThat(h.tnve.state(vsi(1))).isEqualTo(TsiState.INIT);
        assertThat(h.tnve.localTag(VN1)).isEmpty();
        assertThat(n.nnve.tsis()).isEmpty();
    }
}
