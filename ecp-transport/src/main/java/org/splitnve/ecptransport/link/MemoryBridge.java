package org.splitnve.ecptransport.link;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.ecptransport.clock.Scheduler;
import org.splitnve.vdpcore.MacAddress;

/**
 * An in-memory 802.1Q bridge between any number of ports: the "bridged network" of RFC 8394 Req-1
 * and Req-2, for tests and the demo. It learns source MACs, forwards unicast to the learnt port
 * (floods it while unknown), floods group addresses, and, as every standard C-VLAN bridge does,
 * never forwards the reserved group addresses 01-80-C2-00-00-00 to -0F. That last rule is the
 * point: LLDP and ECP to the nearest-customer-bridge address stop at the bridge, so a station
 * behind one must address its NVE by unicast or a non-reserved group MAC (docs/PROTOCOL.md 4.3).
 *
 * <p>A port can be taken down (its cable pulled) to model a peer that stops answering.
 */
public final class MemoryBridge {

    private static final Logger LOG = LoggerFactory.getLogger(MemoryBridge.class);
    private static final long RESERVED_PREFIX = 0x0180C2000000L;

    private final Scheduler scheduler;
    private final Duration delay;
    private final List<Port> ports = new CopyOnWriteArrayList<>();
    private final Map<MacAddress, Port> learnt = new ConcurrentHashMap<>();
    private final AtomicLong filtered = new AtomicLong();
    private final AtomicLong forwarded = new AtomicLong();

    public MemoryBridge(Scheduler scheduler, Duration delay) {
        this.scheduler = Objects.requireNonNull(scheduler);
        this.delay = Objects.requireNonNull(delay);
    }

    /** Attaches a new end station port with the given MAC; the returned link is the station's NIC. */
    public Port attach(String name, MacAddress mac) {
        Port p = new Port(name, mac);
        ports.add(p);
        return p;
    }

    /** Frames to a reserved group address that the bridge did not forward. */
    public long filtered() {
        return filtered.get();
    }

    public long forwarded() {
        return forwarded.get();
    }

    static boolean reserved(MacAddress dst) {
        return (dst.toLong() & ~0xFL) == RESERVED_PREFIX;
    }

    private void forward(Port from, byte[] frame) {
        if (frame.length < 14) {
            return;
        }
        MacAddress dst = MacAddress.read(ByteBuffer.wrap(frame), 0);
        MacAddress src = MacAddress.read(ByteBuffer.wrap(frame), 6);
        if (!src.isMulticast()) {
            learnt.put(src, from);
        }
        if (reserved(dst)) {
            filtered.incrementAndGet();
            LOG.trace("bridge: {} to reserved {} filtered", from.name, dst);
            return;
        }
        Port to = dst.isMulticast() ? null : learnt.get(dst);
        if (to != null) {
            if (to != from) {
                forwarded.incrementAndGet();
                scheduler.schedule(delay, () -> to.receive(frame));
            }
            return;
        }
        for (Port p : ports) {
            if (p != from) {
                forwarded.incrementAndGet();
                scheduler.schedule(delay, () -> p.receive(frame));
            }
        }
    }

    /** One port of the bridge, seen from the end station attached to it. */
    public final class Port implements Link {
        private final String name;
        private final MacAddress mac;
        private final FrameListeners listeners = new FrameListeners();
        private volatile boolean down;
        private volatile boolean closed;

        private Port(String name, MacAddress mac) {
            this.name = Objects.requireNonNull(name);
            this.mac = Objects.requireNonNull(mac);
        }

        /** Pulls (true) or plugs back (false) the cable: while down nothing goes in or out. */
        public void down(boolean v) {
            down = v;
            LOG.debug("bridge: port {} {}", name, v ? "down" : "up");
        }

        public boolean isDown() {
            return down;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public MacAddress macAddress() {
            return mac;
        }

        @Override
        public void send(ByteBuffer frame) throws LinkException {
            if (closed) {
                throw new LinkException(name + " is closed");
            }
            if (down) {
                return;
            }
            byte[] copy = new byte[frame.remaining()];
            frame.duplicate().get(copy);
            forward(this, copy);
        }

        private void receive(byte[] frame) {
            if (down || closed) {
                return;
            }
            listeners.deliver(name, ByteBuffer.wrap(frame).asReadOnlyBuffer(), scheduler.nanoTime());
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
            closed = true;
            ports.remove(this);
        }

        @Override
        public String toString() {
            return "bridge port " + name + " (" + mac + ")";
        }
    }
}
