package org.splitnve.ecptransport.ring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Block walking and VLAN restore over a ring the test lays out by hand, as the kernel would: no root needed. */
class RxRingTest {

    private static final int BLOCK = 4096;
    /** Where the kernel puts a frame behind its header with PACKET_RESERVE 4 (TPACKET_ALIGN(68 + 16) + 4 - 14). */
    private static final int MAC_OFFSET = 86;

    private final ByteBuffer ring = ByteBuffer.allocateDirect(BLOCK * 2).order(ByteOrder.nativeOrder());
    private final List<byte[]> seen = new ArrayList<>();
    private final List<Long> stamps = new ArrayList<>();

    private void collect(ByteBuffer b, int offset, int length, long nanos) {
        byte[] f = new byte[length];
        b.get(offset, f);
        seen.add(f);
        stamps.add(nanos);
        assertThat(b.order()).isEqualTo(ByteOrder.BIG_ENDIAN);
    }

    /** Writes one frame header and frame at {@code at}; returns where the next one starts. */
    private static int packet(ByteBuffer ring, int at, byte[] frame, int status, int tci, int tpid, int pktType, int sec, int nsec) {
        ring.putInt(at + Tpacket.SEC, sec);
        ring.putInt(at + Tpacket.NSEC, nsec);
        ring.putInt(at + Tpacket.SNAPLEN, frame.length);
        ring.putInt(at + Tpacket.LEN, frame.length);
        ring.putInt(at + Tpacket.STATUS, status);
        ring.putShort(at + Tpacket.MAC, (short) MAC_OFFSET);
        ring.putShort(at + Tpacket.NET, (short) (MAC_OFFSET + 14));
        ring.putInt(at + Tpacket.VLAN_TCI, tci);
        ring.putShort(at + Tpacket.VLAN_TPID, (short) tpid);
        ring.put(at + Tpacket.RX_SOCKADDR + Tpacket.SLL_PKTTYPE, (byte) pktType);
        ring.put(at + MAC_OFFSET, frame);
        int next = Tpacket.align(MAC_OFFSET + frame.length);
        ring.putInt(at + Tpacket.NEXT_OFFSET, next);
        return at + next;
    }

    private static void block(ByteBuffer ring, int base, int packets) {
        ring.putInt(base + Tpacket.BLOCK_NUM_PKTS, packets);
        ring.putInt(base + Tpacket.BLOCK_FIRST_PKT, Tpacket.BLOCK_DESC_SIZE);
        ring.putInt(base + Tpacket.BLOCK_STATUS, Tpacket.TP_STATUS_USER);
    }

    private static byte[] untagged(int marker, int length) {
        byte[] f = new byte[length];
        for (int i = 0; i < length; i++) {
            f[i] = (byte) (i + marker);
        }
        f[12] = (byte) 0x88;
        f[13] = (byte) 0xB5;
        return f;
    }

    private static byte[] withTag(byte[] untagged, int tpid, int tci) {
        ByteBuffer b = ByteBuffer.allocate(untagged.length + 4);
        b.put(untagged, 0, 12).putShort((short) tpid).putShort((short) tci).put(untagged, 12, untagged.length - 12);
        return b.array();
    }

    @Test
    void a_block_handed_over_is_walked_frame_by_frame_and_given_back() {
        byte[] one = untagged(1, 60);
        byte[] two = untagged(2, 1000);
        int at = packet(ring, Tpacket.BLOCK_DESC_SIZE, one, Tpacket.TP_STATUS_USER, 0, 0, 0, 10, 5);
        packet(ring, at, two, Tpacket.TP_STATUS_USER, 0, 0, 0, 11, 6);
        block(ring, 0, 2);
        RxRing rx = new RxRing(ring, BLOCK, 2);

        assertThat(rx.ready()).isTrue();
        assertThat(rx.drainBlock(this::collect)).isEqualTo(2);

        assertThat(seen).containsExactly(one, two);
        assertThat(stamps).containsExactly(10_000_000_005L, 11_000_000_006L);
        assertThat(ring.getInt(Tpacket.BLOCK_STATUS)).isEqualTo(Tpacket.TP_STATUS_KERNEL);
        // The next block is the kernel's still.
        assertThat(rx.ready()).isFalse();
        assertThat(rx.drainBlock(this::collect)).isZero();
    }

    @Test
    void the_walk_goes_round_the_ring() {
        RxRing rx = new RxRing(ring, BLOCK, 2);
        for (int round = 0; round < 5; round++) {
            int base = (round % 2) * BLOCK;
            packet(ring, base + Tpacket.BLOCK_DESC_SIZE, untagged(round, 64), Tpacket.TP_STATUS_USER, 0, 0, 0, round, 0);
            block(ring, base, 1);
            assertThat(rx.drainBlock(this::collect)).isEqualTo(1);
        }
        assertThat(seen).hasSize(5);
        assertThat(seen.get(4)).isEqualTo(untagged(4, 64));
    }

    @Test
    void tags_the_kernel_moved_into_metadata_are_put_back_with_their_tpid() {
        byte[] frame = untagged(3, 60);
        int status = Tpacket.TP_STATUS_USER | Tpacket.TP_STATUS_VLAN_VALID;
        int at = packet(ring, Tpacket.BLOCK_DESC_SIZE, frame, status, 0x6064, 0, 0, 0, 0);
        at = packet(ring, at, frame, status | Tpacket.TP_STATUS_VLAN_TPID_VALID, 0x0FFE, 0x88A8, 0, 0, 0);
        // Priority 0, VID 0 (a priority tag) is a tag all the same.
        packet(ring, at, frame, status, 0, 0, 0, 0, 0);
        block(ring, 0, 3);
        RxRing rx = new RxRing(ring, BLOCK, 2);

        rx.drainBlock(this::collect);

        assertThat(seen).containsExactly(withTag(frame, 0x8100, 0x6064), withTag(frame, 0x88A8, 0x0FFE), withTag(frame, 0x8100, 0));
        assertThat(rx.vlanRestored()).isEqualTo(3);
    }

    @Test
    void our_own_outgoing_frames_and_truncated_ones_are_skipped() {
        byte[] frame = untagged(4, 100);
        int at = packet(ring, Tpacket.BLOCK_DESC_SIZE, frame, Tpacket.TP_STATUS_USER, 0, 0, Tpacket.PACKET_OUTGOING, 0, 0);
        int truncated = at;
        at = packet(ring, at, frame, Tpacket.TP_STATUS_USER, 0, 0, 0, 0, 0);
        ring.putInt(truncated + Tpacket.LEN, 1500);
        packet(ring, at, frame, Tpacket.TP_STATUS_USER, 0, 0, 0, 0, 0);
        block(ring, 0, 3);
        RxRing rx = new RxRing(ring, BLOCK, 2);

        assertThat(rx.drainBlock(this::collect)).isEqualTo(1);

        assertThat(seen).containsExactly(frame);
        assertThat(rx.skipped()).isEqualTo(2);
    }

    @Test
    void headers_that_point_outside_the_block_end_it_without_reading_there() {
        byte[] frame = untagged(5, 60);
        int second = packet(ring, Tpacket.BLOCK_DESC_SIZE, frame, Tpacket.TP_STATUS_USER, 0, 0, 0, 0, 0);
        packet(ring, second, frame, Tpacket.TP_STATUS_USER, 0, 0, 0, 0, 0);
        ring.putInt(second + Tpacket.SNAPLEN, BLOCK);
        ring.putInt(second + Tpacket.LEN, BLOCK);
        // A count larger than the frames there, and a next offset of 0 after the second.
        ring.putInt(second + Tpacket.NEXT_OFFSET, 0);
        block(ring, 0, 40);
        RxRing rx = new RxRing(ring, BLOCK, 2);

        assertThat(rx.drainBlock(this::collect)).isEqualTo(1);
        assertThat(rx.skipped()).isEqualTo(1);
        assertThat(rx.malformedBlocks()).isEqualTo(1);
        assertThat(ring.getInt(Tpacket.BLOCK_STATUS)).isEqualTo(Tpacket.TP_STATUS_KERNEL);

        // A first-frame offset past the block's end.
        ring.putInt(BLOCK + Tpacket.BLOCK_FIRST_PKT, BLOCK + 100);
        ring.putInt(BLOCK + Tpacket.BLOCK_NUM_PKTS, 1);
        ring.putInt(BLOCK + Tpacket.BLOCK_STATUS, Tpacket.TP_STATUS_USER);
        assertThat(rx.drainBlock(this::collect)).isZero();
        assertThat(rx.malformedBlocks()).isEqualTo(2);
    }
}
