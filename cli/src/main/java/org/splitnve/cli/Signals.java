package org.splitnve.cli;

import java.util.concurrent.CountDownLatch;

/**
 * SIGTERM and SIGINT as a latch: the shutdown hook releases the command's main thread and then
 * waits for it to finish its orderly stop (a station de-associates its VSIs), so that the JVM does
 * not exit while protocol work is still in flight.
 */
final class Signals {

    private static final long GRACE_MILLIS = 15_000;

    private static volatile boolean stopping;

    private Signals() {
    }

    /**
     * True once a signal started the JVM's shutdown: {@code System.exit} would then block for
     * ever, so the caller ends with {@code Runtime.halt} and its own exit code instead.
     */
    static boolean stopping() {
        return stopping;
    }

    /** A latch counted down by SIGTERM/SIGINT; the hook then waits for the calling thread to end. */
    static CountDownLatch latch() {
        CountDownLatch latch = new CountDownLatch(1);
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping = true;
            latch.countDown();
            try {
                main.join(GRACE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "splitnve-shutdown"));
        return latch;
    }
}
