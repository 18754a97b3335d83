package org.splitnve.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.splitnve.ecptransport.capture.PcapWriter;
import org.splitnve.vdpcore.IpText;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.ecp.EcpSubtype;
import org.splitnve.vdpcore.frame.EtherType;
import org.splitnve.vdpcore.frame.EthernetHeader;
import org.splitnve.vdpcore.frame.FrameEncoder;
import org.splitnve.vdpcore.lldp.ChassisId;
import org.splitnve.vdpcore.lldp.EvbMode;
import org.splitnve.vdpcore.lldp.EvbTlv;
import org.splitnve.vdpcore.lldp.Lldpdu;
import org.splitnve.vdpcore.lldp.PortId;
import org.splitnve.vdpcore.vdp.AssociationTlv;
import org.splitnve.vdpcore.vdp.FilterEntry;
import org.splitnve.vdpcore.vdp.FilterFormat;
import org.splitnve.vdpcore.vdp.FilterInfo;
import org.splitnve.vdpcore.vdp.ManagerId;
import org.splitnve.vdpcore.vdp.VdpErrorCode;
import org.splitnve.vdpcore.vdp.VdpTlvType;
import org.splitnve.vdpcore.vdp.Vdpdu;
import org.splitnve.vdpcore.vdp.VsiId;
import org.splitnve.vdpcore.vdp.VsiIdFormat;
import org.splitnve.vdpcore.vdp.VsiStatus;

/**
 * The project's sample capture: a small but complete Split-NVE conversation between a station
 * (the hypervisor's tNVE) and a bridge (the nNVE), with every value fixed so that the same
 * arguments always give the same bytes.
 *
 * <p>One round, {@value #ROUND_FRAMES} frames:
 * <ol>
 * <li>LLDP with the EVB TLV from the station (station mode, SGID) and from the bridge (bridge mode,
 *     BGID, ROL bits); an ARP request from a VM (not Split-NVE, skipped by decode);</li>
 * <li>Pre-Associate of VSI A, GroupID/MAC/IP/VID (0x05..0x07 are the NVO3 IP formats) with an IPv4
 *     and an IPv6 entry and null VIDs; the bridge answers with local tag 10;</li>
 * <li>Pre-Associate with resource reservation of VSI B, GroupID/IP/VID, answered with tag 11;</li>
 * <li>Pre-Associate of VSI C, MAC/IP/VID with PS=1 PCP=5 VID=100 (0xD064), echoed;</li>
 * <li>Associate of VSI D as lldpad sends it: GroupID/MAC/VID, GroupID 100, null VID, no End TLV;
 *     answered with tag 12;</li>
 * <li>Associate of VSI A with M and the migration-indication-valid bit 0x80 (migration
 *     destination); the response echoes 0x80; then a VLAN-tagged IPv4 UDP frame of VSI A
 *     (skipped by decode);</li>
 * <li>the keep-alive of VSI D one RKA (10.49 s) later, answered again;</li>
 * <li>Pre-Associate of the associated VSI A (deactivate), De-Associate of VSI B, and a De-Associate
 *     of VSI C that the bridge starts;</li>
 * <li>an Associate of VSI E for an unknown VN, refused with keep and error 5;</li>
 * <li>an ECP request whose VDPDU names filter format 0x42, which no registry defines: malformed.</li>
 * </ol>
 * Every ECP request is acknowledged. Larger captures repeat the round with later timestamps and
 * increasing sequence numbers.
 */
final class SampleConversation {

    /** Frames in one round of the conversation. */
    static final int ROUND_FRAMES = 44;

    /** 2025-01-01T00:00:00Z. */
    static final long START_NANOS = 1_735_689_600L * 1_000_000_000L;
    /** Rounds start this far apart. */
    static final long ROUND_NANOS = 30_000_000_000L;

    static final MacAddress STATION = MacAddress.valueOf("02:00:00:00:0a:01");
    static final MacAddress BRIDGE = MacAddress.valueOf("02:00:00:00:0b:01");
    static final MacAddress NCB = MacAddress.NEAREST_CUSTOMER_BRIDGE;

    static final ManagerId MANAGER = ManagerId.ofName("mgr1");
    static final int TYPE_ID = 4711;
    static final int TYPE_VERSION = 1;

    static final MacAddress MAC_A = MacAddress.valueOf("02:00:00:00:aa:01");
    static final MacAddress MAC_B = MacAddress.valueOf("02:00:00:00:aa:02");
    static final MacAddress MAC_C = MacAddress.valueOf("02:00:00:00:aa:03");
    static final MacAddress MAC_D = MacAddress.valueOf("02:00:00:00:aa:04");
    static final MacAddress MAC_E = MacAddress.valueOf("02:00:00:00:aa:05");
    static final MacAddress MAC_F = MacAddress.valueOf("02:00:00:00:aa:06");
    static final MacAddress GATEWAY = MacAddress.valueOf("02:00:00:00:bb:01");

    static final VsiId VSI_A = VsiId.of(UUID.fromString("6f4a2c1e-8d53-4a1f-9c27-0b5e7d3a9f10"));
    static final VsiId VSI_B = VsiId.of(MAC_B);
    static final VsiId VSI_C = VsiId.parse(VsiIdFormat.IPV4, "198.51.100.30");
    static final VsiId VSI_D = VsiId.of(UUID.fromString("11223344-5566-7788-9900-aabbccddeeff"));
    static final VsiId VSI_E = VsiId.parse(VsiIdFormat.IPV6, "2001:db8::e");
    static final VsiId VSI_F = VsiId.local(new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15});

    static final int VN_A = 5000;
    static final int VN_B = 5001;
    static final int VN_D = 100;
    static final int VN_UNKNOWN = 7;
    static final int TAG_A = 10;
    static final int TAG_B = 11;
    static final int TAG_D = 12;
    /** PS=1, PCP=5, VID=100: the word 0xD064. */
    static final int PRIORITY_WORD = 0xD064;
    static final int UNKNOWN_FILTER_FORMAT = 0x42;

    private static final int STATION_FIRST_SEQ = 1001;
    private static final int BRIDGE_FIRST_SEQ = 501;

    private final FrameEncoder encoder = new FrameEncoder();
    private final ByteBuffer scratch = ByteBuffer.allocate(2048);
    private final List<Timed> round = new ArrayList<>(ROUND_FRAMES);
    private int stationSeq = STATION_FIRST_SEQ;
    private int bridgeSeq = BRIDGE_FIRST_SEQ;
    private long roundStart;

    private record Timed(long nanos, byte[] frame) {
    }

    /** Writes {@code frames} frames: the first round, then as many more rounds as they need, the last one cut short. */
    void write(PcapWriter out, long frames) throws IOException {
        long written = 0;
        for (long r = 0; written < frames; r++) {
            roundStart = START_NANOS + r * ROUND_NANOS;
            buildRound();
            for (Timed t : round) {
                if (written == frames) {
                    break;
                }
                out.write(t.frame(), t.nanos());
                written++;
            }
        }
    }

    private void buildRound() {
        round.clear();
        lldp(0, STATION, EvbTlv.stationDefaults().sgid(true).build(), "eth0");
        lldp(10, BRIDGE, EvbTlv.builder().mode(EvbMode.BRIDGE).bgid(true).r(3).rte(8).rwd(20).rolRwd(true).rka(20)
                .rolRka(true).build(), "swp1");
        add(500, arpRequest());

        // VSI A: Pre-Associate, GroupID/MAC/IP/VID, IPv4 and IPv6, null VIDs; the bridge assigns tag 10.
        AssociationTlv preA = tlv(VdpTlvType.PRE_ASSOCIATE, VsiStatus.REQUEST, VSI_A, FilterFormat.GROUPID_MAC_IP_VID,
                entry(VN_A, MAC_A, "192.0.2.10", 0), entry(VN_A, MAC_A, "2001:db8:0:1::10", 0));
        exchange(1_000, preA, respond(preA, VsiStatus.response().build(), TAG_A));

        // VSI B: Pre-Associate with resource reservation, GroupID/IP/VID; tag 11.
        AssociationTlv preB = tlv(VdpTlvType.PRE_ASSOCIATE_RR, VsiStatus.REQUEST, VSI_B, FilterFormat.GROUPID_IP_VID,
                entry(VN_B, null, "198.51.100.20", 0), entry(VN_B, null, "2001:db8:1::20", 0));
        exchange(1_100, preB, respond(preB, VsiStatus.response().build(), TAG_B));

        // VSI C: MAC/IP/VID with a priority: PS=1 PCP=5 VID=100, echoed as it is.
        AssociationTlv preC = tlv(VdpTlvType.PRE_ASSOCIATE, VsiStatus.REQUEST, VSI_C, FilterFormat.MAC_IP_VID,
                FilterEntry.builder().mac(MAC_C).ip(IpText.parse("203.0.113.30")).psPcpVid(PRIORITY_WORD).build(),
                FilterEntry.builder().mac(MAC_C).ip(IpText.parse("2001:db8:2::30")).psPcpVid(PRIORITY_WORD).build());
        exchange(1_200, preC, respond(preC, VsiStatus.response().build(), -1));

        // VSI D: Associate the way lldpad's vdptool sends it (filter=0-02:00:00:00:aa:04-100), no End TLV.
        AssociationTlv assocD = tlv(VdpTlvType.ASSOCIATE, VsiStatus.REQUEST, VSI_D, FilterFormat.GROUPID_MAC_VID,
                FilterEntry.builder().groupId(VN_D).mac(MAC_D).vid(FilterEntry.NULL_VID).build());
        AssociationTlv assocDResponse = respond(assocD, VsiStatus.response().build(), TAG_D);
        exchange(1_300, assocD, assocDResponse, true);

        // VSI A activated on its migration destination: M with the migration indication valid (0x80); echoed.
        AssociationTlv assocA = tlv(VdpTlvType.ASSOCIATE, VsiStatus.request().migrationIndicationValid(true).m(true).build(),
                VSI_A, FilterFormat.GROUPID_MAC_IP_VID,
                entry(VN_A, MAC_A, "192.0.2.10", TAG_A), entry(VN_A, MAC_A, "2001:db8:0:1::10", TAG_A));
        exchange(1_400, assocA, respond(assocA, VsiStatus.response().migrationIndicationValid(true).build(), TAG_A));
        add(1_500, udpFromVsiA());

        // Keep-alive of VSI D one RKA later (10 us x 2^20 = 10.49 s): the same TLV again.
        exchange(1_300 + 10_486, assocD, assocDResponse, true);

        // Deactivate VSI A: Pre-Associate of an associated VSI keeps its tag.
        AssociationTlv deactA = tlv(VdpTlvType.PRE_ASSOCIATE, VsiStatus.REQUEST, VSI_A, FilterFormat.GROUPID_MAC_IP_VID,
                entry(VN_A, MAC_A, "192.0.2.10", TAG_A), entry(VN_A, MAC_A, "2001:db8:0:1::10", TAG_A));
        exchange(12_000, deactA, respond(deactA, VsiStatus.response().build(), TAG_A));

        // De-Associate VSI B.
        AssociationTlv deB = tlv(VdpTlvType.DE_ASSOCIATE, VsiStatus.REQUEST, VSI_B, FilterFormat.GROUPID_IP_VID,
                entry(VN_B, null, "198.51.100.20", TAG_B), entry(VN_B, null, "2001:db8:1::20", TAG_B));
        exchange(12_100, deB, respond(deB, VsiStatus.response().build(), TAG_B));

        // The bridge de-associates VSI C on its own: a type 4 TLV with the response bit clear.
        AssociationTlv deC = preC.toBuilder().type(VdpTlvType.DE_ASSOCIATE).build();
        long t = 12_200;
        int deCSeq = nextBridgeSeq();
        add(t, vdpRequest(BRIDGE, STATION, deCSeq, deC, false));
        add(t + 0.05, ack(STATION, BRIDGE, deCSeq));

        // VSI E names a VN the bridge does not know: refused, previous state kept, error 5.
        AssociationTlv assocE = tlv(VdpTlvType.ASSOCIATE, VsiStatus.REQUEST, VSI_E, FilterFormat.GROUPID_MAC_VID,
                FilterEntry.builder().groupId(VN_UNKNOWN).mac(MAC_E).vid(FilterEntry.NULL_VID).build());
        exchange(12_300, assocE, respond(assocE,
                VsiStatus.response().keep(true).error(VdpErrorCode.INVALID_VID_GROUPID_OR_MAC).build(), -1));

        // A VDPDU naming an undefined filter format: ECP acknowledges it, the decoder reports it.
        AssociationTlv assocF = tlv(VdpTlvType.ASSOCIATE, VsiStatus.REQUEST, VSI_F, FilterFormat.GROUPID_MAC_VID,
                FilterEntry.builder().groupId(VN_D).mac(MAC_F).vid(FilterEntry.NULL_VID).build());
        int badSeq = nextStationSeq();
        byte[] bad = vdpRequest(STATION, NCB, badSeq, assocF, false);
        bad[filterFormatOffset()] = (byte) UNKNOWN_FILTER_FORMAT;
        add(12_400, bad);
        add(12_400.05, ack(BRIDGE, STATION, badSeq));
        if (round.size() != ROUND_FRAMES) {
            throw new IllegalStateException("a round has " + round.size() + " frames, not " + ROUND_FRAMES);
        }
    }

    /** Where the filter format of the first association TLV lies in an ECP frame carrying a VDPDU. */
    static int filterFormatOffset() {
        return EthernetHeader.LENGTH + 4 + 2 + ManagerId.LENGTH + 2 + AssociationTlv.HEADER_LENGTH;
    }

    /** A station request to the nearest-customer-bridge address, its ack, the bridge's response to the station, its ack. */
    private void exchange(double millis, AssociationTlv request, AssociationTlv response) {
        exchange(millis, request, response, false);
    }

    private void exchange(double millis, AssociationTlv request, AssociationTlv response, boolean lldpadStyle) {
        int seq = nextStationSeq();
        add(millis, vdpRequest(STATION, NCB, seq, request, lldpadStyle));
        add(millis + 0.05, ack(BRIDGE, STATION, seq));
        int rseq = nextBridgeSeq();
        add(millis + 1, vdpRequest(BRIDGE, STATION, rseq, response, false));
        add(millis + 1.05, ack(STATION, BRIDGE, rseq));
    }

    private int nextStationSeq() {
        int s = stationSeq;
        stationSeq = next(stationSeq);
        return s;
    }

    private int nextBridgeSeq() {
        int s = bridgeSeq;
        bridgeSeq = next(bridgeSeq);
        return s;
    }

    /** ECP numbers PDUs modulo 2^16 and skips 0. */
    private static int next(int seq) {
        int n = (seq + 1) & 0xFFFF;
        return n == 0 ? 1 : n;
    }

    private void add(double millis, byte[] frame) {
        round.add(new Timed(roundStart + Math.round(millis * 1_000_000.0), frame));
    }

    private static AssociationTlv tlv(VdpTlvType type, VsiStatus status, VsiId id, FilterFormat format, FilterEntry... entries) {
        return AssociationTlv.builder().type(type).status(status).typeId(TYPE_ID).typeVersion(TYPE_VERSION).vsiId(id)
                .filter(format, entries).build();
    }

    private static FilterEntry entry(int vn, MacAddress mac, String ip, int vid) {
        FilterEntry.Builder b = FilterEntry.builder().vn(vn).ip(IpText.parse(ip)).vid(vid);
        if (mac != null) {
            b.mac(mac);
        }
        return b.build();
    }

    /** The bridge's answer: the request's TLV with a response status and, when {@code tag >= 0}, that VID in every entry. */
    private static AssociationTlv respond(AssociationTlv request, VsiStatus status, int tag) {
        List<FilterEntry> entries = new ArrayList<>();
        for (FilterEntry e : request.filter().entries()) {
            entries.add(tag >= 0 ? e.withVid(tag) : e);
        }
        return request.toBuilder().status(status).filter(FilterInfo.of(request.filter().format(), entries)).build();
    }

    private byte[] vdpRequest(MacAddress src, MacAddress dst, int seq, AssociationTlv tlv, boolean withoutEndTlv) {
        scratch.clear();
        Vdpdu pdu = Vdpdu.of(MANAGER, tlv);
        int n = encoder.ecpVdpRequest(dst, src, seq, pdu, scratch);
        if (withoutEndTlv && n > EthernetHeader.MIN_FRAME) {
            n -= 2; // lldpad ends its VDPDU with the last TLV
        }
        return Arrays.copyOf(scratch.array(), n);
    }

    private byte[] ack(MacAddress src, MacAddress dst, int seq) {
        scratch.clear();
        int n = encoder.ecpAck(dst, src, EcpSubtype.VDP, seq, scratch);
        return Arrays.copyOf(scratch.array(), n);
    }

    private void lldp(double millis, MacAddress src, EvbTlv evb, String port) {
        scratch.clear();
        Lldpdu pdu = Lldpdu.of(ChassisId.ofMac(src), PortId.ofInterfaceName(port), 120, List.of(evb));
        int n = encoder.lldp(NCB, src, pdu, scratch);
        add(millis, Arrays.copyOf(scratch.array(), n));
    }

    /** VM A asks for its gateway: who has 192.0.2.1, tell 192.0.2.10. */
    private static byte[] arpRequest() {
        ByteBuffer b = ByteBuffer.allocate(EthernetHeader.MIN_FRAME);
        MacAddress.BROADCAST.writeTo(b);
        MAC_A.writeTo(b);
        b.putShort((short) EtherType.ARP);
        b.putShort((short) 1).putShort((short) EtherType.IPV4).put((byte) 6).put((byte) 4).putShort((short) 1);
        MAC_A.writeTo(b);
        b.put(IpText.parse("192.0.2.10").getAddress());
        MacAddress.ZERO.writeTo(b);
        b.put(IpText.parse("192.0.2.1").getAddress());
        return b.array();
    }

    /** A UDP datagram from VM A to its gateway, tagged with VN 5000's local tag as the bridge port sees it. */
    private static byte[] udpFromVsiA() {
        byte[] payload = "splitnve sample".getBytes(StandardCharsets.US_ASCII);
        InetAddress src = IpText.parse("192.0.2.10");
        InetAddress dst = IpText.parse("192.0.2.1");
        int udpLength = 8 + payload.length;
        int ipLength = 20 + udpLength;
        ByteBuffer b = ByteBuffer.allocate(Math.max(EthernetHeader.MIN_FRAME + 4, 18 + ipLength));
        GATEWAY.writeTo(b);
        MAC_A.writeTo(b);
        b.putShort((short) EtherType.VLAN).putShort((short) TAG_A).putShort((short) EtherType.IPV4);
        int ip = b.position();
        b.put((byte) 0x45).put((byte) 0).putShort((short) ipLength).putShort((short) 0x1234).putShort((short) 0x4000)
                .put((byte) 64).put((byte) 17).putShort((short) 0).put(src.getAddress()).put(dst.getAddress());
        b.putShort(ip + 10, (short) checksum(b.array(), ip, 20, 0));
        int udp = b.position();
        b.putShort((short) 40000).putShort((short) 5001).putShort((short) udpLength).putShort((short) 0).put(payload);
        long pseudo = sum(src.getAddress(), 0, 4) + sum(dst.getAddress(), 0, 4) + 17 + udpLength;
        int c = checksum(b.array(), udp, udpLength, pseudo);
        b.putShort(udp + 6, (short) (c == 0 ? 0xFFFF : c));
        return b.array();
    }

    private static long sum(byte[] a, int from, int length) {
        long s = 0;
        for (int i = 0; i < length; i += 2) {
            int hi = a[from + i] & 0xFF;
            int lo = i + 1 < length ? a[from + i + 1] & 0xFF : 0;
            s += (hi << 8) | lo;
        }
        return s;
    }

    /** The Internet checksum (RFC 1071) of the octets plus an initial sum. */
    private static int checksum(byte[] a, int from, int length, long initial) {
        long s = initial + sum(a, from, length);
        while ((s >>> 16) != 0) {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return (int) (~s & 0xFFFF);
    }
}
