package org.splitnve.nnve;

import org.splitnve.vdpcore.vdp.VdpErrorCode;
import org.splitnve.vdpcore.vdp.VdpTlvType;

/** The nNVE answered a request of a station. */
public record ResponseEvent(TsiKey key, VdpTlvType type, VdpErrorCode error, boolean keep, int tlvs) {
}
