package org.splitnve.nnve;

import org.splitnve.vdpcore.vdp.VdpErrorCode;

/** A request the nNVE refuses: answered with this error code and keep, state left as it was. */
final class Refusal extends Exception {

    private static final long serialVersionUID = 1L;

    final transient VdpErrorCode error;
    final String why;

    Refusal(VdpErrorCode error, String why) {
        // A refusal is protocol flow, not a bug: no stack trace.
        super(why, null, false, false);
        this.error = error;
        this.why = why;
    }
}
