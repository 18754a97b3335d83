package org.splitnve.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.splitnve.ecptransport.vdp.VdpTimers;
import org.splitnve.testsupport.NamespacePair;
import org.splitnve.testsupport.Prerequisites;

/**
 * {@code splitnve bridge} killed and started again under a running {@code splitnve station} with 1,000 VSIs: every TSI
 * is back on the new bridge within one keep-alive period of its start, without operator action; then the station is
 * killed and the bridge frees everything it held for it at the keep-alive timeout.
 */
class RestartInteropTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int VSIS = 1000;
    /** RKA 19: keep-alives every 5.2 s, a keep-alive timeout of 7.9 s. */
    private static final int RKA = 19;
    private static final String STATION = "02:00:00:00:3f:02";

    @TempDir
    Path dir;

    private NamespacePair ns;

    @BeforeEach
    void start() {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("ip");
        Prerequisites.requireLibpcap();
        ns = NamespacePair.create("br-rst", "02:00:00:00:3f:01", "st-rst", STATION);
    }

    @AfterEach
    void stop() {
        if (ns != null) {
            ns.close();
        }
    }

    private BridgeProcess bridge(String name) throws InterruptedException {
        BridgeProcess b = ns.track(BridgeProcess.start(ns.a(), dir.resolve(name + ".log"), "--iface", ns.ifA(), "--events", "-", "--rka",
                Integer.toString(RKA)));
        b.events.require(WAIT, name + " started", n -> n.path("event").asText().equals("started"));
        return b;
    }

    private static Predicate<JsonNode> tsi(String state) {
        return n -> n.path("event").asText().equals("tsi") && n.path("station").asText().equals(STATION)
                && n.path("state").asText().equals(state);
    }

    /** Waits until the bridge has told of {@code n} distinct VSIs reaching {@code state}; returns when it did. */
    private static long awaitVsis(BridgeProcess bridge, Predicate<JsonNode> p, int n) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Set<String> vsis = bridge.events.events().stream().filter(p).map(e -> e.path("vsiId").asText()).collect(Collectors.toSet());
            if (vsis.size() >= n) {
                return System.nanoTime();
            }
            if (System.nanoTime() > deadline) {
                java.util.Map<String, Long> kinds = bridge.events.events().stream().collect(Collectors.groupingBy(
                        e -> e.path("event").asText() + " " + e.path("state").asText() + e.path("error").asText(), Collectors.counting()));
                throw new AssertionError(vsis.size() + " of " + n + " VSIs within " + WAIT + "; events " + kinds + "; " + bridge.logTail());
            }
            Thread.sleep(20);
        }
    }

    @Test
    void a_restarted_bridge_has_every_tsi_back_within_one_keep_alive_period_and_a_killed_station_is_freed_at_the_timeout()
            throws Exception {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < VSIS; i++) {
            json.append(i == 0 ? "" : ",\n").append(String.format("{\"vsiId\": \"cd3b0c1d-0000-4000-8000-%012d\", \"vn\": %d, "
                    + "\"mac\": \"02:00:00:%02x:%02x:%02x\"}", i, 5001 + i % 10, 0xb0 + (i >> 16), (i >> 8) & 0xFF, i & 0xFF));
        }
        Path vsis = dir.resolve("vsis.json");
        Files.writeString(vsis, json.append("]").toString());
        BridgeProcess first = bridge("bridge1");
        BridgeProcess station = ns.track(BridgeProcess.command(ns.b(), dir.resolve("station.log"), "station", "--iface", ns.ifB(),
                "--vsi", vsis.toString(), "--events", "-", "--rka", Integer.toString(RKA)));
        awaitVsis(first, tsi("ACTIVATED"), VSIS);
        // The bridge tells of a TSI before its answer leaves: the station must have every answer before the bridge dies.
        awaitVsis(station, n -> n.path("event").asText().equals("tsi") && n.path("state").asText().equals("ACTIVATED"), VSIS);

        first.kill();
        BridgeProcess second = bridge("bridge2");
        long up = System.nanoTime();
        long back = awaitVsis(second, tsi("ACTIVATED"), VSIS);
        Duration restored = Duration.ofNanos(back - up);
        Duration period = VdpTimers.of(3, 8, 20, RKA).keepAlive();

        station.kill();
        long killed = System.nanoTime();
        long freed = awaitVsis(second, tsi("INIT"), VSIS);
        Duration timedOut = Duration.ofNanos(freed - killed);
        Duration timeout = VdpTimers.of(3, 8, 20, RKA).bridgeKeepAliveTimeout();
        System.out.printf("restart: %d TSIs back on the restarted bridge %d ms after it started (keep-alive period %d ms); the killed"
                + " station's TSIs freed %d ms after the kill (keep-alive timeout %d ms)%n", VSIS, restored.toMillis(), period.toMillis(),
                timedOut.toMillis(), timeout.toMillis());
        assertThat(restored).as("every TSI back within one keep-alive period").isLessThanOrEqualTo(period);
        assertThat(timedOut).as("freed at the keep-alive timeout").isLessThan(timeout.multipliedBy(5).dividedBy(4));

        Thread.sleep(1000); // the bridge's De-Associates to the dead station run out of retries
        assertThat(second.stop(WAIT)).isZero();
        JsonNode tables = second.events.require(WAIT, "tables", n -> n.path("event").asText().equals("tables"));
        assertThat(tables.path("tsis").asInt()).isZero();
        assertThat(tables.path("vns").asInt()).isZero();
        assertThat(tables.path("vdpQueues").asInt()).isZero();
    }
}
