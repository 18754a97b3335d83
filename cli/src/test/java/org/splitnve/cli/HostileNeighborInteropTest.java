package org.splitnve.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitnve.cli.EventCollector.is;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.splitnve.ecptransport.link.LinkException;
import org.splitnve.ecptransport.link.RingLink;
import org.splitnve.ecptransport.vdp.VdpTimers;
import org.splitnve.testsupport.InNamespace;
import org.splitnve.testsupport.NamespacePair;
import org.splitnve.testsupport.Prerequisites;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.ecp.EcpHeader;
import org.splitnve.vdpcore.frame.EtherType;
import org.splitnve.vdpcore.frame.FrameEncoder;
import org.splitnve.vdpcore.lldp.ChassisId;
import org.splitnve.vdpcore.lldp.EvbMode;
import org.splitnve.vdpcore.lldp.EvbTlv;
import org.splitnve.vdpcore.lldp.Lldpdu;
import org.splitnve.vdpcore.lldp.PortId;
import org.splitnve.vdpcore.vdp.AssociationTlv;
import org.splitnve.vdpcore.vdp.FilterEntry;
import org.splitnve.vdpcore.vdp.FilterFormat;
import org.splitnve.vdpcore.vdp.ManagerId;
import org.splitnve.vdpcore.vdp.VdpEncoder;
import org.splitnve.vdpcore.vdp.VdpTlvType;
import org.splitnve.vdpcore.vdp.Vdpdu;
import org.splitnve.vdpcore.vdp.VnId;
import org.splitnve.vdpcore.vdp.VsiId;
import org.splitnve.vdpcore.vdp.VsiStatus;

/**
 * {@code splitnve bridge} on a NIC whose other end sends it a bounded burst of what a hostile or broken neighbour
 * would: VDP requests from random source MACs for random VNs, LLDPDUs whose EVB TLV asks for the largest timers, and
 * truncated and bit-flipped ECP, LLDP and VDP frames. Afterwards the bridge is up, what it holds is within its bounds,
 * it logged a bounded number of lines, a real station is served, and that station, killed, is timed out at its own
 * keep-alive timeout, not one the burst stretched. The figures are printed for the record.
 */
class HostileNeighborInteropTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int VDP_REQUESTS = 14_000;
    private static final int LLDPDUS = 4_000;
    private static final int BROKEN = 12_000;
    private static final int MAX_TSIS = 4096;
    private static final int PACE = 20;
    private static final int MAX_PEERS = 256;
    /** RKA 17: keep-alives every 1.3 s, a keep-alive timeout of 2 s; the burst's RKA 31 would make it 6 hours. */
    private static final int RKA = 17;
    private static final List<String> VSIS = List.of("ab3b0c1d-0000-4000-8000-000000000001", "ab3b0c1d-0000-4000-8000-000000000002",
            "ab3b0c1d-0000-4000-8000-000000000003");
    private static final MacAddress STATION = MacAddress.valueOf("02:00:00:00:2f:02");

    @TempDir
    Path dir;

    private NamespacePair ns;

    @BeforeEach
    void start() {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("ip");
        Prerequisites.requireLibpcap();
        ns = NamespacePair.create("br-hos", "02:00:00:00:2f:01", "st-hos", STATION.toString());
    }

    @AfterEach
    void stop() {
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    void a_burst_of_hostile_and_broken_frames_leaves_the_bridge_bounded_quiet_and_serving() throws Exception {
        BridgeProcess bridge = ns.track(BridgeProcess.start(ns.a(), dir.resolve("bridge.log"), "--iface", ns.ifA(), "--events", "-",
                "--rka", Integer.toString(RKA), "--max-tsis", Integer.toString(MAX_TSIS), "--max-ecp-peers", Integer.toString(MAX_PEERS)));
        bridge.events.require(WAIT, "bridge started", n -> n.path("event").asText().equals("started"));
        long linesBefore = bridge.logLines();

        long seed = Long.getLong("seed", 8394L);
        System.out.println("hostile burst seed " + seed + " (replay with -Dseed=" + seed + ")");
        SplittableRandom random = new SplittableRandom(seed);
        List<ByteBuffer> burst = burst(random);
        RingLink attacker = ns.track(InNamespace.call(ns.b(), () -> RingLink.open(ns.ifB())));
        long start = System.nanoTime();
        int sent = 0;
        for (ByteBuffer f : burst) {
            if (++sent % PACE == 0) {
                Thread.sleep(1); // about 20,000 frames a second: more than a switch port's control plane sees, less than it drops
            }
            while (true) {
                try {
                    attacker.send(f);
                    break;
                } catch (LinkException full) {
                    Thread.onSpinWait();
                }
            }
        }
        long sendNanos = System.nanoTime() - start;
        attacker.close();
        // The attack's TSIs time out (RKA 17: about 2 s) and its ECP peers go idle.
        Thread.sleep(4000);
        long burstLines = bridge.logLines() - linesBefore;
        assertThat(bridge.events.events()).as("the bridge is up").noneMatch(n -> n.path("event").asText().equals("stopped"));

        Path vsis = dir.resolve("vsis.json");
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < VSIS.size(); i++) {
            json.append(i == 0 ? "" : ",").append("{\"vsiId\": \"").append(VSIS.get(i)).append("\", \"vn\": ").append(5001 + i)
                    .append(", \"mac\": \"02:00:00:00:af:0").append(i + 1).append("\"}");
        }
        Files.writeString(vsis, json.append("]").toString());
        BridgeProcess station = ns.track(BridgeProcess.command(ns.b(), dir.resolve("station.log"), "station", "--iface", ns.ifB(),
                "--vsi", vsis.toString(), "--events", "-", "--rka", Integer.toString(RKA)));
        for (String v : VSIS) {
            bridge.events.require(WAIT, v + " activated for the real station", fromStation(v, "ACTIVATED"));
        }

        station.kill();
        long killed = System.nanoTime();
        for (String v : VSIS) {
            JsonNode gone = bridge.events.require(WAIT, v + " timed out", fromStation(v, "INIT"));
            assertThat(gone.path("why").asText()).contains("keep-alive timeout");
        }
        Duration timedOut = Duration.ofNanos(System.nanoTime() - killed);
        Duration normal = VdpTimers.of(3, 8, 20, RKA).bridgeKeepAliveTimeout();
        assertThat(timedOut).as("the killed station's own keep-alive timeout, %s", normal).isLessThan(normal.multipliedBy(3));

        assertThat(bridge.stop(WAIT)).as(bridge.logTail()).isZero();
        JsonNode tables = bridge.events.require(WAIT, "tables", n -> n.path("event").asText().equals("tables"));
        long heap = tables.path("heapUsed").asLong();
        long taken = tables.path("ecpFrames").asLong() + tables.path("lldpFrames").asLong();
        System.out.printf("hostile burst: %,d frames offered in %d ms (%,.0f frames/s); the bridge took %,d of them (%,.0f frames/s"
                        + " over the burst); %d log lines for the burst; after: heap %,d bytes, %s; the killed station timed out"
                        + " after %d ms (its keep-alive timeout %d ms)%n",
                burst.size(), sendNanos / 1_000_000, burst.size() * 1e9 / sendNanos, taken, taken * 1e9 / sendNanos, burstLines, heap,
                tables, timedOut.toMillis(), normal.toMillis());

        assertThat(burstLines).as("lines logged for %,d hostile frames; the most frequent: %s", burst.size(), frequentLines(dir.resolve("bridge.log")))
                .isLessThan(500);
        assertThat(tables.path("ecpPeers").asInt()).isLessThanOrEqualTo(MAX_PEERS);
        assertThat(tables.path("ecpPeersRefused").asLong() + tables.path("ecpPeersEvicted").asLong()).isPositive();
        assertThat(tables.path("lldpNeighbors").asInt()).isLessThanOrEqualTo(16);
        assertThat(tables.path("lldpNeighborsRefused").asLong()).isPositive();
        assertThat(tables.path("tsis").asInt()).isZero();
        assertThat(tables.path("vns").asInt()).isZero();
        assertThat(tables.path("nvaVns").asInt()).as("VNs the attack asked for, kept by the NVA").isZero();
        assertThat(tables.path("vdpQueues").asInt()).isZero();
        assertThat(heap).as("heap in use after the burst").isLessThan(128L << 20);
    }

    /** The ten most frequent kinds of log line (logger and first words), with their counts. */
    private static String frequentLines(Path log) throws java.io.IOException {
        java.util.Map<String, Long> kinds = new java.util.TreeMap<>();
        for (String line : Files.readAllLines(log)) {
            String[] w = line.split("\\s+");
            String kind = String.join(" ", java.util.Arrays.asList(w).subList(0, Math.min(w.length, 7)));
            kinds.merge(kind.replaceAll("[0-9a-f]{2}(:[0-9a-f]{2}){5}", "MAC").replaceAll("\\d+", "N"), 1L, Long::sum);
        }
        return kinds.entrySet().stream().sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed()).limit(10)
                .map(e -> e.getValue() + " x " + e.getKey()).toList().toString();
    }

    private static Predicate<JsonNode> fromStation(String vsi, String state) {
        return n -> is("tsi", "vsiId", vsi).test(n) && n.path("station").asText().equals(STATION.toString())
                && n.path("state").asText().equals(state);
    }

    /** The attack, shuffled: requests, LLDPDUs, and broken copies of both. */
    private static List<ByteBuffer> burst(SplittableRandom r) {
        List<ByteBuffer> good = new ArrayList<>();
        MacAddress[] greedy = new MacAddress[8];
        for (int i = 0; i < greedy.length; i++) {
            greedy[i] = unicast(r);
        }
        for (int i = 0; i < VDP_REQUESTS; i++) {
            // A fifth from a few source MACs asking for many VNs, the rest each from a MAC of its own.
            good.add(vdpRequest(r, i % 5 == 0 ? greedy[r.nextInt(greedy.length)] : unicast(r)));
        }
        MacAddress loud = unicast(r);
        for (int i = 0; i < LLDPDUS; i++) {
            good.add(lldpdu(i % 2 == 0 ? loud : unicast(r), EvbTlv.builder().mode(EvbMode.STATION)
                    .stationStatus(EvbTlv.SGID | EvbTlv.RRREQ | 3).r(7).rte(31).rwd(31).rka(31 - i % 3).build()));
        }
        List<ByteBuffer> all = new ArrayList<>(good);
        for (int i = 0; i < BROKEN; i++) {
            ByteBuffer g = good.get(r.nextInt(good.size()));
            byte[] b = new byte[g.remaining()];
            g.duplicate().get(b);
            if (r.nextBoolean()) {
                b = java.util.Arrays.copyOf(b, 14 + r.nextInt(b.length - 14)); // truncated after the Ethernet header
            } else {
                for (int flips = 1 + r.nextInt(8); flips > 0; flips--) {
                    int at = 14 + r.nextInt(b.length - 14);
                    b[at] ^= (byte) (1 << r.nextInt(8));
                }
            }
            all.add(ByteBuffer.wrap(b));
        }
        for (int i = all.size() - 1; i > 0; i--) {
            java.util.Collections.swap(all, i, r.nextInt(i + 1));
        }
        return all;
    }

    private static MacAddress unicast(SplittableRandom r) {
        // Locally administered, unicast.
        return MacAddress.valueOf(((r.nextLong() & 0xFCFFFFFFFFFFL) | 0x020000000000L) & 0xFFFFFFFFFFFFL);
    }

    private static ByteBuffer vdpRequest(SplittableRandom r, MacAddress from) {
        AssociationTlv tlv = AssociationTlv.builder().type(r.nextBoolean() ? VdpTlvType.PRE_ASSOCIATE : VdpTlvType.ASSOCIATE)
                .status(VsiStatus.REQUEST).typeId(1).typeVersion(1).vsiId(VsiId.of(new UUID(r.nextLong(), r.nextLong())))
                .filter(FilterFormat.GROUPID_MAC_VID, FilterEntry.builder().vn(1 + r.nextInt(VnId.MAX)).mac(unicast(r)).vid(0).build())
                .build();
        ByteBuffer b = ByteBuffer.allocate(1514);
        MacAddress.NEAREST_CUSTOMER_BRIDGE.writeTo(b);
        from.writeTo(b);
        b.putShort((short) EtherType.ECP);
        EcpHeader.write(b, 0, 1, 1 + r.nextInt(0xFFFF));
        new VdpEncoder().encode(Vdpdu.of(ManagerId.ofName("hostile"), tlv), b);
        while (b.position() < 60) {
            b.put((byte) 0);
        }
        return b.flip();
    }

    private static ByteBuffer lldpdu(MacAddress from, EvbTlv evb) {
        ByteBuffer b = ByteBuffer.allocate(256);
        new FrameEncoder().lldp(MacAddress.NEAREST_CUSTOMER_BRIDGE, from,
                Lldpdu.of(ChassisId.ofMac(from), PortId.ofInterfaceName("evil0"), 120, List.of(evb)), b);
        return b.flip();
    }
}
