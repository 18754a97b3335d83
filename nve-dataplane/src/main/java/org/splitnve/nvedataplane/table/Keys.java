package org.splitnve.nvedataplane.table;

/**
 * How the data plane packs keys into {@link LongKeyTable}'s three longs. The first long names the
 * kind of key and the VNI, so that a MAC, an IPv4 and an IPv6 key of one VN never collide.
 */
public final class Keys {

    private static final long MAC = 1L << 32;
    private static final long IPV4 = 2L << 32;
    private static final long IPV6 = 3L << 32;

    private Keys() {
    }

    public static long mac(int vni) {
        return MAC | vni;
    }

    public static long ipv4(int vni) {
        return IPV4 | vni;
    }

    public static long ipv6(int vni) {
        return IPV6 | vni;
    }

    public static long vn(int vni) {
        return vni;
    }
}
