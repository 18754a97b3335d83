/**
 * ECPDU values and their codec (IEEE 802.1Q clause 43, docs/PROTOCOL.md section 1): the header word with
 * version, operation and subtype, the sequence number, and the upper-layer PDU.
 */
package org.splitnve.vdpcore.ecp;
