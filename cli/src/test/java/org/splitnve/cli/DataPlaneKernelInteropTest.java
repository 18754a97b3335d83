package org.splitnve.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitnve.cli.EventCollector.is;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.splitnve.ecptransport.link.Libpcap;
import org.splitnve.testsupport.Closer;
import org.splitnve.testsupport.Capture;
import org.splitnve.testsupport.CommandResult;
import org.splitnve.testsupport.NetworkNamespace;
import org.splitnve.testsupport.Prerequisites;
import org.splitnve.testsupport.Tshark;
import org.splitnve.testsupport.VethPair;

/**
 * The data plane against the Linux kernel's own overlay devices, in three namespaces:
 *
 * <pre>
 *  vm: vmk0 198.51.100.1 ══ hv: vmp0 [VlanShim: tag] vm0 (splitnve station) ══ nve: trunk0 (splitnve bridge) ul0 ══ remote: vr, ov0 198.51.100.2
 * </pre>
 *
 * A station ({@code splitnve station}) associates the VM (its MAC and IP) on VN 5000 and learns the
 * local tag, which the hypervisor's switch ({@link VlanShim}) then puts on the VM's frames. The
 * VM's kernel pings 198.51.100.2: the echo crosses our nNVE, is encapsulated toward the kernel's
 * VXLAN device over an IPv4 or IPv6 underlay (its MAC found by our ARP or ND, which the remote's
 * kernel answers), and the answer comes back the same way. A ping from a
 * source address the station never registered is dropped by our nNVE as spoofed, while the genuine
 * one still passes. For Geneve the same runs against the kernel's Geneve device where the kernel
 * has one; where it has not (the test machines' kernels lack the module), what our nNVE sends is
 * captured on the remote end and decoded by tshark, field by field.
 */
class DataPlaneKernelInteropTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String VM_MAC = "02:00:00:00:e0:01";
    private static final String TRUNK_MAC = "02:00:00:00:e0:02";
    private static final String STATION_MAC = "02:00:00:00:e0:12";
    private static final String UL_MAC = "02:00:00:00:e0:03";
    private static final String REMOTE_MAC = "02:00:00:00:e0:04";
    private static final String VM_IP = "198.51.100.1";
    private static final String REMOTE_OVERLAY_IP = "198.51.100.2";
    private static final String SPOOFED_IP = "198.51.100.66";

    @TempDir
    Path dir;

    private final Closer closer = new Closer();

    @AfterEach
    void cleanUp() {
        closer.close();
    }

    private <T extends AutoCloseable> T track(T c) {
        return closer.track(c);
    }

    static Stream<Arguments> underlays() {
        // The data plane on AF_PACKET rings and on libpcap (--io).
        return Stream.of(
                Arguments.of("vxlan", "192.0.2.1", "192.0.2.2", 24, "ring"),
                Arguments.of("vxlan", "192.0.2.1", "192.0.2.2", 24, "pcap"),
                Arguments.of("vxlan", "2001:db8:ff::1", "2001:db8:ff::2", 64, "ring"),
                Arguments.of("geneve", "192.0.2.1", "192.0.2.2", 24, "ring"),
                Arguments.of("geneve", "2001:db8:ff::1", "2001:db8:ff::2", 64, "pcap"));
    }

    @ParameterizedTest(name = "{0} over {1}, --io {4}")
    @MethodSource("underlays")
    void a_vm_pings_through_our_nnve_to_an_address_behind_the_kernels_overlay_device_and_a_spoofed_source_is_dropped(
            String encap, String local, String remote, int prefix, String io) throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("ip", "ping");
        Prerequisites.requireCommand("dumpcap", "tshark");
        Prerequisites.requireLibpcap();
        boolean v6 = local.contains(":");

        NetworkNamespace vm = track(NetworkNamespace.create());
        NetworkNamespace hv = track(NetworkNamespace.create());
        NetworkNamespace nve = track(NetworkNamespace.create());
        NetworkNamespace rem = track(NetworkNamespace.create());
        VethPair.between(vm, hv).names("vmk0", "vmp0").macs(VM_MAC, "02:00:00:00:e0:11").create();
        VethPair.between(hv, nve).names("vm0", "trunk0").macs(STATION_MAC, TRUNK_MAC).create();
        VethPair.Builder underlay = VethPair.between(nve, rem).names("ul0", "vr").macs(UL_MAC, REMOTE_MAC);
        (v6 ? underlay.keepIpv6() : underlay).create();
        vm.exec("ip", "addr", "add", VM_IP + "/24", "dev", "vmk0");

        // The remote NVE: the kernel's overlay device, reaching us at `local` through a static neighbour entry.
        String fam = v6 ? "-6" : "-4";
        if (v6) {
            rem.exec("ip", fam, "addr", "add", remote + "/" + prefix, "dev", "vr", "nodad");
        } else {
            rem.exec("ip", fam, "addr", "add", remote + "/" + prefix, "dev", "vr");
        }
        rem.exec("ip", fam, "neigh", "replace", local, "lladdr", UL_MAC, "dev", "vr", "nud", "permanent");
        boolean kernelPeer = true;
        if (encap.equals("vxlan")) {
            rem.exec("ip", "link", "add", "ov0", "type", "vxlan", "id", "5000", "dstport", "4789", "local", remote, "remote", local,
                    "dev", "vr", "nolearning");
        } else {
            CommandResult geneve = rem.run(Duration.ofSeconds(10), "ip", "link", "add", "ov0", "type", "geneve", "id", "5000",
                    "remote", local);
            kernelPeer = geneve.succeeded();
            assertThat(kernelPeer || geneve.stderr().contains("Unknown device type"))
                    .as("creating the kernel's Geneve device: %s", geneve.stderr()).isTrue();
        }
        Capture capture = null;
        if (kernelPeer) {
            rem.exec("ip", "addr", "add", REMOTE_OVERLAY_IP + "/24", "dev", "ov0");
            rem.exec("ip", "link", "set", "ov0", "up");
        } else {
            Prerequisites.requireCommand("dumpcap", "tshark");
            capture = track(Capture.start(rem, "vr", dir.resolve("underlay.pcap"), "udp port 6081"));
        }

        // Our nNVE with its data plane, then the station that associates the VM.
        // Against the kernel, the outer MAC comes from ARP (IPv4) or ND (IPv6), which the remote's kernel answers;
        // with no Geneve device on the other end it is configured.
        List<String> args = new ArrayList<>(List.of("--iface", "trunk0", "--underlay", "ul0", "--local-ip", local,
                "--remote", "5000=" + remote, "--encap", encap, "--vid-pool", "100-199", "--events", "-", "--io", io));
        if (!kernelPeer) {
            args.addAll(List.of("--next-hop", REMOTE_MAC));
        }
        RunningCommand bridge = track(RunningCommand.start(nve, stop -> new BridgeCommand(Libpcap.system(), stop),
                args.toArray(String[]::new)));
        bridge.events.require(WAIT, "bridge started on --io " + io,
                n -> n.path("event").asText().equals("dataplane") && n.path("io").asText().equals(io));
        Path vsis = dir.resolve("vm.json");
        String vsiId = "9b3b0c1d-0000-4000-8000-000000000001";
        Files.writeString(vsis, """
                [{"vsiId": "%s", "managerId": "snvmgr", "vn": 5000, "mac": "%s", "ips": ["%s"]}]
                """.formatted(vsiId, VM_MAC, VM_IP));
        RunningCommand station = track(RunningCommand.start(hv, stop -> new StationCommand(Libpcap.system(), stop),
                "--iface", "vm0", "--vsi", vsis.toString(), "--events", "-"));
        JsonNode response = station.events.require(WAIT, "association", is("response", "vsiId", vsiId));
        assertThat(response.path("error").asInt()).isZero();
        int tag = response.path("localTag").asInt();
        assertThat(tag).isBetween(100, 199);
        bridge.events.require(WAIT, "TSI activated", n -> is("tsi", "vsiId", vsiId).test(n) && n.path("state").asText().equals("ACTIVATED"));
        track(VlanShim.start(hv, "vmp0", "vm0", tag));

        if (!kernelPeer) {
            // No Geneve device to answer: the VM's echo requests must leave our nNVE as Geneve that tshark reads
            // as VNI 5000 carrying the VM's ICMP, and none from the spoofed source.
            vm.exec("ip", "neigh", "replace", REMOTE_OVERLAY_IP, "lladdr", REMOTE_MAC, "dev", "vmk0", "nud", "permanent");
            ping(vm, null);
            vm.exec("ip", "addr", "add", SPOOFED_IP + "/32", "dev", "vmk0");
            ping(vm, SPOOFED_IP);
            Thread.sleep(500);
            capture.close();
            String ipField = v6 ? "ipv6.dst" : "ip.dst";
            assertThat(Tshark.count(capture.file(), "geneve.vni == 5000 && " + ipField + " == " + remote
                    + " && icmp.type == 8 && ip.src == " + VM_IP)).as(Tshark.summary(capture.file())).isPositive();
            assertThat(Tshark.count(capture.file(), "ip.src == " + SPOOFED_IP)).isZero();
            assertThat(Tshark.count(capture.file(), "geneve && udp.dstport == 6081 && geneve.proto_type == 0x6558")).isPositive();
            assertThat(station.stop(WAIT)).isZero();
            assertThat(bridge.stop(WAIT)).isZero();
            return;
        }

        CommandResult genuine = ping(vm, null);
        if (!genuine.succeeded()) {
            bridge.stop(WAIT);
        }
        assertThat(genuine.succeeded()).as("genuine ping:\n%s\nbridge events:\n%s", genuine.stdout(), bridge.events.events()).isTrue();

        vm.exec("ip", "addr", "add", SPOOFED_IP + "/32", "dev", "vmk0");
        CommandResult spoofed = ping(vm, SPOOFED_IP);
        assertThat(spoofed.succeeded()).as("spoofed ping must not pass:\n%s", spoofed.stdout()).isFalse();
        CommandResult again = ping(vm, VM_IP);
        assertThat(again.succeeded()).as("genuine ping after the spoofed one:\n%s", again.stdout()).isTrue();

        assertThat(station.stop(WAIT)).isZero();
        assertThat(bridge.stop(WAIT)).isZero();
        JsonNode counters = bridge.events.require(WAIT, "counters", n -> n.path("event").asText().equals("counters"));
        assertThat(counters.toString()).containsIgnoringCase("spoof");
    }

    /** Pings the remote overlay address: the first tries may go to ARP on a fresh path. */
    private static CommandResult ping(NetworkNamespace vm, String source) {
        CommandResult last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            last = source == null
                    ? vm.run(Duration.ofSeconds(20), "ping", "-c", "2", "-W", "2", REMOTE_OVERLAY_IP)
                    : vm.run(Duration.ofSeconds(20), "ping", "-c", "2", "-W", "2", "-I", source, REMOTE_OVERLAY_IP);
            if (last.succeeded()) {
                return last;
            }
        }
        return last;
    }
}
