package org.splitnve.vdpcore.ecp;

/** The 10-bit ECP subtype naming the upper-layer protocol. Every value has an instance. */
public final class EcpSubtype {

    private static final EcpSubtype[] VALUES = new EcpSubtype[1024];

    public static final EcpSubtype VDP = define(1, "VDP");
    public static final EcpSubtype PE_CSP = define(2, "PE-CSP");

    static {
        for (int i = 0; i < VALUES.length; i++) {
            if (VALUES[i] == null) {
                define(i, "unknown-" + i);
            }
        }
    }

    private final int value;
    private final String name;

    private EcpSubtype(int value, String name) {
        this.value = value;
        this.name = name;
    }

    private static EcpSubtype define(int value, String name) {
        EcpSubtype s = new EcpSubtype(value, name);
        VALUES[value] = s;
        return s;
    }

    public static EcpSubtype valueOf(int value) {
        if (value < 0 || value > 1023) {
            throw new IllegalArgumentException("ECP subtypes are 10 bits: " + value);
        }
        return VALUES[value];
    }

    public int value() {
        return value;
    }

    public String name() {
        return name;
    }

    public boolean isKnown() {
        return value == 1 || value == 2;
    }

    @Override
    public String toString() {
        return name;
    }
}
