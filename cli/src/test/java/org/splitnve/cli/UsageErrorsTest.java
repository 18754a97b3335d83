package org.splitnve.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.splitnve.ecptransport.link.Libpcap;

/**
 * Usage errors are reported one way by every command: what picocli finds while parsing comes with the usage, what a
 * command finds in its option values, files or NIC is one line naming the command, and both exit 2.
 */
class UsageErrorsTest {

    private static final Libpcap MISSING = new Libpcap(() -> {
        throw new UnsatisfiedLinkError("Unable to load library 'pcap'");
    });

    @TempDir
    Path dir;

    private Path vsiFile() throws Exception {
        Path f = dir.resolve("vsis.json");
        Files.writeString(f, "[{\"vsiId\": \"5a3b0c1d-0000-4000-8000-000000000001\", \"vn\": 5001}]");
        return f;
    }

    @Test
    void a_bad_evb_value_is_one_line_naming_the_command_in_bridge_station_and_conformance() throws Exception {
        String[][] lines = {
            {"bridge", "--iface", "x", "--rka", "32"},
            {"station", "--iface", "x", "--vsi", vsiFile().toString(), "--rka", "32"},
            {"conformance", "--iface", "x", "--role", "bridge", "--rka", "32"},
        };
        for (String[] line : lines) {
            Cli.Result r = Cli.run(MISSING, line);
            assertThat(r.exitCode()).as(String.join(" ", line)).isEqualTo(2);
            assertThat(r.errLines()).as(String.join(" ", line)).singleElement().asString()
                    .isEqualTo("splitnve " + line[0] + ": --rka is 0..31, not 32");
        }
    }

    @Test
    void a_bad_option_value_found_by_the_command_is_one_line_without_the_usage() {
        Cli.Result bench = Cli.run(MISSING, "bench", "--vsis", "0");
        assertThat(bench.exitCode()).isEqualTo(2);
        assertThat(bench.errLines()).singleElement().asString().isEqualTo("splitnve bench: --vsis must be at least 1: 0");

        Cli.Result events = Cli.run(MISSING, "bridge", "--iface", "x", "--events", "file.json");
        assertThat(events.exitCode()).isEqualTo(2);
        assertThat(events.errLines()).singleElement().asString().isEqualTo("splitnve bridge: --events takes '-' (standard output)");
    }

    @Test
    void an_ecp_group_that_is_reserved_or_not_a_group_is_one_line_in_bridge_and_station() throws Exception {
        String[][] lines = {
            {"bridge", "--iface", "x", "--ecp-group", "01:80:c2:00:00:0e"},
            {"bridge", "--iface", "x", "--ecp-group", "02:00:00:00:00:01"},
            {"station", "--iface", "x", "--vsi", vsiFile().toString(), "--ecp-destination", "01:80:c2:00:00:03"},
            {"station", "--iface", "x", "--vsi", vsiFile().toString(), "--ecp-destination", "02:00:00:00:00:01"},
            {"station", "--iface", "x", "--vsi", vsiFile().toString(), "--ecp-destination", "nearest"},
        };
        for (String[] line : lines) {
            Cli.Result r = Cli.run(MISSING, line);
            assertThat(r.exitCode()).as(String.join(" ", line)).isEqualTo(2);
            assertThat(r.errLines()).as(String.join(" ", line)).singleElement().asString()
                    .startsWith("splitnve " + line[0] + ": " + line[line.length - 2] + ": ");
        }
        assertThat(Cli.run(MISSING, "bridge", "--iface", "x", "--ecp-group", "03:00:00:00:ec:01").errLines())
                .as("a non-reserved group passes the option check and fails only at the NIC").singleElement().asString()
                .contains("libpcap");
        assertThat(Cli.run(MISSING, "station", "--iface", "x", "--vsi", vsiFile().toString(), "--ecp-destination",
                "01:80:c2:00:00:00").errLines()).singleElement().asString().contains("libpcap");
    }

    @Test
    void a_missing_nic_or_libpcap_is_one_line_in_every_command_that_opens_a_nic() throws Exception {
        String[][] lines = {
            {"bridge", "--iface", "x"},
            {"station", "--iface", "x", "--vsi", vsiFile().toString()},
            {"conformance", "--iface", "x", "--role", "station"},
        };
        for (String[] line : lines) {
            Cli.Result r = Cli.run(MISSING, line);
            assertThat(r.exitCode()).as(String.join(" ", line)).isEqualTo(2);
            assertThat(r.errLines()).as(String.join(" ", line)).singleElement().asString()
                    .startsWith("splitnve " + line[0] + ": ").contains("libpcap");
        }
    }

    @Test
    void what_picocli_finds_while_parsing_comes_with_the_usage_and_exit_2() throws Exception {
        String[][] lines = {
            {"bridge", "--iface", "x", "--no-such-option"},
            {"station", "--iface", "x", "--vsi", vsiFile().toString(), "--no-such-option"},
            {"conformance", "--iface", "x", "--role", "bridge", "--no-such-option"},
            {"bench", "--no-such-option"},
        };
        for (String[] line : lines) {
            Cli.Result r = Cli.run(MISSING, line);
            assertThat(r.exitCode()).as(line[0]).isEqualTo(2);
            assertThat(r.err()).as(line[0]).contains("Unknown option: '--no-such-option'").contains("Usage: splitnve " + line[0]);
        }
        Cli.Result missing = Cli.run(MISSING, "bridge");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("Missing required option: '--iface=IF'").contains("Usage: splitnve bridge");
    }

    @Test
    void a_dot1x_directory_that_is_not_one_is_one_line_before_any_nic_is_opened() throws Exception {
        Path notThere = dir.resolve("no-hostapd-here");
        String[][] lines = {
            {"bridge", "--iface", "x", "--dot1x", notThere.toString()},
            {"station", "--iface", "x", "--vsi", vsiFile().toString(), "--dot1x", notThere.toString()},
        };
        for (String[] line : lines) {
            Cli.Result r = Cli.run(MISSING, line);
            assertThat(r.exitCode()).as(line[0]).isEqualTo(2);
            assertThat(r.errLines()).as(line[0]).singleElement().asString()
                    .isEqualTo("splitnve " + line[0] + ": --dot1x " + notThere + ": not a directory (the daemon's ctrl_interface)");
        }
    }
}
