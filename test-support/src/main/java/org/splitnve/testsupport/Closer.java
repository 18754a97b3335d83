package org.splitnve.testsupport;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes what a test (or the bench) opened, last opened first, whatever failed before: network
 * namespaces must go even when a process in them would not stop.
 */
public final class Closer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Closer.class);

    private final Deque<AutoCloseable> toClose = new ArrayDeque<>();

    /** Remembers {@code c} for {@link #close()} and returns it. */
    public synchronized <T extends AutoCloseable> T track(T c) {
        toClose.push(c);
        return c;
    }

    @Override
    public synchronized void close() {
        while (!toClose.isEmpty()) {
            AutoCloseable c = toClose.pop();
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed; going on with the rest", c, e);
            }
        }
    }
}
