package org.splitnve.nvedataplane.codec;

import java.nio.ByteBuffer;

/**
 * The outer UDP source port of a frame (RFC 7348 5: "a hash of fields from the inner packet"), so
 * that underlay ECMP keeps a flow on one path. Uses the L2 addresses and EtherType, the L3
 * addresses and protocol when IPv4/IPv6, and the L4 ports of unfragmented TCP/UDP/SCTP; anything
 * else (ARP, ICMP) hashes on what it has, so it is stable too.
 */
public final class FlowHash {

    private static final int RANGE = UdpPort.FLOW_MAX - UdpPort.FLOW_MIN + 1;

    private FlowHash() {
    }

    /** Hash of the (tagged or untagged) frame of {@code len} octets at {@code off}. */
    public static int hash(ByteBuffer b, int off, int len) {
        if (len < Ethernet.HEADER) {
            return 0;
        }
        long h = mix(0x9E3779B97F4A7C15L, Ethernet.destination(b, off));
        h = mix(h, Ethernet.source(b, off));
        int type = Ethernet.outerType(b, off);
        int p = off + Ethernet.HEADER;
        if (type == EtherType.VLAN && len >= Ethernet.TAGGED_HEADER) {
            // The tag is not part of the flow: the same flow leaves with or without it.
            type = b.getShort(off + 16) & 0xFFFF;
            p = off + Ethernet.TAGGED_HEADER;
        }
        h = mix(h, type);
        int end = off + len;
        if (type == EtherType.IPV4 && p + Ipv4.HEADER <= end) {
            int hl = (b.get(p) & 0x0F) * 4;
            int proto = Ipv4.protocol(b, p);
            h = mix(h, ((long) Ipv4.source(b, p) << 32) | (Ipv4.destination(b, p) & 0xFFFFFFFFL));
            h = mix(h, proto);
            if (IpProtocol.hasPorts(proto) && !Ipv4.isFragment(b, p) && hl >= Ipv4.HEADER && p + hl + 4 <= end) {
                h = mix(h, b.getInt(p + hl));
            }
        } else if (type == EtherType.IPV6 && p + Ipv6.HEADER <= end) {
            int nh = Ipv6.nextHeader(b, p);
            h = mix(h, Ipv6.sourceHigh(b, p));
            h = mix(h, Ipv6.sourceLow(b, p));
            h = mix(h, Ipv6.destinationHigh(b, p));
            h = mix(h, Ipv6.destinationLow(b, p));
            h = mix(h, nh);
            if (IpProtocol.hasPorts(nh) && p + Ipv6.HEADER + 4 <= end) {
                h = mix(h, b.getInt(p + Ipv6.HEADER));
            }
        }
        return (int) (h ^ (h >>> 32));
    }

    /** The outer source port: 49152..65535. */
    public static int sourcePort(ByteBuffer b, int off, int len) {
        return UdpPort.FLOW_MIN + Math.floorMod(hash(b, off, len), RANGE);
    }

    private static long mix(long h, long v) {
        long x = (h ^ v) * 0xBF58476D1CE4E5B9L;
        x ^= x >>> 31;
        return x * 0x94D049BB133111EBL ^ (x >>> 29);
    }
}
