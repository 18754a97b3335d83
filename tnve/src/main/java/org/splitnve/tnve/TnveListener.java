package org.splitnve.tnve;

import java.util.List;
import org.splitnve.ecptransport.auth.AuthorizationEvent;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.VnId;
import org.splitnve.vdpcore.vdp.VsiId;

/**
 * What the tNVE tells hypervisor tooling, on the protocol thread. Every method has an empty default; an exception
 * thrown here is caught and logged, so an observer cannot break the station.
 */
public interface TnveListener {

    default void onTsiState(TsiEvent e) {
    }

    default void onVn(VnEvent e) {
    }

    default void onResponse(ResponseEvent e) {
    }

    /** The bridge de-associated the VSI on its own (Req-6, Req-9); the station has answered it. */
    default void onBridgeDeassociate(VsiId vsiId, MacAddress bridge) {
    }

    /**
     * The bridge deactivated the VSI on its own (Req-9, docs/PROTOCOL.md 4.6): it is Associated there now, and the
     * station has answered; activating it again is the station's decision.
     */
    default void onBridgeDeactivate(VsiId vsiId, MacAddress bridge) {
    }

    /**
     * The bridge removed some addresses of the VSI on its own (Req-9, docs/PROTOCOL.md 4.6): the TSI no longer has them
     * (on any bridge: later requests carry the rest) and keeps its state; the station has answered.
     */
    default void onBridgeRemovedAddresses(VsiId vsiId, MacAddress bridge, List<TsiAddress> removed) {
    }

    /** A bridge now answers with another tag for a VN (it restarted, or reallocated). */
    default void onTagChanged(VnId vn, MacAddress bridge, LocalTag oldTag, LocalTag newTag) {
    }

    /** A bridge stopped answering (ECP retries ran out, a response or keep-alive went unanswered or was refused). */
    default void onPeerLost(MacAddress bridge, String why) {
    }

    /** Active-standby: everything moved from one bridge to the other. */
    default void onFailover(MacAddress from, MacAddress to) {
    }

    /** A bridge behaves like lldpad: no 0x80 echo, or deactivate unsupported. */
    default void onLegacyPeer(MacAddress bridge, String what) {
    }

    /**
     * Req-11: the station's port was authenticated (IEEE 802.1X), or lost its authentication; told only when VDP is
     * allowed or stopped by it. While it is lost no VDP is sent; once it is back the station associates again what it
     * held (see {@link Tnve.Builder#authentication}).
     */
    default void onAuthentication(AuthorizationEvent e) {
    }
}
