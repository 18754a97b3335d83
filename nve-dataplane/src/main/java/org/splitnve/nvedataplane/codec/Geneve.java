package org.splitnve.nvedataplane.codec;

import java.nio.ByteBuffer;

/**
 * Geneve (RFC 8926 section 3.4) with an Ethernet payload (protocol type 0x6558). This end writes
 * no options; on receipt it skips non-critical options, and refuses control (O bit) frames and
 * frames with critical options (C bit), which it cannot understand (RFC 8926 3.5.1).
 */
public final class Geneve implements Encapsulation {

    public static final int HEADER = 8;

    static final Geneve INSTANCE = new Geneve();

    private Geneve() {
    }

    @Override
    public String name() {
        return "geneve";
    }

    @Override
    public int udpPort() {
        return UdpPort.GENEVE;
    }

    @Override
    public int headerLength() {
        return HEADER;
    }

    @Override
    public void write(ByteBuffer b, int off, int vni) {
        b.putShort(off, (short) 0);
        b.putShort(off + 2, (short) EtherType.TRANSPARENT_ETHERNET);
        b.putInt(off + 4, (vni & 0xFFFFFF) << 8);
    }

    @Override
    public Malformation validate(ByteBuffer b, int off, int len) {
        if (len < HEADER) {
            return Malformation.TRUNCATED;
        }
        int b0 = b.get(off) & 0xFF;
        int b1 = b.get(off + 1) & 0xFF;
        if (b0 >>> 6 != 0) {
            return Malformation.BAD_FLAGS;
        }
        if (HEADER + (b0 & 0x3F) * 4 > len) {
            return Malformation.TRUNCATED;
        }
        if ((b1 & 0x80) != 0) {
            return Malformation.OAM;
        }
        if ((b1 & 0x40) != 0) {
            return Malformation.CRITICAL_OPTION;
        }
        if ((b.getShort(off + 2) & 0xFFFF) != EtherType.TRANSPARENT_ETHERNET) {
            return Malformation.BAD_PROTOCOL_TYPE;
        }
        return null;
    }

    @Override
    public int vni(ByteBuffer b, int off) {
        return b.getInt(off + 4) >>> 8;
    }

    @Override
    public int length(ByteBuffer b, int off) {
        return HEADER + (b.get(off) & 0x3F) * 4;
    }

    @Override
    public String toString() {
        return "Geneve";
    }
}
