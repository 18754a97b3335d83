/**
 * VDP values and their codec (IEEE 802.1Q clause 41 with the NVO3 extensions of docs/PROTOCOL.md section 4):
 * Manager ID, association TLVs, VSI IDs in five formats, filter info formats including the IP formats, the status
 * octet with the migration indication bit, and the TSI and VN vocabulary of RFC 8394.
 */
package org.splitnve.vdpcore.vdp;
