/**
 * Whole Ethernet frames around ECP and LLDP PDUs: the Ethernet header, padding to 60 octets on encode, and a
 * decoder that never takes the frame length as the PDU length.
 */
package org.splitnve.vdpcore.frame;
