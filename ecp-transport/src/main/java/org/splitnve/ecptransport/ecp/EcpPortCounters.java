package org.splitnve.ecptransport.ecp;

/**
 * A snapshot of what one ECP port counted beyond its peers' own counters ({@link EcpCounters}): the peer table, and
 * frames from stations it keeps no state for.
 *
 * @param frames         ECPDUs to its MAC or one of its groups that reached it, well-formed or not
 * @param peers          peers it keeps state for now
 * @param peersEvicted   idle peers forgotten to make room for new ones
 * @param peersRefused   requests from new peers dropped, unacked, because the table was full of peers that were not idle
 * @param malformed      frames that did not decode (bad version, operation, length), from any station
 * @param strayAcks      acks from stations the port keeps no state for
 * @param unknownSubtype requests for a subtype no upper layer registered, from any station
 * @param misaddressed   ECPDUs to a destination that is neither the port's MAC nor one of its groups
 */
public record EcpPortCounters(long frames, int peers, long peersEvicted, long peersRefused, long malformed, long strayAcks, long unknownSubtype,
                              long misaddressed) {
}
