package org.splitnve.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitnve.cli.EventCollector.is;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.splitnve.ecptransport.link.Libpcap;
import org.splitnve.testsupport.NamespacePair;
import org.splitnve.testsupport.NetworkNamespace;
import org.splitnve.testsupport.Prerequisites;

/**
 * {@code splitnve bridge} and {@code station} over a veth pair whose ends go down and come back up, or go away for good:
 * the TSIs come back without operator action, and a NIC that does not come back ends the command with one line and
 * exit 3. Short timers (RKA 16: keep-alives every 0.66 s, a bridge keep-alive timeout of about 1 s) make the bridge
 * drop the TSIs while a link is down, so that they must really be put back.
 */
class NicDownUpInteropTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String VSI1 = "9c3b0c1d-0000-4000-8000-000000000001";
    private static final String VSI2 = "9c3b0c1d-0000-4000-8000-000000000002";

    @TempDir
    Path dir;

    private NamespacePair ns;

    @BeforeEach
    void start() {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("ip");
        Prerequisites.requireLibpcap();
        ns = NamespacePair.create("br-nic", "02:00:00:00:1f:01", "st-nic", "02:00:00:00:1f:02");
    }

    @AfterEach
    void stop() {
        if (ns != null) {
            ns.close();
        }
    }

    private RunningCommand bridge(String... more) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("--iface", ns.ifA(), "--events", "-", "--rka", "16"));
        args.addAll(List.of(more));
        RunningCommand bridge = ns.track(RunningCommand.start(ns.a(), stop -> new BridgeCommand(Libpcap.system(), stop),
                args.toArray(String[]::new)));
        bridge.events.require(WAIT, "bridge started", n -> n.path("event").asText().equals("started"));
        return bridge;
    }

    private RunningCommand station(String... more) throws Exception {
        Path vsis = dir.resolve("vsis.json");
        Files.writeString(vsis, """
                [
                  {"vsiId": "%s", "managerId": "snvmgr", "vn": 5001, "mac": "02:00:00:00:ae:01"},
                  {"vsiId": "%s", "managerId": "snvmgr", "vn": 5002, "mac": "02:00:00:00:ae:02", "ips": ["10.1.0.2"]}
                ]
                """.formatted(VSI1, VSI2));
        List<String> args = new java.util.ArrayList<>(List.of("--iface", ns.ifB(), "--vsi", vsis.toString(), "--events", "-",
                "--rka", "16"));
        args.addAll(List.of(more));
        return ns.track(RunningCommand.start(ns.b(), stop -> new StationCommand(Libpcap.system(), stop), args.toArray(String[]::new)));
    }

    private static Predicate<JsonNode> tsi(String vsi, String state) {
        return n -> is("tsi", "vsiId", vsi).test(n) && n.path("state").asText().equals(state);
    }

    /** Waits until the collector holds {@code n} events matching {@code p}. */
    private static void awaitCount(EventCollector events, String what, Predicate<JsonNode> p, long n) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (events.events().stream().filter(p).count() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not " + n + " events " + what + " within " + WAIT + ": " + events.events());
            }
            Thread.sleep(20);
        }
    }

    private void downAndUp(NetworkNamespace where, String ifname, RunningCommand bridge) throws Exception {
        long activations = bridge.events.events().stream().filter(tsi(VSI1, "ACTIVATED").or(tsi(VSI2, "ACTIVATED"))).count();
        long inits = bridge.events.events().stream().filter(tsi(VSI1, "INIT").or(tsi(VSI2, "INIT"))).count();
        where.exec("ip", "link", "set", ifname, "down");
        awaitCount(bridge.events, "of the bridge dropping both TSIs while the link is down", tsi(VSI1, "INIT").or(tsi(VSI2, "INIT")),
                inits + 2);
        Thread.sleep(1000);
        where.exec("ip", "link", "set", ifname, "up");
        awaitCount(bridge.events, "of both TSIs activated again", tsi(VSI1, "ACTIVATED").or(tsi(VSI2, "ACTIVATED")), activations + 2);
    }

    @Test
    void the_stations_nic_down_and_up_and_then_the_bridges_the_tsis_come_back_without_operator_action() throws Exception {
        RunningCommand bridge = bridge();
        RunningCommand station = station();
        bridge.events.require(WAIT, VSI1 + " activated", tsi(VSI1, "ACTIVATED"));
        bridge.events.require(WAIT, VSI2 + " activated", tsi(VSI2, "ACTIVATED"));

        downAndUp(ns.b(), ns.ifB(), bridge);
        downAndUp(ns.a(), ns.ifA(), bridge);

        assertThat(station.finished()).as("the station runs on").isFalse();
        assertThat(station.stop(WAIT)).as(station.stderr()).isZero();
        assertThat(bridge.stop(WAIT)).isZero();
    }

    @Test
    void a_nic_that_does_not_come_back_ends_bridge_and_station_with_one_line_and_exit_3() throws Exception {
        RunningCommand bridge = bridge("--nic-wait", "2");
        RunningCommand station = station("--nic-wait", "2");
        bridge.events.require(WAIT, VSI1 + " activated", tsi(VSI1, "ACTIVATED"));

        ns.a().exec("ip", "link", "del", ns.ifA());

        assertThat(bridge.exitCode(WAIT)).isEqualTo(NicLoss.EXIT);
        assertThat(station.exitCode(WAIT)).isEqualTo(NicLoss.EXIT);
        assertThat(bridge.stderr().lines().toList()).singleElement().asString().startsWith("splitnve bridge: the NIC is gone: ");
        assertThat(station.stderr().lines().toList()).singleElement().asString().startsWith("splitnve station: the NIC is gone: ");
    }
}
