package org.splitnve.nvedataplane.codec;

import java.nio.ByteBuffer;

/**
 * VXLAN (RFC 7348 section 5): flags octet with the I bit (0x08), 3 reserved octets, 24-bit VNI, 1
 * reserved octet. Reserved bits are written 0 and ignored on receipt, as the RFC says.
 */
public final class Vxlan implements Encapsulation {

    public static final int HEADER = 8;
    public static final int FLAG_I = 0x08;

    static final Vxlan INSTANCE = new Vxlan();

    private Vxlan() {
    }

    @Override
    public String name() {
        return "vxlan";
    }

    @Override
    public int udpPort() {
        return UdpPort.VXLAN;
    }

    @Override
    public int headerLength() {
        return HEADER;
    }

    @Override
    public void write(ByteBuffer b, int off, int vni) {
        b.putLong(off, (long) FLAG_I << 56 | (vni & 0xFFFFFFL) << 8);
    }

    @Override
    public Malformation validate(ByteBuffer b, int off, int len) {
        if (len < HEADER) {
            return Malformation.TRUNCATED;
        }
        if ((b.get(off) & FLAG_I) == 0) {
            return Malformation.BAD_FLAGS;
        }
        return null;
    }

    @Override
    public int vni(ByteBuffer b, int off) {
        // Unsigned shift: a signed one turns VNIs from 0x800000 up negative (ONOS had that bug).
        return b.getInt(off + 4) >>> 8;
    }

    @Override
    public int length(ByteBuffer b, int off) {
        return HEADER;
    }

    @Override
    public String toString() {
        return "VXLAN";
    }
}
