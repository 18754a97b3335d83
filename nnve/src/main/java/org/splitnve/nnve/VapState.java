package org.splitnve.nnve;

/** The states of a VAP, one per (port, VN), RFC 8394 Figure 5. */
public enum VapState {
    /** No tag, no context; where a VAP starts and returns on VN_Disconnect. */
    VN_DISCONNECTED,
    /** A local tag and the NVA's VN context are held for the VN on the port. */
    VN_CONNECTED
}
