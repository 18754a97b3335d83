package org.splitnve.tnve;

import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.VsiId;

/**
 * ECP could not deliver the request (retries ran out, queue full, link failed); the cause is the
 * {@link org.splitnve.ecptransport.ecp.EcpDeliveryException} or whatever the channel reported. The VSI keeps the
 * state it had, since the bridge most likely never saw the request.
 */
public final class UndeliverableException extends TnveException {
    private static final long serialVersionUID = 1L;

    private final VsiId vsiId;
    private final MacAddress bridge;

    public UndeliverableException(VsiId vsiId, MacAddress bridge, Throwable cause) {
        super("request for VSI " + vsiId + " could not be delivered to " + bridge + ": " + cause.getMessage(), cause);
        this.vsiId = vsiId;
        this.bridge = bridge;
    }

    public VsiId vsiId() {
        return vsiId;
    }

    public MacAddress bridge() {
        return bridge;
    }
}
