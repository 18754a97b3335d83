package org.splitnve.tnve;

import org.splitnve.vdpcore.vdp.VsiId;

/** The TSI's address set does not fit one VDPDU even split over several TLVs; nothing was sent. */
public final class RequestTooLargeException extends TnveException {
    private static final long serialVersionUID = 1L;

    private final VsiId vsiId;

    public RequestTooLargeException(VsiId vsiId, Throwable cause) {
        super("request for VSI " + vsiId + " does not fit one VDPDU: " + cause.getMessage(), cause);
        this.vsiId = vsiId;
    }

    public VsiId vsiId() {
        return vsiId;
    }
}
