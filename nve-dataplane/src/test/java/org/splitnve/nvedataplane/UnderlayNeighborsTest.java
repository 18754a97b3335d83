package org.splitnve.nvedataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitnve.nvedataplane.TestFrames.high;
import static org.splitnve.nvedataplane.TestFrames.ip;
import static org.splitnve.nvedataplane.TestFrames.low;
import static org.splitnve.nvedataplane.TestFrames.v4;

import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.splitnve.nvedataplane.DataPlaneCounters.Event;
import org.splitnve.nvedataplane.codec.Arp;
import org.splitnve.nvedataplane.codec.EtherType;
import org.splitnve.nvedataplane.codec.Ethernet;
import org.splitnve.nvedataplane.codec.Ipv6;
import org.splitnve.nvedataplane.codec.MulticastQuery;
import org.splitnve.nvedataplane.codec.Neighbor;
import org.splitnve.vdpcore.MacAddress;

class UnderlayNeighborsTest {

    static final long PEER_MAC = 0x020000000202L;
    static final String PEER = "192.0.2.2";
    static final String OTHER = "192.0.2.3";
    static final UnderlayAddress LOCAL6 = UnderlayAddress.parse("2001:db8::1");
    static final String PEER6 = "2001:db8::2";

    final EgressTestBed bed = new EgressTestBed();
    /** The neighbours of an NVE on an IPv4 underlay, and of one on an IPv6 underlay. */
    final UnderlayNeighbors ipv4 = bed.neighbors();
    final UnderlayNeighbors ipv6 = bed.neighbors(LOCAL6, Duration.ofSeconds(30), 64);

    /** The peer's ARP request for {@code target}. */
    private static ByteBuffer peerAsks(String target) {
        return TestFrames.underlayArp(Arp.REQUEST, Ethernet.BROADCAST, PEER_MAC, v4(PEER), 0, v4(target));
    }

    /** The peer's ARP reply to our request. */
    private ByteBuffer peerAnswers() {
        return TestFrames.underlayArp(Arp.REPLY, bed.underlayMac(), PEER_MAC, v4(PEER), bed.underlayMac(), v4(EgressTestBed.LOCAL));
    }

    private void arp(UnderlayNeighbors neighbors, ByteBuffer frame) {
        bed.withScratch(s -> neighbors.onArp(s, frame, Ethernet.HEADER, frame.limit() - Ethernet.HEADER));
    }

    private void nd(UnderlayNeighbors neighbors, ByteBuffer frame) {
        bed.withScratch(s -> neighbors.onNd(s, frame, Ethernet.HEADER, frame.limit() - Ethernet.HEADER));
    }

    /** A tunnel packet stand-in waiting for {@code nextHop}: 80 octets, the outer destination still zero. */
    private void send(UnderlayNeighbors neighbors, NeighborEntry nextHop) {
        ByteBuffer packet = ByteBuffer.allocate(80);
        Ethernet.writeHeader(packet, 0, 0, bed.underlayMac(), EtherType.IPV4);
        bed.withScratch(s -> neighbors.holdUntilResolved(s, nextHop, packet, DataPlaneCounters.Event.ENCAPSULATED));
    }

    @Test
    void an_arp_request_for_our_address_is_answered_and_its_sender_learned_only_when_it_is_a_next_hop_we_need() {
        arp(ipv4, peerAsks(EgressTestBed.LOCAL));
        assertThat(bed.router.last()).as("answered").isNotNull();
        assertThat(ipv4.macOf(ip(PEER))).as("a host that asks for us makes no entry").isEmpty();
        assertThat(ipv4.size()).isZero();

        ipv4.entryFor(UnderlayAddress.parse(PEER));
        arp(ipv4, peerAsks(EgressTestBed.LOCAL));
        ByteBuffer reply = bed.router.last();
        assertThat(Ethernet.destination(reply, 0)).isEqualTo(PEER_MAC);
        assertThat(Arp.operation(reply, Ethernet.HEADER)).isEqualTo(Arp.REPLY);
        assertThat(Arp.senderMac(reply, Ethernet.HEADER)).isEqualTo(bed.underlayMac());
        assertThat(Arp.senderIp(reply, Ethernet.HEADER)).isEqualTo(v4(EgressTestBed.LOCAL));
        assertThat(reply.limit()).isEqualTo(Ethernet.MIN_FRAME);
        assertThat(ipv4.macOf(ip(PEER))).contains(MacAddress.valueOf(PEER_MAC));
        assertThat(bed.counters.count(Event.UNDERLAY_RESOLUTIONS_ANSWERED)).isEqualTo(2);
        assertThat(bed.counters.count(Event.UNDERLAY_NEIGHBORS_LEARNED)).isEqualTo(1);
    }

    @Test
    void arp_between_others_updates_a_neighbour_we_hold_and_creates_none() {
        arp(ipv4, peerAsks(OTHER));
        assertThat(ipv4.macOf(ip(PEER))).isEmpty();
        assertThat(bed.counters.drops(DropReason.NOT_FOR_US)).isEqualTo(1);

        ipv4.entryFor(UnderlayAddress.parse(PEER));
        arp(ipv4, peerAsks(OTHER));
        assertThat(ipv4.macOf(ip(PEER))).contains(MacAddress.valueOf(PEER_MAC));
        assertThat(bed.counters.drops(DropReason.NOT_FOR_US)).isEqualTo(1);
        assertThat(bed.router.frames).isEmpty();
    }

    @Test
    void arp_on_an_ipv6_underlay_is_not_for_us_and_bad_arp_is_malformed() {
        arp(ipv6, peerAsks(EgressTestBed.LOCAL));
        ByteBuffer bad = peerAsks(EgressTestBed.LOCAL);
        bad.put(Ethernet.HEADER + 4, (byte) 4);
        arp(ipv6, bad);
        assertThat(bed.counters.drops(DropReason.NOT_FOR_US)).isEqualTo(1);
        assertThat(bed.counters.drops(DropReason.OUTER_MALFORMED)).isEqualTo(1);
        assertThat(bed.router.frames).isEmpty();
    }

    @Test
    void a_solicitation_for_our_address_is_answered_solicited_and_the_solicitor_learned_when_it_is_a_next_hop_we_need() {
        ipv6.entryFor(UnderlayAddress.parse(PEER6));
        long group = Neighbor.solicitedNodeLow(LOCAL6.low());
        nd(ipv6, TestFrames.neighbor(-1, Neighbor.multicastMac(group), PEER_MAC, Neighbor.SOLICITATION, 0, high(PEER6),
                low(PEER6), Neighbor.SOLICITED_NODE_HIGH, group, LOCAL6.high(), LOCAL6.low(), PEER_MAC));
        ByteBuffer answer = bed.router.last();
        int ip6 = Ethernet.HEADER;
        assertThat(Ethernet.destination(answer, 0)).isEqualTo(PEER_MAC);
        assertThat(Neighbor.validate(answer, ip6, answer.limit() - ip6)).isNull();
        assertThat(Neighbor.type(answer, ip6)).isEqualTo(Neighbor.ADVERTISEMENT);
        assertThat(answer.getInt(ip6 + Ipv6.HEADER + 4)).isEqualTo(Neighbor.FLAG_SOLICITED | Neighbor.FLAG_OVERRIDE);
        assertThat(Ipv6.destinationLow(answer, ip6)).isEqualTo(low(PEER6));
        assertThat(Neighbor.linkLayerOption(answer, ip6, Neighbor.OPTION_TARGET_LL)).isEqualTo(bed.underlayMac());
        assertThat(ipv6.macOf(ip(PEER6))).contains(MacAddress.valueOf(PEER_MAC));
    }

    @Test
    void a_duplicate_address_probe_for_our_address_is_answered_to_all_nodes_and_learns_nothing() {
        long group = Neighbor.solicitedNodeLow(LOCAL6.low());
        ByteBuffer probe = TestFrames.neighbor(-1, Neighbor.multicastMac(group), PEER_MAC, Neighbor.SOLICITATION, 0, 0, 0,
                Neighbor.SOLICITED_NODE_HIGH, group, LOCAL6.high(), LOCAL6.low(), PEER_MAC);
        nd(ipv6, probe);
        ByteBuffer answer = bed.router.last();
        assertThat(Ethernet.destination(answer, 0)).isEqualTo(MulticastQuery.ALL_NODES_MAC);
        assertThat(Ipv6.destinationHigh(answer, Ethernet.HEADER)).isEqualTo(MulticastQuery.ALL_NODES_HIGH);
        assertThat(answer.getInt(Ethernet.HEADER + Ipv6.HEADER + 4)).isEqualTo(Neighbor.FLAG_OVERRIDE);
        assertThat(bed.counters.count(Event.UNDERLAY_NEIGHBORS_LEARNED)).isZero();
    }

    @Test
    void a_solicitation_for_another_address_and_an_advertisement_of_a_stranger_are_not_for_us() {
        nd(ipv6, TestFrames.neighbor(-1, bed.underlayMac(), PEER_MAC, Neighbor.SOLICITATION, 0, high(PEER6), low(PEER6),
                LOCAL6.high(), LOCAL6.low(), high(PEER6), low("2001:db8::3"), PEER_MAC));
        nd(ipv6, TestFrames.neighbor(-1, bed.underlayMac(), PEER_MAC, Neighbor.ADVERTISEMENT, 0, high(PEER6), low(PEER6),
                LOCAL6.high(), LOCAL6.low(), high(PEER6), low(PEER6), PEER_MAC));
        assertThat(bed.counters.drops(DropReason.NOT_FOR_US)).isEqualTo(2);
        assertThat(ipv6.macOf(ip(PEER6))).isEmpty();
        assertThat(bed.router.frames).isEmpty();
    }

    @Test
    void an_ipv6_next_hop_is_solicited_on_its_solicited_node_group_and_its_advertisement_releases_the_waiting_packets() {
        NeighborEntry nextHop = ipv6.entryFor(UnderlayAddress.parse(PEER6));
        send(ipv6, nextHop);
        ByteBuffer solicitation = bed.router.last();
        long group = Neighbor.solicitedNodeLow(low(PEER6));
        assertThat(Ethernet.destination(solicitation, 0)).isEqualTo(Neighbor.multicastMac(group));
        assertThat(Neighbor.type(solicitation, Ethernet.HEADER)).isEqualTo(Neighbor.SOLICITATION);
        assertThat(Neighbor.targetLow(solicitation, Ethernet.HEADER)).isEqualTo(low(PEER6));

        nd(ipv6, TestFrames.neighbor(-1, bed.underlayMac(), PEER_MAC, Neighbor.ADVERTISEMENT, Neighbor.FLAG_SOLICITED,
                high(PEER6), low(PEER6), LOCAL6.high(), LOCAL6.low(), high(PEER6), low(PEER6), PEER_MAC));
        assertThat(bed.router.frames).hasSize(2);
        assertThat(Ethernet.destination(bed.router.last(), 0)).isEqualTo(PEER_MAC);
        assertThat(bed.counters.count(Event.ENCAPSULATED)).isEqualTo(1);
    }

    @Test
    void a_next_hop_that_never_answers_is_asked_three_times_a_second_apart_then_its_packets_are_dropped() {
        NeighborEntry nextHop = ipv4.entryFor(UnderlayAddress.parse(PEER));
        send(ipv4, nextHop);
        send(ipv4, nextHop);
        assertThat(bed.router.frames).hasSize(1);
        bed.scheduler.advance(Duration.ofMillis(999));
        assertThat(bed.router.frames).hasSize(1);
        bed.scheduler.advance(Duration.ofMillis(1));
        assertThat(bed.router.frames).hasSize(2);
        bed.scheduler.advance(Duration.ofSeconds(5));
        assertThat(bed.router.frames).hasSize(3).allMatch(f -> Ethernet.outerType(f, 0) == EtherType.ARP);
        assertThat(bed.counters.count(Event.UNDERLAY_RESOLUTIONS_SENT)).isEqualTo(3);
        assertThat(bed.counters.drops(DropReason.NEXT_HOP_UNRESOLVED)).isEqualTo(2);
    }

    @Test
    void packets_beyond_the_waiting_limit_are_dropped_as_unresolved() {
        UnderlayNeighbors neighbors = bed.neighbors(EgressTestBed.LOCAL_ADDRESS, Duration.ofSeconds(30), 2);
        NeighborEntry nextHop = neighbors.entryFor(UnderlayAddress.parse(PEER));
        for (int i = 0; i < 3; i++) {
            send(neighbors, nextHop);
        }
        assertThat(bed.counters.drops(DropReason.NEXT_HOP_UNRESOLVED)).isEqualTo(1);
        arp(neighbors, peerAnswers());
        assertThat(bed.counters.count(Event.ENCAPSULATED)).isEqualTo(2);
    }

    @Test
    void a_next_hop_not_confirmed_within_the_reachable_time_is_asked_again_at_most_once_a_second() {
        NeighborEntry nextHop = ipv4.entryFor(UnderlayAddress.parse(PEER));
        arp(ipv4, peerAnswers());
        bed.withScratch(s -> ipv4.refreshIfStale(s, nextHop));
        assertThat(bed.router.frames).isEmpty();
        bed.scheduler.advance(Duration.ofSeconds(31));
        bed.withScratch(s -> ipv4.refreshIfStale(s, nextHop));
        bed.withScratch(s -> ipv4.refreshIfStale(s, nextHop));
        assertThat(bed.router.frames).hasSize(1);
        assertThat(Arp.targetIp(bed.router.last(), Ethernet.HEADER)).isEqualTo(v4(PEER));
        assertThat(ipv4.macOf(ip(PEER))).as("the old MAC stays in use meanwhile").contains(MacAddress.valueOf(PEER_MAC));
    }

    @Test
    void a_solicitation_from_a_host_we_do_not_need_is_answered_and_makes_no_entry() {
        long group = Neighbor.solicitedNodeLow(LOCAL6.low());
        nd(ipv6, TestFrames.neighbor(-1, Neighbor.multicastMac(group), PEER_MAC, Neighbor.SOLICITATION, 0, high(PEER6),
                low(PEER6), Neighbor.SOLICITED_NODE_HIGH, group, LOCAL6.high(), LOCAL6.low(), PEER_MAC));
        assertThat(bed.router.frames).hasSize(1);
        assertThat(ipv6.size()).isZero();
    }

    @Test
    void a_flood_of_hosts_asking_for_our_address_leaves_the_table_empty() {
        for (int i = 0; i < 10_000; i++) {
            arp(ipv4, TestFrames.underlayArp(Arp.REQUEST, Ethernet.BROADCAST, 0x020000100000L + i, 0x0A000000 + i, 0,
                    v4(EgressTestBed.LOCAL)));
        }
        assertThat(ipv4.size()).isZero();
        assertThat(bed.counters.count(Event.UNDERLAY_RESOLUTIONS_ANSWERED)).isEqualTo(10_000);
    }

    @Test
    void the_table_holds_a_bounded_number_of_next_hops_and_forgets_those_without_news() {
        UnderlayNeighbors small = bed.neighbors(UnderlayAddress.parse(EgressTestBed.LOCAL), Duration.ofSeconds(30), 64, 4);
        for (int i = 1; i <= 4; i++) {
            assertThat(small.entryFor(UnderlayAddress.parse("192.0.2." + (10 + i)))).isNotNull();
        }
        assertThat(small.entryFor(UnderlayAddress.parse("192.0.2.20"))).as("full of recent entries").isNull();
        assertThat(bed.counters.drops(DropReason.UNDERLAY_NEIGHBORS_FULL)).isEqualTo(1);
        assertThat(small.entryFor(UnderlayAddress.parse("192.0.2.11"))).as("a held one is found").isNotNull();

        bed.scheduler.advance(Duration.ofMinutes(2).plusSeconds(31)); // four reachable times and a sweep
        assertThat(small.size()).as("none answered or was used: forgotten").isZero();
        assertThat(small.entryFor(UnderlayAddress.parse("192.0.2.20"))).isNotNull();
        assertThat(bed.scheduler.pendingTimers()).as("one sweep while entries are held").isEqualTo(1);
    }

    @Test
    void a_neighbour_that_answers_is_updated_in_place_and_kept() {
        NeighborEntry entry = ipv4.entryFor(UnderlayAddress.parse(PEER));
        arp(ipv4, peerAnswers());
        for (int i = 0; i < 10; i++) {
            bed.scheduler.advance(Duration.ofSeconds(30));
            arp(ipv4, peerAnswers());
        }
        assertThat(ipv4.entryFor(UnderlayAddress.parse(PEER))).isSameAs(entry);
        assertThat(entry.mac).isEqualTo(PEER_MAC);
        assertThat(ipv4.size()).isEqualTo(1);
    }
}
