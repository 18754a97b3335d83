package org.splitnve.testsupport;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * What a future that a test ran to its end came to: its value, or the failure it ended with, unwrapped. Test beds in
 * virtual time run their clock until the future is done and then ask here, so a future still pending, a failure where
 * a value was expected, and the reverse all fail the test with one message saying which.
 */
public final class Outcomes {

    private Outcomes() {
    }

    /**
     * The future's value.
     *
     * @param waited how long it was given, for the message when it is still pending (for example "120 s of virtual time")
     * @throws AssertionError when it is pending or failed (the failure as the cause)
     */
    public static <T> T value(CompletableFuture<T> f, String waited) {
        requireDone(f, waited);
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException e) {
            throw new AssertionError("failed: " + e.getCause(), e.getCause());
        }
    }

    /**
     * The exception the future failed with, unwrapped from the completion's wrapper.
     *
     * @throws AssertionError when it is pending or completed with a value
     */
    public static Throwable failure(CompletableFuture<?> f, String waited) {
        requireDone(f, waited);
        try {
            Object v = f.join();
            throw new AssertionError("expected a failure, got " + v);
        } catch (CompletionException e) {
            return e.getCause();
        }
    }

    private static void requireDone(CompletableFuture<?> f, String waited) {
        if (!f.isDone()) {
            throw new AssertionError("future not done after " + waited);
        }
    }
}
