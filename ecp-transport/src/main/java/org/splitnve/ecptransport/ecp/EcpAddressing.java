package org.splitnve.ecptransport.ecp;

import java.util.Objects;
import org.splitnve.vdpcore.MacAddress;

/**
 * Where ECP requests to a peer go (docs/PROTOCOL.md 4.3): the nearest-customer-bridge group address
 * (the default, which no bridge forwards), the peer's unicast MAC, or a configured non-reserved
 * group MAC for a bridged path. Acks, and the PDUs an engine sends with {@link EcpEngine#reply},
 * always go to the peer's own MAC.
 */
public final class EcpAddressing {

    private static final EcpAddressing NCB = new EcpAddressing(Kind.NEAREST_CUSTOMER_BRIDGE, MacAddress.NEAREST_CUSTOMER_BRIDGE);
    private static final EcpAddressing UNICAST = new EcpAddressing(Kind.UNICAST, null);
    private static final long RESERVED_PREFIX = 0x0180C2000000L;

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

    /**
     * A configured group address. The nearest-customer-bridge address is the default kind itself;
     * the other reserved addresses 01-80-C2-00-00-01 to -0F are refused, since bridges do not forward
     * them and other protocols own them.
     *
     * @throws IllegalArgumentException if {@code mac} is not a group address or is reserved
     */
    public static EcpAddressing group(MacAddress mac) {
        checkGroup(mac);
        return mac.equals(MacAddress.NEAREST_CUSTOMER_BRIDGE) ? NCB : new EcpAddressing(Kind.GROUP, mac);
    }

    /**
     * Checks that {@code mac} can be a configured ECP group address: the I/G bit set and not one of
     * the reserved 01-80-C2-00-00-01 to -0F (the nearest-customer-bridge address -00 is allowed).
     *
     * @throws IllegalArgumentException with what is wrong
     */
    public static void checkGroup(MacAddress mac) {
        if (!Objects.requireNonNull(mac, "mac").isMulticast()) {
            throw new IllegalArgumentException(mac + " is not a group address (the I/G bit is clear); address a bridge's own MAC by unicast");
        }
        if (isReserved(mac) && !mac.equals(MacAddress.NEAREST_CUSTOMER_BRIDGE)) {
            throw new IllegalArgumentException(mac + " is reserved (01-80-C2-00-00-01 to -0F): bridges do not forward it and other"
                    + " protocols own it");
        }
    }

    /** Whether {@code mac} is one of the reserved group addresses 01-80-C2-00-00-00 to -0F, which C-VLAN bridges never forward. */
    public static boolean isReserved(MacAddress mac) {
        return (mac.toLong() & ~0xFL) == RESERVED_PREFIX;
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
