package org.splitnve.ecptransport.ecp;

/**
 * A snapshot of one peer's ECP counters.
 *
 * @param sent            new PDUs sent (first transmissions)
 * @param retransmitted   retransmissions
 * @param acked           PDUs acknowledged
 * @param failed          PDUs given up on (reported to their senders)
 * @param delivered       PDUs received and handed to an upper layer
 * @param duplicates      received duplicates: acked, not delivered
 * @param malformed       frames from the peer that did not decode (bad version, operation, length)
 * @param unknownSubtype  requests for a subtype no upper layer registered: dropped, not acked
 * @param unexpectedAcks  acks that matched no outstanding PDU
 */
public record EcpCounters(long sent, long retransmitted, long acked, long failed, long delivered, long duplicates,
                          long malformed, long unknownSubtype, long unexpectedAcks) {
}
