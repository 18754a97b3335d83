package org.splitnve.ecptransport.ecp;

import java.util.Objects;
import org.splitnve.vdpcore.MacAddress;

/**
 * Where ECP requests to a peer go (docs/PROTOCOL.md 4.3): the nearest-customer-bridge group address
 * (the default, which no bridge forwards), the peer's unicast MAC, or a configured non-reserved
 * group MAC for a bridged path. Acks always go to the source of what they acknowledge.
 */
public final class EcpAddressing {

    private static final EcpAddressing NCB = new EcpAddressing(Kind.NEAREST_CUSTOMER_BRIDGE, MacAddress.NEAREST_CUSTOMER_BRIDGE);
    private static final EcpAddressing UNICAST = new EcpAddressing(Kind.UNICAST, null);

    /** The three ways of addressing a peer. */
    public enum Kind { NEAREST_CUSTOMER_BRIDGE, UNICAST, GROUP }

    private final Kind kind;
    private final MacAddress group;

    private EcpAddressing(Kind kind, MacAddress group) {
        this.kind = kind;
        this.group = group;
    }

    public static EcpAddressing nearestCustomerBridge() {
        return NCB;
    }

    public static EcpAddressing unicast() {
        return UNICAST;
    }

    /** A configured group address; reserved 01-80-C2-00-00-0x addresses are not forwarded by bridges. */
    public static EcpAddressing group(MacAddress mac) {
        if (!Objects.requireNonNull(mac).isMulticast()) {
            throw new IllegalArgumentException("a group address has the I/G bit set: " + mac);
        }
        return new EcpAddressing(Kind.GROUP, mac);
    }

    public Kind kind() {
        return kind;
    }

    /** The destination of a request to {@code peer}. */
    public MacAddress destination(MacAddress peer) {
        return kind == Kind.UNICAST ? peer : group;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EcpAddressing a && a.kind == kind && Objects.equals(a.group, group);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + Objects.hashCode(group);
    }

    @Override
    public String toString() {
        return kind == Kind.UNICAST ? "unicast" : kind == Kind.GROUP ? "group " + group : "nearest-customer-bridge";
    }
}
