package org.splitnve.cli;

import java.nio.ByteBuffer;
import org.splitnve.vdpcore.MacAddress;

/** The demo VMs' frames: 802.1Q-tagged IPv4/UDP with a sequence number, built and recognised. */
final class DemoFrames {

    private static final int TPID = 0x8100;
    private static final int IPV4 = 0x0800;
    private static final int UDP = 17;
    private static final int HEADERS = 18 + 20 + 8;

    /** A received VM frame: destination, VID of its tag, sequence number. */
    record Parsed(MacAddress dst, MacAddress src, int vid, int seq) {
    }

    private DemoFrames() {
    }

    static ByteBuffer udp(MacAddress dst, MacAddress src, int vid, byte[] srcIp, byte[] dstIp, int port, int seq) {
        ByteBuffer b = ByteBuffer.allocate(HEADERS + 4 + 14);
        dst.writeTo(b);
        src.writeTo(b);
        b.putShort((short) TPID).putShort((short) (vid & 0x0FFF)).putShort((short) IPV4);
        int ipStart = b.position();
        int ipLength = 20 + 8 + 4 + 14;
        b.put((byte) 0x45).put((byte) 0).putShort((short) ipLength).putShort((short) seq).putShort((short) 0)
                .put((byte) 64).put((byte) UDP).putShort((short) 0).put(srcIp).put(dstIp);
        b.putShort(ipStart + 10, (short) ipChecksum(b, ipStart));
        // UDP checksum 0: "not computed", allowed over IPv4 (RFC 768).
        b.putShort((short) port).putShort((short) port).putShort((short) (8 + 4 + 14)).putShort((short) 0);
        b.putInt(seq);
        b.put("splitnve demo!".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        b.flip();
        return b;
    }

    private static int ipChecksum(ByteBuffer b, int start) {
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += b.getShort(start + i) & 0xFFFF;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return ~sum & 0xFFFF;
    }

    /** The frame as a VM frame of the demo, or null for anything else (LLDP, ECP, ARP, IGMP). */
    static Parsed parse(ByteBuffer frame) {
        int p = frame.position();
        if (frame.remaining() < HEADERS + 4 || (frame.getShort(p + 12) & 0xFFFF) != TPID
                || (frame.getShort(p + 16) & 0xFFFF) != IPV4 || frame.get(p + 18 + 9) != UDP) {
            return null;
        }
        int ihl = (frame.get(p + 18) & 0x0F) * 4;
        int udp = p + 18 + ihl;
        if (udp + 12 > frame.limit() || (frame.getShort(udp + 2) & 0xFFFF) != DemoNetwork.VM_PORT) {
            return null;
        }
        return new Parsed(MacAddress.read(frame, p), MacAddress.read(frame, p + 6), frame.getShort(p + 14) & 0x0FFF,
                frame.getInt(udp + 8));
    }
}
