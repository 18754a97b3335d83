package org.splitnve.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitnve.cli.EventCollector.is;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.splitnve.ecptransport.link.Libpcap;
import org.splitnve.testsupport.NamespacePair;
import org.splitnve.testsupport.Prerequisites;

/**
 * {@code splitnve station} against {@code splitnve bridge} over a veth pair: the NVO3 extensions
 * lldpad cannot speak (IP and MAC+IP filter formats, IPv4 and IPv6 mixed, the migration indication
 * echoed) through real NICs, with both sides' events checked against each other.
 */
class StationBridgeCliInteropTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String MAC_ONLY = "8b3b0c1d-0000-4000-8000-000000000001";
    private static final String IPS_ONLY = "8b3b0c1d-0000-4000-8000-000000000002";
    private static final String MAC_IPS = "8b3b0c1d-0000-4000-8000-000000000003";
    private static final String VN_ONLY = "8b3b0c1d-0000-4000-8000-000000000004";
    private static final String MIGRATED = "8b3b0c1d-0000-4000-8000-000000000005";

    @TempDir
    Path dir;

    private NamespacePair ns;

    @BeforeEach
    void start() {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("ip");
        Prerequisites.requireLibpcap();
        ns = NamespacePair.create("br-cli", "02:00:00:00:0f:01", "st-cli", "02:00:00:00:0f:02");
    }

    @AfterEach
    void stop() {
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    void our_station_and_our_bridge_agree_on_every_nvo3_filter_format_and_the_migration_echo() throws Exception {
        Path vsis = dir.resolve("vsis.json");
        Files.writeString(vsis, """
                [
                  {"vsiId": "%s", "managerId": "snvmgr", "vn": 5001, "mac": "02:00:00:00:ad:01"},
                  {"vsiId": "%s", "managerId": "snvmgr", "vn": 5001, "ips": ["10.1.0.2", "2001:db8::2"]},
                  {"vsiId": "%s", "managerId": "snvmgr", "vn": 5002, "mac": "02:00:00:00:ad:03", "ips": ["10.2.0.3", "2001:db8:2::3"]},
                  {"vsiId": "%s", "managerId": "snvmgr", "vn": 5003, "mode": "pre-associate"},
                  {"vsiId": "%s", "managerId": "snvmgr", "vn": 5002, "mac": "02:00:00:00:ad:05", "migration": "to"}
                ]
                """.formatted(MAC_ONLY, IPS_ONLY, MAC_IPS, VN_ONLY, MIGRATED));
        RunningCommand bridge = ns.track(RunningCommand.start(ns.a(), stop -> new BridgeCommand(Libpcap.system(), stop),
                "--iface", ns.ifA(), "--events", "-", "--vid-pool", "300-310"));
        bridge.events.require(WAIT, "bridge started", n -> n.path("event").asText().equals("started"));
        RunningCommand station = ns.track(RunningCommand.start(ns.b(), stop -> new StationCommand(Libpcap.system(), stop),
                "--iface", ns.ifB(), "--vsi", vsis.toString(), "--events", "-"));

        for (String v : List.of(MAC_ONLY, IPS_ONLY, MAC_IPS, VN_ONLY, MIGRATED)) {
            JsonNode r = station.events.require(WAIT, "response for " + v, is("response", "vsiId", v));
            assertThat(r.path("error").asInt()).as(v).isZero();
            assertThat(r.path("migrationEchoed").asBoolean()).as("0x80 echoed for %s", v).isTrue();
            assertThat(r.path("localTag").asInt()).as(v).isBetween(300, 310);
        }
        // One tag per VN, the same on both sides.
        for (int vn : new int[] {5001, 5002, 5003}) {
            JsonNode atBridge = bridge.events.require(WAIT, "VN " + vn, n -> n.path("event").asText().equals("vn")
                    && n.path("vn").asInt() == vn && n.path("state").asText().equals("VN_CONNECTED"));
            JsonNode atStation = station.events.require(WAIT, "VN " + vn + " at the station", n -> n.path("event").asText().equals("vn")
                    && n.path("vn").asInt() == vn && n.path("state").asText().equals("VN_CONNECTED"));
            assertThat(atStation.path("localTag").asInt()).isEqualTo(atBridge.path("localTag").asInt());
        }
        bridge.events.require(WAIT, "pre-associated VSI", n -> is("tsi", "vsiId", VN_ONLY).test(n) && n.path("state").asText().equals("ASSOCIATED"));
        bridge.events.require(WAIT, "migrated VSI", n -> is("tsi", "vsiId", MIGRATED).test(n) && n.path("state").asText().equals("ACTIVATED"));
        assertThat(station.events.events()).noneMatch(n -> n.path("event").asText().equals("legacy"));

        assertThat(station.stop(WAIT)).as(station.stderr()).isZero();
        for (String v : List.of(MAC_ONLY, IPS_ONLY, MAC_IPS, VN_ONLY, MIGRATED)) {
            bridge.events.require(WAIT, v + " de-associated", n -> is("tsi", "vsiId", v).test(n) && n.path("state").asText().equals("INIT"));
        }
        bridge.events.require(WAIT, "VN 5002 disconnected", n -> n.path("event").asText().equals("vn")
                && n.path("vn").asInt() == 5002 && n.path("state").asText().equals("VN_DISCONNECTED"));
        assertThat(bridge.stop(WAIT)).isZero();
    }
}
