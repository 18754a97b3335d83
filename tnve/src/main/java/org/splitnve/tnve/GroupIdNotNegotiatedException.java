package org.splitnve.tnve;

import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.VsiId;

/**
 * The TSI's addresses need a filter format with a GroupID (IP addresses alone, docs/PROTOCOL.md 4.1), and EVB did not
 * negotiate GroupID with the bridge (its BGID and the station's SGID, docs/PROTOCOL.md section 2); nothing was sent.
 */
public final class GroupIdNotNegotiatedException extends TnveException {
    private static final long serialVersionUID = 1L;

    private final VsiId vsiId;

    public GroupIdNotNegotiatedException(VsiId vsiId, MacAddress bridge, String what) {
        super("request for VSI " + vsiId + " not sent to " + bridge + ": " + what);
        this.vsiId = vsiId;
    }

    /** The VSI whose request was not sent. */
    public VsiId vsiId() {
        return vsiId;
    }
}
