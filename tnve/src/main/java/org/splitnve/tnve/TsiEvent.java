package org.splitnve.tnve;

import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VsiId;

/** A VSI changed state on one bridge. */
public record TsiEvent(VsiId vsiId, MacAddress bridge, TsiState oldState, TsiState newState, String why) {
}
