package org.splitnve.tnve;

import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VsiId;

/** The operation is not defined from the TSI's current state (RFC 8394 Figure 6), or lacks what it needs. */
public final class IllegalTsiTransitionException extends TnveException {
    private static final long serialVersionUID = 1L;

    private final VsiId vsiId;
    private final TsiState from;

    public IllegalTsiTransitionException(VsiId vsiId, TsiState from, String what) {
        super("VSI " + vsiId + " in " + from + ": " + what);
        this.vsiId = vsiId;
        this.from = from;
    }

    public VsiId vsiId() {
        return vsiId;
    }

    public TsiState from() {
        return from;
    }
}
