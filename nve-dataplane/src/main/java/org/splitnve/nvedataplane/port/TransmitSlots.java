package org.splitnve.nvedataplane.port;

import java.nio.ByteBuffer;

/**
 * A port's transmit slots, for building a frame in place where the port sends it from (a slot of an
 * {@code AF_PACKET} transmit ring) instead of building it elsewhere and having {@link DataPort#send} copy it: the
 * data plane reserves a slot, writes the outer headers and the frame into it, and commits it. Every reserved slot
 * must be committed, with length 0 to give it up, or the port stalls at it. Thread-safe.
 */
public interface TransmitSlots {

    /** The longest frame a slot holds. */
    int capacity();

    /** Reserves the next slot; -1 when none is free now (build the frame elsewhere and {@link DataPort#send} it). */
    int reserve();

    /** The buffer of a reserved slot: the frame is written from index 0, at most {@link #capacity()} octets. */
    ByteBuffer slot(int index);

    /**
     * Sends the first {@code length} octets of a reserved slot (at the latest when the current receive batch ends);
     * 0 gives the slot up unsent.
     *
     * @return false if the frame could not be handed to the medium (closed, device gone); the caller counts it
     */
    boolean commit(int index, int length);
}
