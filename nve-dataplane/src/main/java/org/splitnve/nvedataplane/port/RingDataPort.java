package org.splitnve.nvedataplane.port;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.ecptransport.link.LinkException;
import org.splitnve.ecptransport.log.RateLimitedLog;
import org.splitnve.ecptransport.ring.PacketSocket;
import org.splitnve.ecptransport.ring.RingConfig;
import org.splitnve.ecptransport.ring.RingReceiver;
import org.splitnve.nvedataplane.codec.EtherType;
import org.splitnve.nvedataplane.codec.Ethernet;
import org.splitnve.vdpcore.MacAddress;

/**
 * A data port on a NIC through {@code AF_PACKET} rings ({@link PacketSocket}): the receiver gets each frame where
 * it lies in the receive ring (VLAN tag put back), a batch at a time on the ring's receive thread, and the data
 * plane builds the frames it sends in place in the transmit ring ({@link TransmitSlots}); what it commits during a
 * batch leaves in one {@code sendto} when the batch ends. With more than one receive thread the sockets form a
 * {@code PACKET_FANOUT} group that spreads flows over them; they share the first socket's transmit ring.
 *
 * <p>As on {@link LinkDataPort}, LLDP and ECP frames are left to the VDP stack of the port. A socket that fails
 * (the interface was removed) is reported to the {@link #onFailure failure listener}.
 */
public final class RingDataPort implements DataPort, TransmitSlots {

    private static final Logger LOG = LoggerFactory.getLogger(RingDataPort.class);
    /** Fanout group ids are per namespace; one process's ports take them in turn from a start that varies by run. */
    private static final AtomicInteger FANOUT_GROUPS = new AtomicInteger((int) (ProcessHandle.current().pid() & 0x7FFF));

    private final String name;
    private final PacketSocket tx;
    private final List<PacketSocket> sockets = new ArrayList<>();
    private final List<RingReceiver> receivers = new ArrayList<>();
    private volatile Receiver receiver;
    private volatile RingReceiver.FailureListener failureListener = (port, e) -> { };
    private final AtomicLong sendFailures = new AtomicLong();
    private final AtomicLong oversize = new AtomicLong();
    private final RateLimitedLog dropped;
    private volatile boolean closed;

    private RingDataPort(String name, PacketSocket first) {
        this.name = name;
        this.dropped = RateLimitedLog.of(LOG, "data port " + name, System::nanoTime);
        this.tx = first;
        this.sockets.add(first);
    }

    /** Opens {@code ifname} with the default rings and one receive thread; call it from the interface's namespace. */
    public static RingDataPort open(String ifname) throws LinkException {
        return open(ifname, RingConfig.DEFAULT, 1);
    }

    /**
     * Opens {@code ifname} with rings of {@code config}'s shape and {@code receiveThreads} receive threads.
     *
     * @throws LinkException when rings cannot be set up (not Linux, not root, an old kernel, no such interface)
     */
    public static RingDataPort open(String ifname, RingConfig config, int receiveThreads) throws LinkException {
        if (receiveThreads < 1 || receiveThreads > 64) {
            throw new IllegalArgumentException("receive threads out of range: " + receiveThreads);
        }
        RingConfig c = receiveThreads == 1 ? config : config.fanout(FANOUT_GROUPS.getAndIncrement() & 0xFFFF);
        RingDataPort port = new RingDataPort(ifname, PacketSocket.open(ifname, c));
        try {
            for (int i = 1; i < receiveThreads; i++) {
                port.sockets.add(PacketSocket.open(ifname, c.receiveOnly()));
            }
            for (int i = 0; i < port.sockets.size(); i++) {
                port.receivers.add(RingReceiver.start(port.sockets.get(i), port.handler(), port::failed,
                        "ring-" + ifname + (receiveThreads == 1 ? "" : "-" + i)));
            }
        } catch (LinkException | RuntimeException e) {
            port.close();
            throw e;
        }
        return port;
    }

    /** A frame handler with its own view of the ring, for one receive thread. */
    private RingReceiver.FrameHandler handler() {
        return new RingReceiver.FrameHandler() {
            private ByteBuffer ring;
            private ByteBuffer view;

            @Override
            public void onFrame(ByteBuffer frames, int offset, int length, long timestampNanos) {
                Receiver r = receiver;
                if (r == null || length < Ethernet.HEADER || EtherType.isControl(Ethernet.outerType(frames, offset))) {
                    return;
                }
                if (frames != ring) {
                    ring = frames;
                    view = frames.asReadOnlyBuffer();
                }
                view.limit(offset + length).position(offset);
                r.onFrame(RingDataPort.this, view);
            }
        };
    }

    private void failed(String port, LinkException e) {
        if (!closed) {
            failureListener.onFailure(port, e);
        }
    }

    /** Sets who is told, on the receive thread, when a socket fails and the port stops receiving. */
    public void onFailure(RingReceiver.FailureListener listener) {
        this.failureListener = Objects.requireNonNull(listener, "listener");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public MacAddress macAddress() {
        return tx.macAddress();
    }

    @Override
    public boolean send(ByteBuffer frame) {
        int n = frame.remaining();
        if (!tx.fits(frame, frame.position(), n)) {
            return refuseOversize(n);
        }
        int slot = !closed ? tx.reserve() : -1;
        if (slot < 0) {
            return failure(n > tx.maxTxFrame() ? "frame of " + n + " octets is longer than the port sends (" + tx.maxTxFrame() + ")"
                    : "no transmit slot free");
        }
        tx.slot(slot).put(0, frame, frame.position(), n);
        return commit(slot, n);
    }

    @Override
    public TransmitSlots transmitSlots() {
        return this;
    }

    @Override
    public int capacity() {
        return tx.maxTxFrame();
    }

    @Override
    public int reserve() {
        return closed ? -1 : tx.tryReserve();
    }

    @Override
    public ByteBuffer slot(int index) {
        return tx.slot(index);
    }

    @Override
    public boolean commit(int index, int length) {
        if (length > 0 && !tx.fits(tx.slot(index), 0, length)) {
            try {
                tx.commit(index, 0); // gives the slot back unsent
            } catch (LinkException e) {
                // nothing was to be sent
            }
            return refuseOversize(length);
        }
        try {
            tx.commit(index, length);
            return true;
        } catch (LinkException e) {
            return failure(e.getMessage());
        }
    }

    /** A frame the kernel would drop: longer than the MTU allows, untagged or tagged ({@link PacketSocket#fits}). */
    private boolean refuseOversize(int length) {
        oversize.incrementAndGet();
        sendFailures.incrementAndGet();
        dropped.warn("frame over the MTU", "data port {}: frame of {} octets refused: longer than the MTU lets the kernel send ({} so far)",
                name, length, oversize.get());
        return false;
    }

    /** Frames refused because they were longer than the interface's MTU allows; never counted as sent. */
    public long oversize() {
        return oversize.get();
    }

    private boolean failure(String why) {
        long n = sendFailures.incrementAndGet();
        dropped.warn("send failed", "data port {}: send failed ({} so far): {}", name, n, why);
        return false;
    }

    @Override
    public void receiver(Receiver receiver) {
        this.receiver = receiver;
    }

    /** The counters of each socket (one per receive thread), the first one's including what was sent. */
    public List<PacketSocket.Stats> stats() {
        return sockets.stream().map(PacketSocket::stats).toList();
    }

    /** Whether every receive thread still runs (false after a failure or close). */
    public boolean receiving() {
        return !receivers.isEmpty() && receivers.stream().allMatch(RingReceiver::running);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        receivers.forEach(RingReceiver::close);
        sockets.forEach(PacketSocket::close);
    }

    @Override
    public String toString() {
        return "RingDataPort[" + name + " " + tx.macAddress() + "]";
    }
}
