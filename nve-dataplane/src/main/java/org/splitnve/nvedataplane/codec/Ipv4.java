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
        // The first eight octets in one read: version and IHL, total length, fragment field.
        long w0 = b.getLong(off);
        int vihl = (int) (w0 >>> 56);
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
        int total = (int) (w0 >>> 32) & 0xFFFF;
        if (total < hl) {
            return Malformation.BAD_TOTAL_LENGTH;
        }
        if (total > len) {
            return Malformation.TRUNCATED;
        }
        long sum;
        if (hl == HEADER) {
            long w1 = b.getLong(off + 8);
            sum = (w0 >>> 32) + (w0 & 0xFFFFFFFFL) + (w1 >>> 32) + (w1 & 0xFFFFFFFFL) + (b.getInt(off + 16) & 0xFFFFFFFFL);
        } else {
            sum = Checksum.add(b, off, hl, 0);
        }
        if (Checksum.finish(sum) != 0) {
            return Malformation.BAD_IP_CHECKSUM;
        }
        if ((w0 & 0x3FFF) != 0) {
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
        int total = (HEADER + payloadLength) & 0xFFFF;
        int ttlProtocol = (ttl & 0xFF) << 8 | protocol & 0xFF;
        // The checksum of the fields as they are written, summed here rather than read back from the buffer.
        long sum = 0x4500L + total + (id & 0xFFFF) + 0x4000 + ttlProtocol + (src >>> 16) + (src & 0xFFFF) + (dst >>> 16) + (dst & 0xFFFF);
        b.putLong(off, 0x4500L << 48 | (long) total << 32 | (id & 0xFFFFL) << 16 | 0x4000);
        b.putLong(off + 8, (long) (ttlProtocol << 16 | Checksum.finish(sum)) << 32 | src & 0xFFFFFFFFL);
        b.putInt(off + 16, dst);
        return off + HEADER;
    }
}
