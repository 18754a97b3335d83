package org.splitnve.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.splitnve.ecptransport.clock.VirtualScheduler;
import org.splitnve.ecptransport.link.LinkFaults;
import org.splitnve.ecptransport.link.MemoryLink;
import org.splitnve.nnve.nva.VnContext;
import org.splitnve.nvaetcd.EtcdNva;
import org.splitnve.nvedataplane.port.MemoryDataPort;
import org.splitnve.testsupport.EtcdServer;
import org.splitnve.testsupport.Prerequisites;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.VnId;

/** The switch agent with {@code "nva": "etcd://..."}: its VNs go to a real etcd, where a clash with another switch is refused. */
class SwitchAgentEtcdTest {

    @TempDir
    Path dir;

    private SwitchConfig config(EtcdServer etcd, String localIp, String vnName) throws Exception {
        Files.writeString(dir.resolve("policy.txt"), SwitchAgentTest.POLICY);
        Path file = dir.resolve("switch-" + localIp + ".json");
        Files.writeString(file, """
                {"downlinks": ["swp1"], "uplink": "up0", "localIp": "%s", "nextHopMac": "02:00:00:00:09:09",
                 "policyFile": "policy.txt", "nva": "etcd://%s", "nvaLeaseTtl": 2, "vns": [{"vni": 5001, "name": "%s"}]}
                """.formatted(localIp, etcd.hostPorts(), vnName));
        return SwitchConfig.load(file);
    }

    private static SwitchAgent start(SwitchConfig config, List<String> events) {
        VirtualScheduler clock = new VirtualScheduler();
        MemoryLink[] wire = MemoryLink.pair(clock, "hv0", MacAddress.valueOf("02:00:00:00:00:01"), "swp1",
                MacAddress.valueOf("02:00:00:00:00:fe"), LinkFaults.NONE);
        MemoryDataPort[] up = MemoryDataPort.pair("up0", MacAddress.valueOf("02:00:00:00:01:fe"), "router",
                MacAddress.valueOf("02:00:00:00:09:09"));
        return SwitchAgent.start(config, List.of(SwitchAgent.Downlink.sharing(wire[1])), up[0], clock, 7, events::add);
    }

    @Test
    void a_switch_on_etcd_defines_its_vns_there_and_a_second_switch_naming_the_vni_otherwise_is_refused() throws Exception {
        Prerequisites.requireCommand("etcd");
        try (EtcdServer etcd = EtcdServer.onLoopback()) {
            SwitchConfig first = config(etcd, "192.0.2.1", "web");
            assertThat(first.nva().leaseTtl()).isEqualTo(Duration.ofSeconds(2));
            assertThat(first.nva().nveName()).isEqualTo("192.0.2.1");
            List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
            try (SwitchAgent agent = start(first, events)) {
                assertThat(agent.nva()).isInstanceOf(EtcdNva.class);
                EtcdNva nva = (EtcdNva) agent.nva();
                assertThat(nva.vnContext(VnId.of(5001)).toCompletableFuture().get()).contains(new VnContext(VnId.of(5001), "web"));
                assertThat(events.get(0)).contains("\"nva\":\"etcd://" + etcd.hostPorts() + "\"", "\"nvaLeaseTtl\":2");
                assertThatThrownBy(() -> start(config(etcd, "192.0.2.2", "shop"), events)).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("'web'");
                try (SwitchAgent same = start(config(etcd, "192.0.2.3", "web"), events)) {
                    assertThat(same.nva().counts(org.splitnve.nnve.nva.NvaView.FORWARDING)).isEmpty();
                }
            }
        }
    }

    @Test
    void the_nva_fields_are_checked_before_anything_opens() throws Exception {
        Files.writeString(dir.resolve("policy.txt"), SwitchAgentTest.POLICY);
        String base = """
                {"downlinks": ["swp1"], "uplink": "up0", "localIp": "192.0.2.1", "policyFile": "policy.txt", %s
                 "vns": [{"vni": 5001}]}
                """;
        assertThat(SwitchConfig.parse(base.formatted(""), dir).nva()).isNull();
        assertThatThrownBy(() -> SwitchConfig.parse(base.formatted("\"nvaLeaseTtl\": 5,"), dir))
                .hasMessageContaining("\"nvaLeaseTtl\" needs \"nva\"");
        assertThatThrownBy(() -> SwitchConfig.parse(base.formatted("\"nva\": \"http://h:1\","), dir)).hasMessageContaining("\"nva\"");
        assertThatThrownBy(() -> SwitchConfig.parse(base.formatted("\"nva\": \"etcd://h:1\", \"nvaLeaseTtl\": 1,"), dir))
                .hasMessageContaining("lease TTL");
        assertThatThrownBy(() -> SwitchConfig.parse(base.formatted("\"nva\": \"etcd://h:1\", \"nvaLeaseTtl\": \"ten\","), dir))
                .hasMessageContaining("number of seconds");
    }
}
