package org.splitnve.vdpcore.lldp;

import org.splitnve.vdpcore.MacAddress;

/** The LLDP chassis ID TLV value: a subtype and 1..255 octets. */
public final class ChassisId extends LldpId {

    public static final int SUBTYPE_MAC_ADDRESS = 4;
    public static final int SUBTYPE_LOCAL = 7;

    public ChassisId(int subtype, byte[] id) {
        super(subtype, id);
    }

    public static ChassisId ofMac(MacAddress mac) {
        return new ChassisId(SUBTYPE_MAC_ADDRESS, mac.toBytes());
    }

    @Override
    public String toString() {
        return text(SUBTYPE_MAC_ADDRESS);
    }
}
