package org.splitnve.tnve;

/**
 * The station's port is not authenticated (IEEE 802.1X, RFC 8394 Req-11), so no VDP is sent: a request made while
 * authentication was lost. The TSI's state is unchanged; what the station held is associated again once the port is
 * authenticated again.
 */
public final class NotAuthenticatedException extends TnveException {
    private static final long serialVersionUID = 1L;

    public NotAuthenticatedException(String message) {
        super(message);
    }
}
