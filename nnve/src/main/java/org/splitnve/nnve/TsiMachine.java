package org.splitnve.nnve;

import org.splitnve.vdpcore.vdp.TsiState;

/**
 * The TSI state machine of RFC 8394 Figure 6 on VDP (docs/PROTOCOL.md 4.4, 4.5): every (state, event)
 * pair is either a transition or a typed error, in one exhaustive switch.
 */
final class TsiMachine {

    enum Event {
        /** Pre-Associate or Pre-Associate-RR from the station. */
        PRE_ASSOCIATE,
        /** Associate from the station. */
        ASSOCIATE,
        /** De-Associate from the station. */
        DE_ASSOCIATE,
        /** The nNVE de-associates (Req-6, Req-9, keep-alive timeout). */
        BRIDGE_DE_ASSOCIATE,
        /** The nNVE deactivates (Req-9, docs/PROTOCOL.md 4.6). */
        BRIDGE_DEACTIVATE,
        /** The nNVE removes some of the TSI's addresses (Req-9, docs/PROTOCOL.md 4.6). */
        BRIDGE_REMOVE_ADDRESSES
    }

    /** The event is not legal in the state. */
    static final class IllegalTransition extends Exception {
        private static final long serialVersionUID = 1L;

        IllegalTransition(TsiState state, Event event) {
            super(event + " in " + state, null, false, false);
        }
    }

    /** The target state and what the transition means, for logs and listeners. */
    record Transition(TsiState to, String meaning) {
    }

    private TsiMachine() {
    }

    static Transition next(TsiState from, Event event) throws IllegalTransition {
        return switch (from) {
            case INIT -> switch (event) {
                case PRE_ASSOCIATE -> new Transition(TsiState.ASSOCIATED, "associate");
                case ASSOCIATE -> new Transition(TsiState.ACTIVATED, "associate and activate");
                // De-Associate of what is not held is answered success (idempotent) by the caller.
                case DE_ASSOCIATE -> new Transition(TsiState.INIT, "de-associate of an unknown VSI");
                case BRIDGE_DE_ASSOCIATE, BRIDGE_DEACTIVATE, BRIDGE_REMOVE_ADDRESSES -> throw new IllegalTransition(from, event);
            };
            case ASSOCIATED -> switch (event) {
                case PRE_ASSOCIATE -> new Transition(TsiState.ASSOCIATED, "refresh or update");
                case ASSOCIATE -> new Transition(TsiState.ACTIVATED, "activate");
                case DE_ASSOCIATE, BRIDGE_DE_ASSOCIATE -> new Transition(TsiState.INIT, "de-associate");
                case BRIDGE_DEACTIVATE -> throw new IllegalTransition(from, event);
                case BRIDGE_REMOVE_ADDRESSES -> new Transition(TsiState.ASSOCIATED, "addresses removed");
            };
            case ACTIVATED -> switch (event) {
                // docs/PROTOCOL.md 4.4: Pre-Associate for an Associated (Activated) VSI means Deactivate.
                case PRE_ASSOCIATE -> new Transition(TsiState.ASSOCIATED, "deactivate");
                case ASSOCIATE -> new Transition(TsiState.ACTIVATED, "refresh or update");
                case DE_ASSOCIATE, BRIDGE_DE_ASSOCIATE -> new Transition(TsiState.INIT, "de-associate");
                case BRIDGE_DEACTIVATE -> new Transition(TsiState.ASSOCIATED, "deactivate");
                case BRIDGE_REMOVE_ADDRESSES -> new Transition(TsiState.ACTIVATED, "addresses removed");
            };
        };
    }
}
