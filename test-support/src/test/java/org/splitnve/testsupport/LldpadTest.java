package org.splitnve.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LldpadTest {

    @BeforeEach
    void prerequisites() {
        LldpadScenarios.requirePrerequisites();
    }

    @Test
    void configuredBridgeSettingsAreInEffectFromTheStart() {
        try (NetworkNamespace ns = NetworkNamespace.create(); NetworkNamespace peer = NetworkNamespace.create()) {
            VethPair pair = VethPair.between(ns, peer).create();
            LldpadConfig config = LldpadConfig.of(LldpadConfig.Role.BRIDGE).withGroupId(true)
                    .withEcpRetries(5).withEcpRte(10).withVdpRwd(18).withVdpRka(16);
            Path workFile;
            long pid;
            try (Lldpad lldpad = Lldpad.start(ns, pair.a().interfaceName(), config)) {
                pid = lldpad.pid();
                workFile = lldpad.configFile();
                String view = lldpad.lldptool("-t", "-i", pair.a().interfaceName(), "-g", "ncb", "-V", "evb");
                assertThat(view).contains("bridge:bgid", "retries:5 rte:10", "mode:bridge", "rwd:18", "rka:16");
                assertThat(lldpad.vdptool("-p").strip()).isEqualTo(Long.toString(pid));
                assertThat(lldpad.logFile()).isNotEmptyFile();
                assertThat(lldpad.log()).contains("vdp22");
            }
            assertThat(ProcessHandle.of(pid).filter(Processes::isRunning)).isEmpty();
            assertThat(workFile).doesNotExist();
        }
    }
}
