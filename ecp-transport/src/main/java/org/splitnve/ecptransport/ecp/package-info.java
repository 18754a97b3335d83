/**
 * The ECP engine of IEEE 802.1Q clause 43 (docs/PROTOCOL.md section 1): state per port and peer MAC, one PDU
 * outstanding with retransmission, duplicate suppression, and upper layers by subtype. A PDU that cannot be
 * delivered is reported to its sender, where lldpad drops it silently.
 */
package org.splitnve.ecptransport.ecp;
