package org.splitnve.nvedataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitnve.nvedataplane.TestFrames.active;
import static org.splitnve.nvedataplane.TestFrames.high;
import static org.splitnve.nvedataplane.TestFrames.ip;
import static org.splitnve.nvedataplane.TestFrames.low;
import static org.splitnve.nvedataplane.TestFrames.udp4;
import static org.splitnve.nvedataplane.TestFrames.v4;

import java.nio.ByteBuffer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.splitnve.nvedataplane.codec.Arp;
import org.splitnve.nvedataplane.codec.EtherType;
import org.splitnve.nvedataplane.codec.Ethernet;
import org.splitnve.nvedataplane.codec.Neighbor;
import org.splitnve.vdpcore.MacAddress;

/**
 * Each kind of station frame gets the one verdict the guard must give it. A (p1, tag 100) has
 * registered 10.0.0.1 and 2001:db8::a; B (p2, tag 200) has registered no IP, so any is its.
 */
class SourceGuardTest {

    static final long A = 0x52540000000aL;
    static final long B = 0x52540000000bL;
    static final long REMOTE = 0x52540000000fL;
    static final long STRANGER = 0x52540000000cL;
    static final int VNI = 5000;
    static final String A6 = "2001:db8::a";
    static final String OTHER6 = "2001:db8::66";

    static Stream<Arguments> frames() {
        int a4 = v4("10.0.0.1");
        int other4 = v4("10.0.0.66");
        ByteBuffer badIpVersion = udp4(REMOTE, A, 100, a4, 2, 3, 4, 80);
        badIpVersion.put(Ethernet.TAGGED_HEADER, (byte) 0x65);
        ByteBuffer badArp = TestFrames.arpRequest(100, A, a4, 2);
        badArp.put(Ethernet.TAGGED_HEADER + 5, (byte) 8);
        ByteBuffer arpOtherSender = TestFrames.arpRequest(100, A, a4, 2);
        Ethernet.putMac(arpOtherSender, Ethernet.TAGGED_HEADER + 8, B);
        ByteBuffer badChecksum = solicitation(A, A6, OTHER6, A);
        badChecksum.put(Ethernet.TAGGED_HEADER + 40 + 3, (byte) (badChecksum.get(Ethernet.TAGGED_HEADER + 40 + 3) ^ 1));
        ByteBuffer untagged = ByteBuffer.allocate(64);
        Ethernet.writeHeader(untagged, 0, B, A, EtherType.IPV4);
        ByteBuffer lldp = ByteBuffer.allocate(64);
        Ethernet.writeHeader(lldp, 0, 0x0180c200000eL, A, EtherType.LLDP);
        ByteBuffer truncatedTag = ByteBuffer.allocate(16);
        Ethernet.writeHeader(truncatedTag, 0, B, A, EtherType.VLAN);
        ByteBuffer otherType = ByteBuffer.allocate(64);
        Ethernet.writeTaggedHeader(otherType, 0, B, A, 100, 0x88B5);
        return Stream.of(
                Arguments.of("IPv4 from a registered address", 0, udp4(REMOTE, A, 100, a4, 2, 3, 4, 80), SourceGuard.ADMITTED),
                Arguments.of("IPv4 from another address", 0, udp4(REMOTE, A, 100, other4, 2, 3, 4, 80), DropReason.SPOOFED_SOURCE_IP),
                Arguments.of("IPv4 from a TSI that registered no IP", 1, udp4(REMOTE, B, 200, other4, 2, 3, 4, 80), SourceGuard.ADMITTED),
                Arguments.of("IPv4 from 0.0.0.0 (DHCP)", 0, udp4(REMOTE, A, 100, 0, 2, 3, 4, 80), SourceGuard.ADMITTED),
                Arguments.of("an IPv4 header that is not version 4", 0, badIpVersion, DropReason.MALFORMED),
                Arguments.of("an ARP request from a registered address", 0, TestFrames.arpRequest(100, A, a4, 2), SourceGuard.ADMITTED),
                Arguments.of("an ARP probe (sender 0.0.0.0)", 0, TestFrames.arpRequest(100, A, 0, a4), SourceGuard.ADMITTED),
                Arguments.of("ARP with another sender IP", 0, TestFrames.arpRequest(100, A, other4, 2), DropReason.SPOOFED_SOURCE_IP),
                Arguments.of("ARP with another sender MAC", 0, arpOtherSender, DropReason.SPOOFED_SOURCE_MAC),
                Arguments.of("ARP that does not validate", 0, badArp, DropReason.MALFORMED),
                Arguments.of("IPv6 from a registered address", 0, udp6(A, A6), SourceGuard.ADMITTED),
                Arguments.of("IPv6 from link-local", 0, udp6(A, "fe80::5054:ff:fe00:a"), SourceGuard.ADMITTED),
                Arguments.of("IPv6 from another address", 0, udp6(A, OTHER6), DropReason.SPOOFED_SOURCE_IP),
                Arguments.of("a solicitation from a registered address", 0, solicitation(A, A6, OTHER6, A), SourceGuard.ADMITTED),
                Arguments.of("a solicitation naming another link-layer source", 0, solicitation(A, A6, OTHER6, B),
                        DropReason.SPOOFED_SOURCE_MAC),
                Arguments.of("DAD for its own address", 0, solicitation(A, "::", A6, A), SourceGuard.ADMITTED),
                Arguments.of("DAD for another address", 0, solicitation(A, "::", OTHER6, A), DropReason.SPOOFED_SOURCE_IP),
                Arguments.of("an advertisement of its own address", 0, advertisement(A, A6, A6), SourceGuard.ADMITTED),
                Arguments.of("an advertisement of another address", 0, advertisement(A, A6, OTHER6), DropReason.SPOOFED_SOURCE_IP),
                Arguments.of("a solicitation that does not validate", 0, badChecksum, DropReason.MALFORMED),
                Arguments.of("another EtherType from an Activated TSI", 0, otherType, SourceGuard.ADMITTED),
                Arguments.of("a frame from a MAC that is no Activated TSI", 0, udp4(REMOTE, STRANGER, 100, a4, 2, 3, 4, 80),
                        DropReason.SOURCE_NOT_ACTIVATED),
                Arguments.of("a frame from a TSI of the VN on another port", 1, udp4(REMOTE, A, 200, a4, 2, 3, 4, 80),
                        DropReason.SOURCE_NOT_ACTIVATED),
                Arguments.of("a group source MAC", 0, udp4(REMOTE, Ethernet.BROADCAST, 100, a4, 2, 3, 4, 80), DropReason.SPOOFED_SOURCE_MAC),
                Arguments.of("a tag that maps to no VN", 0, udp4(REMOTE, A, 101, a4, 2, 3, 4, 80), DropReason.UNKNOWN_TAG),
                Arguments.of("an untagged frame", 0, untagged, DropReason.UNTAGGED),
                Arguments.of("LLDP", 0, lldp, DropReason.CONTROL_FRAME),
                Arguments.of("a tag cut short", 0, truncatedTag, DropReason.MALFORMED),
                Arguments.of("less than an Ethernet header", 0, ByteBuffer.allocate(10), DropReason.MALFORMED),
                Arguments.of("a frame longer than the maximum", 0, udp4(REMOTE, A, 100, a4, 2, 3, 4, EgressTestBed.MAX_FRAME + 1),
                        DropReason.TOO_LONG));
    }

    @ParameterizedTest(name = "{0}: {3}")
    @MethodSource("frames")
    void every_station_frame_gets_the_verdict_for_what_it_claims(String what, int trunk, ByteBuffer frame, DropReason verdict) {
        EgressTestBed bed = new EgressTestBed();
        ForwardingTables tables = bed.tables(bed.hold());
        tables.onTsiActivated(active("p1", VNI, 100, MacAddress.valueOf(A), ip("10.0.0.1"), ip(A6)));
        tables.onTsiActivated(active("p2", VNI, 200, MacAddress.valueOf(B)));
        SourceGuard guard = new SourceGuard(EgressTestBed.MAX_FRAME);
        assertThat(guard.admit(tables.snapshot(), trunk, frame, 0, frame.limit())).as(what).isEqualTo(verdict);
    }

    private static ByteBuffer udp6(long src, String source) {
        ByteBuffer untagged = TestFrames.udp6(REMOTE, src, high(source), low(source), 1, 2, 100);
        ByteBuffer tagged = ByteBuffer.allocate(104);
        Ethernet.pushTag(untagged, 0, 100, tagged, 0, 100);
        return tagged;
    }

    private static ByteBuffer solicitation(long src, String source, String target, long linkLayer) {
        long group = Neighbor.solicitedNodeLow(low(target));
        return TestFrames.neighbor(100, Neighbor.multicastMac(group), src, Neighbor.SOLICITATION, 0, high(source), low(source),
                Neighbor.SOLICITED_NODE_HIGH, group, high(target), low(target), linkLayer);
    }

    private static ByteBuffer advertisement(long src, String source, String target) {
        return TestFrames.neighbor(100, REMOTE, src, Neighbor.ADVERTISEMENT, Neighbor.FLAG_OVERRIDE, high(source), low(source),
                high(A6), 1, high(target), low(target), src);
    }
}
