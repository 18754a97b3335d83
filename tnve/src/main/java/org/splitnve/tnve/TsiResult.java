package org.splitnve.tnve;

import java.util.Map;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VsiId;

/**
 * The outcome of a successful TSI operation.
 *
 * @param vsiId           the VSI
 * @param state           its state now
 * @param tag             the local tag of its VN on {@code bridge}, or {@code null} (De-Associate)
 * @param bridge          the bridge that answered (the first of the VN's bridges in active-active mode)
 * @param migrationEchoed whether that bridge echoed 0x80, i.e. supports the migration indication
 * @param tagsByBridge    the tag on every bridge that holds the TSI (several in active-active mode)
 */
public record TsiResult(VsiId vsiId, TsiState state, LocalTag tag, MacAddress bridge, boolean migrationEchoed,
                        Map<MacAddress, LocalTag> tagsByBridge) {

    public TsiResult {
        tagsByBridge = Map.copyOf(tagsByBridge);
    }
}
