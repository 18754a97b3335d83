package org.splitnve.tnve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitnve.tnve.TnveTestBed.BRIDGE;
import static org.splitnve.tnve.TnveTestBed.TIMERS;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.splitnve.ecptransport.link.LinkFaults;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.FilterEntry;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VdpErrorCode;
import org.splitnve.vdpcore.vdp.VdpTlvType;
import org.splitnve.vdpcore.vdp.VnId;
import org.splitnve.vdpcore.vdp.VsiStatus;

/**
 * Requests to a bridge, driven alone: nothing answers them unless the test completes them as the response handler
 * would (the scripted bridge's answers reach no one here).
 */
class RequestSenderTest {

    private static final VnId VN = VnId.of(5001);
    private static final VnId VN2 = VnId.of(5002);

    private final List<Outcome> outcomes = new ArrayList<>();

    private static void send(StationParts p, Binding b, PendingRequest.Kind kind, VdpTlvType type, List<Outcome> into) {
        p.requests.send(b, kind, type, p.requests.status(Migration.NONE, b.bridge), kind.name().toLowerCase(), into::add);
    }

    /** A TSI in Init with Pre-Associate and Associate requested one after the other. */
    private Binding associateThenActivate(StationParts p) {
        Binding b = p.tsi(1, VN).binding(BRIDGE);
        send(p, b, PendingRequest.Kind.OPERATION, VdpTlvType.PRE_ASSOCIATE, outcomes);
        send(p, b, PendingRequest.Kind.OPERATION, VdpTlvType.ASSOCIATE, outcomes);
        return b;
    }

    @Test
    void a_request_made_while_one_is_outstanding_waits_and_goes_when_the_first_completes() {
        StationParts p = StationParts.single(TnveConfig.DEFAULT);
        Binding b = associateThenActivate(p);
        p.bed.run(Duration.ofMillis(10));
        assertThat(p.bed.bridge().requests).singleElement().satisfies(r -> assertThat(r.type()).isEqualTo(VdpTlvType.PRE_ASSOCIATE));
        assertThat(b.waiting).hasSize(1);

        p.requests.complete(b, b.outstanding, new Outcome.Success(LocalTag.of(100), true));
        p.bed.run(Duration.ofMillis(10));
        assertThat(b.state).isEqualTo(TsiState.ASSOCIATED);
        assertThat(b.currentType).isEqualTo(VdpTlvType.PRE_ASSOCIATE);
        assertThat(outcomes).singleElement().isInstanceOf(Outcome.Success.class);
        assertThat(p.bed.bridge().requests).extracting(ScriptedBridge.Request::type)
                .containsExactly(VdpTlvType.PRE_ASSOCIATE, VdpTlvType.ASSOCIATE);
        assertThat(b.outstanding.type).isEqualTo(VdpTlvType.ASSOCIATE);
        assertThat(p.counters.snapshot().requests()).isEqualTo(2);
        assertThat(p.counters.snapshot().keepAlives()).isZero();
    }

    @Test
    void an_unanswered_operation_fails_after_the_response_wait_drops_the_tsi_and_reports_the_bridge() {
        StationParts p = StationParts.single(TnveConfig.DEFAULT);
        Binding b = p.held(p.tsi(1, VN), BRIDGE, VdpTlvType.PRE_ASSOCIATE, LocalTag.of(100));
        send(p, b, PendingRequest.Kind.OPERATION, VdpTlvType.ASSOCIATE, outcomes);
        p.bed.run(TIMERS.responseWait().minusMillis(5));
        assertThat(outcomes).isEmpty();
        p.bed.run(Duration.ofMillis(10));

        assertThat(outcomes).singleElement().isInstanceOfSatisfying(Outcome.Failed.class, f -> assertThat(f.error())
                .isInstanceOfSatisfying(ResponseTimeoutException.class, e -> {
                    assertThat(e.waited()).isEqualTo(TIMERS.responseWait());
                    assertThat(e.type()).isEqualTo(VdpTlvType.ASSOCIATE);
                }));
        assertThat(b.state).isEqualTo(TsiState.INIT);
        assertThat(p.bed.events(TsiEvent.class)).last().satisfies(e -> assertThat(e.why()).isEqualTo("operation unanswered"));
        assertThat(p.losses).singleElement().satisfies(l -> {
            assertThat(l.bridge()).isEqualTo(BRIDGE);
            assertThat(l.why()).startsWith("no response to associate");
        });
        assertThat(p.counters.snapshot().timeouts()).isEqualTo(1);
    }

    @Test
    void an_unanswered_keep_alive_or_re_establishment_leaves_the_state_alone() {
        StationParts p = StationParts.single(TnveConfig.DEFAULT);
        Binding b = p.held(p.tsi(1, VN), BRIDGE, VdpTlvType.ASSOCIATE, LocalTag.of(100));
        send(p, b, PendingRequest.Kind.KEEP_ALIVE, VdpTlvType.ASSOCIATE, outcomes);
        send(p, b, PendingRequest.Kind.REESTABLISH, VdpTlvType.ASSOCIATE, outcomes);
        p.bed.run(TIMERS.responseWait().multipliedBy(2).plusMillis(10));

        assertThat(outcomes).hasSize(2).allSatisfy(o -> assertThat(((Outcome.Failed) o).error()).isInstanceOf(ResponseTimeoutException.class));
        assertThat(b.state).isEqualTo(TsiState.ACTIVATED);
        assertThat(p.counters.snapshot().keepAlives()).isEqualTo(2);
        assertThat(p.losses).hasSize(2);
    }

    @Test
    void a_configured_response_timeout_replaces_the_vdp_response_wait() {
        StationParts p = StationParts.single(TnveConfig.builder().responseTimeout(Duration.ofSeconds(2)).build());
        send(p, p.tsi(1, VN).binding(BRIDGE), PendingRequest.Kind.OPERATION, VdpTlvType.PRE_ASSOCIATE, outcomes);
        p.bed.run(Duration.ofMillis(1995));
        assertThat(outcomes).isEmpty();
        p.bed.run(Duration.ofMillis(10));
        assertThat(outcomes).singleElement().satisfies(o -> assertThat(((Outcome.Failed) o).error())
                .isInstanceOfSatisfying(ResponseTimeoutException.class, e -> assertThat(e.waited()).isEqualTo(Duration.ofSeconds(2))));
    }

    @Test
    void an_undeliverable_request_fails_typed_is_counted_and_leaves_the_state_alone() {
        StationParts p = new StationParts(TnveTestBed.pair(LinkFaults.NONE.withLoss(1.0)),
                TnveConfig.builder().retry(RetryPolicy.NONE).build(), BridgeMode.ACTIVE_STANDBY, null);
        Binding b = p.held(p.tsi(1, VN), BRIDGE, VdpTlvType.PRE_ASSOCIATE, LocalTag.of(100));
        send(p, b, PendingRequest.Kind.OPERATION, VdpTlvType.ASSOCIATE, outcomes);
        p.bed.clock.runUntil(() -> !outcomes.isEmpty(), Duration.ofSeconds(120));

        assertThat(outcomes).singleElement().satisfies(o -> assertThat(((Outcome.Failed) o).error())
                .isInstanceOf(UndeliverableException.class));
        assertThat(b.state).isEqualTo(TsiState.ASSOCIATED);
        assertThat(b.idle()).isTrue();
        assertThat(p.counters.snapshot().undeliverable()).isEqualTo(1);
    }

    @Test
    void a_request_too_large_for_a_vdpdu_fails_at_once_and_sends_nothing() throws UnknownHostException {
        StationParts p = StationParts.single(TnveConfig.DEFAULT);
        List<TsiAddress> many = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            many.add(TsiAddress.macIp(MacAddress.valueOf(0x020000000000L | i), InetAddress.getByName("2001:db8::" + Integer.toHexString(i))));
        }
        Tsi t = p.tsi(1, VN);
        t.spec = t.spec.withAddresses(many);
        Binding b = t.binding(BRIDGE);
        send(p, b, PendingRequest.Kind.OPERATION, VdpTlvType.PRE_ASSOCIATE, outcomes);
        p.bed.run(Duration.ofMillis(10));

        assertThat(outcomes).singleElement().satisfies(o -> assertThat(((Outcome.Failed) o).error())
                .isInstanceOf(RequestTooLargeException.class));
        assertThat(b.idle()).isTrue();
        assertThat(b.state).isEqualTo(TsiState.INIT);
        assertThat(p.bed.bridge().requests).isEmpty();
        assertThat(p.counters.snapshot().requests()).isZero();
    }

    @Test
    void a_refusal_with_keep_leaves_the_state_and_one_without_keep_drops_the_tsi() {
        StationParts p = StationParts.single(TnveConfig.DEFAULT);
        Tsi t = p.tsi(1, VN);
        Binding b = p.held(t, BRIDGE, VdpTlvType.PRE_ASSOCIATE, LocalTag.of(100));
        send(p, b, PendingRequest.Kind.OPERATION, VdpTlvType.ASSOCIATE, outcomes);
        p.requests.complete(b, b.outstanding, new Outcome.Failed(new VdpRefusedException(t.id(), BRIDGE,
                VdpErrorCode.OTHER_FAILURE, true, false, TsiState.ASSOCIATED)));
        assertThat(b.state).isEqualTo(TsiState.ASSOCIATED);

        send(p, b, PendingRequest.Kind.OPERATION, VdpTlvType.ASSOCIATE, outcomes);
        p.requests.complete(b, b.outstanding, new Outcome.Failed(new VdpRefusedException(t.id(), BRIDGE,
                VdpErrorCode.OTHER_FAILURE, false, false, TsiState.INIT)));
        assertThat(b.state).isEqualTo(TsiState.INIT);
        assertThat(p.bed.events(TsiEvent.class)).last()
                .satisfies(e -> assertThat(e.why()).isEqualTo("operation refused (4 (other failure)) without keep"));
        assertThat(outcomes).hasSize(2);
    }

    @Test
    void a_sender_that_throws_does_not_keep_the_next_request_from_going() {
        StationParts p = StationParts.single(TnveConfig.DEFAULT);
        Binding b = p.tsi(1, VN).binding(BRIDGE);
        p.requests.send(b, PendingRequest.Kind.OPERATION, VdpTlvType.PRE_ASSOCIATE, VsiStatus.REQUEST, "associate", o -> {
            throw new IllegalStateException("sender bug");
        });
        send(p, b, PendingRequest.Kind.OPERATION, VdpTlvType.ASSOCIATE, outcomes);
        p.requests.complete(b, b.outstanding, new Outcome.Success(LocalTag.of(100), true));
        assertThat(b.state).isEqualTo(TsiState.ASSOCIATED);
        assertThat(b.outstanding.type).isEqualTo(VdpTlvType.ASSOCIATE);
    }

    @Test
    void abandoning_a_binding_drops_its_requests_and_their_response_wait_without_telling_their_senders() {
        StationParts p = StationParts.single(TnveConfig.DEFAULT);
        Binding b = associateThenActivate(p);
        assertThat(p.requests.abandon(b)).extracting(r -> r.type).containsExactly(VdpTlvType.PRE_ASSOCIATE, VdpTlvType.ASSOCIATE);
        p.bed.run(TIMERS.responseWait().plusSeconds(1));
        assertThat(b.idle()).isTrue();
        assertThat(outcomes).isEmpty();
        assertThat(p.losses).isEmpty();
        assertThat(p.counters.snapshot().timeouts()).isZero();
    }

    @Test
    void the_keep_alive_timer_re_sends_the_current_tlv_of_every_idle_held_binding_and_nothing_else() {
        StationParts p = StationParts.single(TnveConfig.DEFAULT);
        Tsi active = p.tsi(1, VN);
        p.held(active, BRIDGE, VdpTlvType.ASSOCIATE, LocalTag.of(100));
        Binding busy = p.held(p.tsi(2, VN), BRIDGE, VdpTlvType.PRE_ASSOCIATE, LocalTag.of(100));
        send(p, busy, PendingRequest.Kind.OPERATION, VdpTlvType.ASSOCIATE, outcomes);
        p.tsi(3, VN).binding(BRIDGE);
        p.bed.run(Duration.ofMillis(10));
        p.requests.start();
        p.bed.run(TIMERS.keepAlive().plusMillis(10));

        assertThat(p.bed.bridge().requests).hasSize(2);
        ScriptedBridge.Request ka = p.bed.bridge().last();
        assertThat(ka.first().vsiId()).isEqualTo(active.id());
        assertThat(ka.type()).isEqualTo(VdpTlvType.ASSOCIATE);
        assertThat(ka.first().filter().entries()).allSatisfy(e -> assertThat(e.vid()).isEqualTo(100));
        assertThat(ka.status().migrationIndicationValid()).isTrue();
        assertThat(p.counters.snapshot().keepAlives()).isEqualTo(1);

        p.requests.close();
        p.bed.run(TIMERS.keepAlive().multipliedBy(3));
        assertThat(p.counters.snapshot().keepAlives()).as("no keep-alive after close").isEqualTo(1);
    }

    @Test
    void legacy_bridges_and_a_turned_off_indication_get_no_0x80_not_even_in_keep_alives() {
        StationParts p = StationParts.single(TnveConfig.DEFAULT);
        VsiStatus in = p.requests.status(Migration.TO_THIS_STATION, BRIDGE);
        assertThat(in.migrationIndicationValid()).isTrue();
        assertThat(in.m()).isTrue();
        assertThat(p.requests.status(Migration.FROM_THIS_STATION, BRIDGE).s()).isTrue();
        p.held(p.tsi(1, VN), BRIDGE, VdpTlvType.ASSOCIATE, LocalTag.of(100));

        assertThat(p.requests.indication.markLegacy(BRIDGE)).isTrue();
        assertThat(p.requests.indication.markLegacy(BRIDGE)).isFalse();
        assertThat(p.requests.indication.isLegacy(BRIDGE)).isTrue();
        assertThat(p.requests.status(Migration.TO_THIS_STATION, BRIDGE).migrationIndicationValid()).isFalse();
        assertThat(p.requests.status(Migration.TO_THIS_STATION, BRIDGE).m()).isTrue();
        p.requests.start();
        p.bed.run(TIMERS.keepAlive().plusMillis(10));
        assertThat(p.bed.bridge().last().status().migrationIndicationValid()).isFalse();

        StationParts off = StationParts.single(TnveConfig.builder().migrationIndication(false).build());
        assertThat(off.requests.status(Migration.NONE, BRIDGE).migrationIndicationValid()).isFalse();
    }

    @Test
    void the_request_types_follow_the_reservation_setting() {
        StationParts plain = StationParts.single(TnveConfig.DEFAULT);
        StationParts reserving = StationParts.single(TnveConfig.builder().reserveResources(true).build());
        assertThat(plain.requests.typeFor(TsiState.ASSOCIATED)).isEqualTo(VdpTlvType.PRE_ASSOCIATE);
        assertThat(reserving.requests.typeFor(TsiState.ASSOCIATED)).isEqualTo(VdpTlvType.PRE_ASSOCIATE_RR);
        assertThat(reserving.requests.typeFor(TsiState.ACTIVATED)).isEqualTo(VdpTlvType.ASSOCIATE);
        assertThat(reserving.requests.typeFor(TsiState.INIT)).isEqualTo(VdpTlvType.DE_ASSOCIATE);
    }

    @Test
    void re_establishing_everything_on_a_bridge_re_sends_each_current_tlv_with_null_vids() {
        StationParts p = StationParts.single(TnveConfig.DEFAULT);
        Binding one = p.held(p.tsi(1, VN), BRIDGE, VdpTlvType.ASSOCIATE, LocalTag.of(100));
        p.held(p.tsi(2, VN2), BRIDGE, VdpTlvType.PRE_ASSOCIATE, LocalTag.of(101));
        p.held(p.tsi(3, VN2), BRIDGE, VdpTlvType.PRE_ASSOCIATE, LocalTag.of(101));
        p.tsi(4, VN).binding(BRIDGE);
        p.requests.reestablishAll(BRIDGE, one, "the bridge restarted");
        p.bed.run(Duration.ofMillis(10));

        assertThat(p.bed.bridge().requests).hasSize(2).allSatisfy(r -> {
            assertThat(r.type()).isEqualTo(VdpTlvType.PRE_ASSOCIATE);
            assertThat(r.first().filter().entries()).allSatisfy(e -> assertThat(e.vid()).isEqualTo(FilterEntry.NULL_VID));
        });
        assertThat(p.tags.confirmed(BRIDGE, VN)).isNull();
        assertThat(p.tags.known(BRIDGE, VN)).isEqualTo(LocalTag.of(100));
        assertThat(p.counters.snapshot().keepAlives()).isEqualTo(2);
    }

    @Test
    void re_establishing_a_tsi_on_a_bridge_asks_for_its_committed_state_and_nothing_when_it_has_none() {
        StationParts p = StationParts.single(TnveConfig.DEFAULT);
        Tsi t = p.tsi(1, VN);
        p.requests.reestablish(t, BRIDGE, "failover");
        assertThat(t.bindings).as("nothing to put back").isEmpty();

        t.committed = TsiState.ACTIVATED;
        p.requests.reestablish(t, BRIDGE, "failover");
        p.bed.run(Duration.ofMillis(10));
        assertThat(p.bed.bridge().requests).singleElement().satisfies(r -> assertThat(r.type()).isEqualTo(VdpTlvType.ASSOCIATE));
        assertThat(t.binding(BRIDGE).outstanding.purpose).isEqualTo("re-establish: failover");
        assertThat(t.binding(BRIDGE).outstanding.kind).isEqualTo(PendingRequest.Kind.REESTABLISH);
    }

    @Test
    void a_failed_background_request_lets_the_tsi_follow_its_bridges() {
        StationParts p = StationParts.single(TnveConfig.DEFAULT);
        Tsi t = p.tsi(1, VN);
        t.committed = TsiState.ACTIVATED;
        p.requests.background(t, t.binding(BRIDGE)).accept(new Outcome.Failed(new NoBridgeException("gone")));
        assertThat(t.committed).isEqualTo(TsiState.INIT);
        assertThat(p.tsis.get(t.id())).as("forgotten").isNull();
    }

    /** A held TSI whose keep-alive the bridge refused as given. */
    private static Binding keepAliveRefused(StationParts p, Tsi t, VdpErrorCode error, boolean keep) {
        Binding b = p.held(t, BRIDGE, VdpTlvType.ASSOCIATE, LocalTag.of(100));
        p.requests.start();
        p.bed.run(TIMERS.keepAlive().plusMillis(10));
        assertThat(b.outstanding.kind).isEqualTo(PendingRequest.Kind.KEEP_ALIVE);
        TsiState after = keep ? b.state : TsiState.INIT;
        p.requests.complete(b, b.outstanding, new Outcome.Failed(new VdpRefusedException(t.id(), BRIDGE, error, keep, false, after)));
        p.bed.run(Duration.ofMillis(10));
        return b;
    }

    @Test
    void a_keep_alive_refused_for_its_tag_asks_again_with_null_vids_instead_of_losing_the_bridge() {
        StationParts p = StationParts.single(TnveConfig.DEFAULT);
        Binding b = keepAliveRefused(p, p.tsi(1, VN), VdpErrorCode.INVALID_VID_GROUPID_OR_MAC, true);

        assertThat(p.losses).isEmpty();
        assertThat(b.outstanding.kind).isEqualTo(PendingRequest.Kind.REESTABLISH);
        assertThat(p.bed.bridge().last().first().filter().entries()).allSatisfy(e -> assertThat(e.vid()).isEqualTo(FilterEntry.NULL_VID));
    }

    @Test
    void a_keep_alive_refused_otherwise_reports_the_bridge_lost_and_the_tsi_follows_it() {
        StationParts p = StationParts.single(TnveConfig.DEFAULT);
        Tsi t = p.tsi(1, VN);
        Binding b = keepAliveRefused(p, t, VdpErrorCode.OTHER_FAILURE, false);

        assertThat(p.losses).singleElement().satisfies(l -> assertThat(l.why()).startsWith("keep-alive for VSI"));
        assertThat(b.state).isEqualTo(TsiState.INIT);
        assertThat(t.committed).isEqualTo(TsiState.INIT);
    }
}
