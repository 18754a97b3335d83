package org.splitnve.nvedataplane.codec;

import java.nio.ByteBuffer;

/** IPv6 fixed headers (RFC 8200) at absolute offsets; an address is two longs (high, low). */
public final class Ipv6 {

    public static final int HEADER = 40;

    private Ipv6() {
    }

    /** Null when {@code len} octets hold a version-6 header and the payload it announces. */
    public static Malformation validate(ByteBuffer b, int off, int len) {
        if (len < HEADER) {
            return Malformation.TRUNCATED;
        }
        if ((b.get(off) & 0xF0) != 0x60) {
            return Malformation.BAD_VERSION;
        }
        if (HEADER + payloadLength(b, off) > len) {
            return Malformation.TRUNCATED;
        }
        return null;
    }

    public static void check(ByteBuffer b, int off, int len) throws MalformedPacketException {
        MalformedPacketException.check(validate(b, off, len), b, off, len);
    }

    public static int payloadLength(ByteBuffer b, int off) {
        return b.getShort(off + 4) & 0xFFFF;
    }

    public static int nextHeader(ByteBuffer b, int off) {
        return b.get(off + 6) & 0xFF;
    }

    public static int hopLimit(ByteBuffer b, int off) {
        return b.get(off + 7) & 0xFF;
    }

    public static long sourceHigh(ByteBuffer b, int off) {
        return b.getLong(off + 8);
    }

    public static long sourceLow(ByteBuffer b, int off) {
        return b.getLong(off + 16);
    }

    public static long destinationHigh(ByteBuffer b, int off) {
        return b.getLong(off + 24);
    }

    public static long destinationLow(ByteBuffer b, int off) {
        return b.getLong(off + 32);
    }

    /** fe80::/10. */
    public static boolean isLinkLocal(long high) {
        return (high >>> 54) == (0xfe80L >>> 6);
    }

    /** @return the payload's offset */
    public static int write(ByteBuffer b, int off, int payloadLength, int nextHeader, int hopLimit, int flowLabel,
                            long srcHigh, long srcLow, long dstHigh, long dstLow) {
        b.putInt(off, 0x6000_0000 | (flowLabel & 0xFFFFF));
        b.putShort(off + 4, (short) payloadLength);
        b.put(off + 6, (byte) nextHeader);
        b.put(off + 7, (byte) hopLimit);
        b.putLong(off + 8, srcHigh);
        b.putLong(off + 16, srcLow);
        b.putLong(off + 24, dstHigh);
        b.putLong(off + 32, dstLow);
        return off + HEADER;
    }
}
