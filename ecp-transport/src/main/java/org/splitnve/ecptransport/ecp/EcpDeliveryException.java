package org.splitnve.ecptransport.ecp;

import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.ecp.EcpSubtype;

/**
 * An upper-layer PDU was not acknowledged: retries ran out, the queue was full, the link refused
 * the frame, the engine closed, or the port keeps state for as many peers as it may. lldpad drops
 * such PDUs silently; this library tells the sender.
 */
public final class EcpDeliveryException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why the PDU was not delivered. */
    public enum Reason { RETRIES_EXHAUSTED, QUEUE_FULL, LINK_FAILED, ENGINE_CLOSED, TOO_LARGE, TOO_MANY_PEERS }

    private final MacAddress peer;
    private final EcpSubtype subtype;
    private final int sequence;
    private final int attempts;
    private final Reason reason;

    public EcpDeliveryException(Reason reason, MacAddress peer, EcpSubtype subtype, int sequence, int attempts, String detail,
                                Throwable cause) {
        super(reason + " to " + peer + " (" + subtype + (sequence >= 0 ? " seq " + sequence : "") + ", " + attempts
                + " attempts)" + (detail == null ? "" : ": " + detail), cause);
        this.peer = peer;
        this.subtype = subtype;
        this.sequence = sequence;
        this.attempts = attempts;
        this.reason = reason;
    }

    public MacAddress peer() {
        return peer;
    }

    public EcpSubtype subtype() {
        return subtype;
    }

    /** The PDU's sequence number, or -1 if it never got one (refused before sending). */
    public int sequence() {
        return sequence;
    }

    /** How many times it was sent. */
    public int attempts() {
        return attempts;
    }

    public Reason reason() {
        return reason;
    }
}
