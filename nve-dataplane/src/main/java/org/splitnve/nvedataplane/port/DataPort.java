package org.splitnve.nvedataplane.port;

import java.nio.ByteBuffer;
import org.splitnve.vdpcore.MacAddress;

/**
 * A port the data plane forwards through: a trunk port facing stations or the underlay port.
 * Implementations: {@link MemoryDataPort} (tests, demo, benchmarks), {@link LinkDataPort}
 * (any ecp-transport {@code Link}, such as a pcap4j NIC) and {@link RingDataPort} (a NIC through
 * {@code AF_PACKET} rings, with {@link TransmitSlots}).
 */
public interface DataPort extends AutoCloseable {

    /** The name the control plane knows the port by (the nNVE port name for a trunk port). */
    String name();

    MacAddress macAddress();

    /**
     * Sends the frame between the buffer's position and limit. The port copies what it needs
     * before returning, so the caller may reuse the buffer at once; the position is unchanged.
     *
     * @return false if the frame could not be handed to the medium (closed, device gone); the
     *         caller counts it
     */
    boolean send(ByteBuffer frame);

    /**
     * The port's transmit slots, when it lets a sender build frames in place ({@link RingDataPort});
     * null when frames go through {@link #send} only.
     */
    default TransmitSlots transmitSlots() {
        return null;
    }

    /** Sets the one receiver of this port's frames (the data plane). */
    void receiver(Receiver receiver);

    @Override
    void close();

    /** Receives frames; the buffer is valid only during the call and must not be modified. */
    @FunctionalInterface
    interface Receiver {
        void onFrame(DataPort port, ByteBuffer frame);
    }
}
