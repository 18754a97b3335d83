package org.splitnve.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.splitnve.ecptransport.link.Libpcap;
import org.splitnve.testsupport.Prerequisites;
import org.splitnve.tnve.TsiAddress;
import org.splitnve.tnve.TsiSpec;
import org.splitnve.vdpcore.vdp.FilterFormat;
import org.splitnve.vdpcore.vdp.ManagerId;

/** {@code bridge} and {@code station} up to the NIC: arguments, VSI files, and the one-line failures. */
class BridgeStationCommandTest {

    private static final Libpcap MISSING = new Libpcap(() -> {
        throw new UnsatisfiedLinkError("Unable to load library 'pcap'");
    });

    @TempDir
    Path dir;

    private Path vsiFile(String json) throws Exception {
        Path f = dir.resolve("vsis.json");
        Files.writeString(f, json);
        return f;
    }

    private static final String ONE_VSI = """
            [{"vsiId": "5a3b0c1d-0000-4000-8000-000000000001", "managerId": "snvmgr", "typeId": 4711,
              "typeVersion": 1, "vn": 5001, "mac": "02:00:00:00:aa:01", "ips": ["10.0.0.1", "2001:db8::1"]}]
            """;

    @Test
    void the_bridge_without_libpcap_says_so_in_one_line_and_exits_2() {
        Cli.Result r = Cli.run(MISSING, "bridge", "--iface", "eth-none");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().startsWith("splitnve bridge: ").contains("libpcap");
    }

    @Test
    void the_station_without_libpcap_says_so_in_one_line_and_exits_2() throws Exception {
        Cli.Result r = Cli.run(MISSING, "station", "--iface", "eth-none", "--vsi", vsiFile(ONE_VSI).toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().startsWith("splitnve station: ").contains("libpcap");
    }

    @Test
    void a_missing_nic_is_one_line_and_exit_2() throws Exception {
        Prerequisites.requireLibpcap();
        Cli.Result b = Cli.run("bridge", "--iface", "snv-no-such-if");
        assertThat(b.exitCode()).isEqualTo(2);
        assertThat(b.errLines()).singleElement().asString().contains("snv-no-such-if");
        Cli.Result s = Cli.run("station", "--iface", "snv-no-such-if", "--vsi", vsiFile(ONE_VSI).toString());
        assertThat(s.exitCode()).isEqualTo(2);
        assertThat(s.errLines()).singleElement().asString().contains("snv-no-such-if");
    }

    @Test
    void a_bad_vid_pool_a_bad_vn_and_an_unreadable_policy_are_usage_errors() {
        assertThat(Cli.run(MISSING, "bridge", "--iface", "x", "--vid-pool", "0-10").exitCode()).isEqualTo(2);
        assertThat(Cli.run(MISSING, "bridge", "--iface", "x", "--vid-pool", "20-10").exitCode()).isEqualTo(2);
        assertThat(Cli.run(MISSING, "bridge", "--iface", "x", "--vid-pool", "1-4095").exitCode()).isEqualTo(2);
        assertThat(Cli.run(MISSING, "bridge", "--iface", "x", "--vn", "0").exitCode()).isEqualTo(2);
        assertThat(Cli.run(MISSING, "bridge", "--iface", "x", "--vn", "16777216").exitCode()).isEqualTo(2);
        Cli.Result p = Cli.run(MISSING, "bridge", "--iface", "x", "--policy", dir.resolve("absent").toString());
        assertThat(p.exitCode()).isEqualTo(2);
        assertThat(p.errLines()).singleElement().asString().startsWith("splitnve bridge: ");
    }

    @Test
    void a_policy_file_with_a_bad_line_is_refused_with_its_line_number() throws Exception {
        Path policy = dir.resolve("policy");
        Files.writeString(policy, "allow vn 5001\nallow sideways\n");
        Cli.Result r = Cli.run(MISSING, "bridge", "--iface", "x", "--policy", policy.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("2");
    }

    @Test
    void the_vsi_file_gives_every_field_and_its_defaults() throws Exception {
        List<VsiFile.Entry> e = VsiFile.parse("f", """
                {"vsis": [
                  {"vsiId": "5a3b0c1d-0000-4000-8000-000000000001", "managerId": 11, "typeId": 16777215, "typeVersion": 255,
                   "vn": 16777215, "mac": "02:00:00:00:aa:01", "ips": ["10.0.0.1"], "mode": "pre-associate", "migration": "to"},
                  {"vsiId": "5a3b0c1d-0000-4000-8000-000000000002", "vn": 1}
                ]}""");
        assertThat(e).hasSize(2);
        assertThat(e.get(0).managerId()).isEqualTo(ManagerId.ofNumber(11));
        assertThat(e.get(0).typeId()).isEqualTo(0xFFFFFF);
        assertThat(e.get(0).mode()).isEqualTo(VsiFile.Mode.PRE_ASSOCIATE);
        assertThat(e.get(0).migration()).isEqualTo(VsiFile.MigrationHint.TO);
        assertThat(e.get(1).mode()).isEqualTo(VsiFile.Mode.ASSOCIATE);
        assertThat(e.get(1).migration()).isEqualTo(VsiFile.MigrationHint.NONE);
        assertThat(e.get(1).managerId()).isEqualTo(ManagerId.ofNumber(0));
    }

    @Test
    void a_vsi_with_mac_and_ips_registers_mac_ip_pairs_and_one_without_addresses_joins_the_vn_only() throws Exception {
        List<VsiFile.Entry> e = VsiFile.parse("f", ONE_VSI);
        TsiSpec spec = StationCommand.spec(e.get(0));
        assertThat(spec.addresses()).hasSize(2).allMatch(a -> a instanceof TsiAddress.MacIp);
        assertThat(spec.filterFormat()).isEqualTo(FilterFormat.GROUPID_MAC_IP_VID);
        TsiSpec bare = StationCommand.spec(VsiFile.parse("f", "[{\"vsiId\": \"5a3b0c1d-0000-4000-8000-000000000009\", \"vn\": 7}]").get(0));
        assertThat(bare.filterFormat()).isEqualTo(FilterFormat.GROUPID_VID);
    }

    @Test
    void a_vsi_with_ips_and_no_mac_registers_its_ip_addresses_alone_in_format_0x05() throws Exception {
        TsiSpec spec = StationCommand.spec(VsiFile.parse("f", """
                [{"vsiId": "5a3b0c1d-0000-4000-8000-00000000000a", "vn": 7, "ips": ["10.0.0.5", "2001:db8::5"]}]
                """).get(0));
        assertThat(spec.addresses()).hasSize(2).allMatch(a -> a instanceof TsiAddress.Ip);
        assertThat(spec.filterFormat()).isEqualTo(FilterFormat.GROUPID_IP_VID);
    }

    @Test
    void bad_vsi_files_are_refused_with_where_and_why() {
        String[][] cases = {
            {"not json", "not JSON"},
            {"{}", "expected a JSON array"},
            {"[]", "no VSIs"},
            {"[{\"vn\": 1}]", "\"vsiId\" is required"},
            {"[{\"vsiId\": \"not-a-uuid\", \"vn\": 1}]", "VSI #1"},
            {"[{\"vsiId\": \"5a3b0c1d-0000-4000-8000-000000000001\"}]", "\"vn\" is required"},
            {"[{\"vsiId\": \"5a3b0c1d-0000-4000-8000-000000000001\", \"vn\": 0}]", "\"vn\" must be an integer"},
            {"[{\"vsiId\": \"5a3b0c1d-0000-4000-8000-000000000001\", \"vn\": 16777216}]", "\"vn\" must be an integer"},
            {"[{\"vsiId\": \"5a3b0c1d-0000-4000-8000-000000000001\", \"vn\": 1, \"typeId\": 16777216}]", "typeId"},
            {"[{\"vsiId\": \"5a3b0c1d-0000-4000-8000-000000000001\", \"vn\": 1, \"mac\": \"01:00:5e:00:00:01\"}]", "not a usable unicast"},
            {"[{\"vsiId\": \"5a3b0c1d-0000-4000-8000-000000000001\", \"vn\": 1, \"mode\": \"assoc\"}]", "mode is"},
            {"[{\"vsiId\": \"5a3b0c1d-0000-4000-8000-000000000001\", \"vn\": 1, \"migration\": \"away\"}]", "migration is"},
            {"[{\"vsiId\": \"5a3b0c1d-0000-4000-8000-000000000001\", \"vn\": 1, \"vlan\": 5}]", "unknown key \"vlan\""},
            {"[{\"vsiId\": \"5a3b0c1d-0000-4000-8000-000000000001\", \"vn\": 1, \"managerId\": 256}]", "0..255"},
            {"[{\"vsiId\": \"5a3b0c1d-0000-4000-8000-000000000001\", \"vn\": 1}, {\"vsiId\": \"5a3b0c1d-0000-4000-8000-000000000001\", \"vn\": 2}]", "appears twice"},
            {"[{\"vsiId\": \"5a3b0c1d-0000-4000-8000-000000000001\", \"vn\": 1, \"vn\": 2}]", "not JSON"},
            {"[{\"vsiId\": \"5a3b0c1d-0000-4000-8000-000000000001\", \"vn\": 1, \"ips\": [\"0.0.0.0\"]}]", "is unspecified"},
            {"[{\"vsiId\": \"5a3b0c1d-0000-4000-8000-000000000001\", \"vn\": 1, \"ips\": [\"::\"]}]", "is unspecified"},
            {"[{\"vsiId\": \"5a3b0c1d-0000-4000-8000-000000000001\", \"vn\": 1, \"ips\": [\"224.0.0.1\"]}]", "is multicast"},
            {"[{\"vsiId\": \"5a3b0c1d-0000-4000-8000-000000000001\", \"vn\": 1, \"ips\": [\"ff02::1\"]}]", "is multicast"},
            {"[{\"vsiId\": \"5a3b0c1d-0000-4000-8000-000000000001\", \"vn\": 1, \"ips\": [\"255.255.255.255\"]}]", "broadcast"},
            {"[{\"vsiId\": \"5a3b0c1d-0000-4000-8000-000000000001\", \"vn\": 1, \"ips\": [\"::ffff:224.0.0.9\"]}]", "is multicast"},
            {"[{\"vsiId\": \"5a3b0c1d-0000-4000-8000-000000000001\", \"vn\": 1, \"size\": 1}]", "unknown key"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> VsiFile.parse("f", c[0])).as(c[0]).isInstanceOf(VsiFile.BadVsiFileException.class)
                    .hasMessageContaining(c[1]);
        }
    }

    @Test
    void an_empty_or_cut_short_policy_file_stops_the_bridge_before_anything_opens() throws Exception {
        Path empty = dir.resolve("empty.policy");
        Files.writeString(empty, "# to be written\n");
        Path cut = dir.resolve("cut.policy");
        Files.writeString(cut, "deny vn 5001\nallow vn 50");
        for (Path p : List.of(empty, cut)) {
            Cli.Result r = Cli.run(MISSING, "bridge", "--iface", "x", "--policy", p.toString());
            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.errLines()).singleElement().asString().startsWith("splitnve bridge: policy line");
        }
    }

    @Test
    void underlay_addresses_that_cannot_be_an_nves_are_usage_errors() {
        String[][] cases = {
            {"--local-ip", "0.0.0.0", "unspecified"},
            {"--local-ip", "224.0.0.5", "multicast"},
            {"--local-ip", "127.0.0.1", "loopback"},
            {"--local-ip", "::1", "loopback"},
            {"--remote", "5001=239.1.1.1", "multicast"},
            {"--remote", "5001=192.0.2.1", "is --local-ip itself"},
            {"--remote", "5001=::", "unspecified"},
        };
        for (String[] c : cases) {
            List<String> line = new java.util.ArrayList<>(List.of("bridge", "--iface", "x", "--underlay", "u"));
            if (c[0].equals("--remote")) {
                line.addAll(List.of("--local-ip", c[1].contains(":") && !c[1].contains(".") ? "2001:db8::1" : "192.0.2.1"));
            }
            line.addAll(List.of(c[0], c[1]));
            Cli.Result r = Cli.run(MISSING, line.toArray(String[]::new));
            assertThat(r.exitCode()).as(String.join(" ", line)).isEqualTo(2);
            assertThat(r.errLines()).as(String.join(" ", line)).singleElement().asString().startsWith("splitnve bridge: " + c[0])
                    .contains(c[2]);
        }
    }
}
