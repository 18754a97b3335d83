/**
 * VDP over ECP for one port: the channel that packs association TLVs into VDPDUs and decodes received ones
 * tolerantly, the VDP timers derived from the negotiated EVB values, and the stack that wires link, ECP, LLDP and
 * the channel together.
 */
package org.splitnve.ecptransport.vdp;
