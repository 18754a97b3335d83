package org.splitnve.ecptransport.link;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.ecptransport.clock.Scheduler;
import org.splitnve.vdpcore.MacAddress;

/**
 * One end of an in-memory point-to-point link, like a veth pair. Frames cross through the
 * scheduler after the configured delay, subject to seeded loss, duplication and reordering, so
 * that the same seed gives the same run.
 */
public final class MemoryLink implements Link {

    private static final Logger LOG = LoggerFactory.getLogger(MemoryLink.class);

    private final String name;
    private final MacAddress mac;
    private final Scheduler scheduler;
    private final LinkFaults faults;
    private final int mtu;
    private final SplittableRandom random;
    private MemoryLink peer;
    private final FrameListeners listeners = new FrameListeners();
    private volatile boolean closed;

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong duplicated = new AtomicLong();
    private final AtomicLong reordered = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();

    private MemoryLink(String name, MacAddress mac, Scheduler scheduler, LinkFaults faults, long seed, int mtu) {
        this.name = name;
        this.mac = mac;
        this.scheduler = scheduler;
        this.faults = faults;
        this.mtu = mtu;
        this.random = new SplittableRandom(seed);
    }

    /** Two connected ends; each direction draws its faults from its own stream of the seed. */
    public static MemoryLink[] pair(Scheduler scheduler, String nameA, MacAddress macA, String nameB, MacAddress macB,
                                    LinkFaults faults) {
        return pair(scheduler, nameA, macA, nameB, macB, faults, STANDARD_MTU);
    }

    /** Two connected ends of the given MTU (a jumbo-frame link). */
    public static MemoryLink[] pair(Scheduler scheduler, String nameA, MacAddress macA, String nameB, MacAddress macB,
                                    LinkFaults faults, int mtu) {
        if (mtu < 68) {
            throw new IllegalArgumentException("MTU " + mtu);
        }
        MemoryLink a = new MemoryLink(nameA, macA, scheduler, faults, faults.seed(), mtu);
        MemoryLink b = new MemoryLink(nameB, macB, scheduler, faults, faults.seed() ^ 0x5DEECE66DL, mtu);
        a.peer = b;
        b.peer = a;
        return new MemoryLink[] {a, b};
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int mtu() {
        return mtu;
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
        byte[] copy = new byte[frame.remaining()];
        frame.duplicate().get(copy);
        sent.incrementAndGet();
        synchronized (random) {
            if (random.nextDouble() < faults.loss()) {
                lost.incrementAndGet();
                LOG.trace("{}: lost a frame of {} octets", name, copy.length);
                return;
            }
            deliverLater(copy, delay());
            if (random.nextDouble() < faults.duplication()) {
                duplicated.incrementAndGet();
                deliverLater(copy, delay());
            }
        }
    }

    private Duration delay() {
        Duration d = faults.delay();
        if (faults.reordering() > 0 && random.nextDouble() < faults.reordering() && !faults.reorderWindow().isZero()) {
            reordered.incrementAndGet();
            d = d.plusNanos(random.nextLong(faults.reorderWindow().toNanos() + 1));
        }
        return d;
    }

    private void deliverLater(byte[] frame, Duration d) {
        MemoryLink to = peer;
        scheduler.schedule(d, () -> to.receive(frame));
    }

    private void receive(byte[] frame) {
        if (closed) {
            return;
        }
        delivered.incrementAndGet();
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
    }

    /** Frames handed to {@link #send}. */
    public long sent() {
        return sent.get();
    }

    /** Frames this end dropped on the way to its peer. */
    public long lost() {
        return lost.get();
    }

    public long duplicated() {
        return duplicated.get();
    }

    public long reordered() {
        return reordered.get();
    }

    /** Frames this end handed to its listener. */
    public long delivered() {
        return delivered.get();
    }

    @Override
    public String toString() {
        return "MemoryLink[" + name + " " + mac + "]";
    }
}
