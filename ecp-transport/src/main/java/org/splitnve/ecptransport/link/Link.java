package org.splitnve.ecptransport.link;

import java.nio.ByteBuffer;
import org.splitnve.vdpcore.MacAddress;

/**
 * Sends and receives Ethernet frames on one port. Implementations: {@link MemoryLink} (tests and
 * the demo, with seeded fault injection), {@code PcapLink} (a real NIC) and
 * {@code RecordingLink} (wraps another link and writes every frame to a pcap file).
 */
public interface Link extends AutoCloseable {

    /** A name for logs: the interface name, or the in-memory end's name. */
    String name();

    /** The port's own MAC address, used as the source of frames sent on it. */
    MacAddress macAddress();

    /** The MTU of a standard Ethernet port, and of links that do not know better. */
    int STANDARD_MTU = 1500;

    /**
     * The largest payload a frame on this port carries, in octets after the Ethernet header: the NIC's MTU. ECP and
     * VDP size their PDUs to it, so that a 9,000-octet link carries six times as many TLVs per round trip.
     */
    default int mtu() {
        return STANDARD_MTU;
    }

    /**
     * Sends the frame between the buffer's position and limit. The link copies what it needs before
     * returning, so the caller may reuse the buffer at once; the position is left unchanged.
     *
     * @throws LinkException if the frame could not be handed to the medium (closed, device gone)
     */
    void send(ByteBuffer frame) throws LinkException;

    /**
     * Adds a listener for received frames (ECP and LLDP share a port). Listeners are called in
     * order on the link's receive thread; the buffer is valid only during the call, and a listener
     * that throws is logged and does not keep the frame from the others.
     */
    void addListener(FrameListener listener);

    void removeListener(FrameListener listener);

    /**
     * Sets who is told, once, when the link stops receiving on its own (the interface went down or away, the capture
     * failed) rather than because it was closed. A link that cannot fail so ignores it.
     */
    default void onFailure(FailureListener listener) {
    }

    /** Stops receiving and releases the port; later sends fail with {@link LinkException}. */
    @Override
    void close();

    /** Told, on the link's receive thread, that the link stopped receiving on its own; the link is dead after it. */
    @FunctionalInterface
    interface FailureListener {
        void onFailure(String link, LinkException cause);
    }

    /** Receives frames from a {@link Link}. */
    @FunctionalInterface
    interface FrameListener {
        /**
         * @param frame          the whole frame, from its position to its limit, read-only
         * @param timestampNanos when it arrived, on the link's clock (wall clock for pcap links)
         */
        void onFrame(ByteBuffer frame, long timestampNanos);
    }
}
