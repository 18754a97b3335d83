package org.splitnve.vdpcore.lldp;

import java.util.Arrays;
import org.splitnve.vdpcore.HexDump;

/** A basic LLDP TLV that the library does not interpret (port description, system name, ...). */
public final class BasicTlv implements LldpTlv {

    private final int type;
    private final byte[] value;

    private BasicTlv(int type, byte[] value) {
        this.type = type;
        this.value = value;
    }

    /** Types 4..126; 0..3 and 127 have their own classes. */
    public static BasicTlv of(int type, byte[] value) {
        if (type < 4 || type > 126) {
            throw new IllegalArgumentException("a basic optional LLDP TLV has type 4..126, not " + type);
        }
        if (value.length > 511) {
            throw new IllegalArgumentException("an LLDP TLV value has at most 511 octets");
        }
        return new BasicTlv(type, value.clone());
    }

    @Override
    public int type() {
        return type;
    }

    public byte[] value() {
        return value.clone();
    }

    byte[] valueUnsafe() {
        return value;
    }

    @Override
    public int valueLength() {
        return value.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BasicTlv t && t.type == type && Arrays.equals(t.value, value);
    }

    @Override
    public int hashCode() {
        return type * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "tlv" + type + "[" + HexDump.hex(value) + "]";
    }
}
