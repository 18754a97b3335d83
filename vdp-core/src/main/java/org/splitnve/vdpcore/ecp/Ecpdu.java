package org.splitnve.vdpcore.ecp;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * An ECPDU (802.1Q 43.3): version, operation, subtype, sequence number and, for a request, the
 * upper-layer PDU. The payload is a read-only view; for a decoded request it runs to the end of
 * the frame, padding included, because ECP cannot tell the upper-layer PDU's length.
 */
public final class Ecpdu {

    public static final int VERSION = 1;
    public static final int HEADER_LENGTH = 4;
    /** An ack on the wire: 14 octets of Ethernet header and 4 of ECP header. */
    public static final int ACK_FRAME_LENGTH = 18;

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0).asReadOnlyBuffer();

    private final int version;
    private final EcpOperation operation;
    private final EcpSubtype subtype;
    private final int sequence;
    private final ByteBuffer payload;

    private Ecpdu(int version, EcpOperation operation, EcpSubtype subtype, int sequence, ByteBuffer payload) {
        this.version = version;
        this.operation = operation;
        this.subtype = subtype;
        this.sequence = sequence;
        this.payload = payload;
    }

    /** A request carrying {@code payload} (its remaining octets, not copied: do not change them). */
    public static Ecpdu request(EcpSubtype subtype, int sequence, ByteBuffer payload) {
        return new Ecpdu(VERSION, EcpOperation.REQUEST, Objects.requireNonNull(subtype), checkSequence(sequence),
                payload.slice().asReadOnlyBuffer());
    }

    /** The ack of a request with this subtype and sequence number. */
    public static Ecpdu ack(EcpSubtype subtype, int sequence) {
        return new Ecpdu(VERSION, EcpOperation.ACK, Objects.requireNonNull(subtype), checkSequence(sequence), EMPTY);
    }

    static Ecpdu decoded(int version, EcpOperation op, EcpSubtype subtype, int sequence, ByteBuffer payload) {
        return new Ecpdu(version, op, subtype, sequence, payload);
    }

    private static int checkSequence(int s) {
        if (s < 0 || s > 0xFFFF) {
            throw new IllegalArgumentException("ECP sequence numbers are 16 bits: " + s);
        }
        return s;
    }

    public int version() {
        return version;
    }

    public EcpOperation operation() {
        return operation;
    }

    public boolean isAck() {
        return operation == EcpOperation.ACK;
    }

    public EcpSubtype subtype() {
        return subtype;
    }

    public int sequence() {
        return sequence;
    }

    /** A fresh read-only view of the payload, positioned at its start. */
    public ByteBuffer payload() {
        return payload.duplicate();
    }

    public int payloadLength() {
        return payload.remaining();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ecpdu e && e.version == version && e.operation == operation && e.subtype == subtype
                && e.sequence == sequence && e.payload.equals(payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, operation.value(), subtype.value(), sequence, payload);
    }

    @Override
    public String toString() {
        return "ECP v" + version + " " + operation + " " + subtype + " seq " + sequence
                + (isAck() ? "" : " (" + payload.remaining() + " octets)");
    }
}
