package org.splitnve.nvedataplane;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.splitnve.nnve.TsiKey;
import org.splitnve.nnve.TsiView;
import org.splitnve.nvedataplane.codec.Arp;
import org.splitnve.nvedataplane.codec.EtherType;
import org.splitnve.nvedataplane.codec.Ethernet;
import org.splitnve.nvedataplane.codec.IpProtocol;
import org.splitnve.nvedataplane.codec.Ipv4;
import org.splitnve.nvedataplane.codec.Ipv6;
import org.splitnve.nvedataplane.codec.Neighbor;
import org.splitnve.nvedataplane.codec.Udp;
import org.splitnve.nvedataplane.port.DataPort;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.FilterEntry;
import org.splitnve.vdpcore.vdp.FilterFormat;
import org.splitnve.vdpcore.vdp.FilterInfo;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.ManagerId;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VnId;
import org.splitnve.vdpcore.vdp.VsiId;

/** Frames and TSI views for data plane tests. */
public final class TestFrames {

    private TestFrames() {
    }

    /** A TSI view as the nNVE would report it, built directly (no VDP exchange). */
    public static TsiView tsi(String port, int vni, int vid, MacAddress mac, TsiState state, InetAddress... ips) {
        List<FilterEntry> entries = new ArrayList<>();
        if (ips.length == 0) {
            entries.add(FilterEntry.builder().vn(vni).mac(mac).vid(vid).build());
        } else {
            for (InetAddress ip : ips) {
                entries.add(FilterEntry.builder().vn(vni).mac(mac).ip(ip).vid(vid).build());
            }
        }
        FilterInfo filter = FilterInfo.of(ips.length == 0 ? FilterFormat.GROUPID_MAC_VID : FilterFormat.GROUPID_MAC_IP_VID, entries);
        return new TsiView(new TsiKey(port, MacAddress.valueOf(0x020000000001L), VsiId.of(mac)), ManagerId.ofNumber(1), 4711, 1,
                VnId.of(vni), new LocalTag(vid), state, filter, false, 0);
    }

    public static TsiView active(String port, int vni, int vid, MacAddress mac, InetAddress... ips) {
        return tsi(port, vni, vid, mac, TsiState.ACTIVATED, ips);
    }

    public static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static int v4(String literal) {
        return ByteBuffer.wrap(ip(literal).getAddress()).getInt();
    }

    /** A tagged IPv4/UDP frame of exactly {@code length} octets (at least 64). */
    public static ByteBuffer udp4(long dst, long src, int vid, int srcIp, int dstIp, int sport, int dport, int length) {
        ByteBuffer b = ByteBuffer.allocate(length);
        int ip = Ethernet.writeTaggedHeader(b, 0, dst, src, vid, EtherType.IPV4);
        int payload = length - Ethernet.TAGGED_HEADER - Ipv4.HEADER;
        int udp = Ipv4.write(b, ip, payload, 1, 64, IpProtocol.UDP, srcIp, dstIp);
        Udp.write(b, udp, sport, dport, payload);
        for (int i = udp + Udp.HEADER; i < length; i++) {
            b.put(i, (byte) (i * 7));
        }
        return b;
    }

    /** An untagged IPv6/UDP frame of exactly {@code length} octets (at least 62). */
    public static ByteBuffer udp6(long dst, long src, long srcHigh, long srcLow, long dstHigh, long dstLow, int length) {
        ByteBuffer b = ByteBuffer.allocate(length);
        int ip = Ethernet.writeHeader(b, 0, dst, src, EtherType.IPV6);
        int payload = length - Ethernet.HEADER - Ipv6.HEADER;
        int udp = Ipv6.write(b, ip, payload, IpProtocol.UDP, 64, 0, srcHigh, srcLow, dstHigh, dstLow);
        Udp.write(b, udp, 1234, 5678, payload);
        for (int i = udp + Udp.HEADER; i < length; i++) {
            b.put(i, (byte) (i * 13));
        }
        Udp.fillChecksumIpv6(b, ip, udp);
        return b;
    }

    public static ByteBuffer arpRequest(int vid, long src, int spa, int tpa) {
        ByteBuffer b = ByteBuffer.allocate(64);
        int a = Ethernet.writeTaggedHeader(b, 0, Ethernet.BROADCAST, src, vid, EtherType.ARP);
        Arp.write(b, a, Arp.REQUEST, src, spa, 0, tpa);
        return b;
    }

    /** An untagged ARP packet on the underlay, from {@code senderMac}. */
    public static ByteBuffer underlayArp(int operation, long dst, long senderMac, int senderIp, long targetMac, int targetIp) {
        ByteBuffer b = ByteBuffer.allocate(Ethernet.MIN_FRAME);
        int a = Ethernet.writeHeader(b, 0, dst, senderMac, EtherType.ARP);
        Arp.write(b, a, operation, senderMac, senderIp, targetMac, targetIp);
        return b;
    }

    /**
     * A neighbour solicitation or advertisement with one link-layer option, tagged with
     * {@code vid} (a station's) or untagged when {@code vid} is negative (the underlay's).
     */
    public static ByteBuffer neighbor(int vid, long dst, long src, int type, int flags, long srcHigh, long srcLow, long dstHigh,
                                      long dstLow, long targetHigh, long targetLow, long linkLayer) {
        ByteBuffer b = ByteBuffer.allocate(Ethernet.TAGGED_HEADER + Ipv6.HEADER + Neighbor.LENGTH);
        int ip6 = vid < 0 ? Ethernet.writeHeader(b, 0, dst, src, EtherType.IPV6) : Ethernet.writeTaggedHeader(b, 0, dst, src, vid, EtherType.IPV6);
        int end = Neighbor.write(b, ip6, type, flags, srcHigh, srcLow, dstHigh, dstLow, targetHigh, targetLow, linkLayer);
        return b.limit(end);
    }

    /** The high 64 bits of an IPv6 literal. */
    public static long high(String literal) {
        return ByteBuffer.wrap(ip(literal).getAddress()).getLong(0);
    }

    /** The low 64 bits of an IPv6 literal. */
    public static long low(String literal) {
        return ByteBuffer.wrap(ip(literal).getAddress()).getLong(8);
    }

    public static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }

    /** Records what a port receives. */
    public static final class Sink implements DataPort.Receiver {
        public final List<ByteBuffer> frames = new ArrayList<>();

        @Override
        public void onFrame(DataPort port, ByteBuffer frame) {
            frames.add(ByteBuffer.wrap(bytes(frame)));
        }

        public ByteBuffer last() {
            return frames.get(frames.size() - 1);
        }

        public int size() {
            return frames.size();
        }
    }
}
