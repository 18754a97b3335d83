package org.splitnve.tnve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.splitnve.tnve.StationTsiMachine.Event.ACTIVATE;
import static org.splitnve.tnve.StationTsiMachine.Event.ASSOCIATE;
import static org.splitnve.tnve.StationTsiMachine.Event.BRIDGE_DE_ASSOCIATE;
import static org.splitnve.tnve.StationTsiMachine.Event.BRIDGE_GIVEN_UP;
import static org.splitnve.tnve.StationTsiMachine.Event.CHANGE_VN;
import static org.splitnve.tnve.StationTsiMachine.Event.DEACTIVATE;
import static org.splitnve.tnve.StationTsiMachine.Event.DEASSOCIATE;
import static org.splitnve.tnve.StationTsiMachine.Event.KEEP_ALIVE;
import static org.splitnve.tnve.StationTsiMachine.Event.LEAVE_BRIDGE;
import static org.splitnve.tnve.StationTsiMachine.Event.NOT_DELIVERED;
import static org.splitnve.tnve.StationTsiMachine.Event.RE_ESTABLISH;
import static org.splitnve.tnve.StationTsiMachine.Event.UPDATE;
import static org.splitnve.vdpcore.vdp.TsiState.ACTIVATED;
import static org.splitnve.vdpcore.vdp.TsiState.ASSOCIATED;
import static org.splitnve.vdpcore.vdp.TsiState.INIT;

import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.splitnve.tnve.StationTsiMachine.Event;
import org.splitnve.tnve.StationTsiMachine.IllegalTransition;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VdpTlvType;

/** One test per rule of the station's TSI state machine. */
class StationTsiMachineTest {

    private static TsiState to(TsiState from, Event e) throws IllegalTransition {
        return StationTsiMachine.next(from, e).to();
    }

    /** Checks {@code e} from every state against {@code expected}, which maps the state before to the one after. */
    private static void fromEveryState(Event e, UnaryOperator<TsiState> expected) throws IllegalTransition {
        for (TsiState from : TsiState.values()) {
            assertThat(to(from, e)).as(e + " in " + from).isEqualTo(expected.apply(from));
        }
    }

    private static void illegal(TsiState from, Event e, String reason) {
        assertThatThrownBy(() -> StationTsiMachine.next(from, e)).isInstanceOfSatisfying(IllegalTransition.class, x -> {
            assertThat(x.state()).isEqualTo(from);
            assertThat(x.event()).isEqualTo(e);
            assertThat(x.reason()).contains(reason);
        });
    }

    @ParameterizedTest
    @EnumSource(TsiState.class)
    void every_event_in_every_state_is_a_transition_or_a_typed_error(TsiState from) {
        for (Event e : Event.values()) {
            try {
                StationTsiMachine.Transition t = StationTsiMachine.next(from, e);
                assertThat(t.to()).as(e + " in " + from).isNotNull();
                assertThat(t.meaning()).as(e + " in " + from).isNotBlank();
                assertThat(StationTsiMachine.allows(from, e)).isTrue();
            } catch (IllegalTransition x) {
                assertThat(x.reason()).as(e + " in " + from).isNotBlank();
                assertThat(StationTsiMachine.allows(from, e)).isFalse();
            }
        }
    }

    @Test
    void associate_from_init_or_associated_asks_for_associated() throws IllegalTransition {
        assertThat(to(INIT, ASSOCIATE)).isEqualTo(ASSOCIATED);
        assertThat(to(ASSOCIATED, ASSOCIATE)).isEqualTo(ASSOCIATED);
    }

    @Test
    void associate_of_an_activated_tsi_is_illegal_and_says_to_deactivate() {
        illegal(ACTIVATED, ASSOCIATE, "use deactivate");
    }

    @Test
    void activate_from_any_state_asks_for_activated() throws IllegalTransition {
        fromEveryState(ACTIVATE, from -> ACTIVATED);
    }

    @Test
    void deactivate_asks_for_associated_and_is_illegal_in_init() throws IllegalTransition {
        assertThat(to(ACTIVATED, DEACTIVATE)).isEqualTo(ASSOCIATED);
        assertThat(to(ASSOCIATED, DEACTIVATE)).isEqualTo(ASSOCIATED);
        illegal(INIT, DEACTIVATE, "not associated");
    }

    @Test
    void deassociate_from_any_state_asks_for_init_so_that_it_is_idempotent() throws IllegalTransition {
        fromEveryState(DEASSOCIATE, from -> INIT);
    }

    @Test
    void an_address_update_keeps_the_state_and_is_illegal_in_init() throws IllegalTransition {
        assertThat(to(ASSOCIATED, UPDATE)).isEqualTo(ASSOCIATED);
        assertThat(to(ACTIVATED, UPDATE)).isEqualTo(ACTIVATED);
        illegal(INIT, UPDATE, "not associated");
        assertThat(StationTsiMachine.nextOr(INIT, UPDATE, ACTIVATED)).isEqualTo(ACTIVATED);
    }

    @Test
    void only_a_tsi_in_init_may_change_its_vn() throws IllegalTransition {
        assertThat(to(INIT, CHANGE_VN)).isEqualTo(INIT);
        illegal(ASSOCIATED, CHANGE_VN, "de-associate first");
        illegal(ACTIVATED, CHANGE_VN, "de-associate first");
    }

    @Test
    void keep_alive_and_re_establishment_repeat_the_state_held_and_have_nothing_to_do_in_init() throws IllegalTransition {
        for (Event e : List.of(KEEP_ALIVE, RE_ESTABLISH)) {
            assertThat(to(ASSOCIATED, e)).isEqualTo(ASSOCIATED);
            assertThat(to(ACTIVATED, e)).isEqualTo(ACTIVATED);
            illegal(INIT, e, "nothing held");
        }
    }

    @Test
    void leaving_a_bridge_asks_it_to_drop_what_it_holds_and_is_illegal_where_nothing_is_held() throws IllegalTransition {
        assertThat(to(ASSOCIATED, LEAVE_BRIDGE)).isEqualTo(INIT);
        assertThat(to(ACTIVATED, LEAVE_BRIDGE)).isEqualTo(INIT);
        illegal(INIT, LEAVE_BRIDGE, "not held");
    }

    @Test
    void an_accepted_request_takes_the_tsi_where_its_type_asks_from_any_state() throws IllegalTransition {
        fromEveryState(StationTsiMachine.accepted(VdpTlvType.PRE_ASSOCIATE), from -> ASSOCIATED);
        fromEveryState(StationTsiMachine.accepted(VdpTlvType.PRE_ASSOCIATE_RR), from -> ASSOCIATED);
        fromEveryState(StationTsiMachine.accepted(VdpTlvType.ASSOCIATE), from -> ACTIVATED);
        fromEveryState(StationTsiMachine.accepted(VdpTlvType.DE_ASSOCIATE), from -> INIT);
    }

    @Test
    void only_association_requests_can_be_accepted() {
        assertThatThrownBy(() -> StationTsiMachine.accepted(VdpTlvType.MANAGER_ID)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @EnumSource(TsiState.class)
    void the_request_type_for_a_target_is_the_one_whose_acceptance_reaches_it(TsiState target) throws IllegalTransition {
        for (VdpTlvType pre : List.of(VdpTlvType.PRE_ASSOCIATE, VdpTlvType.PRE_ASSOCIATE_RR)) {
            VdpTlvType type = StationTsiMachine.requestType(target, pre);
            assertThat(to(ACTIVATED, StationTsiMachine.accepted(type))).isEqualTo(target);
        }
        assertThat(StationTsiMachine.requestType(ASSOCIATED, VdpTlvType.PRE_ASSOCIATE_RR)).isEqualTo(VdpTlvType.PRE_ASSOCIATE_RR);
    }

    @Test
    void a_refusal_with_keep_changes_nothing_and_one_without_keep_drops_the_tsi() throws IllegalTransition {
        fromEveryState(StationTsiMachine.refused(true), from -> from);
        fromEveryState(StationTsiMachine.refused(false), from -> INIT);
    }

    @Test
    void an_unanswered_operation_drops_the_tsi_but_an_unanswered_keep_alive_or_re_establishment_leaves_it()
            throws IllegalTransition {
        fromEveryState(PendingRequest.Kind.OPERATION.unanswered, from -> INIT);
        fromEveryState(PendingRequest.Kind.KEEP_ALIVE.unanswered, from -> from);
        fromEveryState(PendingRequest.Kind.REESTABLISH.unanswered, from -> from);
    }

    @Test
    void a_request_that_never_reached_the_bridge_changes_nothing() throws IllegalTransition {
        fromEveryState(NOT_DELIVERED, from -> from);
    }

    @Test
    void a_bridge_de_associate_drops_a_held_tsi_and_is_illegal_for_one_not_held() throws IllegalTransition {
        assertThat(to(ASSOCIATED, BRIDGE_DE_ASSOCIATE)).isEqualTo(INIT);
        assertThat(to(ACTIVATED, BRIDGE_DE_ASSOCIATE)).isEqualTo(INIT);
        illegal(INIT, BRIDGE_DE_ASSOCIATE, "not held");
    }

    @Test
    void a_bridge_given_up_in_a_failover_holds_nothing_any_more() throws IllegalTransition {
        fromEveryState(BRIDGE_GIVEN_UP, from -> INIT);
    }

    @Test
    void target_of_an_illegal_event_is_a_bug_of_the_caller() {
        assertThat(StationTsiMachine.target(ACTIVATED, BRIDGE_DE_ASSOCIATE)).isEqualTo(INIT);
        assertThatThrownBy(() -> StationTsiMachine.target(INIT, BRIDGE_DE_ASSOCIATE)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void only_the_five_api_operations_make_an_operation() {
        assertThat(StationTsiMachine.OPERATIONS).containsExactlyInAnyOrder(ASSOCIATE, ACTIVATE, DEACTIVATE, DEASSOCIATE, UPDATE);
        for (Event e : EnumSet.complementOf(EnumSet.copyOf(StationTsiMachine.OPERATIONS))) {
            assertThatThrownBy(() -> new Operation(e, Migration.NONE, null, null, new CompletableFuture<>()))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
