package org.splitnve.vdpcore.ecp;

import java.nio.ByteBuffer;
import org.splitnve.vdpcore.MalformedFrameException;
import org.splitnve.vdpcore.vdp.VdpErrorCode;

/**
 * Decodes the ECP part of a frame (what follows EtherType 0x8940). Strict on version and
 * operation; padding-aware: an ack's trailing octets must be zero padding. Thread-safe.
 */
public final class EcpDecoder {

    private final int maxLength;

    /** Accepts ECPDUs up to a 1500-octet MTU's payload. */
    public EcpDecoder() {
        this(1500);
    }

    public EcpDecoder(int maxLength) {
        if (maxLength < Ecpdu.HEADER_LENGTH) {
            throw new IllegalArgumentException("maxLength " + maxLength);
        }
        this.maxLength = maxLength;
    }

    /**
     * Decodes from the buffer's position to its limit and consumes it all. The payload of a
     * request is a read-only view into {@code buf}, not a copy.
     */
    public Ecpdu decode(ByteBuffer buf) throws MalformedFrameException {
        int p = buf.position();
        int len = buf.limit() - p;
        if (len < Ecpdu.HEADER_LENGTH) {
            throw new MalformedFrameException("ECPDU of " + len + " octets is shorter than its 4-octet header", p,
                    VdpErrorCode.INVALID_FORMAT, buf);
        }
        if (len > maxLength) {
            throw new MalformedFrameException("ECPDU of " + len + " octets exceeds " + maxLength, p,
                    VdpErrorCode.INVALID_FORMAT, buf);
        }
        int word = buf.getShort(p) & 0xFFFF;
        int version = EcpHeader.version(word);
        if (version != Ecpdu.VERSION) {
            throw new MalformedFrameException("ECP version " + version + ", only 1 is defined", p,
                    VdpErrorCode.INVALID_FORMAT, buf);
        }
        EcpOperation op = EcpOperation.valueOf(EcpHeader.operation(word));
        if (op == null) {
            throw new MalformedFrameException("undefined ECP operation " + EcpHeader.operation(word), p,
                    VdpErrorCode.INVALID_FORMAT, buf);
        }
        EcpSubtype subtype = EcpSubtype.valueOf(EcpHeader.subtype(word));
        int sequence = buf.getShort(p + 2) & 0xFFFF;
        int payloadAt = p + Ecpdu.HEADER_LENGTH;
        if (op == EcpOperation.ACK) {
            for (int i = payloadAt; i < buf.limit(); i++) {
                if (buf.get(i) != 0) {
                    throw new MalformedFrameException("an ECP ack carries no payload, but octet is non-zero", i,
                            VdpErrorCode.INVALID_FORMAT, buf);
                }
            }
            buf.position(buf.limit());
            return Ecpdu.ack(subtype, sequence);
        }
        ByteBuffer payload = buf.duplicate().position(payloadAt).slice().asReadOnlyBuffer();
        buf.position(buf.limit());
        return Ecpdu.decoded(version, op, subtype, sequence, payload);
    }
}
