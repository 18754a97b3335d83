package org.splitnve.nvedataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitnve.nvedataplane.TestFrames.active;
import static org.splitnve.nvedataplane.TestFrames.high;
import static org.splitnve.nvedataplane.TestFrames.ip;
import static org.splitnve.nvedataplane.TestFrames.low;
import static org.splitnve.nvedataplane.TestFrames.udp4;
import static org.splitnve.nvedataplane.TestFrames.v4;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.splitnve.nvedataplane.DataPlaneCounters.Event;
import org.splitnve.nvedataplane.codec.Arp;
import org.splitnve.nvedataplane.codec.Encapsulation;
import org.splitnve.nvedataplane.codec.Ethernet;
import org.splitnve.nvedataplane.codec.Ipv6;
import org.splitnve.nvedataplane.codec.Neighbor;
import org.splitnve.nvedataplane.codec.Tunnel;
import org.splitnve.vdpcore.MacAddress;

class StationIngressTest {

    static final MacAddress A = MacAddress.valueOf("52:54:00:00:00:0a");
    static final MacAddress B = MacAddress.valueOf("52:54:00:00:00:0b");
    static final MacAddress R = MacAddress.valueOf("52:54:00:00:00:0f");
    static final int VNI = 5000;

    final EgressTestBed bed = new EgressTestBed();
    final MigrationHold hold = bed.hold();
    final ForwardingTables tables = bed.tables(hold);

    StationIngressTest() {
        tables.onTsiActivated(active("p1", VNI, 100, A, ip("10.0.0.1"), ip("2001:db8::a")));
        tables.onTsiActivated(active("p2", VNI, 200, B, ip("10.0.0.2"), ip("2001:db8::b")));
    }

    @Test
    void an_arp_request_for_a_local_tsis_address_is_answered_on_the_requesters_port_from_that_tsis_mac() {
        bed.stationIngress(tables, hold, true).receive(0, TestFrames.arpRequest(100, A.toLong(), v4("10.0.0.1"), v4("10.0.0.2")));
        assertThat(bed.sta2.frames).as("not flooded").isEmpty();
        ByteBuffer reply = bed.sta1.last();
        int arp = Ethernet.TAGGED_HEADER;
        assertThat(Ethernet.vid(reply, 0)).isEqualTo(100);
        assertThat(Ethernet.destination(reply, 0)).isEqualTo(A.toLong());
        assertThat(Ethernet.source(reply, 0)).isEqualTo(B.toLong());
        assertThat(Arp.operation(reply, arp)).isEqualTo(Arp.REPLY);
        assertThat(Arp.senderMac(reply, arp)).isEqualTo(B.toLong());
        assertThat(Arp.senderIp(reply, arp)).isEqualTo(v4("10.0.0.2"));
        assertThat(Arp.targetIp(reply, arp)).isEqualTo(v4("10.0.0.1"));
        assertThat(reply.limit()).isGreaterThanOrEqualTo(Ethernet.MIN_FRAME);
        assertThat(bed.counters.count(Event.ARP_ANSWERED)).isEqualTo(1);
    }

    @Test
    void a_gratuitous_arp_for_a_known_address_and_a_request_for_an_unknown_one_are_flooded_not_answered() {
        // C registered no address, so it may announce any, even B's: B must hear of the conflict.
        MacAddress c = MacAddress.valueOf("52:54:00:00:00:0c");
        tables.onTsiActivated(active("p1", VNI, 100, c));
        StationIngress ingress = bed.stationIngress(tables, hold, true);
        ingress.receive(0, TestFrames.arpRequest(100, c.toLong(), v4("10.0.0.2"), v4("10.0.0.2")));
        ingress.receive(0, TestFrames.arpRequest(100, A.toLong(), v4("10.0.0.1"), v4("10.0.0.77")));
        assertThat(bed.sta1.frames).isEmpty();
        assertThat(bed.sta2.frames).hasSize(2).allMatch(f -> Ethernet.vid(f, 0) == 200);
        assertThat(bed.counters.count(Event.ARP_ANSWERED)).isZero();
    }

    @Test
    void a_neighbour_solicitation_for_an_address_the_directory_knows_is_answered_with_a_solicited_advertisement() {
        bed.remote(VNI, R, "2001:db8::f", EgressTestBed.REMOTE);
        long group = Neighbor.solicitedNodeLow(low("2001:db8::f"));
        bed.stationIngress(tables, hold, true).receive(0, TestFrames.neighbor(100, Neighbor.multicastMac(group), A.toLong(),
                Neighbor.SOLICITATION, 0, high("2001:db8::a"), low("2001:db8::a"), Neighbor.SOLICITED_NODE_HIGH, group,
                high("2001:db8::f"), low("2001:db8::f"), A.toLong()));
        assertThat(bed.router.frames).isEmpty();
        ByteBuffer answer = bed.sta1.last();
        int ip6 = Ethernet.TAGGED_HEADER;
        assertThat(Ethernet.vid(answer, 0)).isEqualTo(100);
        assertThat(Ethernet.source(answer, 0)).isEqualTo(R.toLong());
        assertThat(Neighbor.validate(answer, ip6, answer.limit() - ip6)).isNull();
        assertThat(Neighbor.type(answer, ip6)).isEqualTo(Neighbor.ADVERTISEMENT);
        assertThat(answer.getInt(ip6 + Ipv6.HEADER + 4)).isEqualTo(Neighbor.FLAG_SOLICITED | Neighbor.FLAG_OVERRIDE);
        assertThat(Ipv6.sourceLow(answer, ip6)).isEqualTo(low("2001:db8::f"));
        assertThat(Ipv6.destinationLow(answer, ip6)).isEqualTo(low("2001:db8::a"));
        assertThat(Neighbor.linkLayerOption(answer, ip6, Neighbor.OPTION_TARGET_LL)).isEqualTo(R.toLong());
        assertThat(bed.counters.count(Event.ND_ANSWERED)).isEqualTo(1);
    }

    @Test
    void a_duplicate_address_probe_for_a_known_address_is_forwarded_not_answered() {
        // C registered no address, so it may probe any; B's is known.
        MacAddress c = MacAddress.valueOf("52:54:00:00:00:0c");
        tables.onTsiActivated(active("p1", VNI, 100, c));
        long group = Neighbor.solicitedNodeLow(low("2001:db8::b"));
        bed.stationIngress(tables, hold, true).receive(0, TestFrames.neighbor(100, Neighbor.multicastMac(group), c.toLong(),
                Neighbor.SOLICITATION, 0, 0, 0, Neighbor.SOLICITED_NODE_HIGH, group, high("2001:db8::b"), low("2001:db8::b"), c.toLong()));
        assertThat(bed.sta1.frames).isEmpty();
        assertThat(bed.sta2.frames).hasSize(1);
        assertThat(bed.counters.count(Event.ND_ANSWERED)).isZero();
    }

    @Test
    void with_answering_off_a_request_for_a_known_address_is_flooded() {
        bed.stationIngress(tables, hold, false).receive(0, TestFrames.arpRequest(100, A.toLong(), v4("10.0.0.1"), v4("10.0.0.2")));
        assertThat(bed.sta1.frames).isEmpty();
        assertThat(bed.sta2.frames).hasSize(1);
    }

    @Test
    void unknown_unicast_goes_to_every_remote_nve_of_the_vn_and_to_no_local_port() throws Exception {
        bed.remote(VNI, R, null, EgressTestBed.REMOTE);
        bed.stationIngress(tables, hold, true).receive(0, udp4(0x52540000007fL, A.toLong(), 100, v4("10.0.0.1"), 2, 3, 4, 80));
        assertThat(bed.sta2.frames).isEmpty();
        assertThat(bed.router.frames).hasSize(1);
        ByteBuffer outer = bed.router.last();
        assertThat(Tunnel.decode(outer, 0, outer.limit(), Encapsulation.VXLAN).dstIp4).isEqualTo(v4(EgressTestBed.REMOTE));
        assertThat(bed.counters.count(Event.FLOOD_COPIES_REMOTE)).isEqualTo(1);
    }

    @Test
    void a_frame_nobody_can_receive_is_counted_as_having_no_destination() {
        bed.stationIngress(tables, hold, true).receive(0, udp4(0x52540000007fL, A.toLong(), 100, v4("10.0.0.1"), 2, 3, 4, 80));
        assertThat(bed.counters.drops(DropReason.NO_DESTINATION)).isEqualTo(1);
    }

    @Test
    void a_frame_to_a_tsi_on_the_same_port_is_relayed_back_on_it() {
        tables.onTsiActivated(active("p1", VNI, 100, R));
        bed.stationIngress(tables, hold, true).receive(0, udp4(R.toLong(), A.toLong(), 100, v4("10.0.0.1"), 2, 3, 4, 80));
        assertThat(bed.sta1.frames).hasSize(1);
        assertThat(Ethernet.destination(bed.sta1.last(), 0)).isEqualTo(R.toLong());
        assertThat(bed.counters.count(Event.DELIVERED_LOCAL)).isEqualTo(1);
    }

    @Test
    void a_frame_for_a_tsi_that_moved_away_goes_to_the_migration_hold() {
        tables.onTsiDeactivated(active("p2", VNI, 200, B, ip("10.0.0.2"), ip("2001:db8::b")), "moved");
        bed.stationIngress(tables, hold, true).receive(0, udp4(B.toLong(), A.toLong(), 100, v4("10.0.0.1"), 2, 3, 4, 80));
        assertThat(bed.sta2.frames).isEmpty();
        assertThat(bed.counters.count(Event.MIGRATION_HELD)).isEqualTo(1);
    }

    @Test
    void a_frame_is_read_from_its_buffers_position_and_a_refused_one_is_counted_by_its_reason() {
        StationIngress ingress = bed.stationIngress(tables, hold, true);
        ByteBuffer frame = udp4(B.toLong(), A.toLong(), 100, v4("10.0.0.1"), 2, 3, 4, 80);
        ByteBuffer shifted = ByteBuffer.allocate(96);
        shifted.put(16, frame, 0, 80).position(16).limit(96);
        ingress.receive(0, shifted);
        ingress.receive(0, udp4(B.toLong(), A.toLong(), 100, v4("10.0.0.66"), 2, 3, 4, 80));
        assertThat(bed.sta2.frames).hasSize(1);
        assertThat(TestFrames.bytes(bed.sta2.last())).hasSize(80);
        assertThat(bed.counters.count(Event.RECEIVED_TRUNK)).isEqualTo(2);
        assertThat(bed.counters.drops(DropReason.SPOOFED_SOURCE_IP)).isEqualTo(1);
    }
}
