package org.splitnve.ecptransport.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a client attached to one daemon's control interface, on a thread of its own: attaches, lets its
 * {@link Handler} read the daemon's state, hands it every event and a poll every {@link ControlTimings#pollInterval()},
 * and when the daemon goes away (it says it is terminating, a request goes unanswered or is refused) tells the handler
 * once and attaches again with a doubling back-off. Nothing here ever runs on the caller's protocol thread, and
 * {@link #close()} returns within a fraction of a second.
 */
final class ControlFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControlFollower.class);

    /** The longest a wait for an event lasts, so that closing is noticed soon. */
    private static final Duration EVENT_WAIT_MAX = Duration.ofMillis(200);

    /** What a client does with the daemon: read its state, take its events, poll it, hear that it is gone. */
    interface Handler {
        /** Just attached (first time or again): read the daemon's whole state. */
        void attached(ControlInterface c) throws IOException;

        /** One event, without its priority prefix. */
        void event(ControlInterface c, String event) throws IOException;

        /** Every poll interval while attached; {@code resync} every resync interval: read the whole state again. */
        void poll(ControlInterface c, boolean resync) throws IOException;

        /** The daemon is gone, or could not be attached to at all; called once per outage. */
        void lost(String why);
    }

    private final String name;
    private final Path daemon;
    private final ControlTimings timings;
    private final Handler handler;
    private final Path clientDir;
    private final Thread thread;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final AtomicLong attaches = new AtomicLong();
    private final Object attachedChanged = new Object();
    private volatile boolean attached;

    /**
     * @param name   for logs and the thread's name, e.g. {@code "hostapd vbr0"}
     * @param daemon the daemon's socket, {@code ctrl_interface/IFACE}
     * @throws UncheckedIOException if no private directory for the client's sockets can be made
     */
    ControlFollower(String name, Path daemon, ControlTimings timings, Handler handler) {
        this.name = name;
        this.daemon = daemon;
        this.timings = timings;
        this.handler = handler;
        try {
            this.clientDir = Files.createTempDirectory("snv-ctrl-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a directory for the control client's sockets", e);
        }
        int longest = clientDir.resolve("ctl-c").toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (longest > UnixDatagramSocket.MAX_PATH_BYTES) {
            deleteClientDir();
            throw new IllegalStateException("the temporary directory " + clientDir.getParent() + " is too long a path for a Unix "
                    + "socket; set java.io.tmpdir to a shorter one");
        }
        this.thread = new Thread(this::run, "dot1x " + name);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    boolean attached() {
        return attached;
    }

    /** How many times it attached, the first time included. */
    long attaches() {
        return attaches.get();
    }

    /** Waits until attached; false if {@code timeout} passed first. */
    boolean awaitAttached(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (attachedChanged) {
            while (!attached) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(attachedChanged, left);
            }
            return true;
        }
    }

    @Override
    public void close() {
        closing.countDown();
        if (thread.isAlive() && thread != Thread.currentThread()) {
            try {
                thread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        deleteClientDir();
    }

    private boolean closed() {
        return closing.getCount() == 0;
    }

    private void run() {
        Duration backoff = timings.reattachMin();
        int failures = 0;
        boolean toldLost = false;
        while (!closed()) {
            String why;
            try (ControlInterface c = ControlInterface.open(daemon, clientDir, "ctl")) {
                c.attach(timings.requestTimeout());
                handler.attached(c);
                attaches.incrementAndGet();
                setAttached(true);
                LOG.info("{}: attached to {}{}", name, daemon, failures == 0 ? "" : " after " + failures + " failed attempts");
                failures = 0;
                toldLost = false;
                backoff = timings.reattachMin();
                follow(c);
                return;
            } catch (IOException e) {
                why = e.getMessage();
            } catch (RuntimeException e) {
                LOG.error("{}: internal error; attaching again", name, e);
                why = "internal error: " + e;
            }
            if (closed()) {
                return;
            }
            boolean was = attached;
            setAttached(false);
            if (was || !toldLost) {
                toldLost = true;
                tellLost(why);
            }
            failures++;
            if (Integer.bitCount(failures) == 1) {
                // 1, 2, 4, 8 ... failures: a daemon that stays away is reported, without one line per attempt.
                LOG.warn("{}: not attached to {} ({} attempts): {}; trying again every {} ms or less", name, daemon, failures, why,
                        timings.reattachMax().toMillis());
            } else {
                LOG.debug("{}: attempt {} failed: {}", name, failures, why);
            }
            try {
                if (closing.await(backoff.toNanos(), TimeUnit.NANOSECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
            backoff = backoff.multipliedBy(2).compareTo(timings.reattachMax()) > 0 ? timings.reattachMax() : backoff.multipliedBy(2);
        }
    }

    private void follow(ControlInterface c) throws IOException {
        long now = System.nanoTime();
        long nextPoll = now + timings.pollInterval().toNanos();
        long nextResync = now + timings.resyncInterval().toNanos();
        long oversized = 0;
        while (!closed()) {
            long wait = Math.min(EVENT_WAIT_MAX.toNanos(), Math.max(0, nextPoll - System.nanoTime()));
            Optional<String> event = c.event(Duration.ofNanos(wait));
            if (event.isPresent()) {
                LOG.debug("{}: event {}", name, ControlText.printable(event.get(), 200));
                handler.event(c, event.get());
            }
            if (c.oversized() != oversized) {
                oversized = c.oversized();
                LOG.warn("{}: dropped a datagram larger than {} octets ({} so far)", name, ControlInterface.MAX_DATAGRAM, oversized);
            }
            now = System.nanoTime();
            if (now - nextPoll >= 0) {
                boolean resync = now - nextResync >= 0;
                handler.poll(c, resync);
                nextPoll = now + timings.pollInterval().toNanos();
                if (resync) {
                    nextResync = now + timings.resyncInterval().toNanos();
                }
            }
        }
    }

    private void tellLost(String why) {
        try {
            handler.lost(why);
        } catch (RuntimeException e) {
            LOG.error("{}: handling the loss failed", name, e);
        }
    }

    private void setAttached(boolean v) {
        synchronized (attachedChanged) {
            attached = v;
            attachedChanged.notifyAll();
        }
    }

    private void deleteClientDir() {
        try (Stream<Path> files = Files.list(clientDir)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(clientDir);
        } catch (IOException e) {
            LOG.debug("{}: cannot remove {}: {}", name, clientDir, e.getMessage());
        }
    }
}
