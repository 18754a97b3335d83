/**
 * LLDPDU values and their codec, with the EVB TLV of IEEE 802.1Q (docs/PROTOCOL.md section 2) that negotiates
 * ECP and VDP timers and the GroupID capability.
 */
package org.splitnve.vdpcore.lldp;
