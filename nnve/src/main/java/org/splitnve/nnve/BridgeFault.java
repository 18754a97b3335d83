package org.splitnve.nnve;

/**
 * Deliberate defects of the nNVE's VDP bridge, which exist only for the conformance suite's mutation
 * tests: each is switched on alone ({@link NnveConfig.Builder#faults}), and the suite must catch it.
 * None is on by default; the nNVE logs a warning when one is. Never switch one on in production.
 */
public enum BridgeFault {

    /** Only for the conformance suite's mutation tests: a null VID is echoed instead of the local tag assigned. */
    ECHO_NULL_VID,
    /** Only for the conformance suite's mutation tests: a request that does not decode is refused with error 2, whatever is wrong with it. */
    WRONG_ERROR_CODE,
    /** Only for the conformance suite's mutation tests: a request that does not decode is dropped without an answer. */
    DROP_BAD_REQUESTS,
    /** Only for the conformance suite's mutation tests: bit 0x80 is never echoed. */
    NO_MIGRATION_ECHO,
    /** Only for the conformance suite's mutation tests: a TSI that is not refreshed is held for ever. */
    NO_KEEP_ALIVE_TIMEOUT,
    /** Only for the conformance suite's mutation tests: an Associate for a VSI in Init is refused (error 4) instead of associating it. */
    REQUIRE_PRE_ASSOCIATE,
    /** Only for the conformance suite's mutation tests: every Pre-Associate and Pre-Associate-RR is refused with error 4. */
    REFUSE_PRE_ASSOCIATE,
    /** Only for the conformance suite's mutation tests: a keep-alive (the held TLV sent again) is refused with error 4 and keep. */
    REFUSE_REFRESH,
    /** Only for the conformance suite's mutation tests: an Associate with M and migration indication valid (0x80) is refused with error 4. */
    REFUSE_MIGRATION_IN,
    /** Only for the conformance suite's mutation tests: the NVO3 IP filter formats are refused with error 1. */
    REFUSE_NVO3_IP_FORMATS,
    /** Only for the conformance suite's mutation tests: filter formats without a GroupID are refused with error 1. */
    REFUSE_FORMATS_WITHOUT_GROUPID,
    /** Only for the conformance suite's mutation tests: a station's De-Associate of a held VSI is applied but not answered. */
    NO_DE_ASSOCIATE_ANSWER;
}
