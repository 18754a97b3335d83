package org.splitnve.ecptransport.auth;

import java.util.Objects;
import org.splitnve.vdpcore.MacAddress;

/**
 * A station's authorization on a port began or ended (RFC 8394 Req-11, here by IEEE 802.1X).
 *
 * @param port     the port (interface) it concerns
 * @param station  the station's MAC address
 * @param identity the EAP identity the station authenticated with; empty when the source names none
 * @param state    whether the station is authorized from now on
 * @param reason   why, as far as the source tells
 * @param detail   more on why, for logs (never empty)
 */
public record AuthorizationEvent(String port, MacAddress station, String identity, State state, Reason reason, String detail) {

    /** Whether the station may use the port from now on. */
    public enum State {
        AUTHORIZED,
        UNAUTHORIZED
    }

    /**
     * Why the state changed. hostapd's control interface names the event, not always its cause, so some reasons are
     * inferred (see {@link HostapdAuthorization}).
     */
    public enum Reason {
        /** Authentication succeeded (the first time, or again after the station had lost it). */
        AUTHENTICATED,
        /** Read from the source's state when attaching or re-reading: the station was authorized already. */
        FOUND_AUTHORIZED,
        /** The station logged off (EAPOL-Logoff), or the session ended while the authenticator still knows it. */
        LOGOFF,
        /** Authentication or re-authentication failed (wrong credentials, a certificate not trusted, EAP failure). */
        AUTHENTICATION_FAILED,
        /** EAP timed out: the station stopped answering the authenticator. */
        TIMEOUT,
        /** The authenticator dropped the station altogether: its session timed out, or the port went down. */
        SESSION_ENDED,
        /** Read from the source's state when attaching again (after a restart): the station is not authorized there. */
        NOT_FOUND_AUTHORIZED,
        /** The station authenticated again under another identity; what the old one was allowed no longer holds. */
        IDENTITY_CHANGED
    }

    public AuthorizationEvent {
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(station, "station");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
    }

    public boolean authorized() {
        return state == State.AUTHORIZED;
    }
}
