package org.splitnve.tnve;

import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.VdpErrorCode;
import org.splitnve.vdpcore.vdp.VdpTlvType;
import org.splitnve.vdpcore.vdp.VsiId;

/** A response matched to a request of this station. {@code tag} is null when the entries carry the null VID. */
public record ResponseEvent(VsiId vsiId, MacAddress bridge, VdpTlvType type, VdpErrorCode error, LocalTag tag, boolean keep,
                            boolean hardError, boolean migrationEchoed) {
}
