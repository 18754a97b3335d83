package org.splitnve.tnve;

/**
 * Counts of one tNVE.
 *
 * @param requests           association TLV requests sent (a split request counts once)
 * @param keepAlives         of those, keep-alives and re-establishments
 * @param responses          responses matched to a request
 * @param unmatchedResponses responses that matched no outstanding request (late, duplicate, unknown VSI)
 * @param timeouts           requests left unanswered past the response wait
 * @param undeliverable      requests ECP could not deliver
 * @param bridgeDeassociates unsolicited De-Associates from bridges
 * @param badInput           TLVs from a bridge that could not be used (undecodable, unexpected requests)
 * @param bridgeDeactivates  unsolicited Pre-Associates from bridges (deactivates, Req-9)
 * @param bridgeRemovals     unsolicited De-Associates of some addresses from bridges (Req-9)
 * @param retries            requests sent again after an error 2 with keep or a failed delivery ({@link RetryPolicy})
 */
public record TnveCounters(long requests, long keepAlives, long responses, long unmatchedResponses, long timeouts,
                           long undeliverable, long bridgeDeassociates, long badInput, long bridgeDeactivates,
                           long bridgeRemovals, long retries) {
}
