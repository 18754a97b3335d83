package org.splitnve.nvedataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitnve.nvedataplane.TestFrames.active;
import static org.splitnve.nvedataplane.TestFrames.ip;
import static org.splitnve.nvedataplane.TestFrames.udp4;
import static org.splitnve.nvedataplane.TestFrames.v4;

import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.splitnve.nvedataplane.DataPlaneCounters.Event;
import org.splitnve.nvedataplane.codec.Arp;
import org.splitnve.nvedataplane.codec.Encapsulation;
import org.splitnve.nvedataplane.codec.EtherType;
import org.splitnve.nvedataplane.codec.Ethernet;
import org.splitnve.nvedataplane.codec.IpProtocol;
import org.splitnve.nvedataplane.codec.Ipv4;
import org.splitnve.nvedataplane.codec.MulticastQuery;
import org.splitnve.nvedataplane.codec.Tunnel;
import org.splitnve.nvedataplane.codec.UdpPort;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.TsiState;

class DataPlaneTest {

    static final MacAddress A = MacAddress.valueOf("52:54:00:00:00:0a");
    static final MacAddress B = MacAddress.valueOf("52:54:00:00:00:0b");
    static final MacAddress R = MacAddress.valueOf("52:54:00:00:00:0f");
    static final int VNI = 5000;

    private static Tunnel.Decoded decode(ByteBuffer f) throws Exception {
        return Tunnel.decode(f, 0, f.limit(), Encapsulation.VXLAN);
    }

    @Test
    void a_frame_to_a_remote_tsi_leaves_untagged_in_vxlan_toward_its_nve() throws Exception {
        DataPlaneTestBed bed = new DataPlaneTestBed();
        bed.dp.onTsiActivated(active("p1", VNI, 100, A, ip("10.0.0.1")));
        bed.remote(VNI, R, "10.0.0.9", DataPlaneTestBed.REMOTE);
        ByteBuffer f = udp4(R.toLong(), A.toLong(), 100, v4("10.0.0.1"), v4("10.0.0.9"), 1000, 2000, 100);
        bed.fromStation1(f);
        assertThat(bed.router.size()).isEqualTo(1);
        ByteBuffer out = bed.router.last();
        Tunnel.Decoded d = decode(out);
        assertThat(d.vni).isEqualTo(VNI);
        assertThat(d.dstIp4).isEqualTo(v4(DataPlaneTestBed.REMOTE));
        assertThat(d.srcIp4).isEqualTo(v4(DataPlaneTestBed.LOCAL));
        assertThat(d.udpSrcPort).isBetween(UdpPort.FLOW_MIN, UdpPort.FLOW_MAX);
        assertThat(Ethernet.destination(out, 0)).isEqualTo(DataPlaneTestBed.ROUTER_MAC.toLong());
        assertThat(d.innerLength).isEqualTo(96);
        assertThat(Ethernet.outerType(out, d.innerOffset)).isEqualTo(EtherType.IPV4);
        assertThat(bed.dp.counters().count(Event.ENCAPSULATED)).isEqualTo(1);
    }

    @Test
    void a_tunnelled_frame_reaches_the_port_of_the_tsi_with_that_ports_tag() {
        DataPlaneTestBed bed = new DataPlaneTestBed();
        bed.dp.onTsiActivated(active("p2", VNI, 300, B));
        bed.remote(VNI, R, null, DataPlaneTestBed.REMOTE);
        ByteBuffer inner = TestFrames.udp6(B.toLong(), R.toLong(), 1, 2, 3, 4, 120);
        ByteBuffer outer = ByteBuffer.allocate(400);
        int n = Tunnel.encapsulateV4(inner, 0, 120, false, outer, 0, DataPlaneTestBed.UNDERLAY_MAC.toLong(), DataPlaneTestBed.ROUTER_MAC.toLong(),
                v4(DataPlaneTestBed.REMOTE), v4(DataPlaneTestBed.LOCAL), Encapsulation.VXLAN, VNI, 7, 64);
        bed.fromUnderlay(outer.limit(n));
        assertThat(bed.sta2.size()).isEqualTo(1);
        ByteBuffer got = bed.sta2.last();
        assertThat(Ethernet.vid(got, 0)).isEqualTo(300);
        assertThat(got.limit()).isEqualTo(124);
        ByteBuffer untagged = ByteBuffer.allocate(120);
        Ethernet.popTag(got, 0, 124, untagged, 0);
        assertThat(untagged.array()).isEqualTo(inner.array());
        assertThat(bed.sta1.size()).isZero();
    }

    @Test
    void a_frame_between_two_local_ports_is_retagged_with_the_tag_of_the_vn_on_the_other_port() {
        DataPlaneTestBed bed = new DataPlaneTestBed();
        bed.dp.onTsiActivated(active("p1", VNI, 100, A));
        bed.dp.onTsiActivated(active("p2", VNI, 200, B));
        bed.fromStation1(udp4(B.toLong(), A.toLong(), 100, 1, 2, 3, 4, 80));
        assertThat(bed.sta2.size()).isEqualTo(1);
        assertThat(Ethernet.vid(bed.sta2.last(), 0)).isEqualTo(200);
        assertThat(bed.router.size()).isZero();
    }

    @Test
    void a_frame_whose_source_mac_is_no_activated_tsi_is_dropped_as_spoofed() {
        DataPlaneTestBed bed = new DataPlaneTestBed();
        bed.dp.onTsiActivated(active("p1", VNI, 100, A));
        bed.remote(VNI, R, null, DataPlaneTestBed.REMOTE);
        bed.fromStation1(udp4(R.toLong(), B.toLong(), 100, 1, 2, 3, 4, 80));
        assertThat(bed.router.size()).isZero();
        assertThat(bed.dp.counters().drops(DropReason.SOURCE_NOT_ACTIVATED)).isEqualTo(1);
    }

    @Test
    void a_tsi_of_the_vn_on_another_port_cannot_send_on_this_port() {
        DataPlaneTestBed bed = new DataPlaneTestBed();
        bed.dp.onTsiActivated(active("p1", VNI, 100, A));
        bed.dp.onTsiActivated(active("p2", VNI, 100, B));
        bed.remote(VNI, R, null, DataPlaneTestBed.REMOTE);
        bed.fromStation1(udp4(R.toLong(), B.toLong(), 100, 1, 2, 3, 4, 80));
        assertThat(bed.router.size()).isZero();
        assertThat(bed.dp.counters().drops(DropReason.SOURCE_NOT_ACTIVATED)).isEqualTo(1);
    }

    @Test
    void a_source_ip_the_tsi_did_not_register_is_dropped_as_spoofed() {
        DataPlaneTestBed bed = new DataPlaneTestBed();
        bed.dp.onTsiActivated(active("p1", VNI, 100, A, ip("10.0.0.1")));
        bed.remote(VNI, R, null, DataPlaneTestBed.REMOTE);
        bed.fromStation1(udp4(R.toLong(), A.toLong(), 100, v4("10.0.0.66"), v4("10.0.0.9"), 3, 4, 80));
        bed.fromStation1(TestFrames.arpRequest(100, A.toLong(), v4("10.0.0.66"), v4("10.0.0.9")));
        assertThat(bed.router.size()).isZero();
        assertThat(bed.dp.counters().drops(DropReason.SPOOFED_SOURCE_IP)).isEqualTo(2);
    }

    @Test
    void an_arp_sender_mac_other_than_the_frame_source_is_dropped() {
        DataPlaneTestBed bed = new DataPlaneTestBed();
        bed.dp.onTsiActivated(active("p1", VNI, 100, A));
        ByteBuffer f = TestFrames.arpRequest(100, A.toLong(), v4("10.0.0.1"), v4("10.0.0.9"));
        Ethernet.putMac(f, Ethernet.TAGGED_HEADER + 8, B.toLong());
        bed.fromStation1(f);
        assertThat(bed.dp.counters().drops(DropReason.SPOOFED_SOURCE_MAC)).isEqualTo(1);
    }

    @Test
    void an_associated_tsi_neither_sends_nor_receives() {
        DataPlaneTestBed bed = new DataPlaneTestBed();
        bed.dp.onTsiActivated(active("p1", VNI, 100, A));
        bed.dp.onTsiActivated(active("p2", VNI, 200, B));
        bed.dp.onTsiDeactivated(active("p2", VNI, 200, B), "pre-associate (deactivate)");
        bed.fromStation2(udp4(A.toLong(), B.toLong(), 200, 1, 2, 3, 4, 80));
        assertThat(bed.sta1.size()).isZero();
        bed.remote(VNI, R, null, DataPlaneTestBed.REMOTE);
        bed.fromStation1(udp4(Ethernet.BROADCAST, A.toLong(), 100, 1, 2, 3, 4, 80));
        assertThat(bed.sta2.size()).as("broadcast reaches no Associated TSI").isZero();
        assertThat(bed.router.size()).isEqualTo(1);
    }

    @Test
    void an_untagged_frame_and_an_unmapped_tag_are_dropped() {
        DataPlaneTestBed bed = new DataPlaneTestBed();
        bed.dp.onTsiActivated(active("p1", VNI, 100, A));
        ByteBuffer untagged = ByteBuffer.allocate(64);
        Ethernet.writeHeader(untagged, 0, B.toLong(), A.toLong(), EtherType.IPV4);
        bed.fromStation1(untagged);
        bed.fromStation1(udp4(B.toLong(), A.toLong(), 101, 1, 2, 3, 4, 80));
        assertThat(bed.dp.counters().drops(DropReason.UNTAGGED)).isEqualTo(1);
        assertThat(bed.dp.counters().drops(DropReason.UNKNOWN_TAG)).isEqualTo(1);
    }

    @Test
    void broadcast_is_replicated_to_every_remote_nve_and_every_other_local_port_of_the_vn() throws Exception {
        DataPlaneTestBed bed = new DataPlaneTestBed();
        bed.dp.onTsiActivated(active("p1", VNI, 100, A));
        bed.dp.onTsiActivated(active("p2", VNI, 200, B));
        bed.remote(VNI, R, null, DataPlaneTestBed.REMOTE);
        bed.remote(VNI, MacAddress.valueOf("52:54:00:00:00:0e"), null, "192.0.2.3");
        bed.remote(VNI + 1, MacAddress.valueOf("52:54:00:00:00:0d"), null, "192.0.2.4");
        bed.fromStation1(udp4(Ethernet.BROADCAST, A.toLong(), 100, 1, 2, 3, 4, 80));
        assertThat(bed.sta2.size()).isEqualTo(1);
        assertThat(bed.sta1.size()).isZero();
        assertThat(bed.router.frames).hasSize(2);
        assertThat(decode(bed.router.frames.get(0)).dstIp4).isEqualTo(v4("192.0.2.2"));
        assertThat(decode(bed.router.frames.get(1)).dstIp4).isEqualTo(v4("192.0.2.3"));
    }

    @Test
    void a_static_remote_gets_the_vns_floods() throws Exception {
        DataPlaneTestBed bed = new DataPlaneTestBed();
        bed.dp.onTsiActivated(active("p1", VNI, 100, A));
        bed.directory.addStatic(org.splitnve.vdpcore.vdp.VnId.of(VNI), UnderlayAddress.parse("192.0.2.7"));
        bed.fromStation1(udp4(R.toLong(), A.toLong(), 100, 1, 2, 3, 4, 80));
        assertThat(bed.router.frames).hasSize(1);
        assertThat(decode(bed.router.last()).dstIp4).isEqualTo(v4("192.0.2.7"));
    }

    @Test
    void an_arp_request_for_an_address_the_directory_knows_is_answered_on_the_port() {
        DataPlaneTestBed bed = new DataPlaneTestBed();
        bed.dp.onTsiActivated(active("p1", VNI, 100, A, ip("10.0.0.1")));
        bed.remote(VNI, R, "10.0.0.9", DataPlaneTestBed.REMOTE);
        bed.fromStation1(TestFrames.arpRequest(100, A.toLong(), v4("10.0.0.1"), v4("10.0.0.9")));
        assertThat(bed.router.size()).isZero();
        assertThat(bed.sta1.size()).isEqualTo(1);
        ByteBuffer reply = bed.sta1.last();
        assertThat(Ethernet.vid(reply, 0)).isEqualTo(100);
        int a = Ethernet.TAGGED_HEADER;
        assertThat(Arp.operation(reply, a)).isEqualTo(Arp.REPLY);
        assertThat(Arp.senderMac(reply, a)).isEqualTo(R.toLong());
        assertThat(Arp.senderIp(reply, a)).isEqualTo(v4("10.0.0.9"));
        assertThat(Arp.targetMac(reply, a)).isEqualTo(A.toLong());
    }

    @Test
    void a_tunnel_packet_with_a_bad_outer_ipv4_checksum_is_dropped() {
        DataPlaneTestBed bed = new DataPlaneTestBed();
        bed.dp.onTsiActivated(active("p2", VNI, 300, B));
        ByteBuffer outer = tunnelTo(B, VNI);
        outer.put(Ethernet.HEADER + 10, (byte) (outer.get(Ethernet.HEADER + 10) ^ 1));
        bed.fromUnderlay(outer);
        assertThat(bed.sta2.size()).isZero();
        assertThat(bed.dp.counters().drops(DropReason.OUTER_IP_CHECKSUM)).isEqualTo(1);
    }

    @Test
    void a_tunnel_packet_with_the_vxlan_i_flag_clear_is_dropped() {
        DataPlaneTestBed bed = new DataPlaneTestBed();
        bed.dp.onTsiActivated(active("p2", VNI, 300, B));
        ByteBuffer outer = tunnelTo(B, VNI);
        outer.put(Ethernet.HEADER + Ipv4.HEADER + 8, (byte) 0);
        bed.fromUnderlay(outer);
        assertThat(bed.dp.counters().drops(DropReason.BAD_ENCAPSULATION)).isEqualTo(1);
    }

    @Test
    void a_tunnel_packet_for_an_unknown_vni_or_an_inactive_mac_is_dropped() {
        DataPlaneTestBed bed = new DataPlaneTestBed();
        bed.dp.onTsiActivated(active("p2", VNI, 300, B));
        bed.fromUnderlay(tunnelTo(B, VNI + 1));
        bed.fromUnderlay(tunnelTo(A, VNI));
        assertThat(bed.sta2.size()).isZero();
        assertThat(bed.dp.counters().drops(DropReason.UNKNOWN_VNI)).isEqualTo(1);
        assertThat(bed.dp.counters().drops(DropReason.UNKNOWN_DESTINATION)).isEqualTo(1);
    }

    @Test
    void a_tunnel_packet_on_another_udp_port_is_not_decapsulated() {
        DataPlaneTestBed bed = new DataPlaneTestBed();
        bed.dp.onTsiActivated(active("p2", VNI, 300, B));
        ByteBuffer outer = tunnelTo(B, VNI);
        int udp = Ethernet.HEADER + Ipv4.HEADER;
        outer.putShort(udp + 2, (short) 4790);
        bed.fromUnderlay(outer);
        assertThat(bed.dp.counters().drops(DropReason.NOT_TUNNEL)).isEqualTo(1);
    }

    @Test
    void geneve_carries_frames_both_ways() throws Exception {
        DataPlaneTestBed bed = new DataPlaneTestBed(Encapsulation.GENEVE);
        bed.dp.onTsiActivated(active("p1", VNI, 100, A));
        bed.remote(VNI, R, null, DataPlaneTestBed.REMOTE);
        bed.fromStation1(udp4(R.toLong(), A.toLong(), 100, 1, 2, 3, 4, 80));
        Tunnel.Decoded d = Tunnel.decode(bed.router.last(), 0, bed.router.last().limit(), Encapsulation.GENEVE);
        assertThat(d.udpDstPort).isEqualTo(UdpPort.GENEVE);
        assertThat(d.vni).isEqualTo(VNI);
        ByteBuffer inner = TestFrames.udp6(A.toLong(), R.toLong(), 1, 2, 3, 4, 100);
        ByteBuffer outer = ByteBuffer.allocate(300);
        int n = Tunnel.encapsulateV4(inner, 0, 100, false, outer, 0, DataPlaneTestBed.UNDERLAY_MAC.toLong(), DataPlaneTestBed.ROUTER_MAC.toLong(),
                v4(DataPlaneTestBed.REMOTE), v4(DataPlaneTestBed.LOCAL), Encapsulation.GENEVE, VNI, 1, 64);
        bed.fromUnderlay(outer.limit(n));
        assertThat(bed.sta1.size()).isEqualTo(1);
    }

    @Test
    void the_underlay_next_hop_is_resolved_by_arp_and_waiting_frames_follow_the_answer() {
        DataPlaneTestBed bed = new DataPlaneTestBed();
        MacAddress peerMac = MacAddress.valueOf("02:00:00:00:02:02");
        var ports = org.splitnve.nvedataplane.port.MemoryDataPort.pair("up", DataPlaneTestBed.UNDERLAY_MAC, "peer", peerMac);
        TestFrames.Sink peer = new TestFrames.Sink();
        ports[1].receiver(peer);
        var trunk = org.splitnve.nvedataplane.port.MemoryDataPort.pair("p1", MacAddress.valueOf("02:00:00:00:00:01"), "s",
                MacAddress.valueOf("02:00:00:00:00:11"));
        DataPlane dp = DataPlane.builder().trunkPort(trunk[0]).underlayPort(ports[0]).localAddress(ip(DataPlaneTestBed.LOCAL))
                .resolveNextHop().directory(bed.directory).scheduler(bed.scheduler).build();
        dp.onTsiActivated(active("p1", VNI, 100, A));
        bed.remote(VNI, R, null, DataPlaneTestBed.REMOTE);
        trunk[1].send(udp4(R.toLong(), A.toLong(), 100, 1, 2, 3, 4, 80));
        trunk[1].send(udp4(R.toLong(), A.toLong(), 100, 1, 2, 3, 5, 80));
        assertThat(peer.frames).hasSize(1);
        ByteBuffer req = peer.last();
        assertThat(Ethernet.outerType(req, 0)).isEqualTo(EtherType.ARP);
        assertThat(Arp.targetIp(req, Ethernet.HEADER)).isEqualTo(v4(DataPlaneTestBed.REMOTE));
        ByteBuffer reply = ByteBuffer.allocate(60);
        int a = Ethernet.writeHeader(reply, 0, DataPlaneTestBed.UNDERLAY_MAC.toLong(), peerMac.toLong(), EtherType.ARP);
        Arp.write(reply, a, Arp.REPLY, peerMac.toLong(), v4(DataPlaneTestBed.REMOTE), DataPlaneTestBed.UNDERLAY_MAC.toLong(), v4(DataPlaneTestBed.LOCAL));
        ports[1].send(reply);
        assertThat(peer.frames).hasSize(3);
        assertThat(Ethernet.destination(peer.frames.get(1), 0)).isEqualTo(peerMac.toLong());
        assertThat(dp.neighbor(ip(DataPlaneTestBed.REMOTE))).contains(peerMac);
        assertThat(dp.counters().count(Event.ENCAPSULATED)).isEqualTo(2);
    }

    @Test
    void an_unanswered_next_hop_drops_the_waiting_frames_after_three_tries_and_counts_them() {
        DataPlaneTestBed bed = new DataPlaneTestBed();
        var ports = org.splitnve.nvedataplane.port.MemoryDataPort.pair("up", DataPlaneTestBed.UNDERLAY_MAC, "peer",
                MacAddress.valueOf("02:00:00:00:02:02"));
        TestFrames.Sink peer = new TestFrames.Sink();
        ports[1].receiver(peer);
        var trunk = org.splitnve.nvedataplane.port.MemoryDataPort.pair("p1", MacAddress.valueOf("02:00:00:00:00:01"), "s",
                MacAddress.valueOf("02:00:00:00:00:11"));
        DataPlane dp = DataPlane.builder().trunkPort(trunk[0]).underlayPort(ports[0]).localAddress(ip(DataPlaneTestBed.LOCAL))
                .directory(bed.directory).scheduler(bed.scheduler).build();
        dp.onTsiActivated(active("p1", VNI, 100, A));
        bed.remote(VNI, R, null, DataPlaneTestBed.REMOTE);
        trunk[1].send(udp4(R.toLong(), A.toLong(), 100, 1, 2, 3, 4, 80));
        bed.scheduler.advance(Duration.ofSeconds(5));
        assertThat(peer.frames).hasSize(3).allMatch(f -> Ethernet.outerType(f, 0) == EtherType.ARP);
        assertThat(dp.counters().drops(DropReason.NEXT_HOP_UNRESOLVED)).isEqualTo(1);
    }

    @Test
    void an_activation_by_migration_sends_an_igmp_and_an_mld_general_query_to_the_tsi() {
        DataPlaneTestBed bed = new DataPlaneTestBed();
        var t = active("p1", VNI, 100, A, ip("10.0.0.1"), ip("2001:db8::1"));
        bed.dp.onTsiActivated(t);
        bed.dp.onActivatedWithMigration(t);
        assertThat(bed.sta1.frames).hasSize(2);
        ByteBuffer igmp = bed.sta1.frames.get(0);
        assertThat(Ethernet.destination(igmp, 0)).isEqualTo(A.toLong());
        assertThat(Ethernet.vid(igmp, 0)).isEqualTo(100);
        int ip4 = Ethernet.TAGGED_HEADER;
        assertThat(Ipv4.validate(igmp, ip4, igmp.limit() - ip4)).isNull();
        assertThat(Ipv4.protocol(igmp, ip4)).isEqualTo(IpProtocol.IGMP);
        assertThat(Ipv4.destination(igmp, ip4)).isEqualTo(MulticastQuery.ALL_SYSTEMS);
        assertThat(igmp.get(ip4 + MulticastQuery.IGMP_IP_HEADER) & 0xFF).isEqualTo(MulticastQuery.IGMP_QUERY);
        ByteBuffer mld = bed.sta1.frames.get(1);
        assertThat(Ethernet.payloadType(mld, 0)).isEqualTo(EtherType.IPV6);
        assertThat(mld.get(Ethernet.TAGGED_HEADER + 40 + 8) & 0xFF).isEqualTo(MulticastQuery.MLD_QUERY);
    }

    @Test
    void a_tsi_that_moved_has_its_in_flight_frames_held_then_tunnelled_to_its_new_nve() throws Exception {
        DataPlaneTestBed bed = new DataPlaneTestBed();
        var t = active("p2", VNI, 300, B);
        bed.dp.onTsiActivated(t);
        bed.dp.onTsiActivated(active("p1", VNI, 100, A));
        bed.dp.onTsiDeactivated(t, "moved");
        bed.fromUnderlay(tunnelTo(B, VNI));
        bed.fromStation1(udp4(B.toLong(), A.toLong(), 100, 1, 2, 3, 4, 80));
        assertThat(bed.router.size()).isZero();
        assertThat(bed.dp.counters().count(Event.MIGRATION_HELD)).isEqualTo(2);
        bed.remote(VNI, B, null, "192.0.2.5");
        assertThat(bed.router.frames).hasSize(2);
        for (ByteBuffer f : bed.router.frames) {
            assertThat(decode(f).dstIp4).isEqualTo(v4("192.0.2.5"));
        }
        bed.fromUnderlay(tunnelTo(B, VNI));
        assertThat(bed.router.frames).hasSize(3);
        bed.scheduler.advance(Duration.ofSeconds(11));
        bed.fromUnderlay(tunnelTo(B, VNI));
        assertThat(bed.router.frames).hasSize(3);
        assertThat(bed.dp.counters().drops(DropReason.UNKNOWN_DESTINATION)).isEqualTo(1);
    }

    @Test
    void frames_held_for_a_moved_tsi_whose_new_nve_is_never_learned_are_counted_when_the_timer_ends() {
        DataPlaneTestBed bed = new DataPlaneTestBed();
        var t = active("p2", VNI, 300, B);
        bed.dp.onTsiActivated(t);
        bed.dp.onTsiDeactivated(t, "moved");
        bed.fromUnderlay(tunnelTo(B, VNI));
        bed.scheduler.advance(Duration.ofSeconds(11));
        assertThat(bed.dp.counters().drops(DropReason.MIGRATION_EXPIRED)).isEqualTo(1);
        assertThat(bed.dp.movedTsis()).isZero();
    }

    @Test
    void a_moved_tsi_whose_new_nve_sent_the_frame_is_not_tunnelled_back() {
        DataPlaneTestBed bed = new DataPlaneTestBed();
        var t = active("p2", VNI, 300, B);
        bed.dp.onTsiActivated(t);
        bed.dp.onTsiDeactivated(t, "moved");
        bed.remote(VNI, B, null, DataPlaneTestBed.REMOTE);
        bed.fromUnderlay(tunnelTo(B, VNI));
        assertThat(bed.dp.counters().drops(DropReason.TUNNEL_LOOP)).isEqualTo(1);
        assertThat(bed.router.size()).isZero();
    }

    /** A VXLAN packet from the remote NVE to us carrying a frame for {@code dst}. */
    static ByteBuffer tunnelTo(MacAddress dst, int vni) {
        ByteBuffer inner = udp4(dst.toLong(), R.toLong(), 1, 1, 2, 3, 4, 84);
        ByteBuffer untagged = ByteBuffer.allocate(80);
        Ethernet.popTag(inner, 0, 84, untagged, 0);
        ByteBuffer outer = ByteBuffer.allocate(300);
        int n = Tunnel.encapsulateV4(untagged, 0, 80, false, outer, 0, DataPlaneTestBed.UNDERLAY_MAC.toLong(), DataPlaneTestBed.ROUTER_MAC.toLong(),
                v4(DataPlaneTestBed.REMOTE), v4(DataPlaneTestBed.LOCAL), Encapsulation.VXLAN, vni, 9, 64);
        return outer.limit(n);
    }
}
