package org.splitnve.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.splitnve.testsupport.NetworkNamespace;
import org.splitnve.testsupport.Prerequisites;

/**
 * {@code --log LEVEL} takes effect in a process of its own, where the first logger is made before picocli parses the
 * line (slf4j-simple reads its level only then); and a level that is not one is a usage error.
 */
class LogLevelTest {

    @TempDir
    Path dir;

    @Test
    void log_info_shows_the_bridges_info_lines_in_its_own_process() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireLibpcap();
        try (NetworkNamespace ns = NetworkNamespace.create()) {
            ns.exec("ip", "link", "set", "lo", "up");
            try (BridgeProcess bridge = BridgeProcess.start(ns, dir.resolve("bridge.log"), "--iface", "lo", "--log", "info")) {
                long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!bridge.logTail().contains("[INFO]") && System.nanoTime() < end) {
                    Thread.sleep(50);
                }
                assertThat(bridge.logTail()).as("the bridge's log").contains("[INFO]");
            }
        }
    }

    @Test
    void a_log_level_that_is_not_one_is_a_usage_error() {
        Cli.Result r = Cli.run("bridge", "--iface", "x", "--log", "loud");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString()
                .isEqualTo("splitnve bridge: --log is one of error, warn, info, debug, trace, off, not 'loud'");
    }
}
