package org.splitnve.nnve;

import org.splitnve.vdpcore.vdp.RejectedTlv;
import org.splitnve.vdpcore.vdp.VdpErrorCode;

/**
 * The nNVE refused a request. {@code key} is set for a request that decoded; {@code raw} for an
 * association TLV that did not (answered by echoing its value).
 */
public record RefusalEvent(String port, TsiKey key, RejectedTlv raw, VdpErrorCode error, String why) {
}
