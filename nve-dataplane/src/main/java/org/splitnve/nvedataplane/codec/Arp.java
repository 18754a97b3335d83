package org.splitnve.nvedataplane.codec;

import java.nio.ByteBuffer;

/** ARP for IPv4 over Ethernet (RFC 826), the only kind the data plane reads or answers. */
public final class Arp {

    public static final int LENGTH = 28;
    public static final int REQUEST = 1;
    public static final int REPLY = 2;

    private Arp() {
    }

    /** Null for an Ethernet/IPv4 request or reply of at least 28 octets. */
    public static Malformation validate(ByteBuffer b, int off, int len) {
        if (len < LENGTH) {
            return Malformation.TRUNCATED;
        }
        if (b.getShort(off) != 1 || (b.getShort(off + 2) & 0xFFFF) != EtherType.IPV4 || b.get(off + 4) != 6
                || b.get(off + 5) != 4) {
            return Malformation.BAD_ARP;
        }
        int op = operation(b, off);
        return op == REQUEST || op == REPLY ? null : Malformation.BAD_ARP;
    }

    public static void check(ByteBuffer b, int off, int len) throws MalformedPacketException {
        MalformedPacketException.check(validate(b, off, len), b, off, len);
    }

    public static int operation(ByteBuffer b, int off) {
        return b.getShort(off + 6) & 0xFFFF;
    }

    public static long senderMac(ByteBuffer b, int off) {
        return Ethernet.mac(b, off + 8);
    }

    public static int senderIp(ByteBuffer b, int off) {
        return b.getInt(off + 14);
    }

    public static long targetMac(ByteBuffer b, int off) {
        return Ethernet.mac(b, off + 18);
    }

    public static int targetIp(ByteBuffer b, int off) {
        return b.getInt(off + 24);
    }

    /** @return the offset after the message */
    public static int write(ByteBuffer b, int off, int op, long senderMac, int senderIp, long targetMac, int targetIp) {
        b.putShort(off, (short) 1);
        b.putShort(off + 2, (short) EtherType.IPV4);
        b.put(off + 4, (byte) 6);
        b.put(off + 5, (byte) 4);
        b.putShort(off + 6, (short) op);
        Ethernet.putMac(b, off + 8, senderMac);
        b.putInt(off + 14, senderIp);
        Ethernet.putMac(b, off + 18, targetMac);
        b.putInt(off + 24, targetIp);
        return off + LENGTH;
    }
}
