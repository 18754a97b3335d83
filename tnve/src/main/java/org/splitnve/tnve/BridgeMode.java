package org.splitnve.tnve;

/** How a station uses several bridges (RFC 8394 Req-3 and Req-4). */
public enum BridgeMode {
    /** Everything on the active bridge; on its loss everything moves to the standby. */
    ACTIVE_STANDBY,
    /** Each VN on one bridge ({@link Tnve#assignVn}); unassigned VNs on the primary bridge. */
    PER_VN,
    /** Every TSI of a VN on all bridges assigned to that VN, each with its own local tag. */
    ACTIVE_ACTIVE
}
