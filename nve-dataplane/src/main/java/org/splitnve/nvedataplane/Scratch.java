package org.splitnve.nvedataplane;

import java.nio.ByteBuffer;
import org.splitnve.nvedataplane.codec.Tunnel;
import org.splitnve.nvedataplane.port.TransmitSlots;

/**
 * The buffers one forwarding thread writes into, so that forwarding allocates nothing per frame:
 * the frame being built for sending, the decoded outer headers of a tunnel packet and the IPv4
 * identification counter; and the port's transmit slot the frame is being built in instead, if any.
 */
final class Scratch {

    /** The frame being built; {@link Egress} sends it and clears it. */
    final ByteBuffer out;
    final Tunnel.Decoded decoded = new Tunnel.Decoded();
    int ipId;
    /** The slots of the port whose slot {@link #slot} the frame is being built in; null: in {@link #out}. */
    TransmitSlots slots;
    int slot;
    private boolean busy;

    Scratch(int size) {
        out = ByteBuffer.allocate(size);
    }

    void claim(TransmitSlots s, int index) {
        slots = s;
        slot = index;
    }

    void unclaim() {
        slots = null;
    }

    /**
     * One {@link Scratch} per thread, shared by every collaborator of one data plane, so that a
     * frame crossing several of them on one thread uses one set of buffers.
     */
    static final class PerThread {

        private final ThreadLocal<Scratch> scratch;
        private final int size;

        PerThread(int size) {
            this.size = size;
            this.scratch = ThreadLocal.withInitial(() -> new Scratch(size));
        }

        /** This thread's scratch; a fresh one when it is already in use further up this thread's stack. */
        Scratch acquire() {
            Scratch s = scratch.get();
            if (s.busy) {
                // Re-entered on the same thread (a port that delivers synchronously): a fresh one.
                return new Scratch(size);
            }
            s.busy = true;
            return s;
        }

        void release(Scratch s) {
            s.busy = false;
            s.out.clear();
            if (s.slots != null) {
                // A frame abandoned half-built (an exception): the port would stall at its slot.
                TransmitSlots slots = s.slots;
                s.unclaim();
                slots.commit(s.slot, 0);
            }
        }
    }
}
