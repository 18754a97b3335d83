package org.splitnve.nvedataplane.codec;

import java.nio.ByteBuffer;

/**
 * Ethernet II headers with an optional 802.1Q C-tag, read and written at absolute offsets. MAC
 * addresses travel as the low 48 bits of a long so that nothing is allocated per frame.
 */
public final class Ethernet {

    public static final int HEADER = 14;
    public static final int TAG = 4;
    public static final int TAGGED_HEADER = HEADER + TAG;
    /** Shortest frame on the wire without FCS; shorter frames are padded to it. */
    public static final int MIN_FRAME = 60;
    public static final long BROADCAST = 0xFFFF_FFFF_FFFFL;

    private Ethernet() {
    }

    /** Null when a frame of {@code len} octets has a whole header (and tag, if tagged). */
    public static Malformation validate(ByteBuffer b, int off, int len) {
        if (len < HEADER) {
            return Malformation.TRUNCATED;
        }
        if (isTagged(b, off) && len < TAGGED_HEADER) {
            return Malformation.TRUNCATED;
        }
        return null;
    }

    public static void check(ByteBuffer b, int off, int len) throws MalformedPacketException {
        MalformedPacketException.check(validate(b, off, len), b, off, len);
    }

    public static long mac(ByteBuffer b, int at) {
        return ((b.getShort(at) & 0xFFFFL) << 32) | (b.getInt(at + 2) & 0xFFFFFFFFL);
    }

    public static void putMac(ByteBuffer b, int at, long mac) {
        b.putShort(at, (short) (mac >>> 32));
        b.putInt(at + 2, (int) mac);
    }

    public static long destination(ByteBuffer b, int off) {
        return mac(b, off);
    }

    public static long source(ByteBuffer b, int off) {
        return mac(b, off + 6);
    }

    /** The group bit: broadcast and multicast destinations are flooded. */
    public static boolean isGroup(long mac) {
        return (mac & 0x0100_0000_0000L) != 0;
    }

    /** The EtherType right after the addresses (0x8100 for a tagged frame). */
    public static int outerType(ByteBuffer b, int off) {
        return b.getShort(off + 12) & 0xFFFF;
    }

    public static boolean isTagged(ByteBuffer b, int off) {
        return outerType(b, off) == EtherType.VLAN;
    }

    /** The VID of a tagged frame. */
    public static int vid(ByteBuffer b, int off) {
        return b.getShort(off + 14) & 0x0FFF;
    }

    public static void setVid(ByteBuffer b, int off, int vid) {
        int tci = b.getShort(off + 14) & 0xF000;
        b.putShort(off + 14, (short) (tci | (vid & 0x0FFF)));
    }

    /** The EtherType of the payload, after the tag if there is one. */
    public static int payloadType(ByteBuffer b, int off) {
        return isTagged(b, off) ? b.getShort(off + 16) & 0xFFFF : outerType(b, off);
    }

    public static int payloadOffset(ByteBuffer b, int off) {
        return off + (isTagged(b, off) ? TAGGED_HEADER : HEADER);
    }

    public static int writeHeader(ByteBuffer b, int off, long dst, long src, int etherType) {
        // Three writes instead of five: destination with the source's first two octets, its last four, the type.
        b.putLong(off, dst << 16 | (src >>> 32) & 0xFFFF);
        b.putInt(off + 8, (int) src);
        b.putShort(off + 12, (short) etherType);
        return off + HEADER;
    }

    public static int writeTaggedHeader(ByteBuffer b, int off, long dst, long src, int vid, int etherType) {
        putMac(b, off, dst);
        putMac(b, off + 6, src);
        b.putShort(off + 12, (short) EtherType.VLAN);
        b.putShort(off + 14, (short) (vid & 0x0FFF));
        b.putShort(off + 16, (short) etherType);
        return off + TAGGED_HEADER;
    }

    /**
     * Copies an untagged frame from {@code src} into {@code dst} with a C-tag carrying {@code tci}
     * after the addresses. The buffers must not overlap.
     *
     * @return the tagged frame's length ({@code len + 4})
     */
    public static int pushTag(ByteBuffer src, int srcOff, int len, ByteBuffer dst, int dstOff, int tci) {
        // The addresses as two words, not a bulk copy of 12 octets: a bulk copy costs its checks more than its octets.
        dst.putLong(dstOff, src.getLong(srcOff));
        dst.putInt(dstOff + 8, src.getInt(srcOff + 8));
        dst.putInt(dstOff + 12, EtherType.VLAN << 16 | tci & 0xFFFF);
        dst.put(dstOff + 16, src, srcOff + 12, len - 12);
        return len + TAG;
    }

    /**
     * Copies a tagged frame from {@code src} into {@code dst} without its outer tag.
     *
     * @return the untagged frame's length ({@code len - 4})
     */
    public static int popTag(ByteBuffer src, int srcOff, int len, ByteBuffer dst, int dstOff) {
        dst.putLong(dstOff, src.getLong(srcOff));
        dst.putInt(dstOff + 8, src.getInt(srcOff + 8));
        dst.put(dstOff + 12, src, srcOff + 16, len - 16);
        return len - TAG;
    }
}
