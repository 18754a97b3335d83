package org.splitnve.tnve;

import java.time.Duration;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.VdpTlvType;
import org.splitnve.vdpcore.vdp.VsiId;

/**
 * The request was delivered (or at least sent) but no response came within the response wait. lldpad drops the VSI
 * silently at this point; the tNVE drops it too (the VSI returns to Init) and says so.
 */
public final class ResponseTimeoutException extends TnveException {
    private static final long serialVersionUID = 1L;

    private final VsiId vsiId;
    private final MacAddress bridge;
    private final VdpTlvType type;
    private final Duration waited;

    public ResponseTimeoutException(VsiId vsiId, MacAddress bridge, VdpTlvType type, Duration waited) {
        super("no response from " + bridge + " to " + type + " for VSI " + vsiId + " within " + waited);
        this.vsiId = vsiId;
        this.bridge = bridge;
        this.type = type;
        this.waited = waited;
    }

    public VsiId vsiId() {
        return vsiId;
    }

    public MacAddress bridge() {
        return bridge;
    }

    public VdpTlvType type() {
        return type;
    }

    public Duration waited() {
        return waited;
    }
}
