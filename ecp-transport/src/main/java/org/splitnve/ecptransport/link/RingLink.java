package org.splitnve.ecptransport.link;

import java.nio.ByteBuffer;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.ecptransport.ring.PacketSocket;
import org.splitnve.ecptransport.ring.RingConfig;
import org.splitnve.ecptransport.ring.RingReceiver;
import org.splitnve.vdpcore.MacAddress;

/**
 * A link on a NIC through an {@code AF_PACKET} socket with memory-mapped rings ({@link PacketSocket}): listeners
 * get each frame where it lies in the receive ring, with a VLAN tag the kernel took into metadata put back, and a
 * send copies the frame into a transmit slot. Frames of other EtherTypes than the ones asked for are not handed on.
 * A socket that fails (the interface is removed) is reported to the {@link #onFailure failure listener}. Linux
 * only; needs root (or CAP_NET_RAW).
 */
public final class RingLink implements Link {

    private static final Logger LOG = LoggerFactory.getLogger(RingLink.class);

    private final PacketSocket socket;
    private final int[] etherTypes;
    private final FrameListeners listeners = new FrameListeners();
    private final String label;
    private volatile FailureListener failureListener = (port, e) -> { };
    private final RingReceiver receiver;
    private ByteBuffer ring;
    private ByteBuffer view;
    private volatile boolean closed;

    private RingLink(PacketSocket socket, int[] etherTypes) {
        this.socket = socket;
        this.etherTypes = etherTypes.clone();
        this.label = "ring " + socket.name();
        this.receiver = RingReceiver.start(socket, this::onFrame, (port, e) -> failureListener.onFailure(port, e), "ring-" + socket.name());
    }

    /**
     * Opens {@code ifname} with the default rings and starts receiving the given EtherTypes (all frames when none).
     * Call it from a thread in the interface's namespace.
     *
     * @throws LinkException when rings cannot be set up here or the interface does not exist
     */
    public static RingLink open(String ifname, int... etherTypes) throws LinkException {
        return open(ifname, RingConfig.DEFAULT, etherTypes);
    }

    /** As {@link #open(String, int...)} with rings of the given shape. */
    public static RingLink open(String ifname, RingConfig config, int... etherTypes) throws LinkException {
        return new RingLink(PacketSocket.open(ifname, config), etherTypes);
    }

    /** Sets who is told when the socket fails and the link stops receiving (on the receive thread). */
    @Override
    public void onFailure(FailureListener listener) {
        this.failureListener = Objects.requireNonNull(listener, "listener");
    }

    private void onFrame(ByteBuffer frames, int offset, int length, long timestampNanos) {
        if (etherTypes.length > 0 && !wanted(frames, offset, length)) {
            return;
        }
        if (frames != ring) {
            ring = frames;
            view = frames.asReadOnlyBuffer();
        }
        view.limit(offset + length).position(offset);
        listeners.deliver(label, view, timestampNanos);
    }

    private boolean wanted(ByteBuffer frames, int offset, int length) {
        if (length < 14) {
            return false;
        }
        int type = Short.toUnsignedInt(frames.getShort(offset + 12));
        for (int t : etherTypes) {
            if (t == type) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String name() {
        return socket.name();
    }

    @Override
    public int mtu() {
        return socket.mtu();
    }

    @Override
    public MacAddress macAddress() {
        return socket.macAddress();
    }

    /** The socket under this link, for its counters. */
    public PacketSocket socket() {
        return socket;
    }

    @Override
    public void send(ByteBuffer frame) throws LinkException {
        if (closed) {
            throw new LinkException(socket.name() + " is closed");
        }
        int n = frame.remaining();
        if (n > socket.maxTxFrame()) {
            throw new LinkException("frame of " + n + " octets is longer than " + socket.name() + " sends (" + socket.maxTxFrame() + ")");
        }
        int slot = socket.reserve();
        if (slot < 0) {
            throw new LinkException("transmit ring of " + socket.name() + " is full");
        }
        socket.slot(slot).put(0, frame, frame.position(), n);
        socket.commit(slot, n);
    }

    @Override
    public void addListener(FrameListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(FrameListener listener) {
        listeners.remove(listener);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        receiver.close();
        socket.close();
        LOG.debug("{}: closed", label);
    }

    @Override
    public String toString() {
        return "RingLink[" + socket.name() + " " + socket.macAddress() + "]";
    }
}
