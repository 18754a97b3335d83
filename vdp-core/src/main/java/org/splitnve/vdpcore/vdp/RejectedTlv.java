package org.splitnve.vdpcore.vdp;

import java.util.Arrays;
import java.util.Objects;
import org.splitnve.vdpcore.MalformedFrameException;

/**
 * An association TLV whose framing held but whose value did not decode. A bridge answers it by
 * echoing {@link #value()} with a response status carrying {@link #error()}, which is the only
 * answer a peer can match to its request when the filter itself is what is wrong.
 *
 * @param type   the TLV type (Pre-Associate, Pre-Associate-RR, Associate or De-Associate)
 * @param index  its position among the PDU's association TLVs, good and bad
 * @param value  the raw TLV value, as received
 * @param vsiId  the VSI ID if the TLV was long enough and its VSI ID readable, else {@code null}
 *               (the raw octets are still in {@code value} at offset 6)
 * @param cause  what was wrong, with offset and hex dump
 */
public record RejectedTlv(VdpTlvType type, int index, byte[] value, VsiId vsiId, MalformedFrameException cause) {

    public RejectedTlv {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(cause, "cause");
        value = value.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    /** The VDP error code the fault maps to (1 invalid format, 2 resources, 5 VID/GroupID/MAC). */
    public VdpErrorCode error() {
        return cause.vdpError();
    }

    /**
     * A response can be matched by the peer when the TLV is long enough to carry the 16 octets of
     * a VSI ID: the echo holds them as sent, so the requester recognizes its request even when
     * their format is one we cannot read (which is exactly the fault an error 1 must report).
     */
    public boolean answerable() {
        return value.length >= AssociationTlv.HEADER_LENGTH;
    }

    /**
     * The response value: the request echoed with the response bit, keep and the error code in
     * the status octet. Bit 0x80 (migration indication valid) is echoed as it came.
     */
    public byte[] responseValue() {
        byte[] v = value.clone();
        v[0] = (byte) ((v[0] & 0x80) | 0x40 | 0x20 | (error().value() & 0x0F));
        return v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RejectedTlv r && r.type.equals(type) && r.index == index && Arrays.equals(r.value, value)
                && Objects.equals(r.vsiId, vsiId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, index, Arrays.hashCode(value), vsiId);
    }

    @Override
    public String toString() {
        return "RejectedTlv{" + type + " #" + index + " vsi " + vsiId + ": " + error() + ", " + cause.reason() + "}";
    }
}
