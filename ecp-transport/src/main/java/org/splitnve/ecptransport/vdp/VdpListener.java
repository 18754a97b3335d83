package org.splitnve.ecptransport.vdp;

import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.MalformedFrameException;
import org.splitnve.vdpcore.vdp.ParsedVdpdu;

/** What a {@link VdpChannel} receives, on the scheduler thread. */
public interface VdpListener {

    /** A VDPDU whose framing held; some of its association TLVs may be rejected. */
    void onVdpdu(MacAddress peer, ParsedVdpdu pdu);

    /** A VDPDU that could not be framed at all: nothing in it can be answered. Already counted and logged. */
    default void onMalformed(MacAddress peer, MalformedFrameException e) {
    }
}
