package org.splitnve.ecptransport.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.splitnve.testsupport.Closer;
import org.splitnve.ecptransport.auth.AuthorizationEvent.Reason;
import org.splitnve.ecptransport.auth.AuthorizationEvent.State;
import org.splitnve.vdpcore.MacAddress;

/** The hostapd client against a stand-in for hostapd's control interface: what it reads, hears, infers and survives. */
class HostapdAuthorizationTest {

    static final ControlTimings FAST = new ControlTimings(Duration.ofMillis(500), Duration.ofMillis(100), Duration.ofSeconds(30),
            Duration.ofMillis(50), Duration.ofMillis(200));
    static final Duration WAIT = Duration.ofSeconds(10);
    static final MacAddress A = MacAddress.valueOf("02:00:00:00:00:0a");
    static final MacAddress B = MacAddress.valueOf("02:00:00:00:00:0b");
    static final MacAddress C = MacAddress.valueOf("02:00:00:00:00:0c");

    @TempDir
    Path dir;

    private final Hostapd hostapd = new Hostapd();
    private final Closer closer = new Closer();
    private FakeControlDaemon daemon;
    private HostapdAuthorization client;
    private final AuthorizationRecorder events = new AuthorizationRecorder();

    /** hostapd's station table as its STA commands show it. */
    static final class Hostapd {
        final Map<MacAddress, String[]> stations = new ConcurrentSkipListMap<>();

        void put(MacAddress m, boolean authorized, String identity) {
            stations.put(m, new String[] {authorized ? "[AUTHORIZED]" : "", identity});
        }

        String answer(String request) {
            if (request.equals("STA-FIRST")) {
                return stations.isEmpty() ? "" : sta(stations.keySet().iterator().next());
            }
            if (request.startsWith("STA-NEXT ")) {
                MacAddress after = MacAddress.valueOf(request.substring(9));
                return stations.keySet().stream().filter(m -> m.compareTo(after) > 0).findFirst().map(this::sta).orElse("");
            }
            if (request.startsWith("STA ")) {
                MacAddress m = MacAddress.valueOf(request.substring(4));
                return stations.containsKey(m) ? sta(m) : "FAIL\n";
            }
            return "UNKNOWN COMMAND\n";
        }

        private String sta(MacAddress m) {
            String[] s = stations.get(m);
            return m + "\nflags=" + s[0] + "\naid=0\ndot1xAuthPaeState=5\ndot1xAuthSessionUserName=" + s[1] + "\nlast_eap_type_sta=13 (TLS)\n";
        }
    }

    @AfterEach
    void stop() {
        closer.close();
    }

    private void startDaemon() throws Exception {
        daemon = closer.track(FakeControlDaemon.start(dir.resolve("hostapd"), "vbr0", hostapd::answer));
    }

    private void startClient() throws Exception {
        client = closer.track(HostapdAuthorization.of(dir.resolve("hostapd"), "vbr0", FAST));
        client.addListener(events);
        client.start();
    }

    @Test
    void stations_authorized_before_the_attach_are_read_with_their_identities_and_unauthorized_ones_are_not() throws Exception {
        hostapd.put(A, true, "hv1");
        hostapd.put(B, false, "N/A");
        hostapd.put(C, true, "hv3");
        startDaemon();
        startClient();
        assertThat(client.awaitAttached(WAIT)).isTrue();

        assertThat(client.stations()).containsExactly(new AuthorizedStation(A, "hv1"), new AuthorizedStation(C, "hv3"));
        assertThat(client.isAuthorized(B)).isFalse();
        assertThat(events.await(e -> e.station().equals(C), WAIT).reason()).isEqualTo(Reason.FOUND_AUTHORIZED);
        assertThat(events.sources()).extracting(AuthorizationSourceEvent::attached).endsWith(true);
    }

    @Test
    void a_station_authorized_after_the_attach_is_told_with_the_identity_hostapd_reads_for_it() throws Exception {
        startDaemon();
        startClient();
        assertThat(client.awaitAttached(WAIT)).isTrue();

        hostapd.put(A, true, "hv1");
        daemon.emit("CTRL-EVENT-EAP-STARTED " + A);
        daemon.emit("CTRL-EVENT-EAP-SUCCESS " + A);
        daemon.emit("AP-STA-CONNECTED " + A);

        AuthorizationEvent e = events.await(x -> x.station().equals(A), WAIT);
        assertThat(e).isEqualTo(new AuthorizationEvent("vbr0", A, "hv1", State.AUTHORIZED, Reason.AUTHENTICATED,
                "hostapd authorized the port for the station"));
        assertThat(client.authorized(A)).contains(new AuthorizedStation(A, "hv1"));
    }

    @Test
    void the_cause_of_an_unauthorization_is_inferred_from_the_eap_events_before_it_and_from_what_hostapd_still_lists()
            throws Exception {
        hostapd.put(A, true, "hv1");
        hostapd.put(B, true, "hv2");
        hostapd.put(C, true, "hv3");
        MacAddress d = MacAddress.valueOf("02:00:00:00:00:0d");
        hostapd.put(d, true, "hv4");
        startDaemon();
        startClient();
        assertThat(client.awaitAttached(WAIT)).isTrue();
        events.clear();

        // A re-authentication that fails.
        hostapd.put(A, false, "N/A");
        daemon.emit("CTRL-EVENT-EAP-FAILURE " + A);
        daemon.emit("AP-STA-DISCONNECTED " + A);
        // An EAP timeout.
        hostapd.put(B, false, "N/A");
        daemon.emit("CTRL-EVENT-EAP-TIMEOUT-FAILURE " + B);
        daemon.emit("AP-STA-DISCONNECTED " + B);
        // EAPOL-Logoff: no EAP failure, hostapd still lists the station.
        hostapd.put(C, false, "N/A");
        daemon.emit("AP-STA-DISCONNECTED " + C);
        // A session timeout: hostapd dropped the station.
        hostapd.stations.remove(d);
        daemon.emit("AP-STA-DISCONNECTED " + d);

        assertThat(events.await(e -> e.station().equals(A), WAIT).reason()).isEqualTo(Reason.AUTHENTICATION_FAILED);
        assertThat(events.await(e -> e.station().equals(B), WAIT).reason()).isEqualTo(Reason.TIMEOUT);
        assertThat(events.await(e -> e.station().equals(C), WAIT).reason()).isEqualTo(Reason.LOGOFF);
        AuthorizationEvent gone = events.await(e -> e.station().equals(d), WAIT);
        assertThat(gone.reason()).isEqualTo(Reason.SESSION_ENDED);
        assertThat(gone.identity()).as("the event names who lost it").isEqualTo("hv4");
        assertThat(client.stations()).isEmpty();
    }

    @Test
    void a_reauthentication_under_another_identity_ends_the_old_one_first() throws Exception {
        hostapd.put(A, true, "hv1");
        startDaemon();
        startClient();
        assertThat(client.awaitAttached(WAIT)).isTrue();
        events.clear();

        hostapd.put(A, true, "intruder");
        daemon.emit("CTRL-EVENT-EAP-SUCCESS " + A);

        AuthorizationEvent authorized = events.await(e -> e.authorized(), WAIT);
        assertThat(events.all()).extracting(AuthorizationEvent::state, AuthorizationEvent::reason, AuthorizationEvent::identity)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(State.UNAUTHORIZED, Reason.IDENTITY_CHANGED, "hv1"),
                        org.assertj.core.groups.Tuple.tuple(State.AUTHORIZED, Reason.AUTHENTICATED, "intruder"));
        assertThat(authorized.identity()).isEqualTo("intruder");
    }

    @Test
    void across_a_hostapd_restart_authorized_stations_stay_until_it_is_back_and_then_its_list_is_the_truth() throws Exception {
        hostapd.put(A, true, "hv1");
        hostapd.put(B, true, "hv2");
        startDaemon();
        startClient();
        assertThat(client.awaitAttached(WAIT)).isTrue();
        events.clear();

        daemon.terminate();
        AuthorizationSourceEvent lost = events.awaitSource(s -> !s.attached(), WAIT);
        assertThat(lost.detail()).contains("terminating");
        Thread.sleep(300);
        assertThat(client.stations()).as("the gap changes nothing").hasSize(2);
        assertThat(events.all()).isEmpty();

        // A new hostapd: A authenticated again meanwhile (no event reached us), B did not, C is new.
        hostapd.stations.clear();
        hostapd.put(A, true, "hv1");
        hostapd.put(C, true, "hv3");
        startDaemon();
        events.awaitSource(AuthorizationSourceEvent::attached, WAIT);

        assertThat(client.attaches()).isEqualTo(2);
        assertThat(client.stations()).containsExactly(new AuthorizedStation(A, "hv1"), new AuthorizedStation(C, "hv3"));
        assertThat(events.all()).extracting(AuthorizationEvent::station, AuthorizationEvent::state, AuthorizationEvent::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(B, State.UNAUTHORIZED, Reason.NOT_FOUND_AUTHORIZED),
                        org.assertj.core.groups.Tuple.tuple(C, State.AUTHORIZED, Reason.FOUND_AUTHORIZED));
    }

    @Test
    void a_hostapd_that_dies_without_a_word_is_noticed_by_its_unanswered_ping_and_attached_again_when_back() throws Exception {
        hostapd.put(A, true, "hv1");
        startDaemon();
        startClient();
        assertThat(client.awaitAttached(WAIT)).isTrue();
        events.clear();

        daemon.close();
        events.awaitSource(s -> !s.attached(), WAIT);
        assertThat(client.attached()).isFalse();
        assertThat(client.isAuthorized(A)).isTrue();

        startDaemon();
        assertThat(client.awaitAttached(WAIT)).isTrue();
        assertThat(client.attaches()).isEqualTo(2);
        assertThat(daemon.monitors()).as("attached again on the new socket").isEqualTo(1);
    }

    @Test
    void oversized_malformed_and_foreign_events_change_nothing_and_identities_are_made_printable() throws Exception {
        startDaemon();
        startClient();
        assertThat(client.awaitAttached(WAIT)).isTrue();

        daemon.send(new byte[ControlInterface.MAX_DATAGRAM + 100]);
        daemon.emit("AP-STA-CONNECTED not-a-mac");
        daemon.emit("AP-STA-CONNECTED");
        daemon.send("\u0000\u0001garbage".getBytes(StandardCharsets.UTF_8));
        daemon.emit("CTRL-EVENT-EAP-PROPOSED-METHOD vendor=0 method=13");
        hostapd.put(A, true, "evil\u0007name" + "x".repeat(400));
        daemon.emit("AP-STA-CONNECTED " + A);

        AuthorizationEvent e = events.await(x -> x.station().equals(A), WAIT);
        assertThat(e.identity()).startsWith("evil?namex").hasSize(ControlText.MAX_IDENTITY);
        assertThat(client.stations()).hasSize(1);
        assertThat(client.attaches()).as("nothing of it broke the attachment").isEqualTo(1);
    }

    @Test
    void a_hostapd_that_never_answers_authorizes_no_one_and_the_client_still_closes_at_once() throws Exception {
        Map<String, String> none = new ConcurrentHashMap<>();
        try (FakeControlDaemon mute = FakeControlDaemon.start(dir.resolve("hostapd"), "vbr0", none::get)) {
            // A daemon that answers ATTACH and PING but nothing else: the first read never completes.
            client = closer.track(HostapdAuthorization.of(dir.resolve("hostapd"), "vbr0", FAST));
            client.start();
            assertThat(client.awaitAttached(Duration.ofSeconds(2))).isFalse();
            assertThat(client.stations()).isEmpty();
            long t0 = System.nanoTime();
            client.close();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
            assertThat(mute.requests()).contains("STA-FIRST");
        }
    }

    @Test
    void without_any_hostapd_nothing_is_authorized_and_the_loss_is_told_once() throws Exception {
        startClient();
        Thread.sleep(800);
        assertThat(client.attached()).isFalse();
        assertThat(client.stations()).isEmpty();
        assertThat(events.sources()).hasSize(1);
    }
}
