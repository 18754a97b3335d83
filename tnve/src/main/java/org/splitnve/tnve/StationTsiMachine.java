package org.splitnve.tnve;

import java.util.EnumSet;
import java.util.Set;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VdpTlvType;

/**
 * The station's side of the TSI state machine of RFC 8394 Figure 6 on VDP (docs/PROTOCOL.md 4.4, 4.5): which requests the
 * station may make from a state, and what a bridge's answer, silence or De-Associate does to the TSI's state on that
 * bridge. Every (state, event) pair is a transition or a typed error, in one exhaustive switch. The bridge's side is
 * the nNVE's {@code TsiMachine}; the two agree on what each request type asks for.
 */
final class StationTsiMachine {

    private StationTsiMachine() {
    }

    /** What happens to a TSI at the station. */
    enum Event {
        // The API operations of RFC 8394 section 3.2, from the state the TSI's last operation left (its committed
        // state). The transition names the state the requests ask for; the TSI reaches it when the bridges accept.
        // The names are also the operations' names in logs and in the purpose of their requests.
        /** Pre-Associate (-RR) with the full address set. */
        ASSOCIATE,
        /** Associate. */
        ACTIVATE,
        /** Pre-Associate of an Activated TSI (docs/PROTOCOL.md 4.4). */
        DEACTIVATE,
        /** De-Associate. */
        DEASSOCIATE,
        /** Req-10: the current TLV type again, with the complete new address set. */
        UPDATE,
        /** An associate or activate whose spec names another VN than the one the TSI is in. */
        CHANGE_VN,

        // Requests the station makes on its own; the transition names the state they ask for.
        /** Re-sending a bridge the current TLV every RKA. */
        KEEP_ALIVE,
        /** Putting the TSI back on a bridge that lost it (restart, another tag, failover, a VN assigned there). */
        RE_ESTABLISH,
        /** Taking the TSI off a bridge its VN no longer uses (per-VN re-assignment). */
        LEAVE_BRIDGE,

        // What one bridge does to the TSI's state on it.
        /** The bridge accepted a Pre-Associate or Pre-Associate-RR. */
        PRE_ASSOCIATE_ACCEPTED,
        /** The bridge accepted an Associate. */
        ASSOCIATE_ACCEPTED,
        /**
         * The bridge accepted a keep-alive: it still holds what the station holds. Illegal where the station holds
         * nothing there (the bridge de-associated the TSI while the keep-alive was on the wire).
         */
        KEEP_ALIVE_ACCEPTED,
        /** The bridge accepted a De-Associate (or de-associated the TSI while ours crossed its own). */
        DE_ASSOCIATE_ACCEPTED,
        /** The bridge refused with keep: the TSI stays as it was there (802.1Q 41.2.4). */
        REFUSED_WITH_KEEP,
        /** The bridge refused without keep: it dropped the TSI. */
        REFUSED,
        /** No answer to an API operation within the response wait: the TSI is gone there (as lldpad has it). */
        OPERATION_UNANSWERED,
        /** No answer to a keep-alive: the bridge is suspect, the TSI is not known to be gone. */
        KEEP_ALIVE_UNANSWERED,
        /** No answer to a re-establishment: as for a keep-alive. */
        RE_ESTABLISH_UNANSWERED,
        /** ECP could not deliver the request, or it did not fit a VDPDU and was not sent. */
        NOT_DELIVERED,
        /** The bridge de-associated the TSI on its own (Req-6, Req-9, its keep-alive timeout). */
        BRIDGE_DE_ASSOCIATE,
        /** The bridge deactivated the TSI on its own (Req-9, docs/PROTOCOL.md 4.6). */
        BRIDGE_DEACTIVATE,
        /** The bridge removed some of the TSI's addresses on its own (Req-9, docs/PROTOCOL.md 4.6). */
        BRIDGE_REMOVED_ADDRESSES,
        /** Active-standby failover gave the bridge up. */
        BRIDGE_GIVEN_UP
    }

    /** The API operations among the events. */
    static final Set<Event> OPERATIONS = EnumSet.range(Event.ASSOCIATE, Event.UPDATE);

    /** The event is not legal in the state; {@link #reason()} says why, for the caller's typed error. */
    static final class IllegalTransition extends Exception {
        private static final long serialVersionUID = 1L;

        private final TsiState state;
        private final Event event;
        private final String reason;

        IllegalTransition(TsiState state, Event event, String reason) {
            super(event + " in " + state + ": " + reason, null, false, false);
            this.state = state;
            this.event = event;
            this.reason = reason;
        }

        TsiState state() {
            return state;
        }

        Event event() {
            return event;
        }

        String reason() {
            return reason;
        }
    }

    /** Where the event takes the TSI, and what that means, for logs. */
    record Transition(TsiState to, String meaning) {
    }

    static Transition next(TsiState from, Event event) throws IllegalTransition {
        return switch (event) {
            case ASSOCIATE -> switch (from) {
                case INIT -> new Transition(TsiState.ASSOCIATED, "associate");
                case ASSOCIATED -> new Transition(TsiState.ASSOCIATED, "associate again");
                case ACTIVATED -> throw new IllegalTransition(from, event, "associate of an Activated VSI; use deactivate");
            };
            case ACTIVATE -> new Transition(TsiState.ACTIVATED, from == TsiState.ACTIVATED ? "activate again" : "activate");
            case DEACTIVATE -> switch (from) {
                case INIT -> throw new IllegalTransition(from, event, "deactivate of a VSI that is not associated");
                case ASSOCIATED -> new Transition(TsiState.ASSOCIATED, "deactivate of a VSI that is not active");
                case ACTIVATED -> new Transition(TsiState.ASSOCIATED, "deactivate");
            };
            // De-Associate of what is not held succeeds at once (idempotent).
            case DEASSOCIATE -> new Transition(TsiState.INIT, "de-associate");
            case UPDATE -> switch (from) {
                case INIT -> throw new IllegalTransition(from, event, "address update of a VSI that is not associated");
                case ASSOCIATED, ACTIVATED -> new Transition(from, "address update");
            };
            case CHANGE_VN -> switch (from) {
                case INIT -> new Transition(TsiState.INIT, "a VSI in Init may join another VN");
                case ASSOCIATED, ACTIVATED -> throw new IllegalTransition(from, event,
                        "cannot move an associated VSI to another VN; de-associate first");
            };
            case KEEP_ALIVE, RE_ESTABLISH -> switch (from) {
                case INIT -> throw new IllegalTransition(from, event, "nothing held to refresh or put back");
                case ASSOCIATED, ACTIVATED -> new Transition(from, event == Event.KEEP_ALIVE ? "keep-alive" : "re-establish");
            };
            case LEAVE_BRIDGE -> switch (from) {
                case INIT -> throw new IllegalTransition(from, event, "not held on that bridge");
                case ASSOCIATED, ACTIVATED -> new Transition(TsiState.INIT, "de-associate from a bridge the VN left");
            };
            case PRE_ASSOCIATE_ACCEPTED -> new Transition(TsiState.ASSOCIATED,
                    from == TsiState.ACTIVATED ? "deactivated" : "associated");
            case ASSOCIATE_ACCEPTED -> new Transition(TsiState.ACTIVATED, "activated");
            case KEEP_ALIVE_ACCEPTED -> switch (from) {
                case INIT -> throw new IllegalTransition(from, event, "a keep-alive answered for a VSI no longer held there");
                case ASSOCIATED, ACTIVATED -> new Transition(from, "keep-alive accepted");
            };
            case DE_ASSOCIATE_ACCEPTED -> new Transition(TsiState.INIT, "de-associated");
            case REFUSED_WITH_KEEP -> new Transition(from, "refused with keep: unchanged");
            case REFUSED -> new Transition(TsiState.INIT, "refused without keep: dropped by the bridge");
            case OPERATION_UNANSWERED -> new Transition(TsiState.INIT, "unanswered: dropped, as the bridge drops it");
            case KEEP_ALIVE_UNANSWERED, RE_ESTABLISH_UNANSWERED -> new Transition(from, "unanswered: the bridge is suspect");
            case NOT_DELIVERED -> new Transition(from, "not delivered: unchanged");
            case BRIDGE_DE_ASSOCIATE -> switch (from) {
                case INIT -> throw new IllegalTransition(from, event, "not held on that bridge");
                case ASSOCIATED, ACTIVATED -> new Transition(TsiState.INIT, "de-associated by the bridge");
            };
            case BRIDGE_DEACTIVATE -> switch (from) {
                case INIT -> throw new IllegalTransition(from, event, "not held on that bridge");
                case ASSOCIATED, ACTIVATED -> new Transition(TsiState.ASSOCIATED, "deactivated by the bridge");
            };
            case BRIDGE_REMOVED_ADDRESSES -> switch (from) {
                case INIT -> throw new IllegalTransition(from, event, "not held on that bridge");
                case ASSOCIATED, ACTIVATED -> new Transition(from, "addresses removed by the bridge");
            };
            case BRIDGE_GIVEN_UP -> new Transition(TsiState.INIT, "bridge given up");
        };
    }

    /** Whether {@code event} is legal in {@code from}. */
    static boolean allows(TsiState from, Event event) {
        try {
            next(from, event);
            return true;
        } catch (IllegalTransition e) {
            return false;
        }
    }

    /** The target of {@code event} in {@code from}, or {@code otherwise} where the event is not legal. */
    static TsiState nextOr(TsiState from, Event event, TsiState otherwise) {
        try {
            return next(from, event).to();
        } catch (IllegalTransition e) {
            return otherwise;
        }
    }

    /** The target of an event known to be legal in {@code from}; an illegal one is a bug of the caller. */
    static TsiState target(TsiState from, Event event) {
        try {
            return next(from, event).to();
        } catch (IllegalTransition e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The event of a bridge refusing a request, with or without keep. */
    static Event refused(boolean keep) {
        return keep ? Event.REFUSED_WITH_KEEP : Event.REFUSED;
    }

    /** The event of a bridge accepting a request of {@code type}. */
    static Event accepted(VdpTlvType type) {
        if (type == VdpTlvType.PRE_ASSOCIATE || type == VdpTlvType.PRE_ASSOCIATE_RR) {
            return Event.PRE_ASSOCIATE_ACCEPTED;
        }
        if (type == VdpTlvType.ASSOCIATE) {
            return Event.ASSOCIATE_ACCEPTED;
        }
        if (type == VdpTlvType.DE_ASSOCIATE) {
            return Event.DE_ASSOCIATE_ACCEPTED;
        }
        throw new IllegalArgumentException("not a VSI association request: " + type);
    }

    /** The request type that asks a bridge for {@code target}; {@code preAssociate} is Pre-Associate or its -RR form. */
    static VdpTlvType requestType(TsiState target, VdpTlvType preAssociate) {
        return switch (target) {
            case INIT -> VdpTlvType.DE_ASSOCIATE;
            case ASSOCIATED -> preAssociate;
            case ACTIVATED -> VdpTlvType.ASSOCIATE;
        };
    }
}
