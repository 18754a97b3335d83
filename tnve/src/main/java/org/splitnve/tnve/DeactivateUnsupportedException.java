package org.splitnve.tnve;

import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VdpErrorCode;
import org.splitnve.vdpcore.vdp.VsiId;

/**
 * The bridge refused Associate -> Pre-Associate (docs/PROTOCOL.md 4.4), as lldpad does. The configured
 * {@link TnveConfig.DeactivateFallback} has been applied by the time this completes a future; {@link #stateAfter()}
 * is where it left the VSI.
 */
public final class DeactivateUnsupportedException extends TnveException {
    private static final long serialVersionUID = 1L;

    private final VsiId vsiId;
    private final MacAddress bridge;
    private final VdpErrorCode error;
    private final TnveConfig.DeactivateFallback fallback;
    private final TsiState stateAfter;

    public DeactivateUnsupportedException(VsiId vsiId, MacAddress bridge, VdpErrorCode error,
                                          TnveConfig.DeactivateFallback fallback, TsiState stateAfter) {
        super("bridge " + bridge + " does not support deactivate (refused with " + error + ") for VSI " + vsiId
                + "; fallback " + fallback + " left it " + stateAfter);
        this.vsiId = vsiId;
        this.bridge = bridge;
        this.error = error;
        this.fallback = fallback;
        this.stateAfter = stateAfter;
    }

    public VsiId vsiId() {
        return vsiId;
    }

    public MacAddress bridge() {
        return bridge;
    }

    public VdpErrorCode error() {
        return error;
    }

    public TnveConfig.DeactivateFallback fallback() {
        return fallback;
    }

    public TsiState stateAfter() {
        return stateAfter;
    }
}
