package org.splitnve.vdpcore.lldp;

/** The 2-bit EVB mode of the EVB TLV: 1 bridge, 2 station; 0 and 3 are not defined. */
public final class EvbMode {

    private static final EvbMode[] VALUES = {
        new EvbMode(0, "reserved-0"), new EvbMode(1, "bridge"), new EvbMode(2, "station"), new EvbMode(3, "reserved-3")};

    public static final EvbMode BRIDGE = VALUES[1];
    public static final EvbMode STATION = VALUES[2];

    private final int value;
    private final String name;

    private EvbMode(int value, String name) {
        this.value = value;
        this.name = name;
    }

    public static EvbMode valueOf(int value) {
        if (value < 0 || value > 3) {
            throw new IllegalArgumentException("the EVB mode is 2 bits: " + value);
        }
        return VALUES[value];
    }

    public int value() {
        return value;
    }

    /** "bridge" or "station" (JSON output), or reserved-N. */
    public String name() {
        return name;
    }

    public boolean isDefined() {
        return value == 1 || value == 2;
    }

    @Override
    public String toString() {
        return name;
    }
}
