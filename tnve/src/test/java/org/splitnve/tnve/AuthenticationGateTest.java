package org.splitnve.tnve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitnve.tnve.TnveTestBed.STATION;
import static org.splitnve.tnve.TnveTestBed.mac;
import static org.splitnve.tnve.TnveTestBed.spec;
import static org.splitnve.tnve.TnveTestBed.vsi;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.splitnve.ecptransport.auth.AuthorizationEvent;
import org.splitnve.ecptransport.auth.AuthorizationEvent.Reason;
import org.splitnve.ecptransport.auth.AuthorizationTable;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VnId;

/** Req-11 at the station: no VDP without an authenticated port; a lost authentication stops it, a regained one restores. */
class AuthenticationGateTest {

    private static final VnId VN = VnId.of(5001);

    private final AuthorizationTable port = new AuthorizationTable("station");
    private final TnveTestBed bed = TnveTestBed.authenticated(port);

    /** Authenticates the port and lets the settle time pass. */
    private void authenticate() {
        port.authorize(STATION, "hv1", Reason.AUTHENTICATED, "EAP-TLS");
        bed.run(Tnve.AUTHENTICATION_SETTLE.plusMillis(10));
    }

    private void lose(Reason why) {
        port.unauthorize(STATION, why, "test");
        bed.run(Duration.ofMillis(10));
    }

    @Test
    void no_vdp_is_sent_before_the_port_is_authenticated_and_operations_asked_meanwhile_run_once_it_is() {
        CompletableFuture<TsiResult> f = bed.tnve.activate(spec(1, VN, mac(1)), Migration.NONE);
        bed.run(Duration.ofSeconds(60));
        assertThat(bed.bridge().requests).isEmpty();
        assertThat(f).isNotDone();
        assertThat(bed.tnve.authenticated()).isFalse();

        authenticate();

        assertThat(bed.await(f).state()).isEqualTo(TsiState.ACTIVATED);
        assertThat(bed.tnve.authenticated()).isTrue();
        assertThat(bed.events(AuthorizationEvent.class)).singleElement()
                .satisfies(e -> assertThat(e.authorized()).isTrue()).satisfies(e -> assertThat(e.identity()).isEqualTo("hv1"));
    }

    @Test
    void a_lost_authentication_stops_every_request_and_keep_alive_and_a_regained_one_re_associates_what_was_held() {
        authenticate();
        bed.await(bed.tnve.activate(spec(1, VN, mac(1)), Migration.NONE));
        bed.await(bed.tnve.associate(spec(2, VN, mac(2)), Migration.NONE));

        lose(Reason.LOGOFF);
        // The bridge answers the lost authentication as ours does: it de-associates the station's TSIs.
        bed.bridge().deassociate(STATION, vsi(1));
        bed.bridge().deassociate(STATION, vsi(2));
        int before = bed.bridge().requests.size();
        bed.run(Duration.ofSeconds(120));
        assertThat(bed.bridge().requests).as("not even keep-alives").hasSize(before);
        assertThat(bed.tnve.state(vsi(1))).isEqualTo(TsiState.INIT);
        assertThat(bed.tnve.tsi(vsi(1))).as("kept to be restored").get().extracting(TsiStatus::busy).isEqualTo(true);

        authenticate();
        bed.clock.runUntil(() -> bed.bridge().state(vsi(1)) == TsiState.ACTIVATED && bed.bridge().state(vsi(2)) == TsiState.ASSOCIATED,
                Duration.ofSeconds(30));

        assertThat(bed.bridge().state(vsi(1))).isEqualTo(TsiState.ACTIVATED);
        assertThat(bed.bridge().state(vsi(2))).isEqualTo(TsiState.ASSOCIATED);
        assertThat(bed.tnve.state(vsi(1))).isEqualTo(TsiState.ACTIVATED);
        assertThat(bed.tnve.state(vsi(2))).isEqualTo(TsiState.ASSOCIATED);
        assertThat(bed.events(AuthorizationEvent.class)).extracting(AuthorizationEvent::authorized).containsExactly(true, false, true);
    }

    @Test
    void vdp_starts_only_once_the_settle_time_after_the_authentication_has_passed() {
        CompletableFuture<TsiResult> f = bed.tnve.associate(spec(1, VN, mac(1)), Migration.NONE);
        port.authorize(STATION, "hv1", Reason.AUTHENTICATED, "EAP-TLS");
        bed.run(Tnve.AUTHENTICATION_SETTLE.minusMillis(50));
        assertThat(bed.bridge().requests).isEmpty();
        assertThat(bed.tnve.authenticated()).isFalse();
        bed.run(Duration.ofMillis(100));
        assertThat(bed.tnve.authenticated()).isTrue();
        assertThat(bed.await(f).state()).isEqualTo(TsiState.ASSOCIATED);
    }

    @Test
    void tsis_a_bridge_de_associated_just_before_the_station_noticed_the_loss_are_restored_too() {
        authenticate();
        bed.await(bed.tnve.activate(spec(1, VN, mac(1)), Migration.NONE));
        bed.await(bed.tnve.associate(spec(2, VN, mac(2)), Migration.NONE));
        // A logoff: the bridge hears of it first and de-associates; the station notices at its next status read.
        bed.bridge().deassociate(STATION, vsi(1));
        bed.bridge().deassociate(STATION, vsi(2));
        bed.run(Duration.ofSeconds(1));
        assertThat(bed.tnve.tsi(vsi(1))).as("forgotten, as any bridge De-Associate leaves it").isEmpty();
        lose(Reason.LOGOFF);

        authenticate();
        bed.clock.runUntil(() -> bed.bridge().state(vsi(1)) == TsiState.ACTIVATED && bed.bridge().state(vsi(2)) == TsiState.ASSOCIATED,
                Duration.ofSeconds(30));
        assertThat(bed.tnve.state(vsi(1))).isEqualTo(TsiState.ACTIVATED);
        assertThat(bed.tnve.state(vsi(2))).isEqualTo(TsiState.ASSOCIATED);
    }

    @Test
    void a_restore_the_bridge_leaves_unanswered_is_tried_again_until_it_answers() {
        authenticate();
        bed.await(bed.tnve.activate(spec(1, VN, mac(1)), Migration.NONE));
        lose(Reason.AUTHENTICATION_FAILED);
        bed.bridge().deassociate(STATION, vsi(1));
        // The bridge has not heard of the new authentication yet: it drops the first requests.
        int[] dropped = {0};
        bed.bridge().script = r -> dropped[0]++ < 2 ? ScriptedBridge.Answer.SILENT : ScriptedBridge.Answer.SUCCESS;
        authenticate();
        bed.clock.runUntil(() -> bed.bridge().state(vsi(1)) == TsiState.ACTIVATED, Duration.ofSeconds(120));

        assertThat(bed.bridge().state(vsi(1))).isEqualTo(TsiState.ACTIVATED);
        assertThat(bed.tnve.state(vsi(1))).isEqualTo(TsiState.ACTIVATED);
        assertThat(dropped[0]).isGreaterThanOrEqualTo(3);
    }

    @Test
    void operations_asked_while_the_authentication_is_lost_run_after_the_restore_in_the_order_asked() {
        authenticate();
        bed.await(bed.tnve.activate(spec(1, VN, mac(1)), Migration.NONE));
        lose(Reason.AUTHENTICATION_FAILED);
        bed.bridge().deassociate(STATION, vsi(1));
        bed.run(Duration.ofSeconds(1));

        CompletableFuture<TsiResult> gone = bed.tnve.deassociate(vsi(1));
        CompletableFuture<TsiResult> added = bed.tnve.associate(spec(3, VN, mac(3)), Migration.NONE);
        bed.run(Duration.ofSeconds(30));
        assertThat(gone).isNotDone();
        assertThat(added).isNotDone();

        authenticate();
        assertThat(bed.await(gone).state()).isEqualTo(TsiState.INIT);
        assertThat(bed.await(added).state()).isEqualTo(TsiState.ASSOCIATED);
        assertThat(bed.bridge().state(vsi(1))).as("restored, then de-associated as asked").isEqualTo(TsiState.INIT);
        assertThat(bed.bridge().state(vsi(3))).isEqualTo(TsiState.ASSOCIATED);
    }

    @Test
    void a_bridge_that_kept_the_tsis_through_the_gap_just_sees_them_asked_for_again() {
        authenticate();
        bed.await(bed.tnve.activate(spec(1, VN, mac(1)), Migration.NONE));
        lose(Reason.LOGOFF);
        // Long enough for several keep-alives: none is sent, so none fails and no bridge is thought lost.
        bed.run(Duration.ofSeconds(60));
        authenticate();
        bed.run(Duration.ofSeconds(5));

        assertThat(bed.bridge().state(vsi(1))).isEqualTo(TsiState.ACTIVATED);
        assertThat(bed.tnve.state(vsi(1))).isEqualTo(TsiState.ACTIVATED);
        assertThat(bed.tnve.tsi(vsi(1))).get().extracting(TsiStatus::busy).isEqualTo(false);
        assertThat(bed.events(TnveTestBed.PeerLost.class)).isEmpty();
    }

    @Test
    void an_authorization_of_another_mac_opens_nothing() {
        CompletableFuture<TsiResult> f = bed.tnve.associate(spec(1, VN, mac(1)), Migration.NONE);
        port.authorize(MacAddress.valueOf("02:00:00:00:77:77"), "hv1", Reason.AUTHENTICATED, "another interface");
        bed.run(Duration.ofSeconds(10));
        assertThat(f).isNotDone();
        assertThat(bed.bridge().requests).isEmpty();
        assertThat(bed.events(AuthorizationEvent.class)).isEmpty();
    }
}
