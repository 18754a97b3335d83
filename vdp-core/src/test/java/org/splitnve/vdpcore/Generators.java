package org.splitnve.vdpcore;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.splitnve.vdpcore.ecp.EcpSubtype;
import org.splitnve.vdpcore.ecp.Ecpdu;
import org.splitnve.vdpcore.frame.FrameEncoder;
import org.splitnve.vdpcore.lldp.BasicTlv;
import org.splitnve.vdpcore.lldp.ChassisId;
import org.splitnve.vdpcore.lldp.EvbMode;
import org.splitnve.vdpcore.lldp.EvbTlv;
import org.splitnve.vdpcore.lldp.LldpTlv;
import org.splitnve.vdpcore.lldp.Lldpdu;
import org.splitnve.vdpcore.lldp.OrganizationallySpecificTlv;
import org.splitnve.vdpcore.lldp.PortId;
import org.splitnve.vdpcore.vdp.AssociationTlv;
import org.splitnve.vdpcore.vdp.FilterEntry;
import org.splitnve.vdpcore.vdp.FilterFormat;
import org.splitnve.vdpcore.vdp.FilterInfo;
import org.splitnve.vdpcore.vdp.ManagerId;
import org.splitnve.vdpcore.vdp.OrganizationalTlv;
import org.splitnve.vdpcore.vdp.VdpEncoder;
import org.splitnve.vdpcore.vdp.VdpErrorCode;
import org.splitnve.vdpcore.vdp.VdpTlvType;
import org.splitnve.vdpcore.vdp.Vdpdu;
import org.splitnve.vdpcore.vdp.VsiId;
import org.splitnve.vdpcore.vdp.VsiStatus;

/**
 * Random valid wire values for property tests, here and in other modules. Every generator leans
 * towards the values where sign extension and off-by-one bugs live (0x7F/0x80/0xFF and the ends
 * of each range) instead of drawing uniformly, which would almost never hit them.
 */
public final class Generators {

    /** Octet values where signed-byte handling goes wrong. */
    private static final int[] EDGE_OCTETS = {0x00, 0x01, 0x7E, 0x7F, 0x80, 0x81, 0xFE, 0xFF};
    private static final long[] EDGE_GROUP_IDS = {1, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x7FFFFF, 0x800000, 0xFFFFFF};
    private static final int[] EDGE_VIDS = {0, 1, 2, 0x7F, 0x80, 0xFF, 0x100, 0x7FF, 0x800, 4093, 4094};
    private static final int[] EDGE_TYPE_IDS = {0, 1, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFFFF, 0x800000, 0xFFFFFF};
    private static final int[] EDGE_SHORTS = {0, 1, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFE, 0xFFFF};

    private Generators() {
    }

    // ---- primitives

    /** An edge value one time in four, otherwise uniform in {@code [0, bound)}. */
    public static int intWithEdges(SplittableRandom r, int bound, int... edges) {
        if (edges.length > 0 && r.nextInt(4) == 0) {
            return edges[r.nextInt(edges.length)];
        }
        return r.nextInt(bound);
    }

    public static byte[] bytes(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (r.nextInt(3) == 0 ? EDGE_OCTETS[r.nextInt(EDGE_OCTETS.length)] : r.nextInt(256));
        }
        return b;
    }

    public static int sequence(SplittableRandom r) {
        return intWithEdges(r, 0x10000, EDGE_SHORTS);
    }

    // ---- addresses

    /** A unicast, non-zero MAC: what a filter entry may carry. */
    public static MacAddress unicastMac(SplittableRandom r) {
        while (true) {
            byte[] b = bytes(r, 6);
            b[0] &= (byte) 0xFE;
            MacAddress m = MacAddress.valueOf(b);
            if (m.isUsableUnicast()) {
                return m;
            }
        }
    }

    /** Any MAC, group addresses included (Ethernet headers). */
    public static MacAddress anyMac(SplittableRandom r) {
        return MacAddress.valueOf(bytes(r, 6));
    }

    /** An IPv4 address that may identify a TSI: not unspecified, multicast or broadcast. */
    public static InetAddress ipv4(SplittableRandom r) {
        while (true) {
            byte[] b = bytes(r, 4);
            InetAddress a = IpText.ipv4(b);
            int first = b[0] & 0xFF;
            boolean zero = b[0] == 0 && b[1] == 0 && b[2] == 0 && b[3] == 0;
            boolean bcast = (b[0] & b[1] & b[2] & b[3]) == (byte) 0xFF;
            if (!zero && !bcast && !(first >= 224 && first <= 239)) {
                return a;
            }
        }
    }

    /** An IPv6 address that may identify a TSI: not unspecified or multicast, IPv4-mapped ones included. */
    public static Inet6Address ipv6(SplittableRandom r) {
        while (true) {
            byte[] b = bytes(r, 16);
            if (r.nextInt(8) == 0) { // IPv4-mapped: must stay IPv6 through the codec
                for (int i = 0; i < 10; i++) {
                    b[i] = 0;
                }
                b[10] = (byte) 0xFF;
                b[11] = (byte) 0xFF;
                System.arraycopy(ipv4(r).getAddress(), 0, b, 12, 4);
            }
            boolean zero = true;
            for (byte v : b) {
                zero &= v == 0;
            }
            if (!zero && (b[0] & 0xFF) != 0xFF) {
                return IpText.ipv6(b);
            }
        }
    }

    public static InetAddress ip(SplittableRandom r) {
        return r.nextBoolean() ? ipv4(r) : ipv6(r);
    }

    // ---- VDP

    public static long groupId(SplittableRandom r) {
        return r.nextInt(3) == 0 ? EDGE_GROUP_IDS[r.nextInt(EDGE_GROUP_IDS.length)] : 1 + r.nextInt(0xFFFFFF);
    }

    public static int vid(SplittableRandom r) {
        return intWithEdges(r, FilterEntry.MAX_VID + 1, EDGE_VIDS);
    }

    public static FilterFormat filterFormat(SplittableRandom r) {
        FilterFormat[] all = FilterFormat.values();
        return all[r.nextInt(all.length)];
    }

    /** An entry with exactly the fields {@code format} has; IP entries are IPv4 or IPv6 at random. */
    public static FilterEntry filterEntry(SplittableRandom r, FilterFormat format) {
        FilterEntry.Builder b = FilterEntry.builder().ps(r.nextBoolean()).pcp(r.nextInt(8)).vid(vid(r));
        if (format.hasGroupId()) {
            b.groupId(groupId(r));
        }
        if (format.hasMac()) {
            b.mac(unicastMac(r));
        }
        if (format.hasIp()) {
            b.ip(ip(r));
        }
        return b.build();
    }

    /** 1..{@code maxEntries} entries, fewer if they would overflow one 511-octet TLV. */
    public static FilterInfo filterInfo(SplittableRandom r, FilterFormat format, int maxEntries) {
        List<FilterEntry> entries = new ArrayList<>();
        int room = AssociationTlv.MAX_VALUE_LENGTH - AssociationTlv.HEADER_LENGTH - 3;
        int n = 1 + r.nextInt(maxEntries);
        for (int i = 0; i < n; i++) {
            FilterEntry e = filterEntry(r, format);
            if (e.encodedLength() > room) {
                break;
            }
            room -= e.encodedLength();
            entries.add(e);
        }
        return FilterInfo.of(format, entries);
    }

    public static VsiId vsiId(SplittableRandom r) {
        return switch (r.nextInt(5)) {
            case 0 -> VsiId.of((java.net.Inet4Address) ipv4(r));
            case 1 -> VsiId.of(ipv6(r));
            case 2 -> VsiId.of(anyMac(r));
            case 3 -> VsiId.local(bytes(r, 16));
            default -> VsiId.of(new UUID(r.nextLong(), r.nextLong()));
        };
    }

    /** A request (M, S and the migration indication in every legal mix) or a response. */
    public static VsiStatus status(SplittableRandom r) {
        if (r.nextBoolean()) {
            boolean mi = r.nextBoolean();
            boolean m = r.nextBoolean();
            boolean s = r.nextBoolean() && !(mi && m);
            return VsiStatus.request().migrationIndicationValid(mi).m(m).s(s).build();
        }
        return VsiStatus.response().migrationIndicationValid(r.nextBoolean()).keep(r.nextBoolean())
                .hardError(r.nextBoolean()).error(VdpErrorCode.valueOf(r.nextInt(4) == 0 ? r.nextInt(16) : r.nextInt(6)))
                .build();
    }

    public static VdpTlvType associationType(SplittableRandom r) {
        return VdpTlvType.valueOf(1 + r.nextInt(4));
    }

    public static AssociationTlv associationTlv(SplittableRandom r, int maxEntries) {
        return AssociationTlv.builder()
                .type(associationType(r))
                .status(status(r))
                .typeId(intWithEdges(r, 0x1000000, EDGE_TYPE_IDS))
                .typeVersion(intWithEdges(r, 0x100, EDGE_OCTETS))
                .vsiId(vsiId(r))
                .filter(filterInfo(r, filterFormat(r), maxEntries))
                .build();
    }

    public static ManagerId managerId(SplittableRandom r) {
        return r.nextBoolean() ? ManagerId.ofName("mgr" + r.nextInt(1000)) : ManagerId.of(bytes(r, 16));
    }

    public static OrganizationalTlv organizationalTlv(SplittableRandom r) {
        return OrganizationalTlv.of(r.nextInt(0x1000000), intWithEdges(r, 256, EDGE_OCTETS), bytes(r, r.nextInt(24)));
    }

    /** A VDPDU that fits the standard 1494 octets: 1..4 association TLVs, sometimes org TLVs. */
    public static Vdpdu vdpdu(SplittableRandom r) {
        while (true) {
            List<AssociationTlv> a = new ArrayList<>();
            int n = 1 + r.nextInt(4);
            for (int i = 0; i < n; i++) {
                a.add(associationTlv(r, 1 + r.nextInt(r.nextInt(4) == 0 ? 30 : 4)));
            }
            List<OrganizationalTlv> o = new ArrayList<>();
            if (r.nextInt(3) == 0) {
                for (int i = 1 + r.nextInt(2); i > 0; i--) {
                    o.add(organizationalTlv(r));
                }
            }
            Vdpdu pdu = Vdpdu.of(managerId(r), a, o);
            if (pdu.encodedLength() <= Vdpdu.MAX_LENGTH_STANDARD_MTU) {
                return pdu;
            }
        }
    }

    // ---- LLDP

    public static EvbTlv evbTlv(SplittableRandom r) {
        return EvbTlv.builder()
                .bridgeStatus(r.nextInt(256))
                .stationStatus(r.nextInt(256))
                .r(r.nextInt(8))
                .rte(r.nextInt(32))
                .mode(EvbMode.valueOf(r.nextInt(4)))
                .rolRwd(r.nextBoolean())
                .rwd(r.nextInt(32))
                .rolRka(r.nextBoolean())
                .rka(r.nextInt(32))
                .build();
    }

    public static Lldpdu lldpdu(SplittableRandom r) {
        ChassisId chassis = r.nextBoolean() ? ChassisId.ofMac(anyMac(r))
                : new ChassisId(r.nextInt(256), bytes(r, 1 + r.nextInt(r.nextInt(8) == 0 ? 255 : 16)));
        PortId port = r.nextBoolean() ? PortId.ofInterfaceName("eth" + r.nextInt(100))
                : new PortId(r.nextInt(256), bytes(r, 1 + r.nextInt(r.nextInt(8) == 0 ? 255 : 16)));
        List<LldpTlv> tlvs = new ArrayList<>();
        for (int i = r.nextInt(5); i > 0; i--) {
            switch (r.nextInt(3)) {
                case 0 -> tlvs.add(evbTlv(r));
                case 1 -> tlvs.add(BasicTlv.of(4 + r.nextInt(123), bytes(r, r.nextInt(40))));
                default -> {
                    int oui = r.nextInt(0x1000000);
                    int subtype = r.nextInt(256);
                    if (oui == EvbTlv.OUI && subtype == EvbTlv.SUBTYPE) {
                        subtype++;
                    }
                    tlvs.add(OrganizationallySpecificTlv.of(oui, subtype, bytes(r, r.nextInt(40))));
                }
            }
        }
        return Lldpdu.of(chassis, port, intWithEdges(r, 0x10000, EDGE_SHORTS), tlvs);
    }

    // ---- ECP

    public static EcpSubtype ecpSubtype(SplittableRandom r) {
        return EcpSubtype.valueOf(r.nextInt(2) == 0 ? 1 + r.nextInt(2) : intWithEdges(r, 1024, 0, 0x7F, 0x80, 0xFF, 0x100, 0x3FF));
    }

    /** A request with an arbitrary payload, or an ack. */
    public static Ecpdu ecpdu(SplittableRandom r) {
        if (r.nextInt(3) == 0) {
            return Ecpdu.ack(ecpSubtype(r), sequence(r));
        }
        return Ecpdu.request(ecpSubtype(r), sequence(r), ByteBuffer.wrap(bytes(r, r.nextInt(80))));
    }

    // ---- whole frames

    /** A canonical frame as {@link FrameEncoder} writes it: a VDP request, an ack or an LLDP frame. */
    public static byte[] frame(SplittableRandom r) {
        FrameEncoder enc = new FrameEncoder(new VdpEncoder());
        ByteBuffer out = ByteBuffer.allocate(1600);
        MacAddress dst = r.nextBoolean() ? MacAddress.NEAREST_CUSTOMER_BRIDGE : anyMac(r);
        MacAddress src = unicastMac(r);
        int n = switch (r.nextInt(3)) {
            case 0 -> enc.ecpVdpRequest(dst, src, sequence(r), vdpdu(r), out);
            case 1 -> enc.ecpAck(dst, src, ecpSubtype(r), sequence(r), out);
            default -> enc.lldp(dst, src, lldpdu(r), out);
        };
        byte[] frame = new byte[n];
        out.flip().get(frame);
        return frame;
    }

    // ---- encoding helpers

    /** The VDPDU as the default encoder writes it. */
    public static byte[] encode(Vdpdu pdu) {
        return encode(pdu, new VdpEncoder());
    }

    public static byte[] encode(Vdpdu pdu, VdpEncoder encoder) {
        ByteBuffer out = ByteBuffer.allocate(pdu.encodedLength());
        encoder.encode(pdu, out);
        return out.array();
    }
}
