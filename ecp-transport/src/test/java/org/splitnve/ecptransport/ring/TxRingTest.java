package org.splitnve.ecptransport.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Transmit slots over memory the test plays the kernel for: no root needed. */
class TxRingTest {

    private static final int FRAME = 2048;
    private final ByteBuffer ring = ByteBuffer.allocateDirect(FRAME * 4).order(ByteOrder.nativeOrder());
    private final TxRing tx = new TxRing(ring, FRAME, 4);

    @Test
    void a_committed_slot_holds_its_frame_behind_the_header_and_asks_to_be_sent() {
        int slot = tx.reserve();
        ByteBuffer b = tx.slot(slot);
        assertThat(b.capacity()).isEqualTo(FRAME - Tpacket.TX_DATA).isEqualTo(tx.capacity());
        assertThat(b.order()).isEqualTo(ByteOrder.BIG_ENDIAN);
        b.putShort(0, (short) 0x0102);

        tx.commit(slot, 60);

        assertThat(ring.getInt(Tpacket.LEN)).isEqualTo(60);
        assertThat(ring.getInt(Tpacket.STATUS)).isEqualTo(Tpacket.TP_STATUS_SEND_REQUEST);
        assertThat(ring.get(Tpacket.TX_DATA)).isEqualTo((byte) 1);
        assertThat(ring.get(Tpacket.TX_DATA + 1)).isEqualTo((byte) 2);
        assertThat(tx.committed()).isEqualTo(1);
    }

    @Test
    void slots_are_reserved_in_ring_order_and_reused_only_once_the_kernel_is_done() {
        for (int i = 0; i < 4; i++) {
            assertThat(tx.reserve()).isEqualTo(i);
            tx.commit(i, 60);
        }
        assertThat(tx.reserve()).as("full").isEqualTo(-1);

        ring.putInt(Tpacket.STATUS, Tpacket.TP_STATUS_SENDING);
        assertThat(tx.reserve()).as("still sending").isEqualTo(-1);
        ring.putInt(Tpacket.STATUS, Tpacket.TP_STATUS_AVAILABLE);
        assertThat(tx.reserve()).isZero();
        assertThat(tx.reserve()).as("slot 1 not sent yet").isEqualTo(-1);
    }

    @Test
    void a_reserved_slot_is_not_handed_out_twice_before_it_is_committed() {
        int first = tx.reserve();
        for (int i = 1; i < 4; i++) {
            tx.commit(tx.reserve(), 0);
        }
        for (int i = 1; i < 4; i++) {
            ring.putInt(i * FRAME + Tpacket.STATUS, Tpacket.TP_STATUS_AVAILABLE);
        }
        // Round the ring to the slot still reserved: its status is AVAILABLE, but it is ours.
        assertThat(tx.reserve()).isEqualTo(-1);
        tx.commit(first, 60);
        assertThat(tx.released()).isEqualTo(3);
    }

    @Test
    void bad_commits_are_refused() {
        assertThatThrownBy(() -> tx.commit(2, 60)).isInstanceOf(IllegalStateException.class);
        int slot = tx.reserve();
        assertThatThrownBy(() -> tx.commit(slot, FRAME)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tx.commit(slot, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shutting_down_refuses_slots_and_waits_for_the_ones_reserved() throws Exception {
        int slot = tx.reserve();
        assertThat(tx.shutDown(50)).as("a slot is still reserved").isFalse();
        assertThat(tx.reserve()).isEqualTo(-1);
        Thread committer = new Thread(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            tx.commit(slot, 60);
        });
        committer.start();
        assertThat(tx.shutDown(5_000)).isTrue();
        committer.join();
    }
}
