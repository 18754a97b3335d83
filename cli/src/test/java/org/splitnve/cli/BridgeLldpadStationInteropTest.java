package org.splitnve.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitnve.cli.EventCollector.is;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.splitnve.ecptransport.link.Libpcap;
import org.splitnve.testsupport.NamespacePair;
import org.splitnve.testsupport.Lldpad;
import org.splitnve.testsupport.LldpadConfig;
import org.splitnve.testsupport.LldpadScenarios;
import org.splitnve.testsupport.Prerequisites;

/**
 * lldpad as the station (vdptool) against {@code splitnve bridge}, in two namespaces: every filter
 * format lldpad can send, null VIDs answered with one tag per VN, two entries in one TLV, PS/PCP,
 * pre-associate then associate with M, de-associate, keep-alives, and the keep-alive timeout that
 * ends in our unsolicited De-Associate once the station is gone.
 */
class BridgeLldpadStationInteropTest {

    private static final String BRIDGE_MAC = "02:00:00:00:0b:01";
    private static final String STATION_MAC = "02:00:00:00:0b:02";
    private static final Duration WAIT = Duration.ofSeconds(20);
    /**
     * RKA 18: keep-alives every 2.6 s, our timeout about 4 s. A shorter RKA leaves too little slack
     * for a loaded two-core machine, where lldpad's keep-alive can come a few hundred ms late.
     */
    private static final int RKA = 18;

    private NamespacePair ns;
    private RunningCommand bridge;
    private Lldpad station;

    @BeforeEach
    void start() throws Exception {
        LldpadScenarios.requirePrerequisites();
        Prerequisites.requireLibpcap();
        ns = NamespacePair.create("br-ours", BRIDGE_MAC, "st-lldpad", STATION_MAC);
        bridge = ns.track(RunningCommand.start(ns.a(), stop -> new BridgeCommand(Libpcap.system(), stop),
                "--iface", ns.ifA(), "--events", "-", "--vid-pool", "100-199", "--rka", Integer.toString(RKA)));
        station = ns.track(Lldpad.start(ns.b(), ns.ifB(), LldpadConfig.of(LldpadConfig.Role.STATION).withGroupId(true).withVdpRka(RKA)));
        station.waitForEvbPeer(WAIT);
        bridge.events.require(WAIT, "started", n -> n.path("event").asText().equals("started"));
    }

    @AfterEach
    void stop() {
        if (ns != null) {
            ns.close();
        }
    }

    private String vdptool(String mode, String vsi, String hints, String... filters) {
        List<String> args = new ArrayList<>(List.of("-i", ns.ifB(), "-T", "-W", "-V", mode, "-c", "mode=" + mode,
                "-c", "mgrid2=" + LldpadScenarios.MANAGER_ID, "-c", "typeid=" + LldpadScenarios.TYPE_ID,
                "-c", "typeidver=" + LldpadScenarios.TYPE_VERSION, "-c", "uuid=" + vsi, "-c", "hints=" + hints));
        for (String f : filters) {
            args.add("-c");
            args.add("filter=" + f);
        }
        String out = station.vdptool(args.toArray(String[]::new));
        assertThat(out).as("vdptool %s %s", mode, vsi).contains("Response from VDP");
        return out;
    }

    private static String vsi(int n) {
        return String.format("5a3b0c1d-0000-4000-8000-%012d", n);
    }

    private static Predicate<JsonNode> tsi(String vsi, String state) {
        return n -> is("tsi", "vsiId", vsi).test(n) && state.equals(n.path("state").asText());
    }

    private int tagOf(int vn) throws InterruptedException {
        return bridge.events.require(WAIT, "VN " + vn + " connected",
                n -> n.path("event").asText().equals("vn") && n.path("vn").asInt() == vn
                        && n.path("state").asText().equals("VN_CONNECTED")).path("localTag").asInt();
    }

    @Test
    void an_lldpad_station_gets_one_tag_per_vn_for_every_filter_format_and_keeps_its_vsis_alive() throws Exception {
        // Format 4, null VID: VN 100 gets a tag from the pool, and the response carries it.
        String r1 = vdptool("assoc", vsi(1), "none", "0-02:00:00:00:aa:01-100");
        bridge.events.require(WAIT, "VSI 1 activated", tsi(vsi(1), "ACTIVATED"));
        int tag100 = tagOf(100);
        assertThat(tag100).isBetween(100, 199);
        assertThat(r1).contains(tag100 + "-02:00:00:00:aa:01");

        // Format 3, two entries in one TLV for another VN: its own tag, the same in both entries.
        vdptool("assoc", vsi(2), "none", "0--200", "0--200");
        bridge.events.require(WAIT, "VSI 2 activated", tsi(vsi(2), "ACTIVATED"));
        int tag200 = tagOf(200);
        assertThat(tag200).isBetween(100, 199).isNotEqualTo(tag100);

        // A second TSI on VN 100: the same tag, no second VN_Connect.
        String r3 = vdptool("assoc", vsi(3), "none", "0-02:00:00:00:aa:03-100");
        assertThat(r3).contains(tag100 + "-02:00:00:00:aa:03");

        // Format 2 (MAC/VID) names the VN by its tag; PS 1 and PCP 5 ride along unchanged.
        int psPcp = 0xD000 | tag100;
        String r4 = vdptool("assoc", vsi(4), "none", psPcp + "-02:00:00:00:aa:04");
        bridge.events.require(WAIT, "VSI 4 activated", tsi(vsi(4), "ACTIVATED"));
        assertThat(r4).contains("02:00:00:00:aa:04");

        // Format 1 (VID only) on VN 200's tag.
        vdptool("assoc", vsi(5), "none", Integer.toString(tag200));
        bridge.events.require(WAIT, "VSI 5 activated", tsi(vsi(5), "ACTIVATED"));

        // Pre-associate, then associate with M (lldpad's hints=to): Associated, then Activated. lldpad
        // stores the VID our response assigned and refuses ("Invalid parameters") a later request for
        // the VSI that does not carry it, so the Associate names the tag.
        vdptool("preassoc", vsi(6), "to", "0-02:00:00:00:aa:06-300");
        bridge.events.require(WAIT, "VSI 6 associated", tsi(vsi(6), "ASSOCIATED"));
        int tag300 = tagOf(300);
        vdptool("assoc", vsi(6), "to", tag300 + "-02:00:00:00:aa:06-300");
        bridge.events.require(WAIT, "VSI 6 activated", tsi(vsi(6), "ACTIVATED"));

        // De-associate: VSI 1 goes; VN 100 stays, since VSIs 3 and 4 still use it.
        vdptool("deassoc", vsi(1), "none", tag100 + "-02:00:00:00:aa:01-100");
        bridge.events.require(WAIT, "VSI 1 back to INIT", tsi(vsi(1), "INIT"));

        // Keep-alives: several keep-alive timeouts later, every VSI is still there.
        Thread.sleep(8_000);
        assertThat(bridge.events.events()).noneMatch(n -> n.path("event").asText().equals("tsi")
                && n.path("state").asText().equals("INIT") && !n.path("vsiId").asText().equals(vsi(1)));

        // The station goes away: each remaining VSI times out and is de-associated by the bridge.
        station.close();
        for (int n : new int[] {2, 3, 4, 5, 6}) {
            JsonNode gone = bridge.events.require(WAIT, "VSI " + n + " timed out", tsi(vsi(n), "INIT"));
            assertThat(gone.path("why").asText()).containsIgnoringCase("keep-alive");
        }
        bridge.events.require(WAIT, "VN 100 disconnected", n -> n.path("event").asText().equals("vn")
                && n.path("vn").asInt() == 100 && n.path("state").asText().equals("VN_DISCONNECTED"));
        assertThat(bridge.stop(WAIT)).isZero();
    }
}
