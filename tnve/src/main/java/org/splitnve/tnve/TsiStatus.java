package org.splitnve.tnve;

import java.util.Map;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VnId;
import org.splitnve.vdpcore.vdp.VsiId;

/**
 * A snapshot of one TSI, safe to read from any thread.
 *
 * @param vsiId       the VSI
 * @param vn          its VN
 * @param state       the state the last operation left it in (Init after the bridges dropped it)
 * @param perBridge   its state on each bridge it was sent to
 * @param anchor      whether this is a VN anchor created by an explicit VN_Connect
 * @param busy        whether an operation is in progress or queued
 */
public record TsiStatus(VsiId vsiId, VnId vn, TsiState state, Map<MacAddress, TsiState> perBridge, boolean anchor, boolean busy) {

    public TsiStatus {
        perBridge = Map.copyOf(perBridge);
    }
}
