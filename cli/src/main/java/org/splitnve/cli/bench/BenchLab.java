package org.splitnve.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the measurements make their veth pairs, and what takes them down again on every path. A bench started from
 * a terminal is often ended with Ctrl-C in the middle of a run that has namespaces and lldpad daemons up: the
 * shutdown hook of {@link #guarded()} wakes the measuring thread out of its waits, takes down every pair still open
 * itself (lldpad by PID, then the namespaces) and gives the command a moment to print what it has.
 *
 * <p>Closing a pair runs commands and waits for processes, which an interrupt would cut short and so leave a
 * namespace behind; the hook therefore never interrupts a thread that is closing a pair, and closing clears the
 * interrupt it finds.
 */
public final class BenchLab implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BenchLab.class);

    /**
     * How long the hook waits for the measuring thread to take down what it holds and print its table: a pair made
     * just as the signal came is the thread's own to remove, and lldpad gets seconds to stop.
     */
    private static final long GRACE_MILLIS = 15_000;

    private final Thread worker;
    private final Thread hook;
    private final List<VethNamespaces> open = new ArrayList<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    private boolean cancelled;
    private int closing;

    private BenchLab(boolean guard) {
        this.worker = Thread.currentThread();
        this.hook = guard ? new Thread(this::onSignal, "splitnve-bench-shutdown") : null;
        if (hook != null) {
            Runtime.getRuntime().addShutdownHook(hook);
        }
    }

    /** A lab whose pairs also go on SIGINT/SIGTERM; the calling thread is the one woken. Close it when done. */
    public static BenchLab guarded() {
        return new BenchLab(true);
    }

    /** A lab without a shutdown hook of its own, for tests (the namespaces still have theirs). */
    public static BenchLab unguarded() {
        return new BenchLab(false);
    }

    /** Two fresh namespaces joined by a veth pair, taken down with this lab at the latest. */
    public VethNamespaces vethPair(String nameA, String macA, String nameB, String macB) {
        synchronized (this) {
            if (cancelled) {
                throw new CancelledException();
            }
        }
        VethNamespaces pair = VethNamespaces.create(nameA, macA, nameB, macB, this);
        synchronized (this) {
            open.add(pair);
        }
        return pair;
    }

    /** True once a signal asked the bench to stop. */
    public synchronized boolean cancelled() {
        return cancelled;
    }

    /** Throws {@link CancelledException} when a signal asked the bench to stop. */
    public void checkCancelled() {
        if (cancelled()) {
            throw new CancelledException();
        }
    }

    synchronized void closingStarted() {
        closing++;
    }

    synchronized void closingEnded(VethNamespaces pair) {
        closing--;
        open.remove(pair);
    }

    private void onSignal() {
        List<VethNamespaces> toClose;
        synchronized (this) {
            cancelled = true;
            if (closing == 0) {
                worker.interrupt();
            }
            toClose = new ArrayList<>(open);
        }
        for (VethNamespaces pair : toClose) {
            try {
                pair.close();
            } catch (RuntimeException e) {
                LOG.warn("taking down {} on shutdown failed", pair, e);
            }
        }
        try {
            finished.await(GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Takes down what is still open and removes the hook (unless it is already running). */
    @Override
    public void close() {
        List<VethNamespaces> toClose;
        synchronized (this) {
            toClose = new ArrayList<>(open);
        }
        try {
            for (VethNamespaces pair : toClose) {
                try {
                    pair.close();
                } catch (RuntimeException e) {
                    // The other pairs must go all the same.
                    LOG.warn("bench: removing {} failed", pair, e);
                }
            }
        } finally {
            finished.countDown();
            if (hook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // The hook runs and will find everything closed.
                }
            }
        }
    }

    /** A measurement stopped because a signal asked the bench to stop. */
    public static final class CancelledException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CancelledException() {
            super("interrupted by a signal");
        }
    }
}
