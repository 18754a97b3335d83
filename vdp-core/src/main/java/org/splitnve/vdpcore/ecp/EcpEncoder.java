package org.splitnve.vdpcore.ecp;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;

/** Encodes ECPDUs into a caller's buffer, allocating nothing. Thread-safe. */
public final class EcpEncoder {

    /**
     * Writes header and payload at the buffer's position and advances it.
     *
     * @return the number of octets written
     */
    public int encode(Ecpdu pdu, ByteBuffer out) {
        int n = Ecpdu.HEADER_LENGTH + pdu.payloadLength();
        if (out.remaining() < n) {
            throw new BufferOverflowException();
        }
        EcpHeader.write(out, pdu.operation().value(), pdu.subtype().value(), pdu.sequence());
        out.put(pdu.payload());
        return n;
    }
}
