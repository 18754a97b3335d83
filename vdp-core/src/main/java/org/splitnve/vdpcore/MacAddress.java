package org.splitnve.vdpcore;

import java.nio.ByteBuffer;

/**
 * A 48-bit IEEE MAC address. Kept as a {@code long} so that building and comparing addresses on
 * the hot path allocates nothing beyond this object.
 */
public final class MacAddress implements Comparable<MacAddress> {

    /** The nearest-customer-bridge group address that ECP and LLDP use by default. */
    public static final MacAddress NEAREST_CUSTOMER_BRIDGE = new MacAddress(0x0180C2000000L);
    /** The nearest-bridge group address (LLDP). */
    public static final MacAddress NEAREST_BRIDGE = new MacAddress(0x0180C200000EL);
    public static final MacAddress BROADCAST = new MacAddress(0xFFFFFFFFFFFFL);
    public static final MacAddress ZERO = new MacAddress(0L);

    private static final long MASK = 0xFFFFFFFFFFFFL;
    private final long bits;

    private MacAddress(long bits) {
        this.bits = bits;
    }

    /** The address whose 48 low-order bits are {@code bits}. */
    public static MacAddress valueOf(long bits) {
        if ((bits & ~MASK) != 0) {
            throw new IllegalArgumentException("MAC address has more than 48 bits: 0x" + Long.toHexString(bits));
        }
        return new MacAddress(bits);
    }

    /** Parses {@code aa:bb:cc:dd:ee:ff} or {@code aa-bb-cc-dd-ee-ff}, any case. */
    public static MacAddress valueOf(String text) {
        String t = text.trim();
        if (t.length() != 17) {
            throw new IllegalArgumentException("not a MAC address: '" + text + "'");
        }
        char sep = t.charAt(2);
        if (sep != ':' && sep != '-') {
            throw new IllegalArgumentException("not a MAC address: '" + text + "'");
        }
        long v = 0;
        for (int i = 0; i < 6; i++) {
            int at = i * 3;
            if (i > 0 && t.charAt(at - 1) != sep) {
                throw new IllegalArgumentException("not a MAC address: '" + text + "'");
            }
            int hi = HexDump.digit(t.charAt(at));
            int lo = HexDump.digit(t.charAt(at + 1));
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("not a MAC address: '" + text + "'");
            }
            v = (v << 8) | (hi << 4) | lo;
        }
        return new MacAddress(v);
    }

    public static MacAddress valueOf(byte[] six) {
        if (six.length != 6) {
            throw new IllegalArgumentException("a MAC address has 6 octets, not " + six.length);
        }
        return read(ByteBuffer.wrap(six), 0);
    }

    /** Reads six octets at absolute index {@code at}; the caller has checked the bounds. */
    public static MacAddress read(ByteBuffer buf, int at) {
        long v = ((long) (buf.getShort(at) & 0xFFFF) << 32) | (buf.getInt(at + 2) & 0xFFFFFFFFL);
        return new MacAddress(v);
    }

    /** Writes six octets at the buffer's position and advances it. */
    public void writeTo(ByteBuffer buf) {
        buf.putShort((short) (bits >>> 32));
        buf.putInt((int) bits);
    }

    public long toLong() {
        return bits;
    }

    public byte[] toBytes() {
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) (bits >>> (40 - 8 * i));
        }
        return b;
    }

    /** The I/G bit: set for group (multicast and broadcast) addresses. */
    public boolean isMulticast() {
        return (bits & 0x010000000000L) != 0;
    }

    public boolean isBroadcast() {
        return bits == MASK;
    }

    public boolean isZero() {
        return bits == 0;
    }

    /** A unicast, non-zero address: what a VSI may use as its own. */
    public boolean isUsableUnicast() {
        return bits != 0 && !isMulticast();
    }

    @Override
    public int compareTo(MacAddress o) {
        return Long.compare(bits, o.bits);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MacAddress m && m.bits == bits;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(bits);
    }

    /** Lower-case {@code aa:bb:cc:dd:ee:ff}. */
    @Override
    public String toString() {
        return appendTo(new StringBuilder(17)).toString();
    }

    /**
     * Appends the {@link #toString()} text without an intermediate string: decoders of whole
     * captures print two addresses per frame.
     */
    public StringBuilder appendTo(StringBuilder sb) {
        for (int i = 0; i < 6; i++) {
            if (i > 0) {
                sb.append(':');
            }
            int b = (int) (bits >>> (40 - 8 * i)) & 0xFF;
            sb.append(HEX[b >>> 4]).append(HEX[b & 0xF]);
        }
        return sb;
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();
}
