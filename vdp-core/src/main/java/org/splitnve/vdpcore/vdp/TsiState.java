package org.splitnve.vdpcore.vdp;

/**
 * The states of a Tenant System Interface on an NVE port, RFC 8394 Figure 6 (section 3.2), which
 * the tNVE and the nNVE both track. On VDP: Associated is Pre-Associate (the bridge holds the
 * filter, VN membership and tag but forwards nothing); Activated is Associate.
 */
public enum TsiState {
    /** Nothing held for the TSI (also where it returns after De-Associate). */
    INIT,
    /** Addresses and VN known and reserved; no traffic; in the NVA's mapping view only. */
    ASSOCIATED,
    /** Forwarding; in the NVA's forwarding view. */
    ACTIVATED
}
