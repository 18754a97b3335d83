package org.splitnve.tnve;

import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VdpErrorCode;
import org.splitnve.vdpcore.vdp.VsiId;

/**
 * The bridge answered with an error. With {@link #keep()} the VSI stays in the state it had before the request
 * (802.1Q 41.2.4); without it the bridge dropped the VSI, and so does the station.
 */
public final class VdpRefusedException extends TnveException {
    private static final long serialVersionUID = 1L;

    private final VsiId vsiId;
    private final MacAddress bridge;
    private final VdpErrorCode error;
    private final boolean keep;
    private final boolean hardError;
    private final TsiState stateAfter;

    public VdpRefusedException(VsiId vsiId, MacAddress bridge, VdpErrorCode error, boolean keep, boolean hardError,
                               TsiState stateAfter) {
        super("bridge " + bridge + " refused VSI " + vsiId + ": " + error + (keep ? ", keep" : "") + (hardError ? ", hard error" : "")
                + "; VSI now " + stateAfter);
        this.vsiId = vsiId;
        this.bridge = bridge;
        this.error = error;
        this.keep = keep;
        this.hardError = hardError;
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

    public boolean keep() {
        return keep;
    }

    public boolean hardError() {
        return hardError;
    }

    /** The state of the VSI on that bridge after the refusal. */
    public TsiState stateAfter() {
        return stateAfter;
    }
}
