package org.splitnve.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class PrerequisitesTest {

    @Test
    void unmetPrerequisiteSkipsOutsideCi() {
        assertThatThrownBy(() -> Prerequisites.unmet("no frobnicator", false))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("no frobnicator");
    }

    @Test
    void unmetPrerequisiteFailsInCi() {
        assertThatThrownBy(() -> Prerequisites.unmet("no frobnicator", true))
                .isInstanceOf(AssertionFailedError.class)
                .isNotInstanceOf(TestAbortedException.class)
                .hasMessageContaining("no frobnicator")
                .hasMessageContaining("CI=true");
    }

    @Test
    void missingCommandIsReportedByName() {
        Class<? extends Throwable> expected = Prerequisites.isCi() ? AssertionFailedError.class
                : TestAbortedException.class;
        assertThatThrownBy(() -> Prerequisites.requireCommand("sh", "snv-no-such-command"))
                .isInstanceOf(expected)
                .hasMessageContaining("snv-no-such-command")
                .hasMessageNotContaining("sh,");
    }

    @Test
    void presentCommandPasses() {
        assertThatCode(() -> Prerequisites.requireCommand("sh")).doesNotThrowAnyException();
    }

    @Test
    void sbinToolsAreFoundWithoutSbinOnPath() {
        // ip lives in /usr/sbin or /sbin on every distribution that has it; the search must not depend on PATH.
        Prerequisites.requireCommand("ip");
        assertThat(Executables.find("ip")).get().asString().startsWith("/");
        assertThat(Executables.searchDirs()).contains("/usr/sbin", "/sbin");
    }

    @Test
    void libpcapIsFoundWhenInstalled() {
        Prerequisites.requireLibpcap();
        assertThat(Prerequisites.findLibpcap()).get().asString().contains("libpcap.so.");
    }
}
