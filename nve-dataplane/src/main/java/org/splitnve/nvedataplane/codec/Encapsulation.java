package org.splitnve.nvedataplane.codec;

import java.nio.ByteBuffer;

/**
 * An overlay header carried in UDP between NVEs, carrying a 24-bit VNI and an Ethernet frame:
 * {@link #VXLAN} (RFC 7348) or {@link #GENEVE} (RFC 8926).
 */
public interface Encapsulation {

    Encapsulation VXLAN = Vxlan.INSTANCE;
    Encapsulation GENEVE = Geneve.INSTANCE;

    String name();

    /** The UDP destination port. */
    int udpPort();

    /** Octets this encapsulation writes (no options). */
    int headerLength();

    /** Writes the header for {@code vni} at {@code off}. */
    void write(ByteBuffer b, int off, int vni);

    /** Null when {@code len} octets start with a header this end accepts (options included). */
    Malformation validate(ByteBuffer b, int off, int len);

    /** The VNI of a validated header, as an unsigned 24-bit value. */
    int vni(ByteBuffer b, int off);

    /** Octets of a validated header including its options: where the inner frame starts. */
    int length(ByteBuffer b, int off);

    /** Validates and returns the VNI. */
    default int decode(ByteBuffer b, int off, int len) throws MalformedPacketException {
        MalformedPacketException.check(validate(b, off, len), b, off, len);
        return vni(b, off);
    }

    static Encapsulation byName(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "vxlan" -> VXLAN;
            case "geneve" -> GENEVE;
            default -> throw new IllegalArgumentException("unknown encapsulation " + name + " (vxlan or geneve)");
        };
    }
}
