package org.splitnve.ecptransport.ecp;

/**
 * Deliberate defects of this module's engines (the ECP engine, the VDP channel and the LLDP agent),
 * which exist only for the conformance suite's mutation tests: each is switched on alone, and the
 * suite must catch it. Switched on through {@link EcpConfig#withFaults} or
 * {@code LldpAgentConfig.withFaults}; none is on by default, and an engine logs a warning at start
 * when one is. Never switch one on in production.
 */
public enum TransportFault {

    /** Only for the conformance suite's mutation tests: the ECP engine acknowledges nothing. */
    NO_ACK,
    /** Only for the conformance suite's mutation tests: acks carry the request's sequence number plus one. */
    WRONG_ACK_SEQUENCE,
    /** Only for the conformance suite's mutation tests: a repeated sequence number is delivered again. */
    DELIVER_DUPLICATES,
    /** Only for the conformance suite's mutation tests: an unacknowledged PDU is never sent again. */
    NO_RETRANSMISSION,
    /** Only for the conformance suite's mutation tests: an unacknowledged PDU is sent R + 2 times, one more than allowed. */
    EXTRA_RETRANSMISSION,
    /**
     * Only for the conformance suite's mutation tests: a sequence number below the last one delivered is taken for a
     * duplicate, so nothing after the wrap (0xFFFF, then 1) is delivered.
     */
    NO_SEQUENCE_WRAP,
    /** Only for the conformance suite's mutation tests: an ECPDU of any version is taken as version 1. */
    ACCEPT_ANY_VERSION,
    /** Only for the conformance suite's mutation tests: a request of a subtype without an upper layer is acknowledged. */
    ACK_UNKNOWN_SUBTYPE,
    /** Only for the conformance suite's mutation tests: operation 2 is taken as a request. */
    ACCEPT_OPERATION_2,
    /**
     * Only for the conformance suite's mutation tests: every ECPDU, acks included, goes to the nearest-customer-bridge
     * group address instead of the peer's MAC.
     */
    RESPONSES_TO_GROUP_ADDRESS,
    /** Only for the conformance suite's mutation tests: every association TLV the VDP channel sends claims one filter entry more than it carries. */
    WRONG_ENTRY_COUNT,
    /** Only for the conformance suite's mutation tests: the VDP channel sets S in every request that carries M. */
    M_AND_S_TOGETHER,
    /** Only for the conformance suite's mutation tests: the LLDP agent leaves the EVB TLV out of its LLDPDUs. */
    NO_EVB_TLV,
    /**
     * Only for the conformance suite's mutation tests: the LLDP agent advertises and operates at its own EVB values,
     * as if it never heard the neighbour's TLV (no negotiation, no echo of the neighbour's status).
     */
    EVB_IGNORES_PEER,
    /** Only for the conformance suite's mutation tests: the LLDP agent does not echo the neighbour's GroupID bit (BGID or SGID). */
    NO_GROUPID_ECHO;
}
