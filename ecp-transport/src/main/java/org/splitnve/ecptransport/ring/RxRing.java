package org.splitnve.ecptransport.ring;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Walks a {@code TPACKET_V3} receive ring: a run of blocks the kernel fills and hands over one at a time by setting
 * {@code TP_STATUS_USER} in the block's status, and that we hand back by setting {@code TP_STATUS_KERNEL} once every
 * frame in it has been seen. Frames are handed to the visitor in place, where they lie in the ring; an 802.1Q tag
 * the kernel moved into the frame's metadata is put back in front of the frame's EtherType first (the room for it is
 * what {@code PACKET_RESERVE} keeps before each frame), so the visitor sees the frame as it was on the wire, as
 * libpcap shows it.
 *
 * <p>One thread walks a ring. The block status is read with acquire and written with release semantics, so that the
 * frames the kernel wrote before it flipped the status are seen, and our reads are done before it may reuse the
 * block. Nothing the kernel wrote is trusted further than the block: a frame that would reach outside it ends the
 * block and is counted.
 */
final class RxRing {

    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    /** Receives each frame of a block: {@code length} octets at {@code offset} of {@code ring}, valid during the call. */
    @FunctionalInterface
    interface FrameVisitor {
        void onFrame(ByteBuffer ring, int offset, int length, long timestampNanos);
    }

    private final ByteBuffer headers;
    private final ByteBuffer frames;
    private final int blockSize;
    private final int blockCount;
    private int current;
    private long received;
    private long vlanRestored;
    private long skipped;
    private long malformedBlocks;

    /**
     * @param ring       the ring's memory, {@code blockSize * blockCount} octets from index 0
     * @param blockSize  octets per block
     * @param blockCount blocks in the ring
     */
    RxRing(ByteBuffer ring, int blockSize, int blockCount) {
        if ((long) blockSize * blockCount > ring.capacity()) {
            throw new IllegalArgumentException("ring of " + ring.capacity() + " octets cannot hold " + blockCount + " blocks of " + blockSize);
        }
        this.headers = ring.duplicate().order(ByteOrder.nativeOrder());
        this.frames = ring.duplicate().order(ByteOrder.BIG_ENDIAN);
        this.blockSize = blockSize;
        this.blockCount = blockCount;
    }

    /** Whether the kernel has handed over the block we read next. */
    boolean ready() {
        return ((int) INT.getAcquire(headers, base() + Tpacket.BLOCK_STATUS) & Tpacket.TP_STATUS_USER) != 0;
    }

    /**
     * Hands every frame of the next block to {@code visitor} and gives the block back to the kernel; does nothing when
     * the kernel has not handed it over yet.
     *
     * @return frames handed to the visitor
     */
    int drainBlock(FrameVisitor visitor) {
        if (!ready()) {
            return 0;
        }
        int base = base();
        int end = base + blockSize;
        int count = headers.getInt(base + Tpacket.BLOCK_NUM_PKTS);
        int at = base + headers.getInt(base + Tpacket.BLOCK_FIRST_PKT);
        int handed = 0;
        try {
            for (int i = 0; i < count; i++) {
                if (at < base + Tpacket.BLOCK_DESC_SIZE || at > end - Tpacket.HDR_SIZE) {
                    malformedBlocks++;
                    break;
                }
                if (deliver(at, end, visitor)) {
                    handed++;
                }
                int next = headers.getInt(at + Tpacket.NEXT_OFFSET);
                if (i + 1 < count && next <= 0) {
                    malformedBlocks++;
                    break;
                }
                at += next;
            }
        } finally {
            INT.setRelease(headers, base + Tpacket.BLOCK_STATUS, Tpacket.TP_STATUS_KERNEL);
            current = current + 1 == blockCount ? 0 : current + 1;
        }
        return handed;
    }

    private boolean deliver(int at, int end, FrameVisitor visitor) {
        int snaplen = headers.getInt(at + Tpacket.SNAPLEN);
        int length = headers.getInt(at + Tpacket.LEN);
        int status = headers.getInt(at + Tpacket.STATUS);
        int mac = Short.toUnsignedInt(headers.getShort(at + Tpacket.MAC));
        int data = at + mac;
        byte pktType = headers.get(at + Tpacket.RX_SOCKADDR + Tpacket.SLL_PKTTYPE);
        if (mac < Tpacket.HDR_SIZE || snaplen < 0 || data > end - snaplen || snaplen != length || pktType == Tpacket.PACKET_OUTGOING) {
            // Our own frames (a kernel without PACKET_IGNORE_OUTGOING), and frames cut short by a block too small.
            skipped++;
            return false;
        }
        if ((status & Tpacket.TP_STATUS_VLAN_VALID) != 0 && snaplen >= 12) {
            if (mac < Tpacket.HDR_SIZE + Tpacket.VLAN_TAG) {
                skipped++;
                return false;
            }
            int tpid = (status & Tpacket.TP_STATUS_VLAN_TPID_VALID) != 0
                    ? Short.toUnsignedInt(headers.getShort(at + Tpacket.VLAN_TPID)) : Tpacket.TPID_8021Q;
            int tci = headers.getInt(at + Tpacket.VLAN_TCI) & 0xFFFF;
            restoreTag(frames, data, tpid, tci);
            data -= Tpacket.VLAN_TAG;
            snaplen += Tpacket.VLAN_TAG;
            vlanRestored++;
        }
        long nanos = Integer.toUnsignedLong(headers.getInt(at + Tpacket.SEC)) * 1_000_000_000L
                + Integer.toUnsignedLong(headers.getInt(at + Tpacket.NSEC));
        received++;
        visitor.onFrame(frames, data, snaplen, nanos);
        return true;
    }

    /**
     * Puts an 802.1Q tag back into the frame at {@code data}: its two addresses move {@link Tpacket#VLAN_TAG} octets
     * forward into the room before it, and the tag goes between them and the EtherType.
     */
    static void restoreTag(ByteBuffer b, int data, int tpid, int tci) {
        int to = data - Tpacket.VLAN_TAG;
        b.putLong(to, b.getLong(data));
        b.putInt(to + 8, b.getInt(data + 8));
        b.putShort(to + 12, (short) tpid);
        b.putShort(to + 14, (short) tci);
    }

    private int base() {
        return current * blockSize;
    }

    long received() {
        return received;
    }

    long vlanRestored() {
        return vlanRestored;
    }

    /** Frames not handed over: our own outgoing ones, truncated ones, and ones whose headers made no sense. */
    long skipped() {
        return skipped;
    }

    long malformedBlocks() {
        return malformedBlocks;
    }
}
