package org.splitnve.ecptransport.vdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.splitnve.ecptransport.clock.VirtualScheduler;
import org.splitnve.ecptransport.ecp.EcpConfig;
import org.splitnve.ecptransport.ecp.EcpDeliveryException;
import org.splitnve.ecptransport.ecp.EcpEngine;
import org.splitnve.ecptransport.link.LinkFaults;
import org.splitnve.ecptransport.link.MemoryLink;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.MalformedFrameException;
import org.splitnve.vdpcore.ecp.EcpSubtype;
import org.splitnve.vdpcore.vdp.AssociationTlv;
import org.splitnve.vdpcore.vdp.FilterEntry;
import org.splitnve.vdpcore.vdp.FilterFormat;
import org.splitnve.vdpcore.vdp.ManagerId;
import org.splitnve.vdpcore.vdp.ParsedVdpdu;
import org.splitnve.vdpcore.vdp.VdpDecoder;
import org.splitnve.vdpcore.vdp.VdpEncoder;
import org.splitnve.vdpcore.vdp.VdpErrorCode;
import org.splitnve.vdpcore.vdp.VdpTlvType;
import org.splitnve.vdpcore.vdp.Vdpdu;
import org.splitnve.vdpcore.vdp.VsiId;
import org.splitnve.vdpcore.vdp.VsiStatus;

/** VDP over ECP in virtual time: batching, delivery reporting and tolerant receive. */
class VdpChannelTest {

    private static final MacAddress STATION = MacAddress.valueOf("02:00:00:00:00:01");
    private static final MacAddress BRIDGE = MacAddress.valueOf("02:00:00:00:00:02");
    private static final ManagerId MGR = ManagerId.ofName("snvmgr");

    private VirtualScheduler clock;
    private VdpChannel station;
    private VdpChannel bridge;
    private final List<ParsedVdpdu> atBridge = new ArrayList<>();
    private final List<MalformedFrameException> malformedAtBridge = new ArrayList<>();

    private void connect(LinkFaults faults) {
        connect(faults, 1500);
    }

    private void connect(LinkFaults faults, int mtu) {
        clock = new VirtualScheduler();
        MemoryLink[] pair = MemoryLink.pair(clock, "st", STATION, "br", BRIDGE, faults, mtu);
        EcpEngine s = new EcpEngine(pair[0], clock, EcpConfig.DEFAULT, 1).start();
        EcpEngine b = new EcpEngine(pair[1], clock, EcpConfig.DEFAULT, 2).start();
        station = new VdpChannel(s, clock, new VdpDecoder(), new VdpEncoder());
        bridge = new VdpChannel(b, clock, new VdpDecoder(), new VdpEncoder());
        bridge.addListener(new VdpListener() {
            @Override
            public void onVdpdu(MacAddress peer, ParsedVdpdu pdu) {
                assertThat(peer).isEqualTo(STATION);
                atBridge.add(pdu);
            }

            @Override
            public void onMalformed(MacAddress peer, MalformedFrameException e) {
                malformedAtBridge.add(e);
            }
        });
    }

    @BeforeEach
    void setUp() {
        connect(LinkFaults.NONE);
    }

    private static AssociationTlv tlv(int i) {
        return AssociationTlv.builder().type(VdpTlvType.ASSOCIATE).status(VsiStatus.REQUEST).typeId(1).typeVersion(1)
                .vsiId(new VsiId.Uuid(new UUID(7, i)))
                .filter(FilterFormat.GROUPID_VID, FilterEntry.builder().vn(5000 + (i % 3)).vid(0).build()).build();
    }

    @Test
    void a_burst_of_requests_shares_vdpdus_and_every_tlv_arrives_once_in_order() throws Exception {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            done.add(station.send(BRIDGE, MGR, tlv(i)));
        }
        clock.runUntilIdle(Duration.ofMinutes(5));
        assertThat(done).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        List<AssociationTlv> got = atBridge.stream().flatMap(p -> p.associations().stream()).toList();
        assertThat(got).hasSize(1000);
        for (int i = 0; i < 1000; i++) {
            assertThat(got.get(i)).isEqualTo(tlv(i));
        }
        int perPdu = (Vdpdu.MAX_LENGTH_STANDARD_MTU - 20) / (2 + tlv(0).valueLength());
        assertThat(station.counters().pdusOut()).isLessThanOrEqualTo(1000 / perPdu + 2);
        assertThat(atBridge).allMatch(p -> p.managerId().equals(MGR));
    }

    @ParameterizedTest(name = "MTU {0}")
    @ValueSource(ints = {1500, 9000, 65536})
    void vdpdus_are_filled_to_the_ports_mtu_and_the_peer_takes_them(int mtu) {
        connect(LinkFaults.NONE, mtu);
        int maxPdu = Vdpdu.maxLength(mtu);
        assertThat(maxPdu).isEqualTo(Math.min(mtu, Vdpdu.MAX_MTU) - 6);
        assertThat(station.maxPdu()).isEqualTo(maxPdu);
        for (int i = 0; i < 2000; i++) {
            station.send(BRIDGE, MGR, tlv(i));
        }
        clock.runUntilIdle(Duration.ofMinutes(5));

        assertThat(atBridge.stream().mapToInt(p -> p.associations().size()).sum()).isEqualTo(2000);
        assertThat(malformedAtBridge).isEmpty();
        int perPdu = (maxPdu - 20) / (2 + tlv(0).valueLength());
        assertThat(atBridge.get(2).associations()).as("a full VDPDU").hasSize(perPdu);
        assertThat(station.counters().pdusOut()).isLessThanOrEqualTo(2000 / perPdu + 2);
    }

    @Test
    void a_single_request_goes_out_at_once_in_its_own_vdpdu() {
        CompletableFuture<Void> f = station.send(BRIDGE, MGR, tlv(1));
        clock.advance(Duration.ofMillis(1));
        assertThat(f).isCompleted();
        assertThat(atBridge).singleElement().satisfies(p -> assertThat(p.associations()).containsExactly(tlv(1)));
    }

    @Test
    void requests_for_different_manager_ids_never_share_a_vdpdu() {
        station.send(BRIDGE, MGR, tlv(1));
        station.send(BRIDGE, ManagerId.ofName("other"), tlv(2));
        station.send(BRIDGE, MGR, tlv(3));
        clock.runUntilIdle(Duration.ofMinutes(5));
        assertThat(atBridge).extracting(ParsedVdpdu::managerId).containsExactly(MGR, ManagerId.ofName("other"), MGR);
    }

    @Test
    void the_tlvs_of_one_split_request_travel_in_one_vdpdu() {
        List<FilterEntry> many = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            many.add(FilterEntry.builder().vn(5000).mac(MacAddress.valueOf(0x020000000100L + i)).vid(0).build());
        }
        List<AssociationTlv> parts = AssociationTlv.builder().type(VdpTlvType.ASSOCIATE).status(VsiStatus.REQUEST)
                .vsiId(new VsiId.Uuid(new UUID(1, 1))).filter(org.splitnve.vdpcore.vdp.FilterInfo.of(FilterFormat.GROUPID_MAC_VID, many))
                .buildSplit();
        assertThat(parts).hasSizeGreaterThan(1);
        for (int i = 0; i < 30; i++) {
            station.send(BRIDGE, MGR, tlv(i));
        }
        station.send(BRIDGE, MGR, parts);
        clock.runUntilIdle(Duration.ofMinutes(5));
        long holding = atBridge.stream().filter(p -> p.associations().stream().anyMatch(parts::contains)).count();
        assertThat(holding).isEqualTo(1);
    }

    @Test
    void a_request_too_large_for_one_vdpdu_is_refused_before_it_is_queued() {
        List<AssociationTlv> huge = new ArrayList<>();
        List<FilterEntry> many = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            many.add(FilterEntry.builder().vn(5000).mac(MacAddress.valueOf(0x020000000100L + i)).vid(0).build());
        }
        huge.addAll(AssociationTlv.builder().type(VdpTlvType.ASSOCIATE).status(VsiStatus.REQUEST)
                .vsiId(new VsiId.Uuid(new UUID(1, 1))).filter(org.splitnve.vdpcore.vdp.FilterInfo.of(FilterFormat.GROUPID_MAC_VID, many))
                .buildSplit());
        assertThatThrownBy(() -> station.send(BRIDGE, MGR, huge)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not fit one VDPDU");
    }

    @Test
    void a_request_that_cannot_be_delivered_fails_its_future_with_the_ecp_reason() {
        connect(LinkFaults.NONE.withLoss(1.0));
        CompletableFuture<Void> f = station.send(BRIDGE, MGR, tlv(1));
        clock.runUntilIdle(Duration.ofMinutes(5));
        assertThat(f).isCompletedExceptionally();
        assertThatThrownBy(f::get).isInstanceOf(ExecutionException.class).cause().isInstanceOf(EcpDeliveryException.class);
        assertThat(station.counters().undelivered()).isEqualTo(1);
    }

    @Test
    void over_a_lossy_link_every_request_is_delivered_or_reported() {
        connect(LinkFaults.NONE.withLoss(0.3).withSeed(99));
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            done.add(station.send(BRIDGE, MGR, tlv(i)));
        }
        clock.runUntilIdle(Duration.ofMinutes(5));
        assertThat(done).allMatch(CompletableFuture::isDone);
        long ok = done.stream().filter(f -> !f.isCompletedExceptionally()).count();
        long received = atBridge.stream().mapToLong(p -> p.associations().size()).sum();
        assertThat(received).isGreaterThanOrEqualTo(ok);
        assertThat(station.counters().undelivered()).isEqualTo(done.size() - ok);
    }

    @Test
    void a_raw_answer_goes_out_as_given() {
        byte[] value = new byte[25];
        value[0] = 0x40 | 0x20 | 5;
        bridge.replyRaw(STATION, MGR, VdpTlvType.ASSOCIATE, value);
        List<ParsedVdpdu> atStation = new ArrayList<>();
        station.addListener((peer, pdu) -> atStation.add(pdu));
        clock.runUntilIdle(Duration.ofMinutes(5));
        assertThat(atStation).singleElement().satisfies(p -> assertThat(p.rejected()).singleElement()
                .satisfies(r -> assertThat(r.value()).isEqualTo(value)));
    }

    @Test
    void a_vdpdu_with_broken_framing_is_counted_and_reported_without_reaching_the_association_path() {
        station.ecp().send(BRIDGE, EcpSubtype.VDP, ByteBuffer.wrap(new byte[] {0x0a, 0x0f, 1, 2}));
        clock.runUntilIdle(Duration.ofMinutes(5));
        assertThat(atBridge).isEmpty();
        assertThat(malformedAtBridge).singleElement().extracting(MalformedFrameException::vdpError).isEqualTo(VdpErrorCode.INVALID_FORMAT);
        assertThat(bridge.counters().malformedPdus()).isEqualTo(1);
    }

    @Test
    void a_listener_that_throws_does_not_stop_the_others() {
        List<ParsedVdpdu> second = new ArrayList<>();
        bridge.addListener((peer, pdu) -> {
            throw new IllegalStateException("observer bug");
        });
        bridge.addListener((peer, pdu) -> second.add(pdu));
        station.send(BRIDGE, MGR, tlv(1));
        clock.runUntilIdle(Duration.ofMinutes(5));
        assertThat(second).hasSize(1);
        assertThat(atBridge).hasSize(1);
    }

    @Test
    void closing_fails_what_still_waits() {
        connect(LinkFaults.NONE.withDelay(Duration.ofSeconds(1)));
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            done.add(station.send(BRIDGE, MGR, tlv(i)));
        }
        clock.advance(Duration.ofMillis(1));
        station.close();
        clock.runUntilIdle(Duration.ofMinutes(5));
        assertThat(done).allMatch(CompletableFuture::isDone);
        assertThat(done).anyMatch(CompletableFuture::isCompletedExceptionally);
    }

    @Test
    void timers_follow_the_protocol_arithmetic() {
        VdpTimers t = VdpTimers.of(3, 8, 20, 20);
        long ack = 2_560_000L;
        long rka = 10_485_760_000L;
        assertThat(t.keepAlive()).isEqualTo(Duration.ofNanos(rka));
        assertThat(t.resourceWait()).isEqualTo(Duration.ofNanos(rka));
        assertThat(t.responseWait()).isEqualTo(Duration.ofNanos((7 * ack + rka) * 3 / 2));
        assertThat(t.bridgeKeepAliveTimeout()).isEqualTo(Duration.ofNanos((7 * ack + rka) * 3 / 2));
        assertThat(VdpTimers.DEFAULT).isEqualTo(t);
        assertThat(VdpTimers.of(7, 31, 31, 31).bridgeKeepAliveTimeout()).isPositive();
    }

    @Test
    void requests_for_a_peer_that_never_acknowledges_wait_in_bounded_numbers_and_leave_no_queue_behind() {
        clock = new VirtualScheduler();
        MemoryLink[] pair = MemoryLink.pair(clock, "st", STATION, "br", BRIDGE, LinkFaults.NONE.withLoss(1.0));
        EcpEngine s = new EcpEngine(pair[0], clock, EcpConfig.DEFAULT.withMaxQueuedPerPeer(100), 1).start();
        station = new VdpChannel(s, clock, new VdpDecoder(), new VdpEncoder());
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            done.add(station.send(BRIDGE, MGR, tlv(i)));
        }
        clock.runReady();
        assertThat(station.pending(BRIDGE)).isLessThanOrEqualTo(100);
        assertThat(done.stream().filter(CompletableFuture::isCompletedExceptionally).count()).isGreaterThanOrEqualTo(900 - 2 * 60);
        clock.runUntilIdle(Duration.ofMinutes(5));
        assertThat(done).allMatch(CompletableFuture::isCompletedExceptionally);
        assertThat(station.counters().undelivered()).isEqualTo(1000);
        assertThat(station.peersWithQueues()).isZero();
    }
}
