package org.splitnve.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitnve.cli.EventCollector.is;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.splitnve.ecptransport.link.Libpcap;
import org.splitnve.testsupport.NamespacePair;
import org.splitnve.testsupport.Lldpad;
import org.splitnve.testsupport.LldpadConfig;
import org.splitnve.testsupport.LldpadScenarios;
import org.splitnve.testsupport.Prerequisites;

/**
 * {@code splitnve station} against lldpad as the bridge, in two namespaces: our station finds the
 * bridge by its EVB TLV, associates the VSIs of its file, learns that lldpad is a legacy peer (no
 * 0x80 echo), keeps the VSIs alive, and de-associates them when stopped.
 */
class StationLldpadBridgeInteropTest {

    private static final String STATION_MAC = "02:00:00:00:0c:01";
    private static final String BRIDGE_MAC = "02:00:00:00:0c:02";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String VSI_A = "6b3b0c1d-0000-4000-8000-00000000000a";
    private static final String VSI_B = "6b3b0c1d-0000-4000-8000-00000000000b";

    @TempDir
    Path dir;

    private NamespacePair ns;
    private Lldpad bridge;

    @BeforeEach
    void start() throws Exception {
        LldpadScenarios.requirePrerequisites();
        Prerequisites.requireLibpcap();
        ns = NamespacePair.create("st-ours", STATION_MAC, "br-lldpad", BRIDGE_MAC);
        bridge = ns.track(Lldpad.start(ns.b(), ns.ifB(), LldpadConfig.of(LldpadConfig.Role.BRIDGE).withGroupId(true).withVdpRka(18)));
    }

    @AfterEach
    void stop() {
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    void our_station_associates_its_vsis_with_an_lldpad_bridge_keeps_them_and_deassociates_them_on_stop() throws Exception {
        Path vsis = dir.resolve("vsis.json");
        Files.writeString(vsis, """
                [
                  {"vsiId": "%s", "managerId": "snvmgr", "typeId": 4711, "typeVersion": 1, "vn": 100,
                   "mac": "02:00:00:00:ac:0a", "mode": "associate"},
                  {"vsiId": "%s", "managerId": "snvmgr", "typeId": 4711, "typeVersion": 1, "vn": 100,
                   "mac": "02:00:00:00:ac:0b", "mode": "pre-associate"}
                ]
                """.formatted(VSI_A, VSI_B));
        RunningCommand station = ns.track(RunningCommand.start(ns.a(), stop -> new StationCommand(Libpcap.system(), stop),
                "--iface", ns.ifA(), "--vsi", vsis.toString(), "--events", "-", "--rka", "18"));

        JsonNode a = station.events.require(WAIT, "response for A", is("response", "vsiId", VSI_A));
        JsonNode b = station.events.require(WAIT, "response for B", is("response", "vsiId", VSI_B));
        assertThat(a.path("error").asInt()).isZero();
        assertThat(b.path("error").asInt()).isZero();
        station.events.require(WAIT, "A activated", n -> is("tsi", "vsiId", VSI_A).test(n) && n.path("state").asText().equals("ACTIVATED"));
        station.events.require(WAIT, "B associated", n -> is("tsi", "vsiId", VSI_B).test(n) && n.path("state").asText().equals("ASSOCIATED"));

        // lldpad does not echo the migration-indication-valid bit: our station says so and carries on.
        station.events.require(WAIT, "legacy peer noticed", n -> n.path("event").asText().equals("legacy"));

        // lldpad's bridge answers without assigning a tag (it echoes the null VID), and says nothing of
        // migration: both are what a legacy peer does.
        assertThat(a.path("localTag").isNull()).isTrue();
        assertThat(a.path("migrationEchoed").asBoolean()).isFalse();

        // Keep-alives over several periods (RKA 18: 2.6 s, lldpad's timeout about 4 s): nothing is lost.
        Thread.sleep(6_000);
        assertThat(station.events.events()).noneMatch(n -> n.path("event").asText().equals("tsi") && n.path("state").asText().equals("INIT"));

        assertThat(station.stop(WAIT)).as(station.stderr()).isZero();
        station.events.require(WAIT, "A de-associated", n -> is("tsi", "vsiId", VSI_A).test(n) && n.path("state").asText().equals("INIT"));
        station.events.require(WAIT, "B de-associated", n -> is("tsi", "vsiId", VSI_B).test(n) && n.path("state").asText().equals("INIT"));
    }
}
