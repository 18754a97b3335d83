package org.splitnve.nvedataplane.port;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.splitnve.ecptransport.clock.Scheduler;
import org.splitnve.vdpcore.MacAddress;

/**
 * An in-memory data port, joined point-to-point to another ({@link #pair}) or to a hub
 * ({@link MemoryHub}). Delivery is either on a {@link Scheduler} (virtual time in tests) or
 * synchronous on the sender's thread through a per-thread trampoline: a frame sent while another
 * is being delivered on the same thread waits until that delivery returns, so two data planes
 * joined in memory cannot re-enter each other's forwarding path, and nothing is allocated per
 * frame once the buffer pool is warm.
 */
public final class MemoryDataPort implements DataPort {

    /** Default buffer size: a 9000-octet jumbo frame with a tag and tunnel headers. */
    public static final int BUFFER_SIZE = 9216 + 128;

    private static final ThreadLocal<Trampoline> TRAMPOLINE = ThreadLocal.withInitial(Trampoline::new);

    private final String name;
    private final MacAddress mac;
    private final Scheduler scheduler;
    private final BufferPool pool;
    private Medium medium;
    private volatile Receiver receiver;
    private volatile boolean closed;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private volatile TransmitSlots slots;
    private final AtomicLong slotCommits = new AtomicLong();

    MemoryDataPort(String name, MacAddress mac, Scheduler scheduler) {
        this.name = Objects.requireNonNull(name, "name");
        this.mac = Objects.requireNonNull(mac, "mac");
        this.scheduler = scheduler;
        this.pool = scheduler == null ? null : new BufferPool(BUFFER_SIZE, 256);
    }

    /** Two joined ends delivering synchronously on the sender's thread. */
    public static MemoryDataPort[] pair(String nameA, MacAddress macA, String nameB, MacAddress macB) {
        return pair(null, nameA, macA, nameB, macB);
    }

    /** Two joined ends delivering on {@code scheduler} ({@code null}: synchronously). */
    public static MemoryDataPort[] pair(Scheduler scheduler, String nameA, MacAddress macA, String nameB, MacAddress macB) {
        MemoryDataPort a = new MemoryDataPort(nameA, macA, scheduler);
        MemoryDataPort b = new MemoryDataPort(nameB, macB, scheduler);
        a.medium = frame -> b;
        b.medium = frame -> a;
        return new MemoryDataPort[] {a, b};
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
    public boolean send(ByteBuffer frame) {
        if (closed || medium == null) {
            return false;
        }
        sent.incrementAndGet();
        medium.deliver(this, frame);
        return true;
    }

    /**
     * Gives this port {@code count} transmit slots, so that a data plane builds its frames in place
     * here as it does on a ring port (tests of that path without a NIC); a committed slot is sent as
     * {@link #send} sends.
     */
    public MemoryDataPort withTransmitSlots(int count) {
        slots = new Slots(count);
        return this;
    }

    @Override
    public TransmitSlots transmitSlots() {
        return slots;
    }

    void deliverTo(MemoryDataPort to, ByteBuffer frame) {
        if (scheduler == null) {
            TRAMPOLINE.get().enqueue(to, frame);
        } else {
            ByteBuffer copy = pool.copyOf(frame);
            scheduler.execute(() -> {
                try {
                    to.receive(copy);
                } finally {
                    pool.release(copy);
                }
            });
        }
    }

    void receive(ByteBuffer frame) {
        Receiver r = receiver;
        if (closed || r == null) {
            return;
        }
        received.incrementAndGet();
        r.onFrame(this, frame);
    }

    void medium(Medium m) {
        this.medium = m;
    }

    @Override
    public void receiver(Receiver receiver) {
        this.receiver = receiver;
    }

    @Override
    public void close() {
        closed = true;
    }

    public long sent() {
        return sent.get();
    }

    public long received() {
        return received.get();
    }

    /** Frames sent from a transmit slot (built in place) rather than through {@link #send}. */
    public long slotCommits() {
        return slotCommits.get();
    }

    @Override
    public String toString() {
        return "MemoryDataPort[" + name + " " + mac + "]";
    }

    /** Slots in memory, reserved in turn; a commit sends the slot's frame at once. */
    private final class Slots implements TransmitSlots {
        private final ByteBuffer[] buffers;
        private final boolean[] reserved;
        private int next;

        Slots(int count) {
            buffers = new ByteBuffer[count];
            reserved = new boolean[count];
            for (int i = 0; i < count; i++) {
                buffers[i] = ByteBuffer.allocate(BUFFER_SIZE);
            }
        }

        @Override
        public int capacity() {
            return BUFFER_SIZE;
        }

        @Override
        public synchronized int reserve() {
            if (reserved[next]) {
                return -1;
            }
            int i = next;
            reserved[i] = true;
            next = (next + 1) % buffers.length;
            return i;
        }

        @Override
        public ByteBuffer slot(int index) {
            return buffers[index].clear();
        }

        @Override
        public boolean commit(int index, int length) {
            synchronized (this) {
                if (!reserved[index]) {
                    throw new IllegalStateException("slot " + index + " was not reserved");
                }
            }
            try {
                if (length > 0) {
                    slotCommits.incrementAndGet();
                }
                return length == 0 || send(buffers[index].limit(length).position(0));
            } finally {
                synchronized (this) {
                    reserved[index] = false;
                }
            }
        }
    }

    /** Where a sent frame goes: the peer of a pair, or the ports of a hub. */
    interface Medium {
        MemoryDataPort peerFor(ByteBuffer frame);

        default void deliver(MemoryDataPort from, ByteBuffer frame) {
            MemoryDataPort to = peerFor(frame);
            if (to != null) {
                from.deliverTo(to, frame);
            }
        }
    }

    /** Frames waiting for delivery on one thread, in ring arrays that grow once and stay. */
    private static final class Trampoline {
        private final BufferPool pool = new BufferPool(BUFFER_SIZE, 1024);
        private MemoryDataPort[] to = new MemoryDataPort[64];
        private ByteBuffer[] frames = new ByteBuffer[64];
        private int head;
        private int count;
        private boolean draining;

        void enqueue(MemoryDataPort target, ByteBuffer frame) {
            if (count == to.length) {
                grow();
            }
            int i = (head + count) & (to.length - 1);
            to[i] = target;
            frames[i] = pool.copyOf(frame);
            count++;
            if (!draining) {
                drain();
            }
        }

        private void drain() {
            draining = true;
            try {
                while (count > 0) {
                    MemoryDataPort t = to[head];
                    ByteBuffer f = frames[head];
                    to[head] = null;
                    frames[head] = null;
                    head = (head + 1) & (to.length - 1);
                    count--;
                    try {
                        t.receive(f);
                    } finally {
                        pool.release(f);
                    }
                }
            } finally {
                draining = false;
            }
        }

        private void grow() {
            MemoryDataPort[] t2 = new MemoryDataPort[to.length * 2];
            ByteBuffer[] f2 = new ByteBuffer[to.length * 2];
            for (int k = 0; k < count; k++) {
                t2[k] = to[(head + k) & (to.length - 1)];
                f2[k] = frames[(head + k) & (to.length - 1)];
            }
            to = t2;
            frames = f2;
            head = 0;
        }
    }
}
