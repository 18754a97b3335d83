package org.splitnve.vdpcore.frame;

import org.splitnve.vdpcore.ecp.Ecpdu;
import org.splitnve.vdpcore.lldp.Lldpdu;
import org.splitnve.vdpcore.vdp.Vdpdu;

/**
 * What {@link FrameDecoder} found in one frame: the Ethernet header and, where present, the
 * ECPDU, the VDPDU it carries (ECP requests of subtype VDP), or the LLDPDU. Absent parts are null.
 */
public record DecodedFrame(EthernetHeader ethernet, Ecpdu ecp, Vdpdu vdp, Lldpdu lldp) {

    /** True when the frame is ECP or LLDP, the protocols this library speaks. */
    public boolean isSplitNve() {
        return ecp != null || lldp != null;
    }
}
