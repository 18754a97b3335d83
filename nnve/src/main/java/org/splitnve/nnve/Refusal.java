package org.splitnve.nnve;

import org.splitnve.vdpcore.vdp.VdpErrorCode;

/**
 * A request the nNVE refuses: answered with this error code, state left as it was. With keep (the usual case) the
 * station keeps its state too; without, it learns that the nNVE holds nothing for the VSI.
 */
final class Refusal extends Exception {

    private static final long serialVersionUID = 1L;

    final transient VdpErrorCode error;
    final String why;
    final boolean keep;

    Refusal(VdpErrorCode error, String why) {
        this(error, why, true);
    }

    Refusal(VdpErrorCode error, String why, boolean keep) {
        // A refusal is protocol flow, not a bug: no stack trace.
        super(why, null, false, false);
        this.error = error;
        this.why = why;
        this.keep = keep;
    }
}
