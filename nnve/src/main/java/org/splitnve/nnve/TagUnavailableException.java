package org.splitnve.nnve;

import org.splitnve.vdpcore.vdp.VdpErrorCode;

/** A local tag could not be given: the pool is exhausted (error 2) or the VID asked for is not free (error 5). */
public final class TagUnavailableException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient VdpErrorCode error;

    public TagUnavailableException(VdpErrorCode error, String message) {
        super(message, null, false, false);
        this.error = error;
    }

    /** The VDP error code to answer with. */
    public VdpErrorCode error() {
        return error;
    }
}
