package org.splitnve.tnve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitnve.tnve.TnveTestBed.BRIDGE;
import static org.splitnve.tnve.TnveTestBed.BRIDGE2;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.splitnve.ecptransport.ecp.EcpAddressing;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.FilterEntry;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VdpTlvType;
import org.splitnve.vdpcore.vdp.VnId;

/** Which bridges TSIs go to, losses, failover and re-assignment, driven alone on a bridged network of two bridges. */
class BridgeSelectionTest {

    private static final VnId VN = VnId.of(5001);
    private static final VnId VN2 = VnId.of(5002);

    private static StationParts parts(BridgeMode mode, MacAddress standby) {
        StationParts p = new StationParts(TnveTestBed.network(BRIDGE, BRIDGE2), TnveConfig.DEFAULT, mode, standby);
        p.bridges.start();
        return p;
    }

    private static CompletableFuture<Void> assign(StationParts p, VnId vn, MacAddress bridge) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        p.bridges.assign(vn, bridge, f);
        return f;
    }

    /** A TSI of {@code vn} with an operation in progress, its request outstanding on {@code bridge}. */
    private static Tsi busy(StationParts p, int n, VnId vn, MacAddress bridge, List<Outcome> outcomes) {
        Tsi t = p.tsi(n, vn);
        t.current = new Operation(StationTsiMachine.Event.ASSOCIATE, Migration.NONE, null, null, new CompletableFuture<>());
        p.requests.send(t.binding(bridge), PendingRequest.Kind.OPERATION, VdpTlvType.PRE_ASSOCIATE,
                p.requests.status(Migration.NONE, bridge), "associate", outcomes::add);
        return t;
    }

    @Test
    void active_standby_sends_every_vn_to_the_active_bridge_and_refuses_assignments() {
        StationParts p = parts(BridgeMode.ACTIVE_STANDBY, BRIDGE2);
        assertThat(p.bridges.bridgesFor(VN)).containsExactly(BRIDGE);
        assertThat(p.bridges.active()).isEqualTo(BRIDGE);
        assertThat(p.bridges.standby()).isEqualTo(BRIDGE2);
        assertThat(assign(p, VN, BRIDGE2)).isCompletedExceptionally();
        assertThat(p.bridges.bridgesFor(VN)).containsExactly(BRIDGE);
    }

    @Test
    void per_vn_puts_a_vn_on_the_bridge_assigned_last_and_the_others_on_the_default_one() {
        StationParts p = parts(BridgeMode.PER_VN, null);
        assertThat(assign(p, VN2, BRIDGE2)).isCompleted();
        assertThat(p.bridges.bridgesFor(VN2)).containsExactly(BRIDGE2);
        assertThat(p.bridges.bridgesFor(VN)).containsExactly(BRIDGE);
        assign(p, VN2, BRIDGE);
        assertThat(p.bridges.bridgesFor(VN2)).containsExactly(BRIDGE);
    }

    @Test
    void active_active_puts_a_vn_on_each_bridge_assigned_once_in_order() {
        StationParts p = parts(BridgeMode.ACTIVE_ACTIVE, null);
        assign(p, VN, BRIDGE);
        assign(p, VN, BRIDGE2);
        assign(p, VN, BRIDGE);
        assertThat(p.bridges.bridgesFor(VN)).containsExactly(BRIDGE, BRIDGE2);
        assertThat(p.bridges.bridgesFor(VN2)).containsExactly(BRIDGE);
    }

    @Test
    void with_one_bridge_ecp_addressing_is_left_alone_and_with_more_each_is_addressed_by_unicast_once() {
        assertThat(parts(BridgeMode.ACTIVE_STANDBY, null).addressing).isEmpty();
        assertThat(parts(BridgeMode.ACTIVE_STANDBY, BRIDGE2).addressing)
                .containsExactly(Map.entry(BRIDGE, EcpAddressing.unicast()), Map.entry(BRIDGE2, EcpAddressing.unicast()));

        StationParts p = parts(BridgeMode.PER_VN, null);
        assertThat(p.addressing).isEmpty();
        assign(p, VN2, BRIDGE2);
        assign(p, VN, BRIDGE);
        assign(p, VN2, BRIDGE);
        assertThat(p.addressing).extracting(Map.Entry::getKey).containsExactly(BRIDGE, BRIDGE2);
    }

    @Test
    void a_lost_bridge_is_reported_once_until_it_is_heard_again() {
        StationParts p = parts(BridgeMode.ACTIVE_STANDBY, null);
        p.bridges.peerLost(BRIDGE, "no response");
        p.bridges.onEcpPeer(BRIDGE, false, "retries exhausted");
        assertThat(p.bed.events(TnveTestBed.PeerLost.class)).containsExactly(new TnveTestBed.PeerLost(BRIDGE, "no response"));
        p.bridges.onEcpPeer(BRIDGE, true, "acked");
        p.bridges.onEcpPeer(BRIDGE, false, "retries exhausted");
        assertThat(p.bed.events(TnveTestBed.PeerLost.class)).last()
                .isEqualTo(new TnveTestBed.PeerLost(BRIDGE, "ECP: retries exhausted"));
        assertThat(p.bed.events(TnveTestBed.PeerLost.class)).hasSize(2);
    }

    @Test
    void losing_the_active_bridge_fails_over_to_the_standby_and_moves_every_idle_tsi_there() {
        StationParts p = parts(BridgeMode.ACTIVE_STANDBY, BRIDGE2);
        Tsi active = p.tsi(1, VN);
        p.held(active, BRIDGE, VdpTlvType.ASSOCIATE, LocalTag.of(100));
        List<Outcome> outcomes = new ArrayList<>();
        Tsi inFlight = busy(p, 2, VN, BRIDGE, outcomes);
        Tsi gone = p.tsi(3, VN);
        p.bridges.peerLost(BRIDGE, "keep-alive failed");

        assertThat(p.bed.events(TnveTestBed.Failover.class)).containsExactly(new TnveTestBed.Failover(BRIDGE, BRIDGE2));
        assertThat(p.bridges.active()).isEqualTo(BRIDGE2);
        assertThat(p.bridges.standby()).isEqualTo(BRIDGE);
        assertThat(p.bridges.bridgesFor(VN)).containsExactly(BRIDGE2);
        assertThat(active.binding(BRIDGE).state).isEqualTo(TsiState.INIT);
        assertThat(active.binding(BRIDGE2).outstanding).satisfies(r -> {
            assertThat(r.type).isEqualTo(VdpTlvType.ASSOCIATE);
            assertThat(r.kind).isEqualTo(PendingRequest.Kind.REESTABLISH);
            assertThat(r.purpose).isEqualTo("re-establish: failover from " + BRIDGE);
        });
        assertThat(outcomes).singleElement().isInstanceOf(Outcome.Moved.class);
        for (Tsi t : List.of(active, inFlight)) {
            assertThat(t.binding(BRIDGE).outstanding).as("the bridge given up is told to let go of " + t.id()).satisfies(r -> {
                assertThat(r.type).isEqualTo(VdpTlvType.DE_ASSOCIATE);
                assertThat(r.purpose).isEqualTo("de-associate: failed over to " + BRIDGE2);
            });
        }
        assertThat(inFlight.bindings).as("its operation moves it, not the failover").doesNotContainKey(BRIDGE2);
        assertThat(gone.bindings).isEmpty();
        p.bed.run(Duration.ofMillis(10));
        assertThat(p.bed.bridge(BRIDGE2).requests).singleElement().satisfies(r -> assertThat(r.first().vsiId()).isEqualTo(active.id()));
    }

    @Test
    void no_failover_from_a_standby_or_to_a_lost_standby() {
        StationParts p = parts(BridgeMode.ACTIVE_STANDBY, BRIDGE2);
        p.bridges.peerLost(BRIDGE2, "keep-alive failed");
        p.bridges.peerLost(BRIDGE, "keep-alive failed");
        assertThat(p.bed.events(TnveTestBed.Failover.class)).isEmpty();
        assertThat(p.bridges.active()).isEqualTo(BRIDGE);
        assertThat(p.bed.events(TnveTestBed.PeerLost.class)).hasSize(2);
    }

    @Test
    void a_bridge_heard_again_gets_every_current_tlv_back_with_null_vids() {
        StationParts p = parts(BridgeMode.ACTIVE_STANDBY, null);
        Binding b = p.held(p.tsi(1, VN), BRIDGE, VdpTlvType.ASSOCIATE, LocalTag.of(100));
        p.bridges.onEcpPeer(BRIDGE, true, "never lost");
        assertThat(b.idle()).isTrue();

        p.bridges.peerLost(BRIDGE, "keep-alive failed");
        p.bridges.onEcpPeer(BRIDGE, true, "acked again");
        p.bed.run(Duration.ofMillis(10));
        assertThat(b.outstanding.purpose).isEqualTo("re-establish: bridge heard again");
        assertThat(p.bed.bridge(BRIDGE).last().first().filter().entries()).allSatisfy(e -> assertThat(e.vid()).isEqualTo(FilterEntry.NULL_VID));
    }

    /**
     * A bridge lost to a request it left unanswered (ECP still had it reachable, so ECP never says it is heard again)
     * and then heard in a response may have restarted meanwhile: the response is its being heard again, and every
     * current TLV goes back to it at once, as when ECP hears a lost bridge. Before, the response only cleared the loss,
     * and nothing made the bridge confirm what the station holds there.
     */
    @Test
    void a_response_from_a_lost_bridge_is_its_being_heard_again_and_re_establishes_every_current_tlv() {
        StationParts p = parts(BridgeMode.ACTIVE_STANDBY, null);
        Binding b = p.held(p.tsi(1, VN), BRIDGE, VdpTlvType.ASSOCIATE, LocalTag.of(100));
        p.bridges.peerLost(BRIDGE, "no response to a request");
        p.bridges.answered(BRIDGE);
        assertThat(b.outstanding).isNotNull();
        assertThat(b.outstanding.purpose).isEqualTo("re-establish: bridge heard again");
        p.bridges.onEcpPeer(BRIDGE, true, "acked again");
        p.bed.run(Duration.ofMillis(10));
        assertThat(p.bed.bridge(BRIDGE).requests).as("re-sent once, not again on the ECP news").hasSize(1);
        p.bridges.peerLost(BRIDGE, "keep-alive failed");
        assertThat(p.bed.events(TnveTestBed.PeerLost.class)).hasSize(2);
    }

    @Test
    void re_assigning_a_vn_moves_its_idle_tsis_to_the_new_bridge() {
        StationParts p = parts(BridgeMode.PER_VN, null);
        Tsi moved = p.tsi(1, VN);
        Binding old = p.held(moved, BRIDGE, VdpTlvType.PRE_ASSOCIATE, LocalTag.of(100));
        List<Outcome> outcomes = new ArrayList<>();
        Tsi inFlight = busy(p, 2, VN, BRIDGE, outcomes);
        Tsi other = p.tsi(3, VN2);
        p.held(other, BRIDGE, VdpTlvType.PRE_ASSOCIATE, LocalTag.of(101));
        assign(p, VN, BRIDGE2);

        assertThat(old.outstanding).satisfies(r -> {
            assertThat(r.type).isEqualTo(VdpTlvType.DE_ASSOCIATE);
            assertThat(r.purpose).isEqualTo("de-associate: " + VN + " moved off this bridge");
        });
        assertThat(moved.binding(BRIDGE2).outstanding).satisfies(r -> {
            assertThat(r.type).isEqualTo(VdpTlvType.PRE_ASSOCIATE);
            assertThat(r.purpose).isEqualTo("re-establish: " + VN + " assigned to this bridge");
        });
        assertThat(inFlight.bindings).doesNotContainKey(BRIDGE2);
        assertThat(other.bindings).doesNotContainKey(BRIDGE2);
        assertThat(other.binding(BRIDGE).idle()).isTrue();
    }

    @Test
    void after_close_losses_and_recoveries_change_nothing() {
        StationParts p = parts(BridgeMode.ACTIVE_STANDBY, BRIDGE2);
        p.bridges.close();
        p.bridges.peerLost(BRIDGE, "keep-alive failed");
        assertThat(p.bed.events).isEmpty();
        assertThat(p.bridges.active()).isEqualTo(BRIDGE);
    }
}
