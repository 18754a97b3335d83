package org.splitnve.tnve;

/**
 * Deliberate defects of the tNVE's VDP station, which exist only for the conformance suite's mutation
 * tests: each is switched on alone ({@link TnveConfig.Builder#faults}), and the suite must catch it.
 * None is on by default; the station logs a warning at start when one is. Never switch one on in
 * production.
 */
public enum StationFault {

    /** Only for the conformance suite's mutation tests: the station sends no keep-alives. */
    NO_KEEP_ALIVES,
    /** Only for the conformance suite's mutation tests: every request asks with the null VID, even after the bridge assigned one. */
    KEEP_NULL_VID,
    /** Only for the conformance suite's mutation tests: keep-alives leave out 0x80 although the bridge echoed it. */
    DROP_MIGRATION_INDICATION,
    /** Only for the conformance suite's mutation tests: a bridge's De-Associate is answered but not applied; the VSI stays. */
    IGNORE_BRIDGE_DEASSOCIATE,
    /** Only for the conformance suite's mutation tests: a refused request is sent again every keep-alive period, for ever. */
    RETRY_REFUSALS_FOREVER,
    /** Only for the conformance suite's mutation tests: a refusal is taken for success, so the refused VSI is kept and refreshed. */
    REPORT_REFUSAL_AS_SUCCESS;
}
