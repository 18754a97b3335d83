package org.splitnve.vdpcore.lldp;

/**
 * An optional LLDP TLV, after the mandatory chassis ID, port ID and TTL: the EVB TLV as a typed
 * value, any other organizationally specific TLV, or another basic TLV kept as octets.
 */
public sealed interface LldpTlv permits EvbTlv, OrganizationallySpecificTlv, BasicTlv {

    int TYPE_END = 0;
    int TYPE_CHASSIS_ID = 1;
    int TYPE_PORT_ID = 2;
    int TYPE_TTL = 3;
    int TYPE_ORGANIZATIONALLY_SPECIFIC = 127;

    /** The 7-bit TLV type. */
    int type();

    /** Octets of the TLV value (without the 2-octet header). */
    int valueLength();
}
