package org.splitnve.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.splitnve.ecptransport.ecp.EcpConfig;
import org.splitnve.ecptransport.lldp.LldpAgentConfig;
import org.splitnve.vdpcore.vdp.VdpDecoder;
import org.splitnve.vdpcore.vdp.VdpEncoder;
import org.splitnve.ecptransport.clock.RealScheduler;
import org.splitnve.ecptransport.link.PcapLink;
import org.splitnve.ecptransport.vdp.VdpStack;
import org.splitnve.nvedataplane.codec.Encapsulation;
import org.splitnve.nvedataplane.codec.EtherType;
import org.splitnve.nvedataplane.codec.Ethernet;
import org.splitnve.nvedataplane.codec.IpProtocol;
import org.splitnve.nvedataplane.codec.Ipv4;
import org.splitnve.nvedataplane.codec.Tunnel;
import org.splitnve.nvedataplane.codec.Udp;
import org.splitnve.nvedataplane.codec.UdpPort;
import org.splitnve.testsupport.Closer;
import org.splitnve.testsupport.InNamespace;
import org.splitnve.testsupport.NetworkNamespace;
import org.splitnve.testsupport.Prerequisites;
import org.splitnve.testsupport.VethPair;
import org.splitnve.tnve.Migration;
import org.splitnve.tnve.Tnve;
import org.splitnve.tnve.TsiAddress;
import org.splitnve.tnve.TsiResult;
import org.splitnve.tnve.TsiSpec;
import org.splitnve.vdpcore.IpText;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.lldp.EvbMode;
import org.splitnve.vdpcore.vdp.ManagerId;
import org.splitnve.vdpcore.vdp.VnId;
import org.splitnve.vdpcore.vdp.VsiId;

/**
 * {@link SwitchAgent#main} as a switch OS would start it, in its own network namespace, on veth pairs:
 *
 * <pre>
 *   hv: hv0 (tNVE, VM frames) ══ sw: swp1 [SwitchAgent] up0 ══ rm: rn0 192.0.2.2 (the remote NVE's kernel, a capture)
 * </pre>
 *
 * The remote NVE's MAC is found by the agent's own ARP, which the kernel in {@code rm} answers. The agent is stopped
 * with SIGTERM and must print its counters on the way out.
 */
class SwitchAgentOnVethTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String UPLINK_MAC = "02:00:00:00:e1:03";
    private static final String REMOTE_MAC = "02:00:00:00:e1:04";
    private static final MacAddress VM_MAC = MacAddress.valueOf("02:00:00:00:aa:01");
    private static final MacAddress REMOTE_VM_MAC = MacAddress.valueOf("02:00:00:00:bb:01");

    @TempDir
    Path dir;

    private final Closer closer = new Closer();
    private final ObjectMapper json = new ObjectMapper();

    @AfterEach
    void cleanUp() {
        closer.close();
    }

    private <T extends AutoCloseable> T track(T c) {
        return closer.track(c);
    }

    @Test
    void main_on_veth_pairs_connects_a_vm_tunnels_its_frames_to_the_remote_nve_and_prints_counters_on_sigterm()
            throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("ip");
        Prerequisites.requireLibpcap();
        NetworkNamespace hv = track(NetworkNamespace.create());
        NetworkNamespace sw = track(NetworkNamespace.create());
        NetworkNamespace rm = track(NetworkNamespace.create());
        VethPair.between(hv, sw).names("hv0", "swp1").create();
        VethPair.between(sw, rm).names("up0", "rn0").macs(UPLINK_MAC, REMOTE_MAC).create();
        rm.exec("ip", "addr", "add", "192.0.2.2/24", "dev", "rn0");

        Files.writeString(dir.resolve("policy.txt"), SwitchAgentTest.POLICY);
        Files.writeString(dir.resolve("switch.json"), SwitchAgentTest.CONFIG.replace("\"nextHopMac\": \"02:00:00:00:09:09\",", ""));
        Path out = dir.resolve("agent.out");
        Path err = dir.resolve("agent.err");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process agent = sw.start(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, SwitchAgent.class.getName(), dir.resolve("switch.json").toString())
                .redirectOutput(out.toFile()).redirectError(err.toFile()));
        assertThat(waitFor(() -> line(out, "started"))).as(() -> read(err)).isPresent();

        // The hypervisor: a tNVE on hv0, and a second handle on it for the VM's frames.
        RealScheduler scheduler = track(new RealScheduler("hv"));
        // RTE 12 (41 ms ack timer, operating on both ends once negotiated): the agent is a cold JVM on a machine that
        // may be busy, and lldpad's RTE 8 (2.56 ms, four attempts) can run out before its first ack is compiled.
        LldpAgentConfig lldp = LldpAgentConfig.station().withEvbPolicy(LldpAgentConfig.station().evbPolicy().toBuilder().rte(12).build());
        VdpStack station = track(VdpStack.start(InNamespace.call(hv, () -> PcapLink.open("hv0",
                org.splitnve.vdpcore.frame.EtherType.ECP, org.splitnve.vdpcore.frame.EtherType.LLDP)), scheduler, lldp,
                EcpConfig.DEFAULT, new VdpDecoder(), new VdpEncoder(), new SecureRandom().nextLong()));
        // No filter: "ether proto" would not match the tagged frames coming back.
        PcapLink vmPort = track(InNamespace.call(hv, () -> PcapLink.open("hv0")));
        List<byte[]> atVm = received(vmPort);
        PcapLink remote = track(InNamespace.call(rm, () -> PcapLink.open("rn0", EtherType.IPV4)));
        List<byte[]> atRemote = received(remote);

        MacAddress bridge = station.awaitEvbPeer(EvbMode.BRIDGE, WAIT).orElseThrow(() -> new AssertionError("no EVB bridge: "
                + read(err)));
        Tnve tnve = track(Tnve.builder().channel(station.channel()).timers(station.timersSource()).bridge(bridge).build().start());
        VsiId vsi = VsiId.of(UUID.fromString("6f1c3a52-4d0e-4b8a-9a31-0c2e5b7d9e11"));
        TsiSpec spec = TsiSpec.builder().vsiId(vsi).managerId(ManagerId.ofName("snvmgr")).typeId(1).typeVersion(1)
                .vn(VnId.of(5001)).address(TsiAddress.macIp(VM_MAC, IpText.parse("10.0.1.5"))).build();
        tnve.associate(spec, Migration.NONE).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        TsiResult active = tnve.activate(vsi, Migration.NONE).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        int vid = active.tag().vid();
        assertThat(vid).isBetween(100, 199);
        assertThat(waitFor(() -> line(out, "vn-connected"))).get().satisfies(n -> assertThat(n.get("localTag").asInt()).isEqualTo(vid));

        // The first frame waits for ARP to find 192.0.2.2; the kernel in rm answers it.
        vmPort.send(fromVm(vid));
        Optional<byte[]> tunnelled = waitFor(() -> atRemote.stream().filter(SwitchAgentOnVethTest::isVxlan).findFirst());
        assertThat(tunnelled).as(() -> read(err)).isPresent();
        ByteBuffer outer = ByteBuffer.wrap(tunnelled.get());
        Tunnel.Decoded d = Tunnel.decode(outer, 0, outer.limit(), Encapsulation.VXLAN);
        assertThat(d.vni).isEqualTo(5001);
        assertThat(d.dstIp4).isEqualTo(v4("192.0.2.2"));
        assertThat(d.srcIp4).isEqualTo(v4("192.0.2.1"));
        assertThat(Ethernet.destination(outer, 0)).isEqualTo(MacAddress.valueOf(REMOTE_MAC).toLong());
        assertThat(Ethernet.source(outer, d.innerOffset)).isEqualTo(VM_MAC.toLong());

        // The remote VM's answer, tunnelled back by the remote NVE, reaches the VM with the VN's tag.
        ByteBuffer inner = ByteBuffer.allocate(d.innerLength);
        inner.put(0, tunnelled.get(), d.innerOffset, d.innerLength);
        Ethernet.putMac(inner, 0, VM_MAC.toLong());
        Ethernet.putMac(inner, 6, REMOTE_VM_MAC.toLong());
        ByteBuffer back = ByteBuffer.allocate(256);
        int n = Tunnel.encapsulateV4(inner, 0, d.innerLength, false, back, 0, MacAddress.valueOf(UPLINK_MAC).toLong(),
                MacAddress.valueOf(REMOTE_MAC).toLong(), v4("192.0.2.2"), v4("192.0.2.1"), Encapsulation.VXLAN, 5001, 1, 64);
        remote.send(back.limit(n));
        Optional<byte[]> delivered = waitFor(() -> atVm.stream()
                .filter(f -> Ethernet.destination(ByteBuffer.wrap(f), 0) == VM_MAC.toLong()).findFirst());
        assertThat(delivered).isPresent();
        assertThat(Ethernet.vid(ByteBuffer.wrap(delivered.get()), 0)).isEqualTo(vid);

        agent.destroy(); // SIGTERM
        assertThat(agent.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        JsonNode counters = line(out, "counters").orElseThrow(() -> new AssertionError("no counters: " + read(out) + read(err)));
        assertThat(counters.get("forwarded").get("RECEIVED_TRUNK").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(counters.get("forwarded").get("DECAPSULATED").asLong()).isEqualTo(1);
        assertThat(counters.get("forwarded").get("UNDERLAY_NEIGHBORS_LEARNED").asLong()).isEqualTo(1);
        assertThat(line(out, "stopped")).isPresent();
    }

    private static List<byte[]> received(PcapLink link) {
        List<byte[]> frames = new CopyOnWriteArrayList<>();
        link.addListener((f, t) -> {
            byte[] b = new byte[f.remaining()];
            f.duplicate().get(b);
            frames.add(b);
        });
        return frames;
    }

    private static boolean isVxlan(byte[] f) {
        ByteBuffer b = ByteBuffer.wrap(f);
        int ip = Ethernet.payloadOffset(b, 0);
        return Ethernet.payloadType(b, 0) == EtherType.IPV4 && Ipv4.protocol(b, ip) == IpProtocol.UDP
                && Udp.destinationPort(b, ip + Ipv4.headerLength(b, ip)) == UdpPort.VXLAN;
    }

    private static ByteBuffer fromVm(int vid) {
        ByteBuffer b = ByteBuffer.allocate(100);
        int ip = Ethernet.writeTaggedHeader(b, 0, REMOTE_VM_MAC.toLong(), VM_MAC.toLong(), vid, EtherType.IPV4);
        int payload = b.capacity() - Ethernet.TAGGED_HEADER - Ipv4.HEADER;
        int udp = Ipv4.write(b, ip, payload, 1, 64, IpProtocol.UDP, v4("10.0.1.5"), v4("10.0.1.9"));
        Udp.write(b, udp, 40000, 53, payload);
        return b;
    }

    private static int v4(String ip) {
        return ByteBuffer.wrap(IpText.parse(ip).getAddress()).getInt();
    }

    /** The first line of the agent's output with that event name. */
    private Optional<JsonNode> line(Path out, String event) {
        for (String l : read(out).lines().toList()) {
            try {
                JsonNode n = json.readTree(l);
                if (n.isObject() && event.equals(n.path("event").asText())) {
                    return Optional.of(n);
                }
            } catch (IOException partialLine) {
                // the agent is still writing it
            }
        }
        return Optional.empty();
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(" + e.getMessage() + ")";
        }
    }

    private static <T> Optional<T> waitFor(Supplier<Optional<T>> probe) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Optional<T> v = probe.get();
            if (v.isPresent() || System.nanoTime() - deadline > 0) {
                return v;
            }
            Thread.sleep(50);
        }
    }
}
