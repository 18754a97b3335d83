package org.splitnve.cli;

import java.io.IOException;
import org.splitnve.vdpcore.MalformedFrameException;
import org.splitnve.vdpcore.ecp.Ecpdu;
import org.splitnve.vdpcore.frame.DecodedFrame;
import org.splitnve.vdpcore.frame.EthernetHeader;

/** Turns decoded ECP and LLDP frames, and malformed ones, into {@code decode}'s output. */
interface FrameWriter {

    /** A frame that decoded as ECP (with its VDPDU, if any) or LLDP. */
    void decoded(CapturedFrame frame, DecodedFrame decoded) throws IOException;

    /**
     * A frame that did not decode.
     *
     * @param ethernet its Ethernet header, or null when even that is broken
     * @param ecp      its ECP header when that decoded and the fault lies in the VDPDU, else null
     */
    void malformed(CapturedFrame frame, EthernetHeader ethernet, Ecpdu ecp, MalformedFrameException error) throws IOException;

    /** Hands everything written so far to the underlying writer. */
    void flush() throws IOException;
}
