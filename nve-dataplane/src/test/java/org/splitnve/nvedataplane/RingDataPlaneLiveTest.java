package org.splitnve.nvedataplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.splitnve.ecptransport.clock.RealScheduler;
import org.splitnve.ecptransport.clock.Scheduler;
import org.splitnve.ecptransport.clock.VirtualScheduler;
import org.splitnve.ecptransport.link.RingLink;
import org.splitnve.ecptransport.ring.RingConfig;
import org.splitnve.nnve.nva.NvaView;
import org.splitnve.nnve.nva.TsiMapping;
import org.splitnve.nvedataplane.codec.Encapsulation;
import org.splitnve.nvedataplane.codec.EtherType;
import org.splitnve.nvedataplane.codec.Tunnel;
import org.splitnve.nvedataplane.directory.NvaDirectory;
import org.splitnve.nvedataplane.port.DataPort;
import org.splitnve.nvedataplane.port.MemoryDataPort;
import org.splitnve.nvedataplane.port.RingDataPort;
import org.splitnve.testsupport.Closer;
import org.splitnve.testsupport.InNamespace;
import org.splitnve.testsupport.NetworkNamespace;
import org.splitnve.testsupport.Prerequisites;
import org.splitnve.testsupport.VethPair;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.VnId;

/**
 * The data plane on {@link RingDataPort}s in namespaces: station ══ p1 [data plane] ul0 ══ remote. Tagged frames
 * from the station come out of the underlay encapsulated in place in the transmit ring, and tunnel packets from the
 * remote come out of the trunk tagged, octet for octet as the same data plane in memory (the copy path) sends them.
 */
class RingDataPlaneLiveTest {

    private static final MacAddress STA_MAC = MacAddress.valueOf("02:00:00:00:e0:01");
    private static final MacAddress TRUNK_MAC = MacAddress.valueOf("02:00:00:00:e0:02");
    private static final MacAddress UL_MAC = MacAddress.valueOf("02:00:00:00:e0:03");
    private static final MacAddress REMOTE_MAC = MacAddress.valueOf("02:00:00:00:e0:04");
    private static final MacAddress A = MacAddress.valueOf("52:54:00:00:00:0a");
    private static final MacAddress R = MacAddress.valueOf("52:54:00:00:00:0f");
    private static final String LOCAL = "192.0.2.1";
    private static final String REMOTE = "192.0.2.2";
    private static final int VNI = 5000;
    private static final int VID = 100;

    private final Closer closer = new Closer();

    @AfterEach
    void tearDown() {
        closer.close();
    }

    private static DataPlane dataPlane(DataPort trunk, DataPort underlay, Scheduler scheduler) {
        NvaDirectory directory = new NvaDirectory(UnderlayAddress.parse(LOCAL));
        directory.onPublished(new TsiMapping(VnId.of(VNI), R, TestFrames.ip("10.0.0.9"), REMOTE), NvaView.FORWARDING);
        directory.addStatic(VnId.of(VNI), UnderlayAddress.parse(REMOTE));
        DataPlane dp = DataPlane.builder().trunkPort(trunk).underlayPort(underlay).localAddress(TestFrames.ip(LOCAL))
                .nextHopMac(REMOTE_MAC).encapsulation(Encapsulation.VXLAN).directory(directory).scheduler(scheduler).build();
        dp.onTsiActivated(TestFrames.active("p1", VNI, VID, A, TestFrames.ip("10.0.0.1")));
        return dp;
    }

    private static List<ByteBuffer> stationFrames() {
        List<ByteBuffer> frames = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            // Up to the largest whose tunnel packet the veth's MTU of 1500 lets through.
            int length = 64 + i * 37 % 1400;
            frames.add(TestFrames.udp4(R.toLong(), A.toLong(), VID, TestFrames.v4("10.0.0.1"), TestFrames.v4("10.0.0.9"), 1000 + i, 2000,
                    length));
        }
        // Broadcast: head-end replication to the remote NVE.
        frames.add(TestFrames.udp4(0xFFFF_FFFF_FFFFL, A.toLong(), VID, TestFrames.v4("10.0.0.1"), -1, 68, 67, 300));
        return frames;
    }

    private static List<ByteBuffer> tunnelPackets() {
        List<ByteBuffer> packets = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            ByteBuffer inner = TestFrames.udp6(A.toLong(), R.toLong(), 1, 2, 3, 4, 80 + i * 13);
            ByteBuffer out = ByteBuffer.allocate(inner.remaining() + 128);
            int n = Tunnel.encapsulateV4(inner, 0, inner.remaining(), false, out, 0, UL_MAC.toLong(), REMOTE_MAC.toLong(),
                    TestFrames.v4(REMOTE), TestFrames.v4(LOCAL), Encapsulation.VXLAN, VNI, i, 64);
            packets.add(out.limit(n));
        }
        return packets;
    }

    @Test
    void in_place_encapsulation_and_decapsulation_on_rings_send_what_the_copy_path_sends() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("ip");
        // The copy path, in memory.
        MemoryDataPort[] memTrunk = MemoryDataPort.pair("p1", TRUNK_MAC, "sta", STA_MAC);
        MemoryDataPort[] memUnder = MemoryDataPort.pair("ul0", UL_MAC, "remote", REMOTE_MAC);
        TestFrames.Sink memStation = new TestFrames.Sink();
        TestFrames.Sink memRemote = new TestFrames.Sink();
        memTrunk[1].receiver(memStation);
        memUnder[1].receiver(memRemote);
        DataPlane reference = dataPlane(memTrunk[0], memUnder[0], new VirtualScheduler());
        List<ByteBuffer> fromStation = stationFrames();
        List<ByteBuffer> fromRemote = tunnelPackets();
        fromStation.forEach(f -> memTrunk[1].send(f.duplicate()));
        fromRemote.forEach(f -> memUnder[1].send(f.duplicate()));
        assertThat(reference.counters().totalDrops()).isZero();
        assertThat(memRemote.size()).isEqualTo(fromStation.size());
        assertThat(memStation.size()).isEqualTo(fromRemote.size());

        // The ring path, in namespaces.
        NetworkNamespace sta = closer.track(NetworkNamespace.create());
        NetworkNamespace nve = closer.track(NetworkNamespace.create());
        NetworkNamespace rem = closer.track(NetworkNamespace.create());
        VethPair.between(sta, nve).names("sta0", "p1").macs(STA_MAC.toString(), TRUNK_MAC.toString()).create();
        VethPair.between(nve, rem).names("ul0", "rm0").macs(UL_MAC.toString(), REMOTE_MAC.toString()).create();
        RealScheduler scheduler = closer.track(new RealScheduler("ring-dp"));
        RingDataPort trunk = closer.track(InNamespace.call(nve, () -> RingDataPort.open("p1")));
        RingDataPort under = closer.track(InNamespace.call(nve, () -> RingDataPort.open("ul0")));
        DataPlane live = closer.track(dataPlane(trunk, under, scheduler));
        RingLink station = closer.track(InNamespace.call(sta, () -> RingLink.open("sta0", EtherType.VLAN)));
        RingLink remote = closer.track(InNamespace.call(rem, () -> RingLink.open("rm0", EtherType.IPV4)));
        List<ByteBuffer> atStation = collect(station);
        List<ByteBuffer> atRemote = collect(remote);

        for (ByteBuffer f : fromStation) {
            station.send(f.duplicate());
        }
        await(atRemote, fromStation.size());
        for (ByteBuffer p : fromRemote) {
            remote.send(p.duplicate());
        }
        await(atStation, fromRemote.size());

        assertThat(live.counters().totalDrops()).as("%s", live.counters()).isZero();
        assertThat(atRemote).containsExactlyElementsOf(memRemote.frames);
        assertThat(atStation).containsExactlyElementsOf(memStation.frames);
        // Every frame was built in a transmit slot, and the trunk's tagged frames came with their tag put back.
        assertThat(trunk.stats().get(0).vlanRestored()).isEqualTo(fromStation.size());
        assertThat(under.stats().get(0).sent()).isEqualTo(fromStation.size());
        assertThat(trunk.stats().get(0).sent()).isEqualTo(fromRemote.size());
    }

    @Test
    void a_ring_port_whose_interface_is_removed_tells_its_owner() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("ip");
        NetworkNamespace a = closer.track(NetworkNamespace.create());
        NetworkNamespace b = closer.track(NetworkNamespace.create());
        VethPair.between(a, b).names("rg0", "rg1").macs(TRUNK_MAC.toString(), STA_MAC.toString()).create();
        RingDataPort port = closer.track(InNamespace.call(a, () -> RingDataPort.open("rg0")));
        CountDownLatch told = new CountDownLatch(1);
        port.onFailure((name, e) -> told.countDown());
        assertThat(port.receiving()).isTrue();

        a.exec("ip", "link", "del", "rg0");

        assertThat(told.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(port.receiving()).isFalse();
        assertThat(port.send(TestFrames.udp4(R.toLong(), A.toLong(), VID, 1, 2, 3, 4, 64))).isFalse();
    }

    @Test
    void a_fanout_group_of_two_receive_threads_spreads_flows_and_loses_no_frame() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("ip");
        NetworkNamespace a = closer.track(NetworkNamespace.create());
        NetworkNamespace b = closer.track(NetworkNamespace.create());
        VethPair.between(a, b).names("fo0", "fo1").macs(STA_MAC.toString(), TRUNK_MAC.toString()).create();
        RingLink sender = closer.track(InNamespace.call(a, () -> RingLink.open("fo0")));
        RingDataPort port = closer.track(InNamespace.call(b, () -> RingDataPort.open("fo1", RingConfig.DEFAULT, 2)));
        Set<String> threads = ConcurrentHashMap.newKeySet();
        AtomicInteger received = new AtomicInteger();
        port.receiver((p, f) -> {
            threads.add(Thread.currentThread().getName());
            received.incrementAndGet();
        });

        for (int i = 0; i < 2000; i++) {
            // 200 flows: the UDP ports differ.
            sender.send(TestFrames.udp4(R.toLong(), A.toLong(), VID, TestFrames.v4("10.0.0.1"), TestFrames.v4("10.0.0.9"), 1000 + i % 200,
                    2000, 100));
        }

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (received.get() < 2000 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(received.get()).isEqualTo(2000);
        assertThat(threads).containsExactlyInAnyOrder("ring-fo1-0", "ring-fo1-1");
        assertThat(port.stats()).hasSize(2).allSatisfy(s -> assertThat(s.received()).isPositive());
    }

    /** A frame of {@code length} octets with {@code etherType} at offset 12, from A to R. */
    private static ByteBuffer frame(int length, int etherType) {
        ByteBuffer f = ByteBuffer.allocate(length);
        f.putShort(0, (short) (R.toLong() >>> 32)).putInt(2, (int) R.toLong());
        f.putShort(6, (short) (A.toLong() >>> 32)).putInt(8, (int) A.toLong());
        f.putShort(12, (short) etherType);
        return f;
    }

    /**
     * The kernel drops, without a word under PACKET_LOSS, a frame from a ring longer than the MTU plus the Ethernet
     * header unless it carries an 802.1Q tag: such a frame is refused and counted, not counted as sent.
     */
    @Test
    void a_frame_longer_than_the_mtu_allows_untagged_is_refused_and_counted_not_sent() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("ip");
        NetworkNamespace a = closer.track(NetworkNamespace.create());
        NetworkNamespace b = closer.track(NetworkNamespace.create());
        VethPair.between(a, b).names("mt0", "mt1").macs(TRUNK_MAC.toString(), STA_MAC.toString()).create();
        RingDataPort port = closer.track(InNamespace.call(a, () -> RingDataPort.open("mt0")));
        RingLink peer = closer.track(InNamespace.call(b, () -> RingLink.open("mt1")));
        List<ByteBuffer> got = collect(peer);

        assertThat(port.send(frame(1515, EtherType.IPV4))).as("untagged, one octet over MTU + 14").isFalse();
        int slot = port.reserve();
        port.slot(slot).put(0, frame(1516, EtherType.IPV4), 0, 1516);
        assertThat(port.commit(slot, 1516)).as("the same built in a transmit slot").isFalse();
        assertThat(port.send(frame(1514, EtherType.IPV4))).isTrue();
        assertThat(port.send(frame(1518, EtherType.VLAN))).as("tagged, MTU + 18").isTrue();
        await(got, 2);

        assertThat(got).extracting(ByteBuffer::remaining).containsExactly(1514, 1518);
        assertThat(port.oversize()).isEqualTo(2);
        assertThat(port.stats().get(0).sent()).isEqualTo(2);
    }

    private static List<ByteBuffer> collect(RingLink link) {
        List<ByteBuffer> frames = new CopyOnWriteArrayList<>();
        link.addListener((f, t) -> frames.add(ByteBuffer.wrap(TestFrames.bytes(f))));
        return frames;
    }

    private static void await(List<ByteBuffer> frames, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (frames.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }
}
