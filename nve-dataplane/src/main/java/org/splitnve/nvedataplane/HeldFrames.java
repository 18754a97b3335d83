package org.splitnve.nvedataplane;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.function.Consumer;
import org.splitnve.nvedataplane.port.BufferPool;

/** Frames held (copied into pooled buffers) until something is learned; bounded, thread-safe. */
final class HeldFrames {

    private final BufferPool pool;
    private final int max;
    private final ArrayDeque<ByteBuffer> frames = new ArrayDeque<>();

    HeldFrames(BufferPool pool, int max) {
        this.pool = pool;
        this.max = max;
    }

    /** @return false when full (the caller counts the drop) */
    synchronized boolean hold(ByteBuffer frame) {
        if (frames.size() >= max) {
            return false;
        }
        frames.addLast(pool.copyOf(frame));
        return true;
    }

    /** Hands every held frame to {@code sink} in arrival order, then returns the buffers. */
    void drain(Consumer<ByteBuffer> sink) {
        while (true) {
            ByteBuffer b;
            synchronized (this) {
                b = frames.pollFirst();
            }
            if (b == null) {
                return;
            }
            try {
                sink.accept(b);
            } finally {
                pool.release(b);
            }
        }
    }

    /** Drops everything held; returns how many. */
    synchronized int clear() {
        int n = frames.size();
        for (ByteBuffer b : frames) {
            pool.release(b);
        }
        frames.clear();
        return n;
    }

    synchronized int size() {
        return frames.size();
    }
}
