package org.splitnve.tnve;

/**
 * Why a tNVE operation failed. Unchecked so that it can complete a {@link java.util.concurrent.CompletableFuture}
 * and be matched by type ({@code exceptionally}, {@code handle}) without wrapping.
 */
public class TnveException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TnveException(String message) {
        super(message);
    }

    public TnveException(String message, Throwable cause) {
        super(message, cause);
    }
}
