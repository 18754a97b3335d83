package org.splitnve.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.splitnve.testsupport.Prerequisites;

/** {@code splitnve demo}: the whole RFC 8394 section 2 lifecycle runs, every check holds, the capture decodes. */
class DemoCommandTest {

    @Test
    void the_demo_walks_through_every_step_and_all_its_checks_pass() {
        Cli.Result r = Cli.run("demo");

        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("== step 1 create", "== step 2 traffic", "== step 3 live migration", "== step 4a pause",
                "== step 4b suspend", "== step 4c resume", "== step 5 shutdown", "== summary");
        assertThat(r.out()).contains("vm1 TSI ACTIVATED -> ASSOCIATED", "VN_Disconnect VN 5001", "MIGRATION_TUNNELLED");
        assertThat(r.out()).doesNotContain("FAILED");
        assertThat(r.outLines()).last().asString().matches("all \\d+ checks passed");
    }

    @Test
    void the_same_seed_gives_the_same_timeline() {
        Cli.Result a = Cli.run("demo", "--seed", "7");
        Cli.Result b = Cli.run("demo", "--seed", "7");

        assertThat(a.exitCode()).as(a.out()).isZero();
        assertThat(b.out()).isEqualTo(a.out());
    }

    @Test
    void a_link_that_loses_most_frames_makes_the_demo_report_the_failed_checks_and_exit_1() {
        Cli.Result r = Cli.run("demo", "--loss", "0.5", "--seed", "3");

        assertThat(r.exitCode()).as(r.out()).isEqualTo(1);
        assertThat(r.out()).containsPattern("\\d+ of \\d+ checks FAILED:");
    }

    @Test
    void a_loss_outside_zero_to_one_is_a_usage_error() {
        assertThat(Cli.run("demo", "--loss", "1.5").exitCode()).isEqualTo(2);
    }

    @Test
    void the_capture_of_the_run_decodes_without_malformed_frames(@TempDir Path dir) throws IOException {
        Path pcap = dir.resolve("demo.pcap");
        Cli.Result r = Cli.run("demo", "--pcap", pcap.toString());
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(pcap).exists();
        assertThat(Files.size(pcap)).isGreaterThan(24);

        Prerequisites.requireLibpcap();
        Cli.Result d = Cli.run("decode", pcap.toString());
        assertThat(d.exitCode()).as(d.err()).isZero();
        assertThat(d.outLines()).last().asString().matches("frames read: [1-9]\\d*, decoded: [1-9]\\d*, skipped: \\d+, malformed: 0");
    }
}
