package org.splitnve.nnve;

import java.util.Map;

/**
 * Counts of an {@link Nnve} since it started.
 *
 * @param requests               requests from stations (a request is one VSI's TLVs of one type in one VDPDU)
 * @param refreshes              requests that repeated the current state (station keep-alives)
 * @param responses              responses sent
 * @param responsesByError       responses by VDP error code (0 = success)
 * @param refusals               requests answered with keep
 * @param rejectedTlvs           association TLVs that did not decode, answered by echo
 * @param unanswerableTlvs       association TLVs too broken to answer (no readable VSI ID, or a response)
 * @param unexpectedResponses    response-bit TLVs other than answers to our De-Associates
 * @param stationAcks            station responses to our De-Associates
 * @param unknownDeassociates    De-Associates for VSIs the nNVE does not hold (answered success)
 * @param keepAliveTimeouts      TSIs freed because their station stopped refreshing them
 * @param bridgeDeassociates     unsolicited De-Associates of whole TSIs sent (timeouts, Req-6, Req-9)
 * @param undelivered            responses and De-Associates that ECP could not deliver
 * @param nvaTimeouts            VN context lookups answered error 3 for taking longer than resource wait
 * @param nvaFailures            failed NVA calls (lookups answered error 3, publish/withdraw logged)
 * @param listenerFailures       exceptions thrown by listeners
 * @param crossedRequests        station requests refused because they crossed a request of the nNVE's own on the wire
 *                               (docs/PROTOCOL.md 4.6)
 * @param bridgeDeactivates      TSIs the nNVE deactivated on its own (Req-9)
 * @param bridgeRemovals         address removals the nNVE made on its own (Req-9)
 */
public record NnveCounters(long requests, long refreshes, long responses, Map<Integer, Long> responsesByError, long refusals,
                           long rejectedTlvs, long unanswerableTlvs, long unexpectedResponses, long stationAcks,
                           long unknownDeassociates, long keepAliveTimeouts, long bridgeDeassociates, long undelivered,
                           long nvaTimeouts, long nvaFailures, long listenerFailures, long crossedRequests,
                           long bridgeDeactivates, long bridgeRemovals) {

    public NnveCounters {
        responsesByError = Map.copyOf(responsesByError);
    }

    /** Responses sent with this error code. */
    public long responses(int errorCode) {
        return responsesByError.getOrDefault(errorCode, 0L);
    }
}
