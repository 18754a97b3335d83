package org.splitnve.nvedataplane.port;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Reusable frame buffers of one size, so that copying a frame (an in-memory link, a frame held
 * while a next hop resolves or a moved TSI's new NVE is learned) allocates nothing once warm.
 * Thread-safe. Frames larger than the buffer size get a buffer of their own that is not kept.
 */
public final class BufferPool {

    private final int bufferSize;
    private final int maxKept;
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    private long created;

    public BufferPool(int bufferSize, int maxKept) {
        this.bufferSize = bufferSize;
        this.maxKept = maxKept;
    }

    /** A buffer holding a copy of {@code frame}'s remaining octets, position 0, limit their count. */
    public ByteBuffer copyOf(ByteBuffer frame) {
        int n = frame.remaining();
        ByteBuffer b = n <= bufferSize ? acquire() : ByteBuffer.allocate(n);
        b.clear();
        b.put(0, frame, frame.position(), n);
        b.limit(n);
        return b;
    }

    public ByteBuffer acquire() {
        ByteBuffer b;
        synchronized (free) {
            b = free.pollFirst();
            if (b == null) {
                created++;
            }
        }
        return b != null ? b.clear() : ByteBuffer.allocate(bufferSize);
    }

    public void release(ByteBuffer b) {
        if (b.capacity() != bufferSize) {
            return;
        }
        synchronized (free) {
            if (free.size() < maxKept) {
                free.addFirst(b);
            }
        }
    }

    public int bufferSize() {
        return bufferSize;
    }

    /** Buffers allocated so far (the pool's high-water mark, not counting oversize ones). */
    public long created() {
        synchronized (free) {
            return created;
        }
    }
}
