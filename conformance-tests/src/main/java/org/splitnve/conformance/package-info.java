/**
 * The conformance suite: plays bridge or station against any implementation reachable through a
 * NIC and checks ECP, EVB TLV negotiation and VDP, reporting pass, fail or not applicable per
 * check. {@code splitnve conformance} in the {@code cli} module runs it.
 */
package org.splitnve.conformance;
