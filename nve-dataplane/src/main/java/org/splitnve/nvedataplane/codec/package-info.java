/**
 * Zero-allocation header codecs of the data plane: Ethernet and 802.1Q, IPv4, IPv6, UDP, VXLAN, Geneve, ARP,
 * neighbour discovery and IGMP/MLD queries, read and written in place in the caller's buffer.
 */
package org.splitnve.nvedataplane.codec;
