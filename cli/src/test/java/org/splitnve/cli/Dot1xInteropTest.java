package org.splitnve.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.splitnve.ecptransport.link.Libpcap;
import org.splitnve.testsupport.Capture;
import org.splitnve.testsupport.Dot1xCertificates;
import org.splitnve.testsupport.Hostapd;
import org.splitnve.testsupport.Lldpad;
import org.splitnve.testsupport.LldpadConfig;
import org.splitnve.testsupport.LldpadScenarios;
import org.splitnve.testsupport.NamespacePair;
import org.splitnve.testsupport.Prerequisites;
import org.splitnve.testsupport.Tshark;
import org.splitnve.testsupport.WpaSupplicant;

/**
 * RFC 8394 Req-11 end to end: hostapd (wired driver, its internal EAP server doing EAP-TLS) at the bridge's end of a
 * veth pair and wpa_supplicant at the station's, in namespaces the test creates, with {@code splitnve bridge --dot1x}
 * as a process of its own and {@code splitnve station --dot1x} (or lldpad) as the station. One lab for the class: one
 * hostapd, one bridge; each test brings its station and supplicant and leaves the port unauthorized.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class Dot1xInteropTest {

    private static final String BRIDGE_MAC = "02:00:00:00:1d:01";
    private static final String STATION_MAC = "02:00:00:00:1d:02";
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** The policy: hv1 may use VNs 5001-5009, hv2 only VN 6001. */
    private static final String POLICY = """
            allow identity hv1 vn 5001-5009
            allow identity hv2 vn 6001
            """;

    @TempDir
    static Path dir;

    private static Dot1xCertificates certs;
    private static NamespacePair ns;
    private static Hostapd hostapd;
    private static BridgeProcess bridge;

    private WpaSupplicant supplicant;
    private RunningCommand station;

    @BeforeAll
    static void lab() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("ip", "hostapd", "hostapd_cli", "wpa_supplicant", "wpa_cli", "openssl");
        Prerequisites.requireLibpcap();
        certs = Dot1xCertificates.create("hv1", "hv2");
        ns = NamespacePair.create("br-dot1x", BRIDGE_MAC, "st-dot1x", STATION_MAC);
        hostapd = ns.track(Hostapd.start(ns.a(), ns.ifA(), certs, "hv1", "hv2"));
        Path policy = Files.writeString(dir.resolve("policy"), POLICY);
        bridge = ns.track(BridgeProcess.start(ns.a(), dir.resolve("bridge.log"), "--iface", ns.ifA(), "--events", "-",
                "--dot1x", hostapd.ctrlDir().toString(), "--policy", policy.toString(), "--vid-pool", "100-199",
                // A resource wait of 1.3 s: a request the bridge drops is given up by the station in about 2 s.
                "--rwd", "17"));
        bridge.events.require(WAIT, "bridge started", n -> n.path("event").asText().equals("started"));
        bridge.events.require(WAIT, "hostapd attached", source(true));
    }

    @AfterAll
    static void tearDown() {
        if (ns != null) {
            ns.close();
        }
        if (certs != null) {
            certs.close();
        }
    }

    @AfterEach
    void unauthorize() throws Exception {
        if (station != null) {
            station.close();
        }
        if (supplicant != null) {
            supplicant.close();
            // Not a logoff: a supplicant started after one waits for hostapd's start period (30 s) before it is heard.
            hostapd.cli("deauthenticate", STATION_MAC);
            assertThat(hostapd.awaitAuthorized(STATION_MAC, false, WAIT)).as("the port unauthorized").isTrue();
        }
    }

    // ------------------------------------------------------------------ the tests

    @Test
    @Order(1)
    void an_unauthenticated_station_ours_or_lldpad_gets_no_tsi() throws Exception {
        int mark = bridge.events.events().size();
        // Ours, without 802.1X: it sends its requests, and the bridge serves none of them.
        station = startStation(vsis(vsi("a1", 5001, "associate")), null);
        station.events.require(WAIT, "station started", n -> n.path("event").asText().equals("started"));
        Thread.sleep(6_000);
        assertThat(station.events.events()).noneMatch(n -> n.path("event").asText().equals("response"));
        assertThat(station.stop(WAIT)).isEqualTo(1);
        assertThat(station.stderr()).contains("associate " + uuid("a1") + " failed");
        station = null;
        assertThat(bridge.logTail()).contains("VDPDU from " + STATION_MAC + " dropped: the station is not authorized on the port");

        // lldpad: EVB negotiated, then a VDP association that no one answers.
        LldpadScenarios.requirePrerequisites();
        try (Lldpad lldpad = Lldpad.start(ns.b(), ns.ifB(), LldpadConfig.of(LldpadConfig.Role.STATION).withGroupId(true))) {
            lldpad.waitForEvbPeer(WAIT);
            String out = lldpad.vdptool("-i", ns.ifB(), "-T", "-W", "-V", "assoc", "-c", "mode=assoc", "-c", "mgrid2=snvmgr",
                    "-c", "typeid=4711", "-c", "typeidver=1", "-c", "uuid=" + uuid("a2"), "-c", "hints=none",
                    "-c", "filter=0-02:00:00:00:aa:02-5001");
            assertThat(out).doesNotContain("Response from VDP");
        }
        assertThat(after(mark)).noneMatch(n -> List.of("tsi", "vn", "refused").contains(n.path("event").asText()));
    }

    @Test
    @Order(2)
    void after_eap_tls_our_station_associates_and_the_bridges_events_carry_the_identity() throws Exception {
        int mark = bridge.events.events().size();
        supplicant = WpaSupplicant.start(ns.b(), ns.ifB(), certs, "hv1", true);
        station = startStation(vsis(vsi("b1", 5001, "associate"), vsi("b2", 5002, "pre-associate")), supplicant);

        JsonNode authorized = awaitAfter(mark, "the station authorized", dot1x("AUTHORIZED"));
        assertThat(fieldNames(authorized)).containsExactly("event", "time", "mac", "identity", "state");
        assertThat(authorized.path("identity").asText()).isEqualTo("hv1");
        JsonNode active = awaitAfter(mark, "b1 activated", tsi("b1", "ACTIVATED"));
        awaitAfter(mark, "b2 associated", tsi("b2", "ASSOCIATED"));
        station.events.require(WAIT, "the station hears it is authenticated", dot1x("AUTHORIZED"));

        long ms = Duration.between(Instant.parse(authorized.path("time").asText()), Instant.parse(active.path("time").asText())).toMillis();
        System.out.println("MEASURE 802.1X: EAP success (the bridge's dot1x event) to the first Activated TSI: " + ms + " ms");
        assertThat(station.stop(WAIT)).as(station.stderr()).isZero();
        station = null;
    }

    @Test
    @Order(3)
    void eapol_logoff_and_a_failed_reauthentication_de_associate_the_stations_tsis_and_a_logon_brings_them_back() throws Exception {
        supplicant = WpaSupplicant.start(ns.b(), ns.ifB(), certs, "hv1", true);
        station = startStation(vsis(vsi("c1", 5003, "associate")), supplicant);
        awaitAfter(0, "c1 activated", tsi("c1", "ACTIVATED"));

        int mark = bridge.events.events().size();
        int stationMark = station.events.events().size();
        supplicant.logoff();
        awaitAfter(mark, "unauthorized", dot1x("UNAUTHORIZED"));
        assertThat(awaitAfter(mark, "c1 de-associated", tsi("c1", "INIT")).path("why").asText()).contains("802.1X: LOGOFF");
        awaitStation(stationMark, "the station hears the loss", dot1x("UNAUTHORIZED"));

        mark = bridge.events.events().size();
        assertThat(hostapd.awaitForgotten(STATION_MAC, WAIT)).isTrue();
        supplicant.logon();
        awaitAfter(mark, "authorized again", dot1x("AUTHORIZED"));
        awaitAfter(mark, "c1 activated again by the station", tsi("c1", "ACTIVATED"));

        mark = bridge.events.events().size();
        stationMark = station.events.events().size();
        supplicant.identity("intruder");
        supplicant.reauthenticate();
        assertThat(awaitAfter(mark, "c1 de-associated", tsi("c1", "INIT")).path("why").asText()).contains("802.1X: AUTHENTICATION_FAILED");
        awaitStation(stationMark, "the station hears the failure", dot1x("UNAUTHORIZED"));
    }

    @Test
    @Order(4)
    @SuppressWarnings("try") // the capture is closed before it is read, inside the block that owns it
    void a_station_whose_supplicant_does_not_trust_the_bridges_certificate_never_sends_vdp() throws Exception {
        Prerequisites.requireCommand("dumpcap", "tshark");
        int mark = bridge.events.events().size();
        Path pcap = dir.resolve("untrusted.pcap");
        try (Capture capture = Capture.start(ns.b(), ns.ifB(), pcap, "ether proto 0x8940")) {
            supplicant = WpaSupplicant.start(ns.b(), ns.ifB(), certs, "hv1", false);
            station = startStation(vsis(vsi("d1", 5001, "associate")), supplicant);
            station.events.require(WAIT, "station started", n -> n.path("event").asText().equals("started"));
            Thread.sleep(8_000);
            assertThat(supplicant.log() + supplicant.cli("status")).contains("suppPortStatus=Unauthorized");
            assertThat(station.stop(WAIT)).isEqualTo(1);
            assertThat(station.stderr()).contains("stopped before the port was authenticated");
            station = null;
            capture.close();
            assertThat(Tshark.count(pcap, "eth.src == " + STATION_MAC)).as("ECP frames from the station").isZero();
        }
        assertThat(after(mark)).noneMatch(dot1x("AUTHORIZED")).noneMatch(n -> n.path("event").asText().equals("tsi"));
    }

    @Test
    @Order(5)
    void an_identity_the_policy_does_not_allow_on_a_vn_is_refused_that_vn() throws Exception {
        int mark = bridge.events.events().size();
        supplicant = WpaSupplicant.start(ns.b(), ns.ifB(), certs, "hv2", true);
        station = startStation(vsis(vsi("e1", 5001, "associate"), vsi("e2", 6001, "associate")), supplicant);

        awaitAfter(mark, "e2 activated", tsi("e2", "ACTIVATED"));
        JsonNode refused = awaitAfter(mark, "e1 refused", n -> n.path("event").asText().equals("refused")
                && n.path("vsiId").asText().equals(uuid("e1")));
        assertThat(refused.path("error").asInt()).isEqualTo(4);
        assertThat(refused.path("why").asText()).contains("identity 'hv2'");
        assertThat(after(mark)).noneMatch(tsi("e1", "ACTIVATED"));
    }

    @Test
    @Order(6)
    void hostapd_restarted_under_a_running_bridge_is_attached_again_and_its_stations_read_again() throws Exception {
        supplicant = WpaSupplicant.start(ns.b(), ns.ifB(), certs, "hv1", true);
        station = startStation(vsis(vsi("f1", 5004, "associate")), supplicant);
        awaitAfter(0, "f1 activated", tsi("f1", "ACTIVATED"));

        // A restart: while hostapd is gone the station stays authorized; the restarted one knows no one.
        int mark = bridge.events.events().size();
        hostapd.stop();
        awaitAfter(mark, "hostapd lost", source(false));
        Thread.sleep(1_500);
        assertThat(after(mark)).as("the gap changes nothing").noneMatch(tsi("f1", "INIT"));
        hostapd.start();
        awaitAfter(mark, "hostapd attached again", source(true));
        awaitAfter(mark, "not authorized by the new hostapd", dot1x("UNAUTHORIZED"));
        assertThat(awaitAfter(mark, "f1 de-associated", tsi("f1", "INIT")).path("why").asText()).contains("NOT_FOUND_AUTHORIZED");

        // A crash and a restart while the bridge is frozen: the station authenticates with the new hostapd, whose
        // events the bridge never hears; only reading hostapd's stations after attaching again can tell it.
        supplicant.logoff();
        assertThat(hostapd.awaitAuthorized(STATION_MAC, false, WAIT)).isTrue();
        Thread.sleep(1_500);
        signal("STOP", bridge.pid());
        try {
            hostapd.kill();
            hostapd.start();
            supplicant.logon();
            assertThat(hostapd.awaitAuthorized(STATION_MAC, true, WAIT)).isTrue();
            mark = bridge.events.events().size();
        } finally {
            signal("CONT", bridge.pid());
        }
        awaitAfter(mark, "hostapd attached again after the crash", source(true));
        JsonNode read = awaitAfter(mark, "authorized, as read from the new hostapd", dot1x("AUTHORIZED"));
        assertThat(read.path("identity").asText()).isEqualTo("hv1");
    }

    // ------------------------------------------------------------------ helpers

    private RunningCommand startStation(Path vsiFile, WpaSupplicant dot1x) {
        List<String> args = new ArrayList<>(List.of("--iface", ns.ifB(), "--vsi", vsiFile.toString(), "--events", "-"));
        if (dot1x != null) {
            args.addAll(List.of("--dot1x", dot1x.ctrlDir().toString()));
        }
        return RunningCommand.start(ns.b(), stop -> new StationCommand(Libpcap.system(), stop), args.toArray(String[]::new));
    }

    private static String uuid(String name) {
        return "1d1d0000-0000-4000-8000-0000000000" + name;
    }

    private static String vsi(String name, int vn, String mode) {
        return "{\"vsiId\": \"%s\", \"managerId\": \"snvmgr\", \"vn\": %d, \"mac\": \"02:00:00:00:%s:01\", \"mode\": \"%s\"}"
                .formatted(uuid(name), vn, name, mode);
    }

    private Path vsis(String... entries) throws Exception {
        return Files.writeString(Files.createTempFile(dir, "vsis-", ".json"), "[" + String.join(",\n", entries) + "]");
    }

    private static Predicate<JsonNode> tsi(String name, String state) {
        return n -> n.path("event").asText().equals("tsi") && n.path("vsiId").asText().equals(uuid(name))
                && n.path("state").asText().equals(state);
    }

    private static Predicate<JsonNode> dot1x(String state) {
        return n -> n.path("event").asText().equals("dot1x") && n.path("mac").asText().equals(STATION_MAC)
                && n.path("state").asText().equals(state);
    }

    private static Predicate<JsonNode> source(boolean attached) {
        return n -> n.path("event").asText().equals("dot1xSource") && n.path("attached").asBoolean() == attached;
    }

    private static List<JsonNode> after(int mark) {
        List<JsonNode> all = bridge.events.events();
        return all.subList(Math.min(mark, all.size()), all.size());
    }

    /** The first bridge event after the {@code mark}-th that matches, waiting for it. */
    private static JsonNode awaitAfter(int mark, String what, Predicate<JsonNode> p) throws InterruptedException {
        return awaitIn(bridge.events, mark, what, p);
    }

    private JsonNode awaitStation(int mark, String what, Predicate<JsonNode> p) throws InterruptedException {
        return awaitIn(station.events, mark, what, p);
    }

    private static JsonNode awaitIn(EventCollector events, int mark, String what, Predicate<JsonNode> p) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            List<JsonNode> all = events.events();
            for (JsonNode n : all.subList(Math.min(mark, all.size()), all.size())) {
                if (p.test(n)) {
                    return n;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no event " + what + " within " + WAIT + " after event " + mark + "; events:\n"
                        + String.join("\n", all.stream().map(JsonNode::toString).toList()) + "\nbridge log:\n" + bridge.logTail());
            }
            Thread.sleep(50);
        }
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** kill -SIG PID: freezes or thaws the bridge's JVM, whose PID the test started. */
    private static void signal(String sig, long pid) throws Exception {
        Process p = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0).as("kill -%s %d", sig, pid).isTrue();
    }
}
