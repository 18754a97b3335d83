package org.splitnve.ecptransport.ring;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The slots of a {@code TPACKET_V3} transmit ring: fixed-size frames, each a {@code struct tpacket3_hdr} with the
 * frame behind it at {@link Tpacket#TX_DATA}. A sender reserves the next slot, writes its frame straight into the
 * slot's buffer and commits it with its length, which marks it {@code TP_STATUS_SEND_REQUEST}; a later
 * {@code sendto} has the kernel send every committed slot from where it stopped last, in ring order, and the kernel
 * marks a slot {@code TP_STATUS_AVAILABLE} again once the frame has left.
 *
 * <p>The kernel walks the ring in order and stops at the first slot that is not committed, so every reserved slot
 * must be committed: one a sender gives up is committed with length 0, which the kernel skips because the socket
 * sets {@code PACKET_LOSS}. Several threads may send: reserving and committing take this ring's lock, which is
 * uncontended when one receive thread does the sending.
 */
final class TxRing {

    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    private final ByteBuffer headers;
    private final ByteBuffer[] slots;
    private final boolean[] reserved;
    private final int frameSize;
    private final int capacity;
    private int head;
    private int outstanding;
    private boolean shut;
    private long committed;
    private long released;
    private long wrongFormat;

    /**
     * @param ring      the ring's memory, {@code frameSize * count} octets from index 0
     * @param frameSize octets per slot, header included
     * @param count     slots
     */
    TxRing(ByteBuffer ring, int frameSize, int count) {
        if ((long) frameSize * count > ring.capacity() || frameSize <= Tpacket.TX_DATA + 64) {
            throw new IllegalArgumentException("transmit ring of " + ring.capacity() + " octets cannot hold " + count + " slots of " + frameSize);
        }
        this.headers = ring.duplicate().order(ByteOrder.nativeOrder());
        this.frameSize = frameSize;
        this.capacity = frameSize - Tpacket.TX_DATA;
        this.slots = new ByteBuffer[count];
        this.reserved = new boolean[count];
        for (int i = 0; i < count; i++) {
            slots[i] = ring.duplicate().position(i * frameSize + Tpacket.TX_DATA).limit((i + 1) * frameSize).slice()
                    .order(ByteOrder.BIG_ENDIAN);
        }
    }

    /** The longest frame a slot holds. */
    int capacity() {
        return capacity;
    }

    int slots() {
        return slots.length;
    }

    /**
     * Reserves the next slot for a frame.
     *
     * @return its index, or -1 when the kernel has not finished with it yet (the ring is full)
     */
    synchronized int reserve() {
        int i = head;
        int status = (int) INT.getAcquire(headers, i * frameSize + Tpacket.STATUS);
        if (reserved[i] || shut) {
            return -1;
        }
        if (status == Tpacket.TP_STATUS_WRONG_FORMAT) {
            // The kernel refused the frame; with PACKET_LOSS it should have skipped it instead. Take the slot back.
            wrongFormat++;
        } else if (status != Tpacket.TP_STATUS_AVAILABLE) {
            return -1;
        }
        reserved[i] = true;
        outstanding++;
        head = i + 1 == slots.length ? 0 : i + 1;
        return i;
    }

    /** The buffer of a reserved slot: the frame goes from index 0, at most {@link #capacity()} octets. */
    ByteBuffer slot(int index) {
        return slots[index].clear();
    }

    /**
     * Hands a reserved slot's first {@code length} octets to the kernel for the next {@code sendto}; a length of 0
     * gives the slot up unsent.
     */
    synchronized void commit(int index, int length) {
        if (!reserved[index]) {
            throw new IllegalStateException("slot " + index + " was not reserved");
        }
        if (length < 0 || length > capacity) {
            throw new IllegalArgumentException("frame of " + length + " octets in a slot of " + capacity);
        }
        int at = index * frameSize;
        headers.putInt(at + Tpacket.LEN, length);
        headers.putInt(at + Tpacket.SNAPLEN, length);
        headers.putInt(at + Tpacket.NEXT_OFFSET, 0);
        reserved[index] = false;
        if (--outstanding == 0 && shut) {
            notifyAll();
        }
        INT.setRelease(headers, at + Tpacket.STATUS, Tpacket.TP_STATUS_SEND_REQUEST);
        if (length == 0) {
            released++;
        } else {
            committed++;
        }
    }

    /**
     * Refuses further reservations and waits up to {@code millis} for the slots still reserved to be committed, so
     * that the memory can be unmapped with nobody writing into it.
     *
     * @return whether no slot is reserved any more
     */
    synchronized boolean shutDown(long millis) {
        shut = true;
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (outstanding > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                wait(Math.max(1, left / 1_000_000L));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** The kernel's status of a slot, for tests and diagnostics. */
    int status(int index) {
        return (int) INT.getAcquire(headers, index * frameSize + Tpacket.STATUS);
    }

    synchronized long committed() {
        return committed;
    }

    synchronized long released() {
        return released;
    }

    synchronized long wrongFormat() {
        return wrongFormat;
    }
}
