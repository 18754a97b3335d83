package org.splitnve.ecptransport.ring;

import java.nio.ByteBuffer;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.ecptransport.link.LinkException;

/**
 * The receive thread of one {@link PacketSocket}: it waits in {@code poll} for the kernel to hand over a block, hands
 * each frame of it to the handler in place, gives the block back, and then sends in one {@code sendto} per socket
 * every frame the handler committed on any ring while the block lasted (a batch). A socket that fails (the interface
 * was removed, the socket is gone) ends the thread and is reported to the owner's {@link FailureListener} once; an
 * interface that is merely down is logged, and frames flow again when it comes up.
 */
public final class RingReceiver implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RingReceiver.class);
    /** How long one poll waits, and so how long closing may take to be noticed. */
    private static final int POLL_MILLIS = 100;
    private static final int MAX_DEFERRED = 8;

    /** Receives the frames of a ring: {@code length} octets at {@code offset} of {@code ring}, valid during the call. */
    @FunctionalInterface
    public interface FrameHandler {
        void onFrame(ByteBuffer ring, int offset, int length, long timestampNanos);
    }

    /** Told, on the receive thread, when the socket failed and the thread ended. */
    @FunctionalInterface
    public interface FailureListener {
        void onFailure(String port, LinkException cause);
    }

    private final PacketSocket socket;
    private final FrameHandler handler;
    private final FailureListener failure;
    private final ReceiveThread thread;
    private volatile boolean stopping;
    private long handlerErrors;

    private RingReceiver(PacketSocket socket, FrameHandler handler, FailureListener failure, String threadName) {
        this.socket = socket;
        this.handler = handler;
        this.failure = failure;
        this.thread = new ReceiveThread(this::loop, threadName, socket);
        this.thread.setDaemon(true);
    }

    /**
     * Starts receiving on {@code socket}. Call it on a thread inside the socket's namespace (the receive thread must
     * look the interface up there).
     */
    public static RingReceiver start(PacketSocket socket, FrameHandler handler, FailureListener failure, String threadName) {
        RingReceiver r = new RingReceiver(Objects.requireNonNull(socket), Objects.requireNonNull(handler), Objects.requireNonNull(failure),
                threadName);
        r.thread.start();
        return r;
    }

    private void loop() {
        RxRing rx = socket.rx();
        RxRing.FrameVisitor visitor = this::hand;
        boolean downLogged = false;
        try {
            while (!stopping) {
                if (rx.ready()) {
                    thread.batch = true;
                    try {
                        rx.drainBlock(visitor);
                    } finally {
                        thread.endBatch();
                    }
                    downLogged = false;
                    continue;
                }
                int events = socket.awaitReceive(POLL_MILLIS);
                if (stopping || (events & (Libc.POLLERR | Libc.POLLHUP | Libc.POLLNVAL)) == 0) {
                    continue;
                }
                int errno = (events & Libc.POLLNVAL) != 0 ? 0 : socket.takeError();
                if ((events & Libc.POLLNVAL) != 0 || !socket.interfacePresent()) {
                    fail(new LinkException("ring " + socket.name() + ": the interface is gone"
                            + (errno != 0 ? " (" + Libc.strerror(errno) + ")" : "")));
                    return;
                }
                if (!downLogged) {
                    LOG.warn("ring {}: {}; waiting for it to come back", socket.name(),
                            errno == Libc.ENETDOWN ? "the interface went down" : "socket error " + errno);
                    downLogged = true;
                }
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            if (!stopping) {
                fail(new LinkException("ring " + socket.name() + ": receive thread interrupted"));
            }
        } catch (RuntimeException | Error e) {
            fail(new LinkException("ring " + socket.name() + ": receive thread failed: " + e, e));
        } finally {
            thread.own = null;
            if (socket.closeDeferred()) {
                // Closed from a frame handler or the failure listener: the ring could not be unmapped under us then.
                socket.close();
            }
        }
    }

    private void hand(ByteBuffer ring, int offset, int length, long timestampNanos) {
        try {
            handler.onFrame(ring, offset, length, timestampNanos);
        } catch (RuntimeException e) {
            // One bad frame must not stop the port.
            long n = ++handlerErrors;
            if (n == 1 || n % 10_000 == 0) {
                LOG.error("ring {}: frame handler failed ({} so far); the port goes on", socket.name(), n, e);
            }
        }
    }

    private void fail(LinkException e) {
        LOG.error("{}; receive thread ends", e.getMessage());
        try {
            failure.onFailure(socket.name(), e);
        } catch (RuntimeException ex) {
            LOG.error("ring {}: failure listener failed", socket.name(), ex);
        }
    }

    /** Whether the receive thread still runs. */
    public boolean running() {
        return thread.isAlive();
    }

    /** Stops the receive thread and waits for it (up to 2 s); the socket stays the caller's to close. */
    @Override
    public void close() {
        stopping = true;
        if (Thread.currentThread() == thread) {
            return;
        }
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("ring {}: receive thread did not stop in 2 s", socket.name());
        }
    }

    /**
     * Called by {@link PacketSocket#commit}: on a receive thread inside a batch the socket is remembered and flushed
     * when the batch ends.
     *
     * @return false when the caller must send now
     */
    static boolean deferFlush(PacketSocket socket) {
        return Thread.currentThread() instanceof ReceiveThread r && r.defer(socket);
    }

    /** Whether the calling thread is the one receiving on {@code socket} (which must not unmap its ring then). */
    static boolean receivingOn(PacketSocket socket) {
        return Thread.currentThread() instanceof ReceiveThread r && r.own == socket;
    }

    /** A receive thread, which knows the sockets to flush when its batch ends. */
    private static final class ReceiveThread extends Thread {
        private final PacketSocket[] deferred = new PacketSocket[MAX_DEFERRED];
        private int count;
        boolean batch;
        /** The socket this thread reads, until its loop has ended. */
        volatile PacketSocket own;

        ReceiveThread(Runnable body, String name, PacketSocket own) {
            super(body, name);
            this.own = own;
        }

        boolean defer(PacketSocket socket) {
            if (!batch) {
                return false;
            }
            for (int i = 0; i < count; i++) {
                if (deferred[i] == socket) {
                    return true;
                }
            }
            if (count == MAX_DEFERRED) {
                return false;
            }
            deferred[count++] = socket;
            return true;
        }

        void endBatch() {
            batch = false;
            for (int i = 0; i < count; i++) {
                PacketSocket s = deferred[i];
                deferred[i] = null;
                if (!s.isClosed()) {
                    s.flushQuietly();
                }
            }
            count = 0;
        }
    }
}
