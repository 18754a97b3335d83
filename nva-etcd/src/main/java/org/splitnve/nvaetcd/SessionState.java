package org.splitnve.nvaetcd;

/**
 * The etcd NVA's session with etcd. It answers VN lookups and writes mappings only when {@link #UP}: a lease is held,
 * the copy of the prefix is listed and a watch follows it from the list's revision. Every failure takes it
 * {@link #DOWN}; recovering (lease checked or granted anew, whole list, new watch) takes it back up.
 */
enum SessionState {
    /** Not yet up since the start. */
    CONNECTING,
    UP,
    /** Was up; recovering. */
    DOWN,
    CLOSED;

    /** What happens to the session. */
    enum Event {
        /** Lease held, prefix listed, watch started. */
        RECOVERED,
        /** A keep-alive, write, list or watch failed, the lease was lost, or the watch backlog overflowed. */
        FAILED,
        CLOSE
    }

    /** Thrown for an event that cannot happen in a state; a bug, never a network condition. */
    static final class IllegalTransitionException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        IllegalTransitionException(SessionState state, Event event) {
            super("session event " + event + " in state " + state);
        }
    }

    SessionState on(Event event) {
        return switch (this) {
            case CONNECTING -> switch (event) {
                case RECOVERED -> UP;
                case FAILED -> CONNECTING;
                case CLOSE -> CLOSED;
            };
            case UP -> switch (event) {
                case RECOVERED -> throw new IllegalTransitionException(this, event);
                case FAILED -> DOWN;
                case CLOSE -> CLOSED;
            };
            case DOWN -> switch (event) {
                case RECOVERED -> UP;
                case FAILED -> DOWN;
                case CLOSE -> CLOSED;
            };
            case CLOSED -> switch (event) {
                case RECOVERED, FAILED -> throw new IllegalTransitionException(this, event);
                case CLOSE -> CLOSED;
            };
        };
    }
}
