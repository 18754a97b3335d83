package org.splitnve.nvedataplane.codec;

import java.nio.ByteBuffer;

/** The Internet checksum (RFC 1071): a ones' complement sum of 16-bit words, folded. */
public final class Checksum {

    private Checksum() {
    }

    /**
     * Adds {@code len} octets from absolute index {@code off} to {@code acc}, an odd last octet
     * padded with zero. The accumulator is a long so that a jumbo frame cannot overflow it.
     */
    public static long add(ByteBuffer b, int off, int len, long acc) {
        int i = off;
        int end = off + len;
        // Eight octets a read, summed as two 32-bit words: the carries are folded in finish().
        for (; i + 7 < end; i += 8) {
            long w = b.getLong(i);
            acc += (w >>> 32) + (w & 0xFFFFFFFFL);
        }
        for (; i + 3 < end; i += 4) {
            acc += b.getInt(i) & 0xFFFFFFFFL;
        }
        for (; i + 1 < end; i += 2) {
            acc += b.getShort(i) & 0xFFFF;
        }
        if (i < end) {
            acc += (b.get(i) & 0xFF) << 8;
        }
        return acc;
    }

    /** Folds the carries and complements: the value to put in a checksum field. */
    public static int finish(long acc) {
        while ((acc >>> 16) != 0) {
            acc = (acc & 0xFFFF) + (acc >>> 16);
        }
        return (int) (~acc & 0xFFFF);
    }

    /** Sum of the IPv6 pseudo-header (RFC 8200 8.1) for an upper-layer packet. */
    public static long ipv6PseudoHeader(ByteBuffer b, int ip6Off, int upperLength, int nextHeader) {
        long acc = add(b, ip6Off + 8, 32, 0);
        return acc + (upperLength & 0xFFFFFFFFL) + nextHeader;
    }

    /** Sum of the IPv4 pseudo-header (RFC 768). */
    public static long ipv4PseudoHeader(ByteBuffer b, int ip4Off, int upperLength, int protocol) {
        long acc = add(b, ip4Off + 12, 8, 0);
        return acc + upperLength + protocol;
    }
}
