package org.splitnve.vdpcore.vdp;

/** The VSI ID format octet (802.1Q 41.2.6). */
public final class VsiIdFormat {

    private static final VsiIdFormat[] VALUES = new VsiIdFormat[6];

    public static final VsiIdFormat IPV4 = define(1, "ipv4");
    public static final VsiIdFormat IPV6 = define(2, "ipv6");
    public static final VsiIdFormat MAC = define(3, "mac");
    public static final VsiIdFormat LOCAL = define(4, "local");
    public static final VsiIdFormat UUID = define(5, "uuid");

    private final int value;
    private final String name;

    private VsiIdFormat(int value, String name) {
        this.value = value;
        this.name = name;
    }

    private static VsiIdFormat define(int value, String name) {
        VsiIdFormat f = new VsiIdFormat(value, name);
        VALUES[value] = f;
        return f;
    }

    /** The format for a wire value, or {@code null} when the value names none. */
    public static VsiIdFormat valueOf(int value) {
        return value >= 1 && value <= 5 ? VALUES[value] : null;
    }

    public int value() {
        return value;
    }

    /** The name used in JSON output: ipv4, ipv6, mac, local or uuid. */
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name;
    }
}
