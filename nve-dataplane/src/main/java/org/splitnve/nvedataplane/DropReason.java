package org.splitnve.nvedataplane;

/** Why the data plane dropped a frame; each has its own counter in {@link DataPlaneCounters}. */
public enum DropReason {
    /** A station's frame too short or with a malformed IP/ARP/ND header. */
    MALFORMED,
    /** A frame on a trunk port without a C-tag: every VN has a local tag there. */
    UNTAGGED,
    /** A tag that maps to no VN on that port (never mapped, or unmapped by VN_Disconnect). */
    UNKNOWN_TAG,
    /** Source MAC of no Activated TSI of that VN on that port: unknown or only Associated (RFC 8394 3.2). */
    SOURCE_NOT_ACTIVATED,
    /** A group source MAC, or an ARP/ND sender hardware address other than the frame's source. */
    SPOOFED_SOURCE_MAC,
    /** Source IP (IPv4, ARP sender, IPv6, ND target) not among the TSI's registered addresses. */
    SPOOFED_SOURCE_IP,
    /** Nobody to deliver to: a flood with no other local port and no remote NVE. */
    NO_DESTINATION,
    /** A decapsulated unicast frame for a MAC that is no Activated TSI here. */
    UNKNOWN_DESTINATION,
    /** A decapsulated frame carrying an inner 802.1Q tag (RFC 7348 6.1). */
    INNER_TAGGED,
    /** A frame longer than the configured maximum. */
    TOO_LONG,
    /** The remote NVE's underlay address is of the other IP family than ours. */
    UNDERLAY_FAMILY_MISMATCH,
    /** ARP/ND for the next hop did not complete, or too many frames waited for it. */
    NEXT_HOP_UNRESOLVED,
    /** The port refused the frame. */
    SEND_FAILED,
    /** Outer headers malformed (truncated, bad lengths, fragment, bad UDP checksum, bad Geneve header). */
    OUTER_MALFORMED,
    /** Outer IPv4 header checksum does not verify. */
    OUTER_IP_CHECKSUM,
    /** VXLAN I flag clear, Geneve version not 0, Geneve OAM or critical option. */
    BAD_ENCAPSULATION,
    /** Underlay frame for another MAC or IP address. */
    NOT_FOR_US,
    /** Underlay IP packet that is not our encapsulation on its UDP port. */
    NOT_TUNNEL,
    /** VNI that no local port maps. */
    UNKNOWN_VNI,
    /** A moved TSI's new NVE is the NVE that sent us the frame: tunnelling back would loop. */
    TUNNEL_LOOP,
    /** Held for a moved TSI whose new NVE was not learned before the timer ended. */
    MIGRATION_EXPIRED,
    /** Too many frames held for one moved TSI. */
    MIGRATION_BUFFER_FULL,
    /** For a moved TSI whose hold had just ended (its timer ran out, it came back, or the data plane closed). */
    MIGRATION_ENDED,
    /** LLDP or ECP reached the data plane (the VDP stack should have taken it). */
    CONTROL_FRAME,
    /** A new next hop found the underlay neighbour table full of neighbours too recent to forget. */
    UNDERLAY_NEIGHBORS_FULL
}
