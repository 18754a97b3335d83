package org.splitnve.tnve;

import java.util.ArrayDeque;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VnId;
import org.splitnve.vdpcore.vdp.VdpTlvType;
import org.splitnve.vdpcore.vdp.VsiStatus;

/**
 * One VSI on one bridge: its {@link TsiState} there, the current TLV (type and status) that keep-alives repeat, at
 * most one outstanding request (a request made while one is outstanding waits behind it), and whether a De-Associate
 * is owed to a bridge the station left. Touched on the protocol thread only.
 */
final class Binding {
    final Tsi tsi;
    final MacAddress bridge;
    TsiState state = TsiState.INIT;
    /** The VN the {@link TsiTable} counts this binding under while it is out of INIT; null in INIT. */
    VnId heldVn;
    VdpTlvType currentType;
    VsiStatus currentStatus;
    PendingRequest outstanding;
    /**
     * When the station stopped using this bridge for the VSI (failover, its VN moved) while the bridge may still hold
     * it, so that a De-Associate is owed there; -1 when nothing is owed.
     */
    long leavingSince = -1;
    final ArrayDeque<PendingRequest> waiting = new ArrayDeque<>();

    Binding(Tsi tsi, MacAddress bridge) {
        this.tsi = tsi;
        this.bridge = bridge;
    }

    boolean idle() {
        return outstanding == null && waiting.isEmpty();
    }
}
