package org.splitnve.ecptransport.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.splitnve.ecptransport.ecp.EcpConfig;
import org.splitnve.ecptransport.ecp.EcpCounters;
import org.splitnve.ecptransport.lldp.LldpAgentConfig;
import org.splitnve.ecptransport.testing.LiveVeth;
import org.splitnve.ecptransport.testing.OurPort;
import org.splitnve.ecptransport.testing.PcapRecords;
import org.splitnve.ecptransport.testing.PcapRecords.Frame;
import org.splitnve.ecptransport.testing.VdpEchoResponder;
import org.splitnve.testsupport.Capture;
import org.splitnve.testsupport.Lldpad;
import org.splitnve.testsupport.LldpadConfig;
import org.splitnve.testsupport.LldpadScenarios;
import org.splitnve.testsupport.Prerequisites;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.ecp.EcpSubtype;
import org.splitnve.vdpcore.lldp.EvbMode;
import org.splitnve.vdpcore.vdp.AssociationTlv;
import org.splitnve.vdpcore.vdp.FilterEntry;
import org.splitnve.vdpcore.vdp.FilterFormat;
import org.splitnve.vdpcore.vdp.ManagerId;
import org.splitnve.vdpcore.vdp.VdpDecoder;
import org.splitnve.vdpcore.vdp.VdpTlvType;
import org.splitnve.vdpcore.vdp.Vdpdu;
import org.splitnve.vdpcore.vdp.VsiId;
import org.splitnve.vdpcore.vdp.VsiStatus;

/**
 * Our ECP engine as the bridge side of a port whose station is lldpad (ECP R 3, RTE 8: lldpad's defaults), with a
 * capture of every ECP frame on our interface. VDP above our engine is {@link VdpEchoResponder}, which answers each
 * request as lldpad's own bridge would, so that vdptool gets its response at once.
 */
class LldpadEcpInteropTest {

    private static final MacAddress OURS = MacAddress.valueOf("02:00:00:00:0e:01");
    private static final MacAddress LLDPAD = MacAddress.valueOf("02:00:00:00:0e:02");
    private static final Duration NEGOTIATION = Duration.ofSeconds(20);
    /** Time for the last frames of an exchange to reach dumpcap before it is stopped. */
    private static final long SETTLE_MILLIS = 500;
    private static final int EXTRA_ASSOCIATES = 40;

    @TempDir
    Path dir;

    private LiveVeth veth;
    private Capture capture;
    private OurPort ours;
    private VdpEchoResponder responder;
    private Lldpad lldpad;

    @BeforeEach
    void prerequisites() {
        LldpadScenarios.requirePrerequisites();
        Prerequisites.requireLibpcap();
    }

    /** We are the bridge, lldpad the station; {@code seed} picks our engine's first sequence number. */
    private void start(boolean answer, long seed) throws Exception {
        start(LldpAgentConfig.bridge(), LldpadConfig.Role.STATION, answer, seed);
    }

    private void start(LldpAgentConfig ourRole, LldpadConfig.Role lldpadRole, boolean answer, long seed) throws Exception {
        veth = LiveVeth.create("ecp-ours", OURS, "ecp-lldpad", LLDPAD);
        capture = veth.track(Capture.start(veth.nsA(), veth.ifA(), dir.resolve("ecp.pcap"), "ether proto 0x8940"));
        ours = veth.track(OurPort.onEndA(veth, ourRole, EcpConfig.DEFAULT, seed));
        responder = new VdpEchoResponder(ours.engine(), answer);
        ours.engine().register(EcpSubtype.VDP, responder);
        ours.start();
        lldpad = veth.track(Lldpad.start(veth.nsB(), veth.ifB(), LldpadConfig.of(lldpadRole).withGroupId(true)));
        lldpad.waitForEvbPeer(NEGOTIATION);
        EvbMode peerMode = lldpadRole == LldpadConfig.Role.STATION ? EvbMode.STATION : EvbMode.BRIDGE;
        assertThat(OurPort.await(NEGOTIATION, () -> ours.agent().receivedEvb() != null
                && ours.agent().receivedEvb().mode() == peerMode)).isTrue();
    }

    @AfterEach
    void tearDown() {
        if (veth != null) {
            veth.close();
        }
    }

    /** Stops the capture after the last frames are in and returns its ECP frames. */
    private List<Frame> captured() throws Exception {
        Thread.sleep(SETTLE_MILLIS);
        capture.close();
        return PcapRecords.read(capture.file()).stream().filter(Frame::isEcp).toList();
    }

    /** The station's requests of the scenario: two Associates, a Pre-Associate and a De-Associate. */
    private List<String> sendScenarioRequests() {
        List<String> outputs = new ArrayList<>();
        outputs.add(vdptool("assoc", LldpadScenarios.VSI_1, "0-" + LldpadScenarios.VSI_MAC_1 + "-" + LldpadScenarios.GROUP_ID));
        outputs.add(vdptool("assoc", LldpadScenarios.VSI_2, LldpadScenarios.PS_PCP5_VID100 + "-" + LldpadScenarios.VSI_MAC_2));
        outputs.add(vdptool("preassoc", LldpadScenarios.VSI_3, "0-" + LldpadScenarios.VSI_MAC_3 + "-" + LldpadScenarios.GROUP_ID));
        outputs.add(vdptool("deassoc", LldpadScenarios.VSI_1, "0-" + LldpadScenarios.VSI_MAC_1 + "-" + LldpadScenarios.GROUP_ID));
        return outputs;
    }

    private String vdptool(String mode, String vsi, String filter) {
        return lldpad.vdptool("-i", veth.ifB(), "-T", "-W", "-V", mode, "-c", "mode=" + mode,
                "-c", "mgrid2=" + LldpadScenarios.MANAGER_ID, "-c", "typeid=" + LldpadScenarios.TYPE_ID,
                "-c", "typeidver=" + LldpadScenarios.TYPE_VERSION, "-c", "uuid=" + vsi, "-c", "hints=none",
                "-c", "filter=" + filter);
    }

    /** How many times each sequence number was sent, in order of first sending. */
    private static Map<Integer, Integer> copiesPerSequence(List<Frame> frames, MacAddress from, boolean requests) {
        Map<Integer, Integer> copies = new LinkedHashMap<>();
        for (Frame f : frames) {
            if (f.src().equals(from) && (requests ? f.isEcpRequest() : f.isEcpAck())) {
                copies.merge(f.ecpSequence(), 1, Integer::sum);
            }
        }
        return copies;
    }

    @Test
    void eachVdpRequestOfAnLldpadStationReachesOurUpperLayerExactlyOnce() throws Exception {
        start(true, 11);
        List<String> outputs = sendScenarioRequests();
        // Then a run of further Associates, one after the other, for more chances to see lldpad retransmit.
        for (int i = 0; i < EXTRA_ASSOCIATES; i++) {
            outputs.add(vdptool("assoc", String.format("5a3b0c1d-0000-4000-8000-0000000001%02x", i),
                    String.format("0-02:00:00:00:ac:%02x-%d", i, LldpadScenarios.GROUP_ID)));
        }
        List<Frame> frames = captured();

        Map<Integer, Integer> copies = copiesPerSequence(frames, LLDPAD, true);
        int total = copies.values().stream().mapToInt(Integer::intValue).sum();
        int retransmissions = total - copies.size();
        System.out.printf("lldpad station: %d ECP requests on the wire for %d sequence numbers (%d retransmissions): %s%n",
                total, copies.size(), retransmissions, copies);
        copies.forEach((seq, n) -> {
            if (n > 1) {
                System.out.printf("  seq %d: %s%n", seq, timeline(frames, seq));
            }
        });
        assertThat(outputs).allSatisfy(o -> assertThat(o).contains("Response from VDP"));
        assertThat(copies).hasSize(4 + EXTRA_ASSOCIATES);

        // Exactly once each, in lldpad's order, with the bytes of the first copy on the wire.
        List<VdpEchoResponder.Delivery> delivered = responder.deliveries();
        assertThat(delivered).hasSize(copies.size());
        VdpDecoder decoder = new VdpDecoder();
        List<Integer> sequences = new ArrayList<>(copies.keySet());
        for (int i = 0; i < sequences.size(); i++) {
            int seq = sequences.get(i);
            Frame first = frames.stream().filter(f -> f.src().equals(LLDPAD) && f.isEcpRequest() && f.ecpSequence() == seq)
                    .findFirst().orElseThrow();
            assertThat(delivered.get(i).error()).isNull();
            assertThat(delivered.get(i).vdpdu()).isEqualTo(decoder.decode(first.ecpPayload()));
        }
        EcpCounters counters = ours.engine().counters(LLDPAD);
        assertThat(counters.delivered()).isEqualTo(copies.size());
        // Every copy beyond the first reached our engine too: acked again, not delivered again.
        assertThat(counters.duplicates()).isEqualTo(retransmissions);

        // What vdptool asked for is what our upper layer decoded (one association TLV per PDU, as lldpad sends).
        ManagerId manager = ManagerId.ofName(LldpadScenarios.MANAGER_ID);
        List<AssociationTlv> tlvs = delivered.stream().map(d -> {
            assertThat(d.vdpdu().managerId()).isEqualTo(manager);
            assertThat(d.vdpdu().associations()).hasSize(1);
            return d.vdpdu().associations().get(0);
        }).toList();
        assertThat(tlvs.subList(0, 4)).extracting(AssociationTlv::type).containsExactly(VdpTlvType.ASSOCIATE,
                VdpTlvType.ASSOCIATE, VdpTlvType.PRE_ASSOCIATE, VdpTlvType.DE_ASSOCIATE);
        assertThat(tlvs).allSatisfy(t -> {
            assertThat(t.status()).isEqualTo(VsiStatus.REQUEST);
            assertThat(t.typeId()).isEqualTo(LldpadScenarios.TYPE_ID);
            assertThat(t.typeVersion()).isEqualTo(LldpadScenarios.TYPE_VERSION);
        });
        assertThat(tlvs.get(0).vsiId()).isEqualTo(new VsiId.Uuid(UUID.fromString(LldpadScenarios.VSI_1)));
        assertThat(tlvs.get(0).filter().format()).isEqualTo(FilterFormat.GROUPID_MAC_VID);
        FilterEntry group = tlvs.get(0).filter().entries().get(0);
        assertThat(group.groupId()).isEqualTo(LldpadScenarios.GROUP_ID);
        assertThat(group.mac()).isEqualTo(MacAddress.valueOf(LldpadScenarios.VSI_MAC_1));
        assertThat(group.vid()).isZero();
        FilterEntry pcp = tlvs.get(1).filter().entries().get(0);
        assertThat(tlvs.get(1).filter().format()).isEqualTo(FilterFormat.MAC_VID);
        assertThat(pcp.psPcpVid()).isEqualTo(LldpadScenarios.PS_PCP5_VID100);
        assertThat(pcp.mac()).isEqualTo(MacAddress.valueOf(LldpadScenarios.VSI_MAC_2));
    }

    @Test
    void lldpadAcceptsOurAcksAndStopsRetransmittingBeforeItsRetriesRunOut() throws Exception {
        // Nobody answers: vdptool waits its 5 s for nothing, but the ECP exchange underneath completes.
        start(false, 12);
        String output = vdptool("assoc", LldpadScenarios.VSI_1, "0-" + LldpadScenarios.VSI_MAC_1 + "-" + LldpadScenarios.GROUP_ID);
        List<Frame> frames = captured();

        assertThat(output).doesNotContain("Response from VDP");
        Map<Integer, Integer> requests = copiesPerSequence(frames, LLDPAD, true);
        Map<Integer, Integer> acks = copiesPerSequence(frames, OURS, false);
        System.out.printf("lldpad station, unanswered: requests per sequence number %s, our acks %s%n", requests, acks);
        requests.keySet().forEach(seq -> System.out.printf("  seq %d: %s%n", seq, timeline(frames, seq)));
        assertThat(requests).isNotEmpty();
        // We ack every copy, each to lldpad's own address, and lldpad sends at most R + 1 = 4 copies; a sender
        // that ignored our acks would send exactly 4 of every PDU.
        assertThat(acks).isEqualTo(requests);
        assertThat(frames).filteredOn(f -> f.src().equals(OURS) && f.isEcpAck())
                .allSatisfy(f -> assertThat(f.dst()).isEqualTo(LLDPAD));
        assertThat(requests.values()).allSatisfy(n -> assertThat(n).isLessThan(4));
        assertThat(responder.deliveries()).hasSize(requests.size());
    }

    @Test
    void ourResponsesAreAckedByLldpadAndVdptoolReportsThem() throws Exception {
        start(true, 13);
        List<String> outputs = sendScenarioRequests();
        List<CompletableFuture<Void>> responses = responder.responses();
        CompletableFuture.allOf(responses.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        List<Frame> frames = captured();

        assertThat(outputs).allSatisfy(o -> assertThat(o).contains("Response from VDP"));
        assertThat(responses).hasSize(4).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        Map<Integer, Integer> ourRequests = copiesPerSequence(frames, OURS, true);
        Map<Integer, Integer> lldpadAcks = copiesPerSequence(frames, LLDPAD, false);
        System.out.printf("our responses per sequence number %s, lldpad's acks %s%n", ourRequests, lldpadAcks);
        assertThat(lldpadAcks.keySet()).containsExactlyElementsOf(ourRequests.keySet());
        // lldpad acks to the nearest-customer-bridge address, not to our unicast address.
        assertThat(frames).filteredOn(f -> f.src().equals(LLDPAD) && f.isEcpAck())
                .allSatisfy(f -> assertThat(f.dst()).isEqualTo(MacAddress.NEAREST_CUSTOMER_BRIDGE));
        EcpCounters counters = ours.engine().counters(LLDPAD);
        assertThat(counters.acked()).isEqualTo(4);
        assertThat(counters.failed()).isZero();
    }

    @Test
    void ourPdusAreAckedByLldpadAcrossASequenceNumberWrap() throws Exception {
        int count = 12;
        long seed = seedWithFirstSequenceAtLeast(0xFFFF - count / 2 + 1);
        start(false, seed);
        // Responses for VSIs lldpad never asked about: its VDP ignores them, its ECP acks them all the same.
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            AssociationTlv tlv = AssociationTlv.builder().type(VdpTlvType.ASSOCIATE).status(VsiStatus.response().build())
                    .typeId(LldpadScenarios.TYPE_ID).typeVersion(1)
                    .vsiId(new VsiId.Uuid(new UUID(0x5a3b0c1d00004000L, 0x8000000000000100L + i)))
                    .filter(FilterFormat.MAC_VID, FilterEntry.builder().mac(MacAddress.valueOf("02:00:00:00:ab:" + String.format("%02x", i)))
                            .vid(0).build())
                    .build();
            Vdpdu pdu = Vdpdu.of(ManagerId.ofName(LldpadScenarios.MANAGER_ID), tlv);
            sent.add(ours.engine().send(LLDPAD, EcpSubtype.VDP, responder.encode(pdu)));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        List<Frame> frames = captured();

        Map<Integer, Integer> requests = copiesPerSequence(frames, OURS, true);
        Map<Integer, Integer> acks = copiesPerSequence(frames, LLDPAD, false);
        System.out.printf("our PDUs across the wrap: %s, lldpad's acks %s%n", hex(requests), hex(acks));
        List<Integer> sequences = new ArrayList<>(requests.keySet());
        assertThat(sequences).hasSize(count);
        assertThat(sequences).contains(0xFFFF, 1).doesNotContain(0);
        assertThat(sequences.indexOf(1)).isEqualTo(sequences.indexOf(0xFFFF) + 1);
        assertThat(acks.keySet()).containsExactlyElementsOf(sequences);
        assertThat(sent).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        assertThat(ours.engine().counters(LLDPAD).failed()).isZero();
    }

    @Test
    void anLldpadBridgeAcksAnAssociateFromOurEngineAndItsResponseReachesUsOnce() throws Exception {
        start(LldpAgentConfig.station(), LldpadConfig.Role.BRIDGE, false, 14);
        AssociationTlv request = AssociationTlv.builder().type(VdpTlvType.ASSOCIATE).status(VsiStatus.REQUEST)
                .typeId(LldpadScenarios.TYPE_ID).typeVersion(LldpadScenarios.TYPE_VERSION)
                .vsiId(new VsiId.Uuid(UUID.fromString(LldpadScenarios.VSI_1)))
                .filter(FilterFormat.GROUPID_MAC_VID, FilterEntry.builder().groupId(LldpadScenarios.GROUP_ID)
                        .mac(MacAddress.valueOf(LldpadScenarios.VSI_MAC_1)).vid(0).build())
                .build();
        Vdpdu pdu = Vdpdu.of(ManagerId.ofName(LldpadScenarios.MANAGER_ID), request);
        ours.engine().send(LLDPAD, EcpSubtype.VDP, responder.encode(pdu)).get(10, TimeUnit.SECONDS);
        assertThat(OurPort.await(Duration.ofSeconds(10), () -> !responder.deliveries().isEmpty())).isTrue();
        List<Frame> frames = captured();

        assertThat(responder.deliveries()).singleElement().satisfies(d -> {
            assertThat(d.error()).isNull();
            AssociationTlv answer = d.vdpdu().associations().get(0);
            assertThat(answer.type()).isEqualTo(VdpTlvType.ASSOCIATE);
            assertThat(answer.status().isResponse()).isTrue();
            assertThat(answer.status().error().isSuccess()).isTrue();
            assertThat(answer.vsiId()).isEqualTo(request.vsiId());
            assertThat(answer.filter().entries().get(0).mac()).isEqualTo(MacAddress.valueOf(LldpadScenarios.VSI_MAC_1));
        });
        Map<Integer, Integer> ourRequests = copiesPerSequence(frames, OURS, true);
        Map<Integer, Integer> lldpadAcks = copiesPerSequence(frames, LLDPAD, false);
        Map<Integer, Integer> lldpadResponses = copiesPerSequence(frames, LLDPAD, true);
        System.out.printf("our Associate %s, lldpad's acks %s, lldpad's responses %s%n", ourRequests, lldpadAcks,
                lldpadResponses);
        assertThat(lldpadAcks.keySet()).containsExactlyElementsOf(ourRequests.keySet());
        assertThat(lldpadResponses).hasSize(1);
        EcpCounters counters = ours.engine().counters(LLDPAD);
        assertThat(counters.delivered()).isEqualTo(1);
        assertThat(counters.acked()).isEqualTo(1);
    }

    /** A seed whose engine starts its first peer at or above {@code min} (the engine draws 1 + nextInt(0xFFFF)). */
    private static long seedWithFirstSequenceAtLeast(int min) {
        for (long seed = 0; ; seed++) {
            int first = 1 + new SplittableRandom(seed).nextInt(0xFFFF);
            if (first >= min && first <= 0xFFFF - 2) {
                return seed;
            }
        }
    }

    /** Each frame of one sequence number, in microseconds after its first copy, with who sent what. */
    private static String timeline(List<Frame> frames, int seq) {
        List<Frame> of = frames.stream().filter(f -> f.ecpSequence() == seq).toList();
        long t0 = of.get(0).epochNanos();
        return of.stream().map(f -> String.format("%s %s at +%d us", f.src().equals(LLDPAD) ? "lldpad" : "ours",
                f.isEcpAck() ? "ack" : "request", (f.epochNanos() - t0) / 1000)).collect(Collectors.joining(", "));
    }

    private static String hex(Map<Integer, Integer> copies) {
        return copies.entrySet().stream().map(e -> String.format("%04x x%d", e.getKey(), e.getValue()))
                .collect(Collectors.joining(", ", "[", "]"));
    }
}
