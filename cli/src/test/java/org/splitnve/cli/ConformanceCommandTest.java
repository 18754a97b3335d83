package org.splitnve.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.splitnve.ecptransport.link.Libpcap;
import org.splitnve.testsupport.CommandException;
import org.splitnve.testsupport.NamespacePair;
import org.splitnve.testsupport.Lldpad;
import org.splitnve.testsupport.LldpadConfig;
import org.splitnve.testsupport.LldpadScenarios;
import org.splitnve.testsupport.Prerequisites;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code splitnve conformance} on a veth pair between two network namespaces, against our own
 * {@code splitnve bridge} and {@code splitnve station} (every check passes or does not apply), and
 * against lldpad as bridge and as station, whose verdicts must be the ones {@code docs/CONFORMANCE.md}
 * records. Both ends advertise RKA 16 (0.66 s keep-alive), and against bridges RWD 14 (0.16 s
 * resource wait), so keep-alive checks and the wait for answers that must not come take seconds.
 */
class ConformanceCommandTest {

    private static final Duration RUN = Duration.ofSeconds(240);
    static final Path CONFORMANCE_MD = Path.of("..", "docs", "CONFORMANCE.md");

    @TempDir
    Path dir;

    private NamespacePair ns;

    @AfterEach
    void cleanUp() {
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    void every_check_passes_against_our_bridge_command() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireLibpcap();
        ns = NamespacePair.create("conf-suite", "02:00:00:00:c1:01", "conf-br", "02:00:00:00:c1:02");
        RunningCommand bridge = ns.track(RunningCommand.start(ns.b(), stop -> new BridgeCommand(Libpcap.system(), stop),
                "--iface", ns.ifB(), "--vn", "5001", "--rka", "16", "--rwd", "14"));
        Path junit = dir.resolve("bridge.xml");
        RunningCommand suite = ns.track(RunningCommand.start(ns.a(), stop -> new ConformanceCommand(Libpcap.system()),
                "--iface", ns.ifA(), "--role", "bridge", "--junit", junit.toString(), "--rka", "16", "--rwd", "14", "--seed", "1", "--slack", "1500"));
        int exit = suite.exitCode(RUN);
        Map<String, String> verdicts = verdicts(junit);
        assertThat(verdicts).as(Files.readString(junit)).hasSizeGreaterThan(30).containsKey("ecp.answers-to-requester")
                .allSatisfy((id, v) -> assertThat(v).as(id).isEqualTo("pass"));
        assertThat(exit).as(suite.stderr()).isEqualTo(verdicts.containsValue("FAIL") ? 1 : 0);
        assertThat(bridge.finished()).isFalse();
    }

    @Test
    void against_lldpad_as_bridge_the_verdicts_are_those_docs_conformance_md_records() throws Exception {
        LldpadScenarios.requirePrerequisites();
        Prerequisites.requireLibpcap();
        ns = NamespacePair.create("conf-suite", "02:00:00:00:c2:01", "conf-lldpad", "02:00:00:00:c2:02");
        ns.track(Lldpad.start(ns.b(), ns.ifB(), LldpadConfig.of(LldpadConfig.Role.BRIDGE).withGroupId(true).withVdpRka(16).withVdpRwd(14)));
        Path junit = dir.resolve("lldpad-bridge.xml");
        RunningCommand suite = ns.track(RunningCommand.start(ns.a(), stop -> new ConformanceCommand(Libpcap.system()),
                "--iface", ns.ifA(), "--role", "bridge", "--junit", junit.toString(), "--rka", "16", "--rwd", "14", "--seed", "2", "--slack", "1500"));
        int exit = suite.exitCode(RUN);
        Map<String, String> verdicts = verdicts(junit);
        assertThat(verdicts).as(Files.readString(junit)).isEqualTo(recorded("lldpad as bridge"));
        assertThat(exit).isEqualTo(verdicts.containsValue("FAIL") ? 1 : 0);
    }

    /**
     * The station command associates five VSIs and cannot deactivate one, so the run is lenient: Associate
     * to Pre-Associate is not tested, and the filter formats it does not use do not apply.
     */
    @Test
    void every_check_that_applies_passes_against_our_station_command() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireLibpcap();
        ns = NamespacePair.create("conf-suite", "02:00:00:00:c4:01", "conf-st", "02:00:00:00:c4:02");
        Path vsis = dir.resolve("vsis.json");
        Files.writeString(vsis, """
                [
                  {"vsiId": "5a3b0c1d-0000-4000-8000-0000000000d1", "managerId": "snvmgr", "typeId": 4711, "typeVersion": 1,
                   "vn": 5001, "mac": "02:00:00:00:ad:01"},
                  {"vsiId": "5a3b0c1d-0000-4000-8000-0000000000d3", "managerId": "snvmgr", "typeId": 4711, "typeVersion": 1,
                   "vn": 5001, "mac": "02:00:00:00:ad:03"},
                  {"vsiId": "5a3b0c1d-0000-4000-8000-0000000000d4", "managerId": "snvmgr", "typeId": 4711, "typeVersion": 1,
                   "vn": 5001, "mac": "02:00:00:00:ad:04"},
                  {"vsiId": "5a3b0c1d-0000-4000-8000-0000000000d5", "managerId": "snvmgr", "typeId": 4711, "typeVersion": 1,
                   "vn": 5001, "mac": "02:00:00:00:ad:05"},
                  {"vsiId": "5a3b0c1d-0000-4000-8000-0000000000d2", "managerId": "snvmgr", "typeId": 4711, "typeVersion": 1,
                   "vn": 5002, "mac": "02:00:00:00:ad:02", "ips": ["10.0.0.2", "2001:db8::2"], "migration": "to"}
                ]
                """);
        Path junit = dir.resolve("station.xml");
        RunningCommand suite = ns.track(RunningCommand.start(ns.a(), stop -> new ConformanceCommand(Libpcap.system()),
                "--iface", ns.ifA(), "--role", "station", "--junit", junit.toString(), "--rka", "16", "--seed", "3", "--wait", "60", "--lenient"));
        RunningCommand station = ns.track(RunningCommand.start(ns.b(), stop -> new StationCommand(Libpcap.system(), stop),
                "--iface", ns.ifB(), "--vsi", vsis.toString(), "--rka", "16"));
        int exit = suite.exitCode(RUN);
        Map<String, String> verdicts = verdicts(junit);
        String xml = Files.readString(junit);
        assertThat(verdicts).as(xml).hasSizeGreaterThan(20).doesNotContainValue("FAIL");
        // The station used the GroupID/MAC/VID and GroupID/MAC/IP/VID formats; the others cannot be judged.
        assertThat(verdicts.entrySet().stream().filter(e -> e.getValue().equals("n/a")).map(Map.Entry::getKey))
                .as(xml).containsExactlyInAnyOrder("vdp.filter.vid", "vdp.filter.mac-vid", "vdp.filter.group-vid",
                        "vdp.filter.group-ip-vid", "vdp.filter.mac-ip-vid", "vdp.associate-to-pre-associate");
        assertThat(verdicts).containsEntry("vdp.refused-keep", "pass").containsEntry("vdp.refused-invalid", "pass")
                .containsEntry("vdp.refused-hard-error", "pass");
        assertThat(exit).as(suite.stderr()).isZero();
        station.stop(RUN);
    }

    @Test
    void against_lldpad_as_station_the_verdicts_are_those_docs_conformance_md_records() throws Exception {
        LldpadScenarios.requirePrerequisites();
        Prerequisites.requireLibpcap();
        ns = NamespacePair.create("conf-suite", "02:00:00:00:c5:01", "conf-lldpad", "02:00:00:00:c5:02");
        Lldpad lldpad = ns.track(Lldpad.start(ns.b(), ns.ifB(), LldpadConfig.of(LldpadConfig.Role.STATION).withGroupId(true).withVdpRka(16)));
        Path junit = dir.resolve("lldpad-station.xml");
        RunningCommand suite = ns.track(RunningCommand.start(ns.a(), stop -> new ConformanceCommand(Libpcap.system()),
                "--iface", ns.ifA(), "--role", "station", "--junit", junit.toString(), "--rka", "16", "--seed", "4", "--wait", "60"));
        lldpad.waitForEvbPeer(Duration.ofSeconds(30));
        // GroupID/MAC/VID with the null VID: the suite, as bridge, assigns the VID and follows this VSI.
        String response = vdp(lldpad, "assoc", "c1", "none");
        // The suite refuses the next three (error 2 with keep, error 5, a hard error).
        List<String> refused = List.of(vdp(lldpad, "assoc", "c2", "none"), vdp(lldpad, "assoc", "c3", "none"), vdp(lldpad, "assoc", "c4", "none"));
        // A fifth moves in (M); lldpad's vdptool then refuses to deactivate it (Associate to Pre-Associate: "Invalid parameters").
        String moved = vdp(lldpad, "assoc", "c5", "to");
        String deactivated;
        try {
            deactivated = vdp(lldpad, "preassoc", "c5", "none");
        } catch (CommandException e) {
            deactivated = e.getMessage();
        }
        int exit = suite.exitCode(RUN);
        String xml = Files.readString(junit);
        assertThat(response).as(xml).contains("Response from VDP").contains("-02:00:00:00:aa:c1");
        System.out.println("vdptool: " + response + "\n" + String.join("\n", refused) + "\n" + moved + "\n" + deactivated);
        assertThat(verdicts(junit)).as(xml + "\nlldpad's log ends with:\n" + lldpad.logTail(60)).isEqualTo(recorded("lldpad as station"));
        assertThat(exit).isEqualTo(verdicts(junit).containsValue("FAIL") ? 1 : 0);
    }

    /**
     * The vdptool request for VSI {@code c<n>} (MAC 02:00:00:00:aa:c<n>, GroupID 100, the null VID) and what it printed.
     * (A Pre-Associate of an associated VSI fails alike with the VID the suite assigned.)
     */
    private static String vdp(Lldpad lldpad, String mode, String vsi, String hints) {
        return lldpad.vdptool("-i", lldpad.interfaceName(), "-T", "-W", "-V", mode, "-c", "mode=" + mode,
                "-c", "mgrid2=" + LldpadScenarios.MANAGER_ID, "-c", "typeid=" + LldpadScenarios.TYPE_ID,
                "-c", "typeidver=" + LldpadScenarios.TYPE_VERSION, "-c", "uuid=5a3b0c1d-0000-4000-8000-0000000000" + vsi,
                "-c", "hints=" + hints, "-c", "filter=0-02:00:00:00:aa:" + vsi + "-100");
    }

    @Test
    void without_a_peer_every_check_fails_and_lenient_makes_all_but_the_first_not_applicable() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireLibpcap();
        ns = NamespacePair.create("conf-alone", "02:00:00:00:c3:01", "conf-none", "02:00:00:00:c3:02");
        Path junit = dir.resolve("alone.xml");
        RunningCommand suite = ns.track(RunningCommand.start(ns.a(), stop -> new ConformanceCommand(Libpcap.system()),
                "--iface", ns.ifA(), "--role", "bridge", "--junit", junit.toString(), "--peer-timeout", "2"));
        assertThat(suite.exitCode(RUN)).isEqualTo(1);
        Map<String, String> verdicts = verdicts(junit);
        assertThat(verdicts).hasSizeGreaterThan(30).allSatisfy((id, v) -> assertThat(v).as(id).isEqualTo("FAIL"));

        Path lenient = dir.resolve("alone-lenient.xml");
        RunningCommand again = ns.track(RunningCommand.start(ns.a(), stop -> new ConformanceCommand(Libpcap.system()),
                "--iface", ns.ifA(), "--role", "bridge", "--junit", lenient.toString(), "--peer-timeout", "2", "--lenient"));
        assertThat(again.exitCode(RUN)).isEqualTo(1);
        Map<String, String> relaxed = verdicts(lenient);
        assertThat(relaxed.get("evb.tlv")).isEqualTo("FAIL");
        assertThat(relaxed.values().stream().skip(1)).isNotEmpty().allMatch("n/a"::equals);
    }

    @Test
    void usage_errors_exit_2_with_one_line() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), Libpcap.system(),
                "conformance", "--iface", "lo", "--role", "router");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("role is bridge or station: router");
    }

    @Test
    void list_prints_every_check_of_a_role_without_a_nic_and_only_narrows_it() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertThat(Main.run(new PrintWriter(out, true), new PrintWriter(err, true), Libpcap.system(),
                "conformance", "--role", "bridge", "--list")).as(err.toString()).isZero();
        assertThat(out.toString().lines()).hasSize(39).anySatisfy(l -> assertThat(l).startsWith("vdp.error.vid-4095"));

        StringWriter only = new StringWriter();
        assertThat(Main.run(new PrintWriter(only, true), new PrintWriter(err, true), Libpcap.system(),
                "conformance", "--role", "bridge", "--list", "--only", "ecp,vdp.error")).isZero();
        assertThat(only.toString().lines().map(l -> l.split(" ")[0]))
                .allMatch(id -> id.equals("evb.tlv") || id.startsWith("ecp.") || id.startsWith("vdp.error."))
                .contains("evb.tlv", "ecp.sequence-wrap", "vdp.error.m-and-s").hasSize(1 + 8 + 9);

        StringWriter station = new StringWriter();
        assertThat(Main.run(new PrintWriter(station, true), new PrintWriter(err, true), Libpcap.system(),
                "conformance", "--role", "station", "--list")).isZero();
        assertThat(station.toString().lines()).hasSize(27).anySatisfy(l -> assertThat(l).startsWith("vdp.keep-alive-timeout-de-associate"));
    }

    @Test
    void only_is_refused_against_a_station_and_when_it_selects_nothing() {
        StringWriter err = new StringWriter();
        assertThat(Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), Libpcap.system(),
                "conformance", "--iface", "lo", "--role", "station", "--only", "ecp")).isEqualTo(2);
        assertThat(err.toString()).contains("choosing checks applies to a bridge");
        StringWriter err2 = new StringWriter();
        assertThat(Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err2, true), Libpcap.system(),
                "conformance", "--iface", "lo", "--role", "bridge", "--only", "nothing.here")).isEqualTo(2);
        assertThat(err2.toString()).contains("selects no check");
        StringWriter err3 = new StringWriter();
        assertThat(Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err3, true), Libpcap.system(),
                "conformance", "--role", "bridge")).isEqualTo(2);
        assertThat(err3.toString()).contains("--iface IF is required");
    }

    /** check id -> pass, FAIL or n/a, from the JUnit XML the command wrote. */
    static Map<String, String> verdicts(Path junit) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        NodeList cases = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(junit.toFile()).getElementsByTagName("testcase");
        for (int i = 0; i < cases.getLength(); i++) {
            Element c = (Element) cases.item(i);
            String v = c.getElementsByTagName("failure").getLength() > 0 ? "FAIL"
                    : c.getElementsByTagName("skipped").getLength() > 0 ? "n/a" : "pass";
            out.put(c.getAttribute("name"), v);
        }
        return out;
    }

    /** The verdict column of the table under {@code ## heading} in docs/CONFORMANCE.md. */
    static Map<String, String> recorded(String heading) throws Exception {
        String md = Files.readString(CONFORMANCE_MD);
        int at = md.indexOf("## " + heading + "\n");
        assertThat(at).as("section '" + heading + "' in " + CONFORMANCE_MD).isNotNegative();
        int end = md.indexOf("\n## ", at + 3);
        String section = md.substring(at, end < 0 ? md.length() : end);
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^\\| `([a-z0-9.-]+)` \\| (pass|FAIL|n/a) \\|").matcher(section);
        while (m.find()) {
            out.put(m.group(1), m.group(2));
        }
        return out;
    }
}
