package org.splitnve.conformance;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import org.splitnve.vdpcore.MalformedFrameException;
import org.splitnve.vdpcore.vdp.AssociationTlv;
import org.splitnve.vdpcore.vdp.VdpDecoder;
import org.splitnve.vdpcore.vdp.Vdpdu;

/**
 * One association TLV (types 1 to 4) as the peer sent it, read field by field without judging it,
 * so a check can look at a response even when the response itself is malformed: the status octet,
 * the VSI ID bytes and the filter format are where clause 41 puts them whatever the rest holds.
 */
public record PeerTlv(int type, byte[] value, AssociationTlv typed, String decodeError) {

    static final int STATUS = 0;
    static final int VSI_ID_FORMAT = 5;
    static final int VSI_ID = 6;
    static final int FILTER_FORMAT = 22;
    static final int ENTRY_COUNT = 23;
    static final int ENTRIES = 25;

    /** Reads the raw value and, where the value decodes, the typed TLV (through a one-TLV VDPDU). */
    static PeerTlv read(int type, byte[] value, byte[] managerIdTlv, VdpDecoder decoder) {
        ByteBuffer one = ByteBuffer.allocate(managerIdTlv.length + 2 + value.length + 2);
        one.put(managerIdTlv).putShort((short) ((type << 9) | value.length)).put(value).putShort((short) 0).flip();
        try {
            Vdpdu pdu = decoder.decode(one);
            return new PeerTlv(type, value, pdu.associations().isEmpty() ? null : pdu.associations().get(0), null);
        } catch (MalformedFrameException e) {
            return new PeerTlv(type, value, null, e.getMessage().lines().findFirst().orElse("malformed"));
        }
    }

    public int status() {
        return value.length > STATUS ? value[STATUS] & 0xFF : -1;
    }

    public boolean isResponse() {
        return (status() & 0x40) != 0;
    }

    public int errorCode() {
        return status() & 0x0F;
    }

    public boolean keep() {
        return (status() & 0x20) != 0;
    }

    public boolean hardError() {
        return (status() & 0x10) != 0;
    }

    /** Bit 0x80 of the status: in a response, the echo of a supported migration indication. */
    public boolean bit80() {
        return (status() & 0x80) != 0;
    }

    public boolean sameVsi(byte[] vsiId) {
        return value.length >= VSI_ID + 16 && Arrays.equals(value, VSI_ID, VSI_ID + 16, vsiId, 0, 16);
    }

    /** The 16 VSI ID octets as sent, whatever their format, or none when the TLV is too short. */
    public byte[] vsiIdBytes() {
        return value.length >= VSI_ID + 16 ? Arrays.copyOfRange(value, VSI_ID, VSI_ID + 16) : new byte[0];
    }

    public int filterFormat() {
        return value.length > FILTER_FORMAT ? value[FILTER_FORMAT] & 0xFF : -1;
    }

    public Optional<AssociationTlv> association() {
        return Optional.ofNullable(typed);
    }

    /** The VID of the first entry, read from the end of the entry list's first entry when typed. */
    public Optional<Integer> firstVid() {
        return association().filter(t -> !t.filter().entries().isEmpty()).map(t -> t.filter().entries().get(0).vid());
    }

    public String typeName() {
        return switch (type) {
            case 1 -> "Pre-Associate";
            case 2 -> "Pre-Associate-RR";
            case 3 -> "Associate";
            case 4 -> "De-Associate";
            default -> "type " + type;
        };
    }

    @Override
    public String toString() {
        return typeName() + (isResponse() ? " response" : " request") + String.format(" status 0x%02x", status())
                + (decodeError != null ? " (malformed: " + decodeError + ")" : "")
                + " value " + HexFormat.of().formatHex(value, 0, Math.min(value.length, 40)) + (value.length > 40 ? ".." : "");
    }
}
