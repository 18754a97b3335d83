package org.splitnve.nvedataplane;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import org.splitnve.nvedataplane.DataPlaneCounters.Event;
import org.splitnve.nvedataplane.port.BufferPool;

/**
 * Frames held (copied into pooled buffers) until something is learned, each with the event it is to be counted as
 * when it goes; bounded, thread-safe. Once {@linkplain #close() closed} (its hold is over: the timer ran out, the TSI
 * came back, the data plane closed) it holds nothing more, so a forwarding thread that still saw the hold cannot leave
 * a frame, and its pooled buffer, where nobody drains.
 */
final class HeldFrames {

    /** What {@link #hold} did with a frame. */
    enum Held { HELD, FULL, CLOSED }

    /** Takes the held frames in order; the buffer is valid only during the call. */
    @FunctionalInterface
    interface Sink {
        void accept(ByteBuffer frame, Event event);
    }

    private final BufferPool pool;
    private final int max;
    private final ArrayDeque<ByteBuffer> frames = new ArrayDeque<>();
    private final ArrayDeque<Event> events = new ArrayDeque<>();
    private boolean closed;

    HeldFrames(BufferPool pool, int max) {
        this.pool = pool;
        this.max = max;
    }

    /** Holds a copy of the frame's remaining octets, to be counted as {@code event} when it goes. */
    synchronized Held hold(ByteBuffer frame, Event event) {
        if (closed) {
            return Held.CLOSED;
        }
        if (frames.size() >= max) {
            return Held.FULL;
        }
        frames.addLast(pool.copyOf(frame));
        events.addLast(event);
        return Held.HELD;
    }

    /** Hands every held frame to {@code sink} in arrival order, then returns the buffers. */
    void drain(Sink sink) {
        while (true) {
            ByteBuffer b;
            Event e;
            synchronized (this) {
                b = frames.pollFirst();
                e = events.pollFirst();
            }
            if (b == null) {
                return;
            }
            try {
                sink.accept(b, e);
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
        events.clear();
        return n;
    }

    /** Drops everything held and holds nothing from now on; returns how many were dropped. */
    synchronized int close() {
        closed = true;
        return clear();
    }

    synchronized boolean isClosed() {
        return closed;
    }

    synchronized int size() {
        return frames.size();
    }
}
