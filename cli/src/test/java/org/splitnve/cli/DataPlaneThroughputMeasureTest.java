package org.splitnve.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.splitnve.ecptransport.clock.RealScheduler;
import org.splitnve.ecptransport.link.LinkException;
import org.splitnve.ecptransport.link.PcapLink;
import org.splitnve.ecptransport.vdp.VdpStack;
import org.splitnve.nnve.Nnve;
import org.splitnve.nnve.NnveConfig;
import org.splitnve.nvedataplane.DataPlane;
import org.splitnve.nvedataplane.UnderlayAddress;
import org.splitnve.nvedataplane.codec.Encapsulation;
import org.splitnve.nvedataplane.directory.NvaDirectory;
import org.splitnve.nvedataplane.port.LinkDataPort;
import org.splitnve.testsupport.InNamespace;
import org.splitnve.testsupport.NetworkNamespace;
import org.splitnve.testsupport.Prerequisites;
import org.splitnve.testsupport.VethPair;
import org.splitnve.tnve.Migration;
import org.splitnve.tnve.Tnve;
import org.splitnve.tnve.TsiAddress;
import org.splitnve.tnve.TsiSpec;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.frame.EtherType;
import org.splitnve.vdpcore.lldp.EvbMode;
import org.splitnve.vdpcore.vdp.ManagerId;
import org.splitnve.vdpcore.vdp.VnId;
import org.splitnve.vdpcore.vdp.VsiId;

/**
 * Frames per second and loss through pcap on veth pairs, trunk in and underlay out, in one run:
 * our data plane (VLAN-tagged frames of an Activated TSI in, VXLAN out), a plain libpcap forwarder
 * (pcap4j receive, pcap4j send, nothing else: the ceiling any pcap-based forwarder has here), and
 * the kernel's own bridge plus VXLAN device. One generator thread sends 64-octet frames (68
 * tagged) as fast as libpcap lets it for {@code -Dmeasure.seconds} (default 60) each; a pcap
 * handle on the far end counts what arrives. Prints a table; never fails on the figures. Run:
 * {@code mvn -pl cli -am verify -Dgroups=measure -Dmeasure.excludedGroups=none -Dtest=DataPlaneThroughputMeasureTest -Dsurefire.failIfNoSpecifiedTests=false}
 */
@Tag("measure")
class DataPlaneThroughputMeasureTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String GEN_MAC = "02:00:00:00:f0:01";
    private static final String TRUNK_MAC = "02:00:00:00:f0:02";
    private static final String UL_MAC = "02:00:00:00:f0:03";
    private static final String SINK_MAC = "02:00:00:00:f0:04";
    private static final String VM_MAC = "02:00:00:00:f0:aa";
    private static final String LOCAL = "192.0.2.1";
    private static final String REMOTE = "192.0.2.2";

    private record Result(String path, long sent, long arrived, double seconds) {
        double sentRate() {
            return sent / seconds;
        }

        double rate() {
            return arrived / seconds;
        }

        double loss() {
            return sent == 0 ? 0 : 100.0 * (sent - Math.min(sent, arrived)) / sent;
        }
    }

    /** Three namespaces: generator ══ nve (trunk0, ul0) ══ sink. */
    private static final class Topology implements AutoCloseable {
        final NetworkNamespace gen = NetworkNamespace.create();
        final NetworkNamespace nve = NetworkNamespace.create();
        final NetworkNamespace sink = NetworkNamespace.create();

        Topology() {
            VethPair.between(gen, nve).names("gen0", "trunk0").macs(GEN_MAC, TRUNK_MAC).create();
            VethPair.between(nve, sink).names("ul0", "sink0").macs(UL_MAC, SINK_MAC).create();
        }

        @Override
        public void close() {
            sink.close();
            nve.close();
            gen.close();
        }
    }

    private static int seconds() {
        return Integer.getInteger("measure.seconds", 60);
    }

    @Test
    void frames_per_second_through_pcap_ours_next_to_plain_libpcap_and_the_kernel() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireLibpcap();
        Result ours = ours();
        Result pcap = plainPcap();
        Result kernel = kernel();
        System.out.printf("%nforwarding through veth, %d s each, 64-octet frames (trunk side 68 with the tag)%n", seconds());
        System.out.printf("  %-44s %12s %12s %8s%n", "path", "offered/s", "forwarded/s", "loss");
        for (Result r : List.of(ours, pcap, kernel)) {
            System.out.printf("  %-44s %,12.0f %,12.0f %7.2f%%%n", r.path(), r.sentRate(), r.rate(), r.loss());
        }
        assertThat(ours.arrived()).isPositive();
    }

    /** Sends until the deadline from a thread inside {@code ns}; returns frames sent. */
    private static long generate(NetworkNamespace ns, String ifname, byte[] frame, int seconds) throws Exception {
        return InNamespace.call(ns, () -> {
            try (PcapLink link = PcapLink.open(ifname, 0x88B5)) {
                ByteBuffer b = ByteBuffer.wrap(frame);
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
                long n = 0;
                while (System.nanoTime() < end) {
                    for (int i = 0; i < 256; i++) {
                        b.clear();
                        link.send(b);
                    }
                    n += 256;
                }
                return n;
            }
        });
    }

    private static PcapLink counter(NetworkNamespace ns, String ifname, AtomicLong count) throws Exception {
        PcapLink link = InNamespace.call(ns, () -> PcapLink.open(ifname, EtherType.IPV4));
        link.addListener((f, t) -> count.incrementAndGet());
        return link;
    }

    private static byte[] frame(boolean tagged, int vid) {
        ByteBuffer b = ByteBuffer.allocate(tagged ? 68 : 64);
        MacAddress.valueOf("02:00:00:00:f0:bb").writeTo(b);
        MacAddress.valueOf(VM_MAC).writeTo(b);
        if (tagged) {
            b.putShort((short) EtherType.VLAN).putShort((short) vid);
        }
        b.putShort((short) 0x88B5); // local experimental EtherType: an opaque payload
        while (b.hasRemaining()) {
            b.put((byte) 0x5a);
        }
        return b.array();
    }

    private Result ours() throws Exception {
        try (Topology t = new Topology();
             RealScheduler stClock = new RealScheduler("tp-station");
             RealScheduler brClock = new RealScheduler("tp-bridge")) {
            PcapLink stLink = InNamespace.call(t.gen, () -> PcapLink.open("gen0", EtherType.ECP, EtherType.LLDP));
            PcapLink brLink = InNamespace.call(t.nve, () -> PcapLink.open("trunk0", EtherType.ECP, EtherType.LLDP));
            VdpStack station = VdpStack.station(stLink, stClock, 1);
            VdpStack bridge = VdpStack.bridge(brLink, brClock, 2);
            CommandLineNva nva = new CommandLineNva(List.of());
            Nnve nnve = Nnve.builder().nva(nva).config(NnveConfig.builder().nveName(LOCAL).build()).build();
            nnve.addPort(bridge.channel(), bridge.timersSource());
            LinkDataPort trunk = InNamespace.call(t.nve, () -> LinkDataPort.openPcap("trunk0"));
            LinkDataPort under = InNamespace.call(t.nve, () -> LinkDataPort.openPcap("ul0"));
            UnderlayAddress local = UnderlayAddress.parse(LOCAL);
            NvaDirectory dir = new NvaDirectory(local).attach(nva.inMemory()).addStatic(VnId.of(5000), UnderlayAddress.parse(REMOTE));
            DataPlane dp = DataPlane.builder().trunkPort(trunk).underlayPort(under).localAddress(local).nextHopMac(MacAddress.valueOf(SINK_MAC))
                    .encapsulation(Encapsulation.VXLAN).directory(dir).view(nnve.dataPlaneView()).scheduler(brClock).build();
            Optional<MacAddress> peer = station.awaitEvbPeer(EvbMode.BRIDGE, WAIT);
            assertThat(peer).isPresent();
            Tnve tnve = Tnve.builder().channel(station.channel()).timers(station.timersSource()).bridge(peer.get()).build().start();
            int tag = tnve.activate(TsiSpec.builder().vsiId(new VsiId.Uuid(new UUID(1, 1))).managerId(ManagerId.ofName("snvmgr"))
                    .vn(VnId.of(5000)).address(new TsiAddress.Mac(MacAddress.valueOf(VM_MAC))).build(), Migration.NONE)
                    .get(30, TimeUnit.SECONDS).tag().vid();
            AtomicLong arrived = new AtomicLong();
            PcapLink sink = counter(t.sink, "sink0", arrived);
            long t0 = System.nanoTime();
            long sent = generate(t.gen, "gen0", frame(true, tag), seconds());
            Thread.sleep(500);
            double s = (System.nanoTime() - t0 - 500_000_000L) / 1e9;
            System.out.printf("ours: %s%n", dp.counters());
            sink.close();
            dp.close();
            trunk.close();
            under.close();
            tnve.close();
            nnve.close();
            station.close();
            bridge.close();
            return new Result("splitnve data plane (pcap in, VXLAN out)", sent, arrived.get(), s);
        }
    }

    private Result plainPcap() throws Exception {
        try (Topology t = new Topology()) {
            PcapLink in = InNamespace.call(t.nve, () -> PcapLink.open("trunk0", 0x88B5));
            PcapLink out = InNamespace.call(t.nve, () -> PcapLink.open("ul0", 0x88B5));
            in.addListener((f, ts) -> {
                try {
                    out.send(f);
                } catch (LinkException e) {
                    // closing
                }
            });
            AtomicLong arrived = new AtomicLong();
            PcapLink sink = InNamespace.call(t.sink, () -> PcapLink.open("sink0", 0x88B5));
            sink.addListener((f, ts) -> arrived.incrementAndGet());
            long t0 = System.nanoTime();
            long sent = generate(t.gen, "gen0", frame(false, 0), seconds());
            Thread.sleep(500);
            double s = (System.nanoTime() - t0 - 500_000_000L) / 1e9;
            sink.close();
            in.close();
            out.close();
            return new Result("plain libpcap forwarder (no processing)", sent, arrived.get(), s);
        }
    }

    private Result kernel() throws Exception {
        try (Topology t = new Topology()) {
            t.nve.exec("ip", "addr", "add", LOCAL + "/24", "dev", "ul0");
            t.nve.exec("ip", "neigh", "replace", REMOTE, "lladdr", SINK_MAC, "dev", "ul0", "nud", "permanent");
            t.nve.exec("ip", "link", "add", "br0", "type", "bridge");
            t.nve.exec("ip", "link", "add", "vx0", "type", "vxlan", "id", "5000", "dstport", "4789", "local", LOCAL, "remote", REMOTE,
                    "dev", "ul0");
            t.nve.exec("ip", "link", "set", "trunk0", "master", "br0");
            t.nve.exec("ip", "link", "set", "vx0", "master", "br0");
            t.nve.exec("ip", "link", "set", "vx0", "up");
            t.nve.exec("ip", "link", "set", "br0", "up");
            AtomicLong arrived = new AtomicLong();
            PcapLink sink = counter(t.sink, "sink0", arrived);
            long t0 = System.nanoTime();
            long sent = generate(t.gen, "gen0", frame(false, 0), seconds());
            Thread.sleep(500);
            double s = (System.nanoTime() - t0 - 500_000_000L) / 1e9;
            sink.close();
            return new Result("kernel bridge + VXLAN device", sent, arrived.get(), s);
        }
    }
}
