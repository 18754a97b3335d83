package org.splitnve.ecptransport.link;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners of one link. Each gets its own view of the frame, and one that throws is logged
 * and does not keep the frame from the others: an observer must not be able to break a port.
 */
final class FrameListeners {

    private static final Logger LOG = LoggerFactory.getLogger(FrameListeners.class);

    private final List<Link.FrameListener> listeners = new CopyOnWriteArrayList<>();

    void add(Link.FrameListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    void remove(Link.FrameListener listener) {
        listeners.remove(listener);
    }

    /** Hands the frame (position to limit) to every listener; {@code link} names the port in logs. */
    void deliver(String link, ByteBuffer frame, long timestampNanos) {
        for (Link.FrameListener l : listeners) {
            try {
                l.onFrame(frame.duplicate(), timestampNanos);
            } catch (RuntimeException e) {
                LOG.error("{}: frame listener failed; the link goes on", link, e);
            }
        }
    }
}
