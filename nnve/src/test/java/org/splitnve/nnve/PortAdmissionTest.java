package org.splitnve.nnve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitnve.nnve.NnveTestBed.assoc;
import static org.splitnve.nnve.NnveTestBed.gmv;
import static org.splitnve.nnve.NnveTestBed.pre;
import static org.splitnve.nnve.NnveTestBed.vsi;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.splitnve.ecptransport.auth.AuthorizationEvent;
import org.splitnve.ecptransport.auth.AuthorizationEvent.Reason;
import org.splitnve.ecptransport.auth.AuthorizationTable;
import org.splitnve.nnve.policy.AuthorizationPolicy;
import org.splitnve.nnve.policy.AuthorizationRequest;
import org.splitnve.nnve.policy.PolicyFile;
import org.splitnve.vdpcore.vdp.AssociationTlv;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VdpErrorCode;
import org.splitnve.vdpcore.vdp.VsiStatus;

/** Req-11 at the bridge: VDP served only to stations authorized on the port, and what an ended authorization undoes. */
class PortAdmissionTest {

    private final List<AuthorizationRequest> asked = new CopyOnWriteArrayList<>();
    private final AuthorizationPolicy recording = r -> {
        asked.add(r);
        return AuthorizationPolicy.allowAll().authorize(r);
    };

    /** A station on port p1, authorized there by 802.1X as {@code hv1}. */
    private static NnveTestBed.Station authorized(NnveTestBed bed, AuthorizationTable auth) {
        NnveTestBed.Station st = bed.station("p1", auth);
        auth.authorize(st.mac, "hv1", Reason.AUTHENTICATED, "EAP-TLS");
        bed.settle();
        return st;
    }

    @Test
    void a_station_not_authorized_on_the_port_gets_no_answer_no_tsi_and_no_vap_and_is_counted() {
        NnveTestBed bed = new NnveTestBed(NnveConfig.DEFAULT, recording, null);
        AuthorizationTable auth = new AuthorizationTable("p1");
        NnveTestBed.Station st = bed.station("p1", auth);

        assertThat(st.exchange(assoc(vsi(1), gmv(5001, 1, 0)))).isEmpty();
        assertThat(st.exchange(pre(vsi(2), gmv(5002, 2, 0)))).isEmpty();

        assertThat(bed.nnve.tsis()).isEmpty();
        assertThat(bed.nnve.vaps()).isEmpty();
        assertThat(asked).as("not even the policy is asked").isEmpty();
        assertThat(bed.events(RefusalEvent.class)).isEmpty();
        assertThat(bed.nnve.port("p1").orElseThrow().admission().unauthorizedVdpdus()).isEqualTo(2);
    }

    @Test
    void once_authorized_the_station_associates_and_its_eap_identity_reaches_the_policy() {
        NnveTestBed bed = new NnveTestBed(NnveConfig.DEFAULT, recording, null);
        NnveTestBed.Station st = authorized(bed, new AuthorizationTable("p1"));
        AssociationTlv answer = st.ask(assoc(vsi(1), gmv(5001, 1, 0)));

        assertThat(answer.status().error()).isEqualTo(VdpErrorCode.SUCCESS);
        assertThat(bed.nnve.tsi(st.key(vsi(1)))).get().extracting(TsiView::state).isEqualTo(TsiState.ACTIVATED);
        assertThat(asked).singleElement().extracting(AuthorizationRequest::identity).isEqualTo(java.util.Optional.of("hv1"));
        assertThat(bed.events(AuthorizationEvent.class)).singleElement()
                .satisfies(e -> assertThat(e.identity()).isEqualTo("hv1"));
    }

    @Test
    void an_ended_authorization_de_associates_every_tsi_of_that_station_with_the_reason_and_no_other() {
        NnveTestBed bed = new NnveTestBed(NnveConfig.DEFAULT, recording, null);
        AuthorizationTable auth1 = new AuthorizationTable("p1");
        AuthorizationTable auth2 = new AuthorizationTable("p2");
        NnveTestBed.Station st = bed.station("p1", auth1);
        NnveTestBed.Station other = bed.station("p2", auth2);
        auth1.authorize(st.mac, "hv1", Reason.AUTHENTICATED, "EAP-TLS");
        auth2.authorize(other.mac, "hv2", Reason.AUTHENTICATED, "EAP-TLS");
        bed.settle();
        st.ask(assoc(vsi(1), gmv(5001, 1, 0)));
        st.ask(pre(vsi(2), gmv(5001, 2, 0)));
        st.ask(assoc(vsi(3), gmv(5002, 3, 0)));
        other.ask(assoc(vsi(4), gmv(5001, 4, 0)));

        auth1.unauthorize(st.mac, Reason.LOGOFF, "EAPOL-Logoff");
        bed.settle();

        assertThat(bed.nnve.tsis()).extracting(v -> v.key().vsiId()).containsExactly(vsi(4));
        assertThat(st.bridgeDeassociates()).extracting(AssociationTlv::vsiId).containsExactlyInAnyOrder(vsi(1), vsi(2), vsi(3));
        assertThat(bed.events(TsiEvent.class)).filteredOn(e -> e.newState() == TsiState.INIT)
                .allSatisfy(e -> assertThat(e.why()).contains("802.1X: LOGOFF").contains("hv1")).hasSize(3);
        assertThat(bed.nnve.vap("p1", org.splitnve.vdpcore.vdp.VnId.of(5001))).as("VN_Disconnect with the last TSI").isEmpty();
        assertThat(bed.nnve.port("p1").orElseThrow().admission().deassociations()).isEqualTo(3);

        // And the station is not served any more.
        assertThat(st.exchange(assoc(vsi(1), gmv(5001, 1, 0)))).isEmpty();
        assertThat(bed.nnve.tsis()).hasSize(1);
    }

    @Test
    void a_request_already_queued_when_the_authorization_ends_is_undone_right_after_it() {
        NnveTestBed bed = new NnveTestBed(NnveConfig.DEFAULT, recording, null);
        AuthorizationTable auth = new AuthorizationTable("p1");
        NnveTestBed.Station st = authorized(bed, auth);

        // The request reaches the bridge's protocol thread before the end of the authorization does.
        st.send(assoc(vsi(1), gmv(5001, 1, 0)));
        bed.clock.runUntil(() -> !bed.nnve.tsis().isEmpty(), java.time.Duration.ofSeconds(1));
        auth.unauthorize(st.mac, Reason.AUTHENTICATION_FAILED, "re-authentication failed");
        bed.settle();

        assertThat(bed.nnve.tsis()).isEmpty();
        assertThat(st.bridgeDeassociates()).extracting(AssociationTlv::vsiId).containsExactly(vsi(1));
    }

    @Test
    void an_identity_the_policy_does_not_allow_on_a_vn_is_refused_that_vn_and_allowed_its_own() throws Exception {
        PolicyFile policy = PolicyFile.parse("""
                allow identity hv1 vn 5001
                allow identity lab-* vn 5002
                """);
        NnveTestBed bed = new NnveTestBed(NnveConfig.DEFAULT, policy, null);
        NnveTestBed.Station st = authorized(bed, new AuthorizationTable("p1"));

        assertThat(st.ask(assoc(vsi(1), gmv(5001, 1, 0))).status().error()).isEqualTo(VdpErrorCode.SUCCESS);
        AssociationTlv refused = st.ask(assoc(vsi(2), gmv(5002, 2, 0)));
        assertThat(refused.status().error()).isEqualTo(VdpErrorCode.OTHER_FAILURE);
        assertThat(bed.events(RefusalEvent.class)).singleElement().satisfies(r -> assertThat(r.why()).contains("identity 'hv1'"));
    }

    @Test
    void a_station_confirms_the_de_associates_of_its_ended_authorization_and_is_served_at_once_when_authorized_again() {
        NnveTestBed bed = new NnveTestBed(NnveConfig.DEFAULT, recording, null);
        AuthorizationTable auth = new AuthorizationTable("p1");
        NnveTestBed.Station st = authorized(bed, auth);
        st.ask(assoc(vsi(1), gmv(5001, 1, 0)));

        auth.unauthorize(st.mac, Reason.LOGOFF, "EAPOL-Logoff");
        bed.settle();
        // The station, unauthorized now, confirms the De-Associate as a tNVE does: a response creates nothing, so the
        // bridge takes it; otherwise its own De-Associate would stay open and refuse the station's next request.
        for (AssociationTlv t : st.bridgeDeassociates()) {
            st.channel.reply(st.bridgeMac, NnveTestBed.MGR, List.of(t.toBuilder().status(VsiStatus.response().build()).build()));
        }
        bed.settle();
        assertThat(bed.nnve.port("p1").orElseThrow().admission().unauthorizedVdpdus()).as("a VDPDU of responses is not dropped").isZero();

        auth.authorize(st.mac, "hv1", Reason.AUTHENTICATED, "EAP-TLS");
        bed.settle();
        AssociationTlv again = st.ask(assoc(vsi(1), gmv(5001, 1, 0)));

        assertThat(again.status().error()).as("not refused as crossing the nNVE's De-Associate").isEqualTo(VdpErrorCode.SUCCESS);
        assertThat(bed.nnve.tsi(st.key(vsi(1)))).get().extracting(TsiView::state).isEqualTo(TsiState.ACTIVATED);
    }
}
