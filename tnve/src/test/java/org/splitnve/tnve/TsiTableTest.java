package org.splitnve.tnve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.splitnve.tnve.TnveTestBed.BRIDGE;
import static org.splitnve.tnve.TnveTestBed.BRIDGE2;
import static org.splitnve.tnve.TnveTestBed.mac;
import static org.splitnve.tnve.TnveTestBed.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.splitnve.tnve.StationTsiMachine.Event;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VdpTlvType;
import org.splitnve.vdpcore.vdp.VnId;
import org.splitnve.vdpcore.vdp.VsiStatus;

/** The station's TSIs and the one place their state on a bridge changes. */
class TsiTableTest {

    private static final VnId VN = VnId.of(5001);

    private final TnveTestBed bed = new TnveTestBed();
    private final TagBook tags = new TagBook("station", bed.listeners());
    /** The VN's bridges, first the one whose state a TSI reports; a test may change them. */
    private List<MacAddress> bridgesOfVn = List.of(BRIDGE);
    private final TsiTable table = new TsiTable("station", bed.listeners(), tags, vn -> bridgesOfVn);

    private Tsi add(int n) {
        Tsi t = new Tsi(spec(n, VN, mac(n)), false);
        table.add(t);
        return t;
    }

    @Test
    void a_move_changes_the_state_tells_the_listeners_why_and_publishes_it() {
        Tsi t = add(1);
        Binding b = t.binding(BRIDGE);
        table.move(b, Event.ASSOCIATE_ACCEPTED, "activate accepted");

        assertThat(b.state).isEqualTo(TsiState.ACTIVATED);
        assertThat(bed.events(TsiEvent.class))
                .containsExactly(new TsiEvent(t.id(), BRIDGE, TsiState.INIT, TsiState.ACTIVATED, "activate accepted"));
        assertThat(table.status(t.id()).perBridge()).containsEntry(BRIDGE, TsiState.ACTIVATED);
        assertThat(table.snapshot()).hasSize(1);
    }

    @Test
    void an_event_that_keeps_the_state_says_nothing() {
        Binding b = add(1).binding(BRIDGE);
        table.move(b, Event.PRE_ASSOCIATE_ACCEPTED, "associate accepted");
        table.move(b, Event.REFUSED_WITH_KEEP, "refused with keep");
        table.move(b, Event.KEEP_ALIVE_UNANSWERED, "keep-alive unanswered");
        assertThat(bed.events(TsiEvent.class)).hasSize(1);
        assertThat(b.state).isEqualTo(TsiState.ASSOCIATED);
    }

    @Test
    void an_event_illegal_in_the_state_is_a_bug_of_the_caller_and_changes_nothing() {
        Binding b = add(1).binding(BRIDGE);
        assertThatThrownBy(() -> table.move(b, Event.BRIDGE_DE_ASSOCIATE, "De-Associate from the bridge"))
                .isInstanceOf(IllegalStateException.class);
        assertThat(b.state).isEqualTo(TsiState.INIT);
        assertThat(bed.events).isEmpty();
    }

    @Test
    void the_last_tsi_of_a_vn_leaving_a_bridge_releases_its_tag_and_not_before() {
        Binding b1 = add(1).binding(BRIDGE);
        Binding b2 = add(2).binding(BRIDGE);
        table.move(b1, Event.PRE_ASSOCIATE_ACCEPTED, "associate accepted");
        table.move(b2, Event.PRE_ASSOCIATE_ACCEPTED, "associate accepted");
        tags.learn(b1, VdpTlvType.PRE_ASSOCIATE, LocalTag.of(100));
        assertThat(table.holds(BRIDGE, VN)).isTrue();
        assertThat(table.holds(BRIDGE2, VN)).isFalse();

        table.move(b1, Event.DE_ASSOCIATE_ACCEPTED, "deassociate accepted");
        assertThat(tags.known(BRIDGE, VN)).isEqualTo(LocalTag.of(100));
        table.move(b2, Event.REFUSED, "activate refused");
        assertThat(tags.known(BRIDGE, VN)).isNull();
        assertThat(bed.events(VnEvent.class)).filteredOn(e -> !e.connected()).singleElement()
                .satisfies(e -> assertThat(e.why()).startsWith("implicit VN_Disconnect"));
    }

    @Test
    void the_reported_state_is_that_on_the_first_bridge_of_the_vn_that_holds_the_tsi() {
        Tsi t = add(1);
        table.move(t.binding(BRIDGE2), Event.PRE_ASSOCIATE_ACCEPTED, "associate accepted");
        assertThat(table.primaryState(t)).as("not on the VN's bridge, but held elsewhere").isEqualTo(TsiState.ASSOCIATED);
        table.move(t.binding(BRIDGE), Event.ASSOCIATE_ACCEPTED, "activate accepted");
        assertThat(table.primaryState(t)).isEqualTo(TsiState.ACTIVATED);
        bridgesOfVn = List.of(BRIDGE2, BRIDGE);
        assertThat(table.primaryState(t)).isEqualTo(TsiState.ASSOCIATED);
    }

    @Test
    void settling_an_idle_tsi_follows_its_bridges_and_forgets_it_once_it_holds_nothing() {
        Tsi t = add(1);
        Binding b = t.binding(BRIDGE);
        table.move(b, Event.ASSOCIATE_ACCEPTED, "activate accepted");
        t.committed = TsiState.ACTIVATED;
        table.move(b, Event.BRIDGE_DE_ASSOCIATE, "De-Associate from the bridge");

        t.current = new Operation(Event.UPDATE, Migration.NONE, null, null, new CompletableFuture<>());
        table.settle(t, "an operation runs");
        assertThat(t.committed).as("an operation decides for itself").isEqualTo(TsiState.ACTIVATED);

        t.current = null;
        table.settle(t, "De-Associate from the bridge");
        assertThat(t.committed).isEqualTo(TsiState.INIT);
        assertThat(table.get(t.id())).isNull();
        assertThat(table.status(t.id())).isNull();
    }

    @Test
    void a_tsi_with_a_request_waiting_is_not_forgotten() {
        Tsi t = add(1);
        Binding b = t.binding(BRIDGE);
        b.outstanding = new PendingRequest(PendingRequest.Kind.OPERATION, VdpTlvType.PRE_ASSOCIATE,
                VsiStatus.REQUEST, "associate", o -> { });
        table.forgetIfGone(t);
        assertThat(table.get(t.id())).isSameAs(t);
        b.outstanding = null;
        table.forgetIfGone(t);
        assertThat(table.get(t.id())).isNull();
    }

    @ParameterizedTest(name = "{0} TSIs")
    @ValueSource(ints = {10, 100, 1000})
    void returning_n_tsis_of_a_vn_to_init_costs_one_lookup_each_however_many_the_station_holds(int n) {
        List<Binding> bindings = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            Binding b = add(i).binding(BRIDGE);
            table.move(b, Event.PRE_ASSOCIATE_ACCEPTED, "associate accepted");
            bindings.add(b);
        }
        tags.learn(bindings.get(0), VdpTlvType.PRE_ASSOCIATE, LocalTag.of(100));
        long before = table.holdsWork();

        for (Binding b : bindings) {
            assertThat(tags.known(BRIDGE, VN)).as("the tag stays while a TSI of the VN is held").isEqualTo(LocalTag.of(100));
            table.move(b, Event.DE_ASSOCIATE_ACCEPTED, "deassociate accepted");
        }

        assertThat(tags.known(BRIDGE, VN)).as("released with the last one").isNull();
        assertThat(table.holds(BRIDGE, VN)).isFalse();
        assertThat(table.holdsWork() - before - 1).as("look-ups for %d changes", n).isLessThanOrEqualTo(n);
    }
}
