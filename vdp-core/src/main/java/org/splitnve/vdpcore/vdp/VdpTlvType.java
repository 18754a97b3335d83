package org.splitnve.vdpcore.vdp;

/** The 7-bit type of a VDP TLV. */
public final class VdpTlvType {

    private static final VdpTlvType[] VALUES = new VdpTlvType[128];

    public static final VdpTlvType END = define(0, "end");
    public static final VdpTlvType PRE_ASSOCIATE = define(1, "pre-associate");
    public static final VdpTlvType PRE_ASSOCIATE_RR = define(2, "pre-associate-rr");
    public static final VdpTlvType ASSOCIATE = define(3, "associate");
    public static final VdpTlvType DE_ASSOCIATE = define(4, "de-associate");
    public static final VdpTlvType MANAGER_ID = define(5, "manager-id");
    public static final VdpTlvType ORGANIZATIONAL = define(127, "org");

    static {
        for (int i = 0; i < 128; i++) {
            if (VALUES[i] == null) {
                define(i, "unknown-" + i);
            }
        }
    }

    private final int value;
    private final String name;

    private VdpTlvType(int value, String name) {
        this.value = value;
        this.name = name;
    }

    private static VdpTlvType define(int value, String name) {
        VdpTlvType t = new VdpTlvType(value, name);
        VALUES[value] = t;
        return t;
    }

    public static VdpTlvType valueOf(int value) {
        if (value < 0 || value > 127) {
            throw new IllegalArgumentException("VDP TLV types are 7 bits: " + value);
        }
        return VALUES[value];
    }

    public int value() {
        return value;
    }

    /** The name used in text and JSON output, e.g. {@code pre-associate-rr}. */
    public String name() {
        return name;
    }

    /** Types 1..4: Pre-Associate, Pre-Associate with RR, Associate, De-Associate. */
    public boolean isAssociation() {
        return value >= 1 && value <= 4;
    }

    @Override
    public String toString() {
        return name;
    }
}
