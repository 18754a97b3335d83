package org.splitnve.nvedataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitnve.nvedataplane.TestFrames.udp4;
import static org.splitnve.nvedataplane.TestFrames.v4;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.splitnve.nvedataplane.DataPlaneCounters.Event;
import org.splitnve.nvedataplane.codec.Arp;
import org.splitnve.nvedataplane.codec.Encapsulation;
import org.splitnve.nvedataplane.codec.EtherType;
import org.splitnve.nvedataplane.codec.Ethernet;
import org.splitnve.nvedataplane.codec.Ipv4;
import org.splitnve.nvedataplane.codec.Tunnel;

class EncapsulatorTest {

    static final long A = 0x52540000000aL;
    static final long R = 0x52540000000fL;
    static final int VNI = 5000;
    static final ByteBuffer FRAME = udp4(R, A, 100, 1, 2, 3, 4, 100);

    private static void encapsulate(EgressTestBed bed, Encapsulator encapsulator, UnderlayAddress remote, Event event) {
        bed.withScratch(s -> encapsulator.encapsulate(s, FRAME, 0, 100, true, VNI, remote, event));
    }

    @Test
    void a_tagged_frame_leaves_untagged_in_vxlan_from_our_address_to_the_fixed_next_hop() throws Exception {
        EgressTestBed bed = new EgressTestBed();
        encapsulate(bed, bed.encapsulator(), EgressTestBed.REMOTE_ADDRESS, Event.FLOOD_COPIES_REMOTE);
        ByteBuffer out = bed.router.last();
        Tunnel.Decoded outer = Tunnel.decode(out, 0, out.limit(), Encapsulation.VXLAN);
        assertThat(Ethernet.destination(out, 0)).isEqualTo(EgressTestBed.ROUTER_MAC.toLong());
        assertThat(Ethernet.source(out, 0)).isEqualTo(bed.underlayMac());
        assertThat(outer.srcIp4).isEqualTo(v4(EgressTestBed.LOCAL));
        assertThat(outer.dstIp4).isEqualTo(v4(EgressTestBed.REMOTE));
        assertThat(outer.vni).isEqualTo(VNI);
        assertThat(outer.innerLength).isEqualTo(96);
        assertThat(bed.counters.count(Event.FLOOD_COPIES_REMOTE)).isEqualTo(1);
    }

    @Test
    void successive_ipv4_packets_of_one_thread_get_successive_identifications() {
        EgressTestBed bed = new EgressTestBed();
        Encapsulator encapsulator = bed.encapsulator();
        encapsulate(bed, encapsulator, EgressTestBed.REMOTE_ADDRESS, Event.ENCAPSULATED);
        encapsulate(bed, encapsulator, EgressTestBed.REMOTE_ADDRESS, Event.ENCAPSULATED);
        int first = bed.router.frames.get(0).getShort(Ethernet.HEADER + 4) & 0xFFFF;
        int second = bed.router.frames.get(1).getShort(Ethernet.HEADER + 4) & 0xFFFF;
        assertThat(second).isEqualTo((first + 1) & 0xFFFF);
    }

    @Test
    void a_remote_nve_of_the_other_ip_family_is_dropped_and_nothing_is_sent() {
        EgressTestBed bed = new EgressTestBed();
        encapsulate(bed, bed.encapsulator(), UnderlayAddress.parse("2001:db8::2"), Event.ENCAPSULATED);
        assertThat(bed.router.frames).isEmpty();
        assertThat(bed.counters.drops(DropReason.UNDERLAY_FAMILY_MISMATCH)).isEqualTo(1);
    }

    @Test
    void an_ipv6_underlay_carries_the_frame_in_ipv6() throws Exception {
        EgressTestBed bed = new EgressTestBed();
        UnderlayAddress local = UnderlayAddress.parse("2001:db8::1");
        UnderlayAddress remote = UnderlayAddress.parse("2001:db8::2");
        Encapsulator encapsulator = bed.encapsulator(bed.neighbors(local, java.time.Duration.ofSeconds(30), 64),
                EgressTestBed.ROUTER_MAC.toLong(), null, local);
        encapsulate(bed, encapsulator, remote, Event.ENCAPSULATED);
        ByteBuffer out = bed.router.last();
        Tunnel.Decoded outer = Tunnel.decode(out, 0, out.limit(), Encapsulation.VXLAN);
        assertThat(outer.ipv6).isTrue();
        assertThat(outer.srcHigh).isEqualTo(local.high());
        assertThat(outer.srcLow).isEqualTo(local.low());
        assertThat(outer.dstLow).isEqualTo(remote.low());
        assertThat(outer.vni).isEqualTo(VNI);
    }

    @Test
    void an_unresolved_next_hop_holds_the_packet_asks_once_and_sends_it_to_the_mac_that_answers() {
        EgressTestBed bed = new EgressTestBed();
        UnderlayNeighbors neighbors = bed.neighbors();
        Encapsulator encapsulator = bed.encapsulator(neighbors, -1, null, EgressTestBed.LOCAL_ADDRESS);
        encapsulate(bed, encapsulator, EgressTestBed.REMOTE_ADDRESS, Event.ENCAPSULATED);
        encapsulate(bed, encapsulator, EgressTestBed.REMOTE_ADDRESS, Event.ENCAPSULATED);
        assertThat(bed.router.frames).hasSize(1);
        assertThat(Ethernet.outerType(bed.router.last(), 0)).isEqualTo(EtherType.ARP);
        assertThat(Arp.targetIp(bed.router.last(), Ethernet.HEADER)).isEqualTo(v4(EgressTestBed.REMOTE));

        long peer = 0x020000000202L;
        answer(bed, neighbors, peer, v4(EgressTestBed.REMOTE));
        assertThat(bed.router.frames).hasSize(3);
        assertThat(bed.router.frames.subList(1, 3)).allMatch(f -> Ethernet.destination(f, 0) == peer);
        assertThat(bed.counters.count(Event.ENCAPSULATED)).isEqualTo(2);
    }

    @Test
    void with_a_gateway_the_gateway_is_resolved_instead_of_the_remote_nve() {
        EgressTestBed bed = new EgressTestBed();
        UnderlayNeighbors neighbors = bed.neighbors();
        UnderlayAddress gateway = UnderlayAddress.parse("192.0.2.254");
        Encapsulator encapsulator = bed.encapsulator(neighbors, -1, gateway, EgressTestBed.LOCAL_ADDRESS);
        encapsulate(bed, encapsulator, EgressTestBed.REMOTE_ADDRESS, Event.ENCAPSULATED);
        assertThat(Arp.targetIp(bed.router.last(), Ethernet.HEADER)).isEqualTo(gateway.v4());
        long gatewayMac = 0x0200000002feL;
        answer(bed, neighbors, gatewayMac, gateway.v4());
        ByteBuffer sent = bed.router.last();
        assertThat(Ethernet.destination(sent, 0)).isEqualTo(gatewayMac);
        assertThat(Ipv4.destination(sent, Ethernet.HEADER)).isEqualTo(v4(EgressTestBed.REMOTE));
    }

    /** The next hop at {@code ip} answers our ARP request from {@code mac}. */
    private static void answer(EgressTestBed bed, UnderlayNeighbors neighbors, long mac, int ip) {
        ByteBuffer reply = TestFrames.underlayArp(Arp.REPLY, bed.underlayMac(), mac, ip, bed.underlayMac(), v4(EgressTestBed.LOCAL));
        bed.withScratch(s -> neighbors.onArp(s, reply, Ethernet.HEADER, reply.limit() - Ethernet.HEADER));
    }
}
