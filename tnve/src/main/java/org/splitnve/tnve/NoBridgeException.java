package org.splitnve.tnve;

/** No bridge can take the request: none assigned to the VN, all lost, or the tNVE is closed. */
public final class NoBridgeException extends TnveException {
    private static final long serialVersionUID = 1L;

    public NoBridgeException(String message) {
        super(message);
    }
}
