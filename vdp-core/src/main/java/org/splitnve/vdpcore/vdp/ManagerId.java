package org.splitnve.vdpcore.vdp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.splitnve.vdpcore.HexDump;

/**
 * The 16-octet VSI Manager ID (802.1Q 41.2.5). libvirt's {@code managerid} and lldpad's
 * {@code mgrid2} name it by a short string; {@link #ofName} maps such a name the way lldpad does
 * (ASCII, left-justified, zero-filled), so ours and theirs agree on the wire.
 */
public final class ManagerId {

    public static final int LENGTH = 16;

    private final long hi;
    private final long lo;

    private ManagerId(long hi, long lo) {
        this.hi = hi;
        this.lo = lo;
    }

    public static ManagerId of(long hi, long lo) {
        return new ManagerId(hi, lo);
    }

    public static ManagerId of(byte[] sixteen) {
        if (sixteen.length != LENGTH) {
            throw new IllegalArgumentException("a Manager ID has 16 octets, not " + sixteen.length);
        }
        ByteBuffer b = ByteBuffer.wrap(sixteen);
        return new ManagerId(b.getLong(), b.getLong());
    }

    /** Reads 16 octets at absolute index {@code at}; the caller has checked the bounds. */
    public static ManagerId read(ByteBuffer buf, int at) {
        return new ManagerId(buf.getLong(at), buf.getLong(at + 8));
    }

    /** An ID from a name of at most 16 ASCII characters, zero-filled as lldpad's {@code mgrid2}. */
    public static ManagerId ofName(String name) {
        byte[] b = name.getBytes(StandardCharsets.US_ASCII);
        if (b.length > LENGTH || !StandardCharsets.US_ASCII.newEncoder().canEncode(name)) {
            throw new IllegalArgumentException("a Manager ID name has at most 16 ASCII characters: '" + name + "'");
        }
        byte[] out = new byte[LENGTH];
        System.arraycopy(b, 0, out, 0, b.length);
        return of(out);
    }

    /**
     * The name this ID was made from by {@link #ofName} (printable ASCII, left-justified,
     * zero-filled, as lldpad's {@code mgrid2}), or {@code null} when it is not of that form.
     */
    public String name() {
        byte[] b = toBytes();
        int n = 0;
        while (n < b.length && b[n] != 0) {
            if (b[n] < 0x20 || b[n] > 0x7E) {
                return null;
            }
            n++;
        }
        if (n == 0) {
            return null;
        }
        for (int i = n; i < b.length; i++) {
            if (b[i] != 0) {
                return null;
            }
        }
        return new String(b, 0, n, StandardCharsets.US_ASCII);
    }

    /** libvirt's {@code managerid}: a number 0..255, carried in the last octet. */
    public static ManagerId ofNumber(int id) {
        if (id < 0 || id > 255) {
            throw new IllegalArgumentException("a libvirt managerid is 0..255: " + id);
        }
        return new ManagerId(0, id);
    }

    /** Parses 32 hex digits. */
    public static ManagerId ofHex(String hex) {
        return of(HexDump.parse(hex));
    }

    public void writeTo(ByteBuffer buf) {
        buf.putLong(hi).putLong(lo);
    }

    public byte[] toBytes() {
        return ByteBuffer.allocate(LENGTH).putLong(hi).putLong(lo).array();
    }

    /** 32 lower-case hex digits. */
    public String toHex() {
        return HexDump.hex(toBytes());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ManagerId m && m.hi == hi && m.lo == lo;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(hi) * 31 + Long.hashCode(lo);
    }

    @Override
    public String toString() {
        return toHex();
    }
}
