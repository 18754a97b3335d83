package org.splitnve.tnve;

import java.util.List;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.VdpErrorCode;
import org.splitnve.vdpcore.vdp.VdpTlvType;
import org.splitnve.vdpcore.vdp.VsiId;

/**
 * A response matched to a request of this station. A request split over several TLVs (docs/PROTOCOL.md 4.1) is answered
 * TLV by TLV: {@code tlvErrors} has each TLV's error code in order, and {@code error}, {@code keep} and
 * {@code hardError} are those of the first TLV that failed (of the first TLV when all succeeded). {@code tag} is null
 * when the entries carry the null VID.
 */
public record ResponseEvent(VsiId vsiId, MacAddress bridge, VdpTlvType type, VdpErrorCode error, LocalTag tag, boolean keep,
                            boolean hardError, boolean migrationEchoed, List<VdpErrorCode> tlvErrors) {

    public ResponseEvent {
        tlvErrors = List.copyOf(tlvErrors);
    }
}
