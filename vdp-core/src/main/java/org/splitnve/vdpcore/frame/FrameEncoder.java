package org.splitnve.vdpcore.frame;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import org.splitnve.vdpcore.CodePoints;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.ecp.EcpHeader;
import org.splitnve.vdpcore.ecp.EcpOperation;
import org.splitnve.vdpcore.ecp.EcpSubtype;
import org.splitnve.vdpcore.lldp.LldpEncoder;
import org.splitnve.vdpcore.lldp.Lldpdu;
import org.splitnve.vdpcore.vdp.VdpEncoder;
import org.splitnve.vdpcore.vdp.Vdpdu;

/**
 * Builds whole Ethernet frames into a caller's buffer, allocating nothing: ECP requests carrying a
 * VDPDU (zero-padded to 60 octets, as ECP senders do), 18-octet ECP acks, and LLDP frames.
 * Thread-safe.
 */
public final class FrameEncoder {

    private final VdpEncoder vdp;
    private final LldpEncoder lldp = new LldpEncoder();

    public FrameEncoder() {
        this(new VdpEncoder(CodePoints.DEFAULT));
    }

    public FrameEncoder(VdpEncoder vdp) {
        this.vdp = vdp;
    }

    /**
     * An ECP request of subtype VDP; returns the frame length. Nothing is written when it throws.
     *
     * @throws IllegalArgumentException if the sequence number is not 16 bits, or the VDP encoder
     *                                  refuses the PDU (too long, or a disabled code point)
     */
    public int ecpVdpRequest(MacAddress dst, MacAddress src, int sequence, Vdpdu pdu, ByteBuffer out) {
        checkSequence(sequence);
        int start = out.position();
        int need = Math.max(EthernetHeader.MIN_FRAME, EthernetHeader.LENGTH + 4 + pdu.encodedLength());
        if (out.remaining() < need) {
            throw new BufferOverflowException();
        }
        // The VDPDU first, behind the headers: the VDP encoder validates before it writes, so a PDU
        // it refuses leaves no half-written Ethernet and ECP header in the caller's buffer. Moving
        // the position instead of writing through a duplicate keeps the hot path allocation-free.
        out.position(start + EthernetHeader.LENGTH + 4);
        try {
            vdp.encode(pdu, out);
        } catch (RuntimeException e) {
            out.position(start);
            throw e;
        }
        int end = out.position();
        out.position(start);
        ethernet(out, dst, src, EtherType.ECP);
        EcpHeader.write(out, EcpOperation.REQUEST.value(), EcpSubtype.VDP.value(), sequence);
        out.position(end);
        return pad(out, start);
    }

    /** An ECP ack: 18 octets, not padded (the specification's length; a NIC pads on the wire). */
    public int ecpAck(MacAddress dst, MacAddress src, EcpSubtype subtype, int sequence, ByteBuffer out) {
        checkSequence(sequence);
        if (out.remaining() < 18) {
            throw new BufferOverflowException();
        }
        ethernet(out, dst, src, EtherType.ECP);
        EcpHeader.write(out, EcpOperation.ACK.value(), subtype.value(), sequence);
        return 18;
    }

    /** An LLDP frame; returns the frame length. */
    public int lldp(MacAddress dst, MacAddress src, Lldpdu pdu, ByteBuffer out) {
        int start = out.position();
        int need = Math.max(EthernetHeader.MIN_FRAME, EthernetHeader.LENGTH + pdu.encodedLength());
        if (out.remaining() < need) {
            throw new BufferOverflowException();
        }
        ethernet(out, dst, src, EtherType.LLDP);
        lldp.encode(pdu, out);
        return pad(out, start);
    }

    /** The header has 16 bits for it: a larger number would be silently truncated on the wire. */
    private static void checkSequence(int sequence) {
        if (sequence < 0 || sequence > 0xFFFF) {
            throw new IllegalArgumentException("ECP sequence numbers are 16 bits: " + sequence);
        }
    }

    private static void ethernet(ByteBuffer out, MacAddress dst, MacAddress src, int type) {
        dst.writeTo(out);
        src.writeTo(out);
        out.putShort((short) type);
    }

    private static int pad(ByteBuffer out, int start) {
        while (out.position() - start < EthernetHeader.MIN_FRAME) {
            out.put((byte) 0);
        }
        return out.position() - start;
    }
}
