package org.splitnve.tnve;

/** No bridge can take the request: none assigned to the VN, all lost, or the tNVE is closed. */
public final class NoBridgeException extends TnveException {

    public NoBridgeException(String message) {
        super(message);
    }
}
