package org.splitnve.nvedataplane;

import java.nio.ByteBuffer;
import org.splitnve.nvedataplane.codec.Arp;
import org.splitnve.nvedataplane.codec.EtherType;
import org.splitnve.nvedataplane.codec.Ethernet;
import org.splitnve.nvedataplane.codec.Ipv4;
import org.splitnve.nvedataplane.codec.Ipv6;
import org.splitnve.nvedataplane.codec.Neighbor;
import org.splitnve.nvedataplane.table.Keys;

/**
 * Admission of a station's frame in one place: it must be a well-formed tagged frame whose tag
 * maps to a VN on that port, sent by an Activated TSI of that VN on that port (RFC 8394 3.2),
 * from an address that TSI registered (source MAC, IPv4 source, ARP sender, IPv6 source, ND
 * target). A TSI registered by IP addresses alone is found by the address its frame speaks for
 * (its MAC is learned from there on, {@link ForwardingTables#learn}). Anything else is refused
 * with the reason it is counted under.
 */
final class SourceGuard {

    /** What {@link #admit} returns for a frame that may be forwarded. */
    static final DropReason ADMITTED = null;

    private final int maxFrame;

    SourceGuard(int maxFrame) {
        this.maxFrame = maxFrame;
    }

    /**
     * Checks the frame of {@code length} octets at {@code offset}, received on {@code trunk}.
     *
     * @return {@link #ADMITTED}, or why the frame must be dropped
     */
    DropReason admit(Tables tables, int trunk, ByteBuffer frame, int offset, int length) {
        if (length < Ethernet.HEADER) {
            return DropReason.MALFORMED;
        }
        if (length > maxFrame) {
            return DropReason.TOO_LONG;
        }
        int outerType = Ethernet.outerType(frame, offset);
        if (EtherType.isControl(outerType)) {
            return DropReason.CONTROL_FRAME;
        }
        if (outerType != EtherType.VLAN) {
            return DropReason.UNTAGGED;
        }
        if (length < Ethernet.TAGGED_HEADER) {
            return DropReason.MALFORMED;
        }
        int vni = tables.vniByVid()[trunk][Ethernet.vid(frame, offset)];
        if (vni < 0) {
            return DropReason.UNKNOWN_TAG;
        }
        long source = Ethernet.source(frame, offset);
        if (Ethernet.isGroup(source)) {
            return DropReason.SPOOFED_SOURCE_MAC;
        }
        int l3 = offset + Ethernet.TAGGED_HEADER;
        int l3Length = length - Ethernet.TAGGED_HEADER;
        LocalTsi sender = tables.tsis().get(Keys.mac(vni), source);
        if (sender == null) {
            sender = ipOwner(tables, vni, frame, offset, length);
        }
        if (sender == null || sender.port != trunk) {
            return DropReason.SOURCE_NOT_ACTIVATED;
        }
        return switch (Ethernet.payloadType(frame, offset)) {
            case EtherType.IPV4 -> admitIpv4(sender, frame, l3, l3Length);
            case EtherType.ARP -> admitArp(sender, source, frame, l3, l3Length);
            case EtherType.IPV6 -> admitIpv6(sender, source, frame, l3, l3Length);
            default -> ADMITTED;
        };
    }

    private static DropReason admitIpv4(LocalTsi sender, ByteBuffer frame, int ip4, int length) {
        if (length < Ipv4.HEADER || (frame.get(ip4) & 0xF0) != 0x40) {
            return DropReason.MALFORMED;
        }
        return sender.mayUseIpv4(Ipv4.source(frame, ip4)) ? ADMITTED : DropReason.SPOOFED_SOURCE_IP;
    }

    private static DropReason admitArp(LocalTsi sender, long source, ByteBuffer frame, int arp, int length) {
        if (Arp.validate(frame, arp, length) != null) {
            return DropReason.MALFORMED;
        }
        if (Arp.senderMac(frame, arp) != source) {
            return DropReason.SPOOFED_SOURCE_MAC;
        }
        return sender.mayUseIpv4(Arp.senderIp(frame, arp)) ? ADMITTED : DropReason.SPOOFED_SOURCE_IP;
    }

    private static DropReason admitIpv6(LocalTsi sender, long source, ByteBuffer frame, int ip6, int length) {
        if (length < Ipv6.HEADER || (frame.get(ip6) & 0xF0) != 0x60) {
            return DropReason.MALFORMED;
        }
        long sourceHigh = Ipv6.sourceHigh(frame, ip6);
        long sourceLow = Ipv6.sourceLow(frame, ip6);
        int nd = neighborDiscoveryType(frame, ip6, length);
        if (nd == 0) {
            return sender.mayUseIpv6(sourceHigh, sourceLow) ? ADMITTED : DropReason.SPOOFED_SOURCE_IP;
        }
        if (Neighbor.validate(frame, ip6, length) != null) {
            return DropReason.MALFORMED;
        }
        long linkLayer = Neighbor.linkLayerOption(frame, ip6,
                nd == Neighbor.SOLICITATION ? Neighbor.OPTION_SOURCE_LL : Neighbor.OPTION_TARGET_LL);
        if (linkLayer >= 0 && linkLayer != source) {
            return DropReason.SPOOFED_SOURCE_MAC;
        }
        long targetHigh = Neighbor.targetHigh(frame, ip6);
        long targetLow = Neighbor.targetLow(frame, ip6);
        boolean unspecified = sourceHigh == 0 && sourceLow == 0;
        // An advertisement speaks for its target; a solicitation for its source, or, during DAD
        // (unspecified source, RFC 4862 5.4), for the target it probes.
        boolean mayUse = nd == Neighbor.ADVERTISEMENT
                ? sender.mayUseIpv6(targetHigh, targetLow) && (unspecified || sender.mayUseIpv6(sourceHigh, sourceLow))
                : unspecified ? sender.mayUseIpv6(targetHigh, targetLow) : sender.mayUseIpv6(sourceHigh, sourceLow);
        return mayUse ? ADMITTED : DropReason.SPOOFED_SOURCE_IP;
    }

    /**
     * The Activated TSI registered by IP addresses alone (filter format 0x05) that claims the address a tagged frame
     * speaks for: the IPv4 source, the ARP sender, the IPv6 source, or the target of a neighbour advertisement or of a
     * duplicate address detection probe. Null when none does, or when the frame is too short to say.
     */
    static LocalTsi ipOwner(Tables tables, int vni, ByteBuffer frame, int offset, int length) {
        if (tables.ipOnly().size() == 0) {
            return null;
        }
        int l3 = offset + Ethernet.TAGGED_HEADER;
        int l3Length = length - Ethernet.TAGGED_HEADER;
        switch (Ethernet.payloadType(frame, offset)) {
            case EtherType.IPV4 -> {
                return l3Length < Ipv4.HEADER ? null : tables.ipOnly().get(Keys.ipv4(vni), Ipv4.source(frame, l3) & 0xFFFFFFFFL, 0);
            }
            case EtherType.ARP -> {
                return Arp.validate(frame, l3, l3Length) != null ? null
                        : tables.ipOnly().get(Keys.ipv4(vni), Arp.senderIp(frame, l3) & 0xFFFFFFFFL, 0);
            }
            case EtherType.IPV6 -> {
                if (l3Length < Ipv6.HEADER) {
                    return null;
                }
                long high = Ipv6.sourceHigh(frame, l3);
                long low = Ipv6.sourceLow(frame, l3);
                int nd = neighborDiscoveryType(frame, l3, l3Length);
                if (nd != 0 && Neighbor.validate(frame, l3, l3Length) == null
                        && (nd == Neighbor.ADVERTISEMENT || (high == 0 && low == 0))) {
                    high = Neighbor.targetHigh(frame, l3);
                    low = Neighbor.targetLow(frame, l3);
                }
                return tables.ipOnly().get(Keys.ipv6(vni), high, low);
            }
            default -> {
                return null;
            }
        }
    }

    /** {@link Neighbor#SOLICITATION}, {@link Neighbor#ADVERTISEMENT}, or 0 for any other IPv6 packet. */
    static int neighborDiscoveryType(ByteBuffer frame, int ip6, int length) {
        return Neighbor.is(frame, ip6, length, Neighbor.SOLICITATION) ? Neighbor.SOLICITATION
                : Neighbor.is(frame, ip6, length, Neighbor.ADVERTISEMENT) ? Neighbor.ADVERTISEMENT : 0;
    }
}
