package org.splitnve.vdpcore.lldp;

import java.nio.charset.StandardCharsets;
import org.splitnve.vdpcore.MacAddress;

/** The LLDP port ID TLV value: a subtype and 1..255 octets. */
public final class PortId extends LldpId {

    public static final int SUBTYPE_MAC_ADDRESS = 3;
    public static final int SUBTYPE_INTERFACE_NAME = 5;
    public static final int SUBTYPE_LOCAL = 7;

    public PortId(int subtype, byte[] id) {
        super(subtype, id);
    }

    public static PortId ofMac(MacAddress mac) {
        return new PortId(SUBTYPE_MAC_ADDRESS, mac.toBytes());
    }

    public static PortId ofInterfaceName(String name) {
        return new PortId(SUBTYPE_INTERFACE_NAME, name.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public String toString() {
        return text(SUBTYPE_MAC_ADDRESS);
    }
}
