package org.splitnve.nvedataplane.codec;

import java.nio.ByteBuffer;

/**
 * The outer UDP source port of a frame (RFC 7348 5: "a hash of fields from the inner packet"), so
 * that underlay ECMP keeps a flow on one path. Uses the L2 addresses and EtherType, the L3
 * addresses and protocol when IPv4/IPv6, and the L4 ports of unfragmented TCP/UDP/SCTP; anything
 * else (ARP, ICMP) hashes on what it has, so it is stable too.
 *
 * <p>Each field is multiplied by its own odd constant and the products summed, one avalanche at the end: the
 * multiplications do not wait for each other, which made the hash a quarter of the cost of encapsulating a short
 * frame when every field went through a full mix in turn.
 */
public final class FlowHash {

    private static final int RANGE = UdpPort.FLOW_MAX - UdpPort.FLOW_MIN + 1;
    // Odd constants, one per field (the golden ratio's and other well-spread 64-bit multipliers).
    private static final long K0 = 0x9E3779B97F4A7C15L;
    private static final long K1 = 0xC2B2AE3D27D4EB4FL;
    private static final long K2 = 0x165667B19E3779F9L;
    private static final long K3 = 0xD6E8FEB86659FD93L;
    private static final long K4 = 0xFF51AFD7ED558CCDL;
    private static final long K5 = 0xC4CEB9FE1A85EC53L;
    private static final long K6 = 0x9FB21C651E98DF25L;
    private static final long K7 = 0xAEF17502108EF2D9L;
    private static final long K8 = 0xDB4F0B9175AE2165L;

    static {
        if (Integer.bitCount(RANGE) != 1) {
            throw new ExceptionInInitializerError("the flow port range must be a power of two, not " + RANGE);
        }
    }

    private FlowHash() {
    }

    /** Hash of the (tagged or untagged) frame of {@code len} octets at {@code off}. */
    public static int hash(ByteBuffer b, int off, int len) {
        if (len < Ethernet.HEADER) {
            return 0;
        }
        // Destination, source, in two words: the first six octets and two of the source, then its last four.
        long h = b.getLong(off) * K0 + (b.getInt(off + 8) & 0xFFFFFFFFL) * K1;
        int type = Ethernet.outerType(b, off);
        int p = off + Ethernet.HEADER;
        if (type == EtherType.VLAN && len >= Ethernet.TAGGED_HEADER) {
            // The tag is not part of the flow: the same flow leaves with or without it.
            type = b.getShort(off + 16) & 0xFFFF;
            p = off + Ethernet.TAGGED_HEADER;
        }
        h += type * K2;
        int end = off + len;
        if (type == EtherType.IPV4 && p + Ipv4.HEADER <= end) {
            int hl = (b.get(p) & 0x0F) * 4;
            int proto = Ipv4.protocol(b, p);
            // Source and destination address, as one word.
            h += b.getLong(p + 12) * K3 + proto * K4;
            if (IpProtocol.hasPorts(proto) && !Ipv4.isFragment(b, p) && hl >= Ipv4.HEADER && p + hl + 4 <= end) {
                h += (b.getInt(p + hl) & 0xFFFFFFFFL) * K5;
            }
        } else if (type == EtherType.IPV6 && p + Ipv6.HEADER <= end) {
            int nh = Ipv6.nextHeader(b, p);
            h += Ipv6.sourceHigh(b, p) * K3 + Ipv6.sourceLow(b, p) * K6 + Ipv6.destinationHigh(b, p) * K7
                    + Ipv6.destinationLow(b, p) * K8 + nh * K4;
            if (IpProtocol.hasPorts(nh) && p + Ipv6.HEADER + 4 <= end) {
                h += (b.getInt(p + Ipv6.HEADER) & 0xFFFFFFFFL) * K5;
            }
        }
        h = mix(h);
        return (int) (h ^ (h >>> 32));
    }

    /** The outer source port: 49152..65535. */
    public static int sourcePort(ByteBuffer b, int off, int len) {
        // The range is a power of two: its low bits, without a division.
        return UdpPort.FLOW_MIN + (hash(b, off, len) & (RANGE - 1));
    }

    /** SplitMix64's finaliser: every input bit reaches every output bit. */
    private static long mix(long h) {
        long x = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
        x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
        return x ^ (x >>> 31);
    }
}
