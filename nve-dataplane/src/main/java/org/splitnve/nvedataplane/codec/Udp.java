package org.splitnve.nvedataplane.codec;

import java.nio.ByteBuffer;

/** UDP headers (RFC 768) and their checksums over IPv4 (optional) and IPv6 (mandatory, RFC 8200 8.1). */
public final class Udp {

    public static final int HEADER = 8;

    private Udp() {
    }

    /** Null when {@code len} octets hold the header and the datagram its length field announces. */
    public static Malformation validate(ByteBuffer b, int off, int len) {
        if (len < HEADER) {
            return Malformation.TRUNCATED;
        }
        int ul = length(b, off);
        if (ul < HEADER) {
            return Malformation.BAD_UDP_LENGTH;
        }
        if (ul > len) {
            return Malformation.TRUNCATED;
        }
        return null;
    }

    public static void check(ByteBuffer b, int off, int len) throws MalformedPacketException {
        MalformedPacketException.check(validate(b, off, len), b, off, len);
    }

    public static int sourcePort(ByteBuffer b, int off) {
        return b.getShort(off) & 0xFFFF;
    }

    public static int destinationPort(ByteBuffer b, int off) {
        return b.getShort(off + 2) & 0xFFFF;
    }

    public static int length(ByteBuffer b, int off) {
        return b.getShort(off + 4) & 0xFFFF;
    }

    public static int checksum(ByteBuffer b, int off) {
        return b.getShort(off + 6) & 0xFFFF;
    }

    /** Writes the header with checksum 0 (allowed over IPv4, RFC 7348 5); returns the payload offset. */
    public static int write(ByteBuffer b, int off, int srcPort, int dstPort, int length) {
        b.putLong(off, (srcPort & 0xFFFFL) << 48 | (dstPort & 0xFFFFL) << 32 | (length & 0xFFFFL) << 16);
        return off + HEADER;
    }

    /** Fills in the checksum of a datagram (header and payload written) inside an IPv6 packet. */
    public static void fillChecksumIpv6(ByteBuffer b, int ip6Off, int off) {
        int len = length(b, off);
        b.putShort(off + 6, (short) 0);
        int c = Checksum.finish(Checksum.add(b, off, len, Checksum.ipv6PseudoHeader(b, ip6Off, len, IpProtocol.UDP)));
        // A computed 0 is sent as all ones: 0 means "no checksum", which IPv6 forbids.
        b.putShort(off + 6, (short) (c == 0 ? 0xFFFF : c));
    }

    /** Fills in the optional checksum of a datagram inside an IPv4 packet. */
    public static void fillChecksumIpv4(ByteBuffer b, int ip4Off, int off) {
        int len = length(b, off);
        b.putShort(off + 6, (short) 0);
        int c = Checksum.finish(Checksum.add(b, off, len, Checksum.ipv4PseudoHeader(b, ip4Off, len, IpProtocol.UDP)));
        b.putShort(off + 6, (short) (c == 0 ? 0xFFFF : c));
    }

    /** True when a non-zero checksum verifies; a zero checksum means "none" over IPv4. */
    public static boolean verifyIpv4(ByteBuffer b, int ip4Off, int off) {
        if (checksum(b, off) == 0) {
            return true;
        }
        int len = length(b, off);
        return Checksum.finish(Checksum.add(b, off, len, Checksum.ipv4PseudoHeader(b, ip4Off, len, IpProtocol.UDP))) == 0;
    }

    /** True when the checksum verifies; zero never verifies here (the caller decides about RFC 6935). */
    public static boolean verifyIpv6(ByteBuffer b, int ip6Off, int off) {
        if (checksum(b, off) == 0) {
            return false;
        }
        int len = length(b, off);
        return Checksum.finish(Checksum.add(b, off, len, Checksum.ipv6PseudoHeader(b, ip6Off, len, IpProtocol.UDP))) == 0;
    }
}
