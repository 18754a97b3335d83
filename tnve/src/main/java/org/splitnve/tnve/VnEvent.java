package org.splitnve.tnve;

import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.VnId;

/** VN_Connect (a tag learned) or VN_Disconnect (the tag released) on one bridge. */
public record VnEvent(VnId vn, MacAddress bridge, boolean connected, LocalTag tag, String why) {
}
