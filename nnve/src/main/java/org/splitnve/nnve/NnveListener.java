package org.splitnve.nnve;

import org.splitnve.ecptransport.auth.AuthorizationEvent;
import org.splitnve.ecptransport.auth.AuthorizationSourceEvent;

/**
 * Observes an {@link Nnve}, on its protocol thread. An exception thrown here is caught and logged:
 * an observer cannot break the state machines. Do not block.
 */
public interface NnveListener {

    default void onVap(VapEvent e) {
    }

    default void onTsi(TsiEvent e) {
    }

    default void onResponse(ResponseEvent e) {
    }

    default void onRefused(RefusalEvent e) {
    }

    /**
     * Req-11: a station's authorization on a port that authenticates stations (IEEE 802.1X) began or ended; an ended
     * one de-associates the station's TSIs on the port, each told through {@link #onTsi} with the reason.
     */
    default void onPortAuthorization(AuthorizationEvent e) {
    }

    /** The authorization source of a port (hostapd) was attached or lost (see {@link PortAdmission}). */
    default void onAuthorizationSource(AuthorizationSourceEvent e) {
    }
}
