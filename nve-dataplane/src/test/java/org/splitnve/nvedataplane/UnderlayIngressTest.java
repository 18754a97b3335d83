package org.splitnve.nvedataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitnve.nvedataplane.TestFrames.active;
import static org.splitnve.nvedataplane.TestFrames.v4;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.splitnve.nvedataplane.DataPlaneCounters.Event;
import org.splitnve.nvedataplane.codec.Arp;
import org.splitnve.nvedataplane.codec.Encapsulation;
import org.splitnve.nvedataplane.codec.EtherType;
import org.splitnve.nvedataplane.codec.Ethernet;
import org.splitnve.nvedataplane.codec.Tunnel;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.VnId;

class UnderlayIngressTest {

    static final MacAddress A = MacAddress.valueOf("52:54:00:00:00:0a");
    static final MacAddress B = MacAddress.valueOf("52:54:00:00:00:0b");
    static final long R = 0x52540000000fL;
    static final int VNI = 5000;

    final EgressTestBed bed = new EgressTestBed();
    final MigrationHold hold = bed.hold();
    final ForwardingTables tables = bed.tables(hold);
    final UnderlayNeighbors neighbors = bed.neighbors();
    final UnderlayIngress ingress = bed.underlayIngress(tables, hold, neighbors);

    UnderlayIngressTest() {
        tables.onTsiActivated(active("p1", VNI, 100, A));
        tables.onTsiActivated(active("p2", VNI, 200, B));
    }

    /** An untagged IPv4/UDP frame of {@code length} octets to {@code dst}. */
    private static ByteBuffer inner(long dst, int length) {
        ByteBuffer tagged = TestFrames.udp4(dst, R, 1, 1, 2, 3, 4, length + Ethernet.TAG);
        ByteBuffer untagged = ByteBuffer.allocate(length);
        Ethernet.popTag(tagged, 0, length + Ethernet.TAG, untagged, 0);
        return untagged;
    }

    /** A VXLAN packet from the remote NVE to {@code dstIp} carrying {@code inner}. */
    private ByteBuffer tunnel(ByteBuffer inner, int vni, int dstIp) {
        ByteBuffer outer = ByteBuffer.allocate(inner.limit() + Tunnel.OVERHEAD_V4);
        int n = Tunnel.encapsulateV4(inner, 0, inner.limit(), false, outer, 0, bed.underlayMac(), EgressTestBed.ROUTER_MAC.toLong(),
                v4(EgressTestBed.REMOTE), dstIp, Encapsulation.VXLAN, vni, 9, 64);
        return outer.limit(n);
    }

    private ByteBuffer tunnel(ByteBuffer inner) {
        return tunnel(inner, VNI, v4(EgressTestBed.LOCAL));
    }

    @Test
    void a_tunnelled_frame_reaches_the_port_of_its_tsi_with_that_ports_tag() {
        ingress.receive(tunnel(inner(B.toLong(), 80)));
        assertThat(bed.sta2.frames).hasSize(1);
        assertThat(Ethernet.vid(bed.sta2.last(), 0)).isEqualTo(200);
        assertThat(bed.sta2.last().limit()).isEqualTo(84);
        assertThat(bed.sta1.frames).isEmpty();
        assertThat(bed.counters.count(Event.RECEIVED_UNDERLAY)).isEqualTo(1);
        assertThat(bed.counters.count(Event.DECAPSULATED)).isEqualTo(1);
    }

    @Test
    void a_tunnelled_broadcast_reaches_every_port_of_the_vn_and_counts_once_as_decapsulated() {
        ingress.receive(tunnel(inner(Ethernet.BROADCAST, 80)));
        assertThat(bed.sta1.frames).hasSize(1);
        assertThat(bed.sta2.frames).hasSize(1);
        assertThat(Ethernet.vid(bed.sta1.last(), 0)).isEqualTo(100);
        assertThat(Ethernet.vid(bed.sta2.last(), 0)).isEqualTo(200);
        assertThat(bed.counters.count(Event.DECAPSULATED)).isEqualTo(1);
        assertThat(bed.counters.count(Event.FLOOD_COPIES_LOCAL)).isEqualTo(2);
    }

    @Test
    void a_tunnelled_broadcast_in_a_vn_with_a_tag_but_no_activated_tsi_has_no_destination() {
        tables.onVnMapped("p1", VnId.of(VNI + 1), new LocalTag(101), null);
        ingress.receive(tunnel(inner(Ethernet.BROADCAST, 80), VNI + 1, v4(EgressTestBed.LOCAL)));
        assertThat(bed.counters.drops(DropReason.NO_DESTINATION)).isEqualTo(1);
    }

    @Test
    void an_inner_frame_with_a_tag_or_longer_than_the_maximum_is_dropped() {
        ByteBuffer tagged = TestFrames.udp4(B.toLong(), R, 1, 1, 2, 3, 4, 80);
        ingress.receive(tunnel(tagged));
        ingress.receive(tunnel(inner(B.toLong(), EgressTestBed.MAX_FRAME - Ethernet.TAG + 1)));
        assertThat(bed.counters.drops(DropReason.INNER_TAGGED)).isEqualTo(1);
        assertThat(bed.counters.drops(DropReason.TOO_LONG)).isEqualTo(1);
        assertThat(bed.sta2.frames).isEmpty();
    }

    @Test
    void a_frame_for_another_mac_or_a_tunnel_packet_for_another_ip_is_not_for_us() {
        ByteBuffer otherMac = tunnel(inner(B.toLong(), 80));
        Ethernet.putMac(otherMac, 0, 0x020000000303L);
        ingress.receive(otherMac);
        ingress.receive(tunnel(inner(B.toLong(), 80), VNI, v4("192.0.2.9")));
        assertThat(bed.counters.drops(DropReason.NOT_FOR_US)).isEqualTo(2);
        assertThat(bed.sta2.frames).isEmpty();
    }

    @Test
    void control_frames_other_ethertypes_and_runts_are_dropped_by_reason() {
        ByteBuffer lldp = ByteBuffer.allocate(64);
        Ethernet.writeHeader(lldp, 0, 0x0180c200000eL, R, EtherType.LLDP);
        ByteBuffer other = ByteBuffer.allocate(64);
        Ethernet.writeHeader(other, 0, bed.underlayMac(), R, 0x88B5);
        ingress.receive(lldp);
        ingress.receive(other);
        ingress.receive(ByteBuffer.allocate(12));
        assertThat(bed.counters.drops(DropReason.CONTROL_FRAME)).isEqualTo(1);
        assertThat(bed.counters.drops(DropReason.NOT_TUNNEL)).isEqualTo(1);
        assertThat(bed.counters.drops(DropReason.OUTER_MALFORMED)).isEqualTo(1);
    }

    @Test
    void arp_on_the_underlay_goes_to_the_neighbours_which_answer_for_our_address() {
        neighbors.entryFor(UnderlayAddress.parse(EgressTestBed.REMOTE)); // a next hop we need, so its request is learned from
        ingress.receive(TestFrames.underlayArp(Arp.REQUEST, Ethernet.BROADCAST, 0x020000000202L, v4(EgressTestBed.REMOTE), 0,
                v4(EgressTestBed.LOCAL)));
        assertThat(bed.router.frames).hasSize(1);
        assertThat(Arp.operation(bed.router.last(), Ethernet.HEADER)).isEqualTo(Arp.REPLY);
        assertThat(neighbors.macOf(TestFrames.ip(EgressTestBed.REMOTE))).isPresent();
    }

    @Test
    void a_tunnelled_frame_for_a_tsi_that_moved_away_goes_to_the_migration_hold() {
        tables.onTsiDeactivated(active("p2", VNI, 200, B), "moved");
        ingress.receive(tunnel(inner(B.toLong(), 80)));
        assertThat(bed.sta2.frames).isEmpty();
        assertThat(bed.counters.count(Event.MIGRATION_HELD)).isEqualTo(1);
    }
}
