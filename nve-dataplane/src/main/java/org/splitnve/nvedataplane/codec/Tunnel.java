package org.splitnve.nvedataplane.codec;

import java.nio.ByteBuffer;

/**
 * Whole tunnel packets: outer Ethernet, IPv4 or IPv6, UDP, the encapsulation header, the inner
 * Ethernet frame. Encapsulation writes into the caller's buffer; decapsulation fills a reusable
 * {@link Decoded}, so neither allocates.
 */
public final class Tunnel {

    /** Outer octets before the inner frame over IPv4, without options. */
    public static final int OVERHEAD_V4 = Ethernet.HEADER + Ipv4.HEADER + Udp.HEADER + 8;
    public static final int OVERHEAD_V6 = Ethernet.HEADER + Ipv6.HEADER + Udp.HEADER + 8;

    private Tunnel() {
    }

    /**
     * Writes {@code inLen} octets of the inner frame at {@code inOff}, without its 802.1Q tag when
     * {@code stripTag}, into {@code out} behind IPv4/UDP/{@code enc} headers. UDP checksum 0 (RFC
     * 7348 5 allows it over IPv4; the inner frame has its own FCS-equivalent checks).
     *
     * @return the outer frame's length
     */
    public static int encapsulateV4(ByteBuffer in, int inOff, int inLen, boolean stripTag, ByteBuffer out, int outOff,
                                    long dstMac, long srcMac, int srcIp, int dstIp, Encapsulation enc, int vni, int ipId, int ttl) {
        int sport = FlowHash.sourcePort(in, inOff, inLen);
        int inner = outOff + Ethernet.HEADER + Ipv4.HEADER + Udp.HEADER + enc.headerLength();
        int innerLen = stripTag ? Ethernet.popTag(in, inOff, inLen, out, inner) : copy(in, inOff, inLen, out, inner);
        int udpLen = Udp.HEADER + enc.headerLength() + innerLen;
        int ip = Ethernet.writeHeader(out, outOff, dstMac, srcMac, EtherType.IPV4);
        int udp = Ipv4.write(out, ip, udpLen, ipId, ttl, IpProtocol.UDP, srcIp, dstIp);
        int h = Udp.write(out, udp, sport, enc.udpPort(), udpLen);
        enc.write(out, h, vni);
        return Ethernet.HEADER + Ipv4.HEADER + udpLen;
    }

    /** As {@link #encapsulateV4} over IPv6, with the mandatory UDP checksum. */
    public static int encapsulateV6(ByteBuffer in, int inOff, int inLen, boolean stripTag, ByteBuffer out, int outOff,
                                    long dstMac, long srcMac, long srcHigh, long srcLow, long dstHigh, long dstLow,
                                    Encapsulation enc, int vni, int hopLimit) {
        int sport = FlowHash.sourcePort(in, inOff, inLen);
        int inner = outOff + Ethernet.HEADER + Ipv6.HEADER + Udp.HEADER + enc.headerLength();
        int innerLen = stripTag ? Ethernet.popTag(in, inOff, inLen, out, inner) : copy(in, inOff, inLen, out, inner);
        int udpLen = Udp.HEADER + enc.headerLength() + innerLen;
        int ip = Ethernet.writeHeader(out, outOff, dstMac, srcMac, EtherType.IPV6);
        // The flow label carries the same entropy as the source port (RFC 6438).
        int udp = Ipv6.write(out, ip, udpLen, IpProtocol.UDP, hopLimit, sport, srcHigh, srcLow, dstHigh, dstLow);
        int h = Udp.write(out, udp, sport, enc.udpPort(), udpLen);
        enc.write(out, h, vni);
        Udp.fillChecksumIpv6(out, ip, udp);
        return Ethernet.HEADER + Ipv6.HEADER + udpLen;
    }

    private static int copy(ByteBuffer in, int inOff, int inLen, ByteBuffer out, int outOff) {
        out.put(outOff, in, inOff, inLen);
        return inLen;
    }

    /**
     * Parses an outer frame of {@code len} octets at {@code off}. Returns a malformation for bad
     * bytes; otherwise {@code out} says what it is: {@link Decoded#tunnel} is true only for a UDP
     * datagram to {@code enc}'s port whose header {@code enc} accepts and whose inner frame has at
     * least an Ethernet header.
     */
    public static Malformation decapsulate(ByteBuffer b, int off, int len, Encapsulation enc, boolean acceptZeroUdp6Checksum,
                                           Decoded out) {
        return decapsulate(b, off, len, enc, acceptZeroUdp6Checksum, true, out);
    }

    /**
     * As {@link #decapsulate(ByteBuffer, int, int, Encapsulation, boolean, Decoded)}, with the UDP
     * checksum verified only when {@code verifyUdpChecksum}. RFC 7348 section 5 lets a tunnel
     * endpoint accept a datagram without checking it, and a capture on a port whose sender offloads
     * checksums (veth, most NICs on transmit) sees only the partial pseudo-header sum there.
     */
    public static Malformation decapsulate(ByteBuffer b, int off, int len, Encapsulation enc, boolean acceptZeroUdp6Checksum,
                                           boolean verifyUdpChecksum, Decoded out) {
        out.clear();
        if (len < Ethernet.HEADER) {
            return Malformation.TRUNCATED;
        }
        out.etherType = Ethernet.outerType(b, off);
        int ip = off + Ethernet.HEADER;
        int ipLen = len - Ethernet.HEADER;
        int udp;
        int udpRoom;
        if (out.etherType == EtherType.IPV4) {
            Malformation m = Ipv4.validate(b, ip, ipLen);
            if (m != null) {
                return m;
            }
            out.protocol = Ipv4.protocol(b, ip);
            out.srcIp4 = Ipv4.source(b, ip);
            out.dstIp4 = Ipv4.destination(b, ip);
            int hl = Ipv4.headerLength(b, ip);
            udp = ip + hl;
            udpRoom = Ipv4.totalLength(b, ip) - hl;
        } else if (out.etherType == EtherType.IPV6) {
            Malformation m = Ipv6.validate(b, ip, ipLen);
            if (m != null) {
                return m;
            }
            out.ipv6 = true;
            out.protocol = Ipv6.nextHeader(b, ip);
            out.srcHigh = Ipv6.sourceHigh(b, ip);
            out.srcLow = Ipv6.sourceLow(b, ip);
            out.dstHigh = Ipv6.destinationHigh(b, ip);
            out.dstLow = Ipv6.destinationLow(b, ip);
            udp = ip + Ipv6.HEADER;
            udpRoom = Ipv6.payloadLength(b, ip);
        } else {
            return null;
        }
        if (out.protocol != IpProtocol.UDP) {
            return null;
        }
        if (udpRoom < Udp.HEADER) {
            return Malformation.TRUNCATED;
        }
        // The UDP header in one read: source port, destination port, length, checksum (Udp.validate's checks).
        long u = b.getLong(udp);
        int udpLength = (int) (u >>> 16) & 0xFFFF;
        if (udpLength < Udp.HEADER) {
            return Malformation.BAD_UDP_LENGTH;
        }
        if (udpLength > udpRoom) {
            return Malformation.TRUNCATED;
        }
        out.udpDstPort = (int) (u >>> 32) & 0xFFFF;
        out.udpSrcPort = (int) (u >>> 48);
        if (out.udpDstPort != enc.udpPort()) {
            return null;
        }
        if (!verifyUdpChecksum) {
            // not checked: see the method's comment
        } else if (out.ipv6) {
            if ((u & 0xFFFF) == 0) {
                if (!acceptZeroUdp6Checksum) {
                    return Malformation.ZERO_UDP_CHECKSUM;
                }
            } else if (!Udp.verifyIpv6(b, ip, udp)) {
                return Malformation.BAD_UDP_CHECKSUM;
            }
        } else if (!Udp.verifyIpv4(b, ip, udp)) {
            return Malformation.BAD_UDP_CHECKSUM;
        }
        int h = udp + Udp.HEADER;
        int hRoom = udpLength - Udp.HEADER;
        Malformation m = enc.validate(b, h, hRoom);
        if (m != null) {
            return m;
        }
        int hl = enc.length(b, h);
        if (hRoom - hl < Ethernet.HEADER) {
            return Malformation.TRUNCATED;
        }
        out.vni = enc.vni(b, h);
        out.innerOffset = h + hl;
        out.innerLength = hRoom - hl;
        out.tunnel = true;
        return null;
    }

    /** Throwing form of {@link #decapsulate}, for tools and tests; non-tunnel packets are refused. */
    public static Decoded decode(ByteBuffer b, int off, int len, Encapsulation enc) throws MalformedPacketException {
        Decoded d = new Decoded();
        MalformedPacketException.check(decapsulate(b, off, len, enc, false, d), b, off, len);
        return d;
    }

    /** What {@link #decapsulate} found; reused per thread, so read it before the next call. */
    public static final class Decoded {
        public int etherType;
        public boolean ipv6;
        public int protocol = -1;
        public int srcIp4;
        public int dstIp4;
        public long srcHigh;
        public long srcLow;
        public long dstHigh;
        public long dstLow;
        public int udpSrcPort = -1;
        public int udpDstPort = -1;
        public boolean tunnel;
        public int vni = -1;
        public int innerOffset;
        public int innerLength;

        void clear() {
            etherType = 0;
            ipv6 = false;
            protocol = -1;
            srcIp4 = 0;
            dstIp4 = 0;
            srcHigh = 0;
            srcLow = 0;
            dstHigh = 0;
            dstLow = 0;
            udpSrcPort = -1;
            udpDstPort = -1;
            tunnel = false;
            vni = -1;
            innerOffset = 0;
            innerLength = 0;
        }
    }
}
