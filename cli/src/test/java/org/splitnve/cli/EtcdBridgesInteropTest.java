package org.splitnve.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitnve.cli.EventCollector.is;

import com.fasterxml.jackson.databind.JsonNode;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.splitnve.ecptransport.link.Libpcap;
import org.splitnve.testsupport.Closer;
import org.splitnve.testsupport.CommandResult;
import org.splitnve.testsupport.EtcdServer;
import org.splitnve.testsupport.InNamespace;
import org.splitnve.testsupport.NetworkNamespace;
import org.splitnve.testsupport.Prerequisites;
import org.splitnve.testsupport.VethPair;

/**
 * Two {@code splitnve bridge} processes that share an NVA on etcd and nothing else, in seven namespaces:
 *
 * <pre>
 *  vm1 ══ hv1 [station, VlanShim] ══ nve1 (bridge, ul0 192.0.2.1) ══ core (etcd, routes) ══ nve2 (bridge, ul0 203.0.113.1) ══ hv2 ══ vm2
 * </pre>
 *
 * Neither bridge is told where the other is (no {@code --remote}): each publishes its VM in etcd and learns the other's
 * VM and flood list from it, so VM 1 pings VM 2 across the VXLAN overlay. An etcd restart in the middle changes
 * nothing; a bridge killed without goodbye has its mappings leave etcd once its lease runs out.
 */
class EtcdBridgesInteropTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String VM1_IP = "198.51.100.1";
    private static final String VM2_IP = "198.51.100.2";

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

    /** One side: a VM behind a hypervisor's station, and an nNVE whose underlay reaches the core. */
    private record Side(NetworkNamespace vm, NetworkNamespace hv, NetworkNamespace nve, String coreMac) {
    }

    private Side side(NetworkNamespace core, int n, String underlayIp, String coreIp, String vmIp) {
        NetworkNamespace vm = track(NetworkNamespace.create());
        NetworkNamespace hv = track(NetworkNamespace.create());
        NetworkNamespace nve = track(NetworkNamespace.create());
        String coreMac = "02:00:00:00:e5:0" + n;
        VethPair.between(vm, hv).names("vmk0", "vmp0").macs("02:00:00:00:e1:0" + n, "02:00:00:00:e2:0" + n).create();
        VethPair.between(hv, nve).names("vm0", "trunk0").macs("02:00:00:00:e3:0" + n, "02:00:00:00:e4:0" + n).create();
        VethPair.between(core, nve).names("c" + n, "ul0").macs(coreMac, "02:00:00:00:e6:0" + n).create();
        vm.exec("ip", "addr", "add", vmIp + "/24", "dev", "vmk0");
        core.exec("ip", "addr", "add", coreIp + "/24", "dev", "c" + n);
        nve.exec("ip", "link", "set", "lo", "up");
        nve.exec("ip", "addr", "add", underlayIp + "/24", "dev", "ul0");
        nve.exec("ip", "route", "add", "default", "via", coreIp);
        return new Side(vm, hv, nve, coreMac);
    }

    private BridgeProcess bridge(Side s, int n, String localIp, String etcd) {
        BridgeProcess b = track(BridgeProcess.start(s.nve(), dir.resolve("bridge" + n + ".log"), "--iface", "trunk0", "--underlay", "ul0",
                "--local-ip", localIp, "--next-hop", s.coreMac(), "--nva", "etcd://" + etcd, "--nva-lease-ttl", "2",
                "--vid-pool", (100 * n) + "-" + (100 * n + 99), "--events", "-", "--log", "info"));
        return b;
    }

    /** Associates the VM through a station in the hypervisor and tags its frames; the local tag. */
    private int connect(Side s, int n, String vmIp, BridgeProcess bridge) throws Exception {
        Path vsis = dir.resolve("vm" + n + ".json");
        String vsiId = "9b3b0c1d-0000-4000-8000-00000000e00" + n;
        Files.writeString(vsis, """
                [{"vsiId": "%s", "managerId": "snvmgr", "vn": 5000, "mac": "02:00:00:00:e1:0%d", "ips": ["%s"]}]
                """.formatted(vsiId, n, vmIp));
        RunningCommand station = track(RunningCommand.start(s.hv(), stop -> new StationCommand(Libpcap.system(), stop),
                "--iface", "vm0", "--vsi", vsis.toString(), "--events", "-"));
        JsonNode response = station.events.require(WAIT, "association of VM " + n, is("response", "vsiId", vsiId));
        assertThat(response.path("error").asInt()).as("VM %d: %s\n%s", n, response, bridge.logTail()).isZero();
        bridge.events.require(WAIT, "VM " + n + " activated", n2 -> is("tsi", "vsiId", vsiId).test(n2)
                && n2.path("state").asText().equals("ACTIVATED"));
        int tag = response.path("localTag").asInt();
        track(VlanShim.start(s.hv(), "vmp0", "vm0", tag));
        return tag;
    }

    private static CommandResult ping(NetworkNamespace vm, String to) {
        CommandResult last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            last = vm.run(Duration.ofSeconds(20), "ping", "-c", "2", "-W", "2", to);
            if (last.succeeded()) {
                return last;
            }
        }
        return last;
    }

    /** The mapping keys etcd holds for {@code nve}, read from inside the core namespace. */
    private static List<String> keysOf(NetworkNamespace core, String etcd, String nve) throws Exception {
        return InNamespace.call(core, () -> {
            try (Client c = Client.builder().endpoints("http://" + etcd).build()) {
                List<KeyValue> kvs = c.getKVClient().get(ByteSequence.from("/splitnve/v1/map/", StandardCharsets.UTF_8),
                        GetOption.builder().isPrefix(true).build()).get(10, TimeUnit.SECONDS).getKvs();
                return kvs.stream().map(kv -> kv.getKey().toString(StandardCharsets.UTF_8)).filter(k -> k.contains("/" + nve + "/")).toList();
            }
        });
    }

    @Test
    void two_bridges_that_share_only_etcd_carry_a_ping_between_their_vms_and_a_killed_one_leaves_after_its_lease() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("ip", "ping", "etcd");
        Prerequisites.requireLibpcap();

        NetworkNamespace core = track(NetworkNamespace.create());
        core.sysctl("net.ipv4.ip_forward", "1");
        Side one = side(core, 1, "192.0.2.1", "192.0.2.254", VM1_IP);
        Side two = side(core, 2, "203.0.113.1", "203.0.113.254", VM2_IP);
        EtcdServer etcd = track(EtcdServer.inNamespace(core, "192.0.2.254", "203.0.113.254"));

        BridgeProcess b1 = bridge(one, 1, "192.0.2.1", "192.0.2.254:2379");
        BridgeProcess b2 = bridge(two, 2, "203.0.113.1", "203.0.113.254:2379");
        b1.events.require(WAIT, "bridge 1 on etcd", n -> n.path("event").asText().equals("started"));
        b2.events.require(WAIT, "bridge 2 on etcd", n -> n.path("event").asText().equals("started"));
        connect(one, 1, VM1_IP, b1);
        connect(two, 2, VM2_IP, b2);

        CommandResult first = ping(one.vm(), VM2_IP);
        assertThat(first.succeeded()).as("VM 1 pings VM 2 through etcd-learnt tunnels:\n%s\nbridge 1:\n%s\nbridge 2:\n%s", first.stdout(),
                b1.logTail(), b2.logTail()).isTrue();

        etcd.restart();
        CommandResult afterRestart = ping(two.vm(), VM1_IP);
        assertThat(afterRestart.succeeded()).as("after an etcd restart:\n%s\n%s", afterRestart.stdout(), b2.logTail()).isTrue();
        assertThat(keysOf(core, "192.0.2.254:2379", "203.0.113.1")).as("bridge 2's VM, both views").hasSize(2);

        b2.kill();
        long killed = System.nanoTime();
        List<String> left = keysOf(core, "192.0.2.254:2379", "203.0.113.1");
        while (!left.isEmpty() && System.nanoTime() - killed < Duration.ofSeconds(15).toNanos()) {
            Thread.sleep(200);
            left = keysOf(core, "192.0.2.254:2379", "203.0.113.1");
        }
        assertThat(left).as("a bridge killed without goodbye leaves etcd with its lease").isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - killed)).isLessThan(Duration.ofSeconds(6));
        assertThat(keysOf(core, "192.0.2.254:2379", "192.0.2.1")).as("bridge 1's VM stays").hasSize(2);
        assertThat(one.vm().run(Duration.ofSeconds(10), "ping", "-c", "1", "-W", "2", VM2_IP).succeeded()).isFalse();
        assertThat(b1.stop(WAIT)).isZero();
        JsonNode counters = b1.events.require(WAIT, "counters", n -> n.path("event").asText().equals("counters") && n.has("nva"));
        assertThat(counters.path("nva").asText()).contains("resyncs=");
    }
}
