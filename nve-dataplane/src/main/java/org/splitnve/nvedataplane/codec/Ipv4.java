package org.splitnve.nvedataplane.codec;

import java.nio.ByteBuffer;

/** IPv4 headers (RFC 791) at absolute offsets; addresses as ints. */
public final class Ipv4 {

    public static final int HEADER = 20;
    public static final int DEFAULT_TTL = 64;

    private Ipv4() {
    }

    /**
     * Null when {@code len} octets hold a whole IPv4 packet: version 4, IHL at least 5 and within
     * the bytes, total length within the bytes, header checksum verifies. Fragments are reported
     * ({@link Malformation#FRAGMENT}) because no tunnel endpoint here reassembles.
     */
    public static Malformation validate(ByteBuffer b, int off, int len) {
        if (len < HEADER) {
            return Malformation.TRUNCATED;
        }
        int vihl = b.get(off) & 0xFF;
        if (vihl >>> 4 != 4) {
            return Malformation.BAD_VERSION;
        }
        int hl = (vihl & 0x0F) * 4;
        if (hl < HEADER) {
            return Malformation.BAD_HEADER_LENGTH;
        }
        if (hl > len) {
            return Malformation.TRUNCATED;
        }
        int total = totalLength(b, off);
        if (total < hl) {
            return Malformation.BAD_TOTAL_LENGTH;
        }
        if (total > len) {
            return Malformation.TRUNCATED;
        }
        if (Checksum.finish(Checksum.add(b, off, hl, 0)) != 0) {
            return Malformation.BAD_IP_CHECKSUM;
        }
        if (isFragment(b, off)) {
            return Malformation.FRAGMENT;
        }
        return null;
    }

    public static void check(ByteBuffer b, int off, int len) throws MalformedPacketException {
        MalformedPacketException.check(validate(b, off, len), b, off, len);
    }

    public static int headerLength(ByteBuffer b, int off) {
        return (b.get(off) & 0x0F) * 4;
    }

    public static int totalLength(ByteBuffer b, int off) {
        return b.getShort(off + 2) & 0xFFFF;
    }

    /** More-fragments set or a non-zero fragment offset. */
    public static boolean isFragment(ByteBuffer b, int off) {
        return (b.getShort(off + 6) & 0x3FFF) != 0;
    }

    public static int protocol(ByteBuffer b, int off) {
        return b.get(off + 9) & 0xFF;
    }

    public static int source(ByteBuffer b, int off) {
        return b.getInt(off + 12);
    }

    public static int destination(ByteBuffer b, int off) {
        return b.getInt(off + 16);
    }

    /** The header checksum field's correct value for the header as it stands. */
    public static int computeChecksum(ByteBuffer b, int off) {
        int hl = headerLength(b, off);
        long acc = Checksum.add(b, off, 10, 0) + Checksum.add(b, off + 12, hl - 12, 0);
        return Checksum.finish(acc);
    }

    /**
     * Writes a 20-octet header (DF set: the underlay must carry whole frames) with its checksum.
     *
     * @return the payload's offset
     */
    public static int write(ByteBuffer b, int off, int payloadLength, int id, int ttl, int protocol, int src, int dst) {
        b.put(off, (byte) 0x45);
        b.put(off + 1, (byte) 0);
        b.putShort(off + 2, (short) (HEADER + payloadLength));
        b.putShort(off + 4, (short) id);
        b.putShort(off + 6, (short) 0x4000);
        b.put(off + 8, (byte) ttl);
        b.put(off + 9, (byte) protocol);
        b.putShort(off + 10, (short) 0);
        b.putInt(off + 12, src);
        b.putInt(off + 16, dst);
        b.putShort(off + 10, (short) computeChecksum(b, off));
        return off + HEADER;
    }
}
