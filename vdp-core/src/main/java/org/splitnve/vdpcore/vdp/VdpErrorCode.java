package org.splitnve.vdpcore.vdp;

/** The 4-bit error field of a VDP response status (802.1Q 41.2.3). */
public final class VdpErrorCode {

    private static final VdpErrorCode[] VALUES = new VdpErrorCode[16];

    public static final VdpErrorCode SUCCESS = define(0, "success");
    public static final VdpErrorCode INVALID_FORMAT = define(1, "invalid format");
    public static final VdpErrorCode INSUFFICIENT_RESOURCES = define(2, "insufficient resources");
    public static final VdpErrorCode UNABLE_TO_CONTACT_VSI_MANAGER = define(3, "unable to contact VSI manager");
    public static final VdpErrorCode OTHER_FAILURE = define(4, "other failure");
    public static final VdpErrorCode INVALID_VID_GROUPID_OR_MAC = define(5, "invalid VID, GroupID or MAC address");

    static {
        for (int i = 6; i < 16; i++) {
            define(i, "reserved");
        }
    }

    private final int value;
    private final String name;

    private VdpErrorCode(int value, String name) {
        this.value = value;
        this.name = name;
    }

    private static VdpErrorCode define(int value, String name) {
        VdpErrorCode c = new VdpErrorCode(value, name);
        VALUES[value] = c;
        return c;
    }

    /** The code for a 4-bit value; every value 0..15 has one. */
    public static VdpErrorCode valueOf(int value) {
        if (value < 0 || value > 15) {
            throw new IllegalArgumentException("VDP error codes are 4 bits: " + value);
        }
        return VALUES[value];
    }

    public int value() {
        return value;
    }

    public String name() {
        return name;
    }

    public boolean isSuccess() {
        return value == 0;
    }

    @Override
    public String toString() {
        return value + " (" + name + ")";
    }
}
