package org.splitnve.nnve;

import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.VnId;

/** A VAP changed state (RFC 8394 Figure 5): VN_Connect or VN_Disconnect on a port. */
public record VapEvent(String port, VnId vn, VapState oldState, VapState newState, LocalTag tag, String why) {
}
