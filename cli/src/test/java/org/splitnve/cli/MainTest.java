package org.splitnve.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The top-level command: help, version and usage errors come from picocli. */
class MainTest {

    @Test
    void helpListsTheSubcommands() {
        Cli.Result r = Cli.run("--help");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("Usage: splitnve").contains("decode", "sample-capture");
    }

    @Test
    void decodeHelpDescribesFileAndJson() {
        Cli.Result r = Cli.run("decode", "--help");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("FILE", "--json", "Exit codes:");
    }

    @Test
    void versionNamesTheBuildAndJava() {
        Cli.Result r = Cli.run("--version");

        assertThat(r.exitCode()).isZero();
        assertThat(r.outLines().get(0)).startsWith("splitnve ").doesNotContain("${");
        assertThat(r.outLines().get(1)).startsWith("Java ");
    }

    @Test
    void anUnknownSubcommandGivesTheUsageAndExitCode2() {
        Cli.Result r = Cli.run("frobnicate");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("frobnicate").contains("Usage: splitnve");
    }

    @Test
    void noSubcommandGivesTheUsageAndExitCode2() {
        Cli.Result r = Cli.run();

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("Usage: splitnve");
    }

    @Test
    void decodeWithoutAFileIsAUsageError() {
        Cli.Result r = Cli.run("decode");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Missing required parameter: 'FILE'");
    }
}
