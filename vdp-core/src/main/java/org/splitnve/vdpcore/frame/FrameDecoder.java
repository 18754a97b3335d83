package org.splitnve.vdpcore.frame;

import java.nio.ByteBuffer;
import org.splitnve.vdpcore.CodePoints;
import org.splitnve.vdpcore.MalformedFrameException;
import org.splitnve.vdpcore.ecp.EcpDecoder;
import org.splitnve.vdpcore.ecp.EcpSubtype;
import org.splitnve.vdpcore.ecp.Ecpdu;
import org.splitnve.vdpcore.lldp.LldpDecoder;
import org.splitnve.vdpcore.lldp.Lldpdu;
import org.splitnve.vdpcore.vdp.VdpDecoder;
import org.splitnve.vdpcore.vdp.Vdpdu;

/**
 * Decodes whole Ethernet frames: ECP (and the VDPDU inside a VDP request) and LLDP; other
 * EtherTypes come back with only their header. Offsets in exceptions are frame offsets.
 * Thread-safe.
 */
public final class FrameDecoder {

    private final EcpDecoder ecp;
    private final VdpDecoder vdp;
    private final LldpDecoder lldp;

    public FrameDecoder() {
        this(CodePoints.DEFAULT);
    }

    /** With the given code points, taking frames up to a jumbo MTU ({@value Vdpdu#MAX_MTU}): a capture may hold them. */
    public FrameDecoder(CodePoints codePoints) {
        this(new EcpDecoder(Vdpdu.MAX_MTU), new VdpDecoder(codePoints, Vdpdu.maxLength(Vdpdu.MAX_MTU), VdpDecoder.DEFAULT_MAX_ASSOCIATIONS),
                new LldpDecoder());
    }

    public FrameDecoder(EcpDecoder ecp, VdpDecoder vdp, LldpDecoder lldp) {
        this.ecp = ecp;
        this.vdp = vdp;
        this.lldp = lldp;
    }

    /** Decodes the frame from absolute index 0 to the buffer's limit. */
    public DecodedFrame decode(ByteBuffer frame) throws MalformedFrameException {
        EthernetHeader eth = EthernetHeader.parse(frame);
        ByteBuffer b = frame.duplicate();
        b.position(eth.payloadOffset());
        switch (eth.etherType()) {
            case EtherType.ECP -> {
                Ecpdu e = ecp.decode(b);
                Vdpdu v = null;
                if (!e.isAck() && e.subtype() == EcpSubtype.VDP) {
                    // Decode in the frame's own buffer so that offsets stay frame offsets.
                    ByteBuffer p = frame.duplicate();
                    p.position(eth.payloadOffset() + Ecpdu.HEADER_LENGTH);
                    v = vdp.decode(p);
                }
                return new DecodedFrame(eth, e, v, null);
            }
            case EtherType.LLDP -> {
                Lldpdu l = lldp.decode(b);
                return new DecodedFrame(eth, null, null, l);
            }
            default -> {
                return new DecodedFrame(eth, null, null, null);
            }
        }
    }

    public DecodedFrame decode(byte[] frame) throws MalformedFrameException {
        return decode(ByteBuffer.wrap(frame));
    }
}
