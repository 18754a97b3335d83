package org.splitnve.ecptransport.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.splitnve.testsupport.Closer;
import org.splitnve.ecptransport.auth.AuthorizationEvent.Reason;
import org.splitnve.vdpcore.MacAddress;

/** The wpa_supplicant client against a stand-in for its control interface. */
class SupplicantAuthorizationTest {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final MacAddress OWN = MacAddress.valueOf("02:00:00:00:00:51");

    @TempDir
    Path dir;

    /** wpa_supplicant's state as STATUS and GET_NETWORK show it. */
    private final Map<String, String> status = new ConcurrentHashMap<>(Map.of("address", OWN.toString(), "id", "0",
            "wpa_state", "COMPLETED", "Supplicant PAE state", "AUTHENTICATED", "suppPortStatus", "Authorized"));
    private final Map<String, String> network = new ConcurrentHashMap<>(Map.of("identity", "\"hv1\"", "ca_cert", "\"/etc/ca.pem\""));
    private final AuthorizationRecorder events = new AuthorizationRecorder();
    private final Closer closer = new Closer();
    private FakeControlDaemon daemon;
    private SupplicantAuthorization client;

    @AfterEach
    void stop() {
        closer.close();
    }

    private String answer(String request) {
        if (request.equals("STATUS")) {
            StringBuilder b = new StringBuilder("bssid=01:80:c2:00:00:03\n");
            status.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
            return b.toString();
        }
        if (request.startsWith("GET_NETWORK 0 ")) {
            return network.getOrDefault(request.substring(14), "FAIL");
        }
        return "UNKNOWN COMMAND\n";
    }

    private void start() throws Exception {
        daemon = closer.track(FakeControlDaemon.start(dir.resolve("wpa"), "vst0", this::answer));
        client = closer.track(SupplicantAuthorization.of(dir.resolve("wpa"), "vst0", HostapdAuthorizationTest.FAST));
        client.addListener(events);
        client.start();
        assertThat(client.awaitAttached(WAIT)).isTrue();
    }

    private void unauthorized(String pae) {
        status.put("Supplicant PAE state", pae);
        status.put("suppPortStatus", "Unauthorized");
    }

    @Test
    void a_port_authenticated_before_the_attach_is_read_with_the_supplicants_own_address_and_identity() throws Exception {
        start();
        assertThat(client.stations()).containsExactly(new AuthorizedStation(OWN, "hv1"));
        assertThat(events.await(e -> true, WAIT).reason()).isEqualTo(Reason.FOUND_AUTHORIZED);
    }

    @Test
    void a_logoff_raises_no_event_yet_the_next_status_read_ends_the_authorization() throws Exception {
        start();
        unauthorized("LOGOFF");
        AuthorizationEvent e = events.await(x -> !x.authorized(), WAIT);
        assertThat(e.reason()).isEqualTo(Reason.LOGOFF);
        assertThat(client.isAuthorized(OWN)).isFalse();
    }

    @Test
    void a_bridge_certificate_the_supplicant_rejects_is_an_authentication_failure_that_says_so() throws Exception {
        unauthorized("CONNECTING");
        start();
        assertThat(client.stations()).isEmpty();

        daemon.emit("CTRL-EVENT-EAP-TLS-CERT-ERROR reason=1 depth=0 subject='/CN=nve' err='unable to get local issuer certificate'");
        daemon.emit("CTRL-EVENT-EAP-FAILURE EAP authentication failed");
        unauthorized("HELD");
        Thread.sleep(300);
        assertThat(client.stations()).isEmpty();

        // Trusted at last: authenticated, under the identity configured now.
        network.put("identity", "\"hv7\"");
        status.put("Supplicant PAE state", "AUTHENTICATED");
        status.put("suppPortStatus", "Authorized");
        daemon.emit("CTRL-EVENT-EAP-SUCCESS EAP authentication completed successfully");
        AuthorizationEvent e = events.await(AuthorizationEvent::authorized, WAIT);
        assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATED);
        assertThat(e.identity()).isEqualTo("hv7");
    }

    @Test
    void an_eap_failure_ends_an_authorization_at_once_and_names_a_rejected_certificate() throws Exception {
        start();
        daemon.emit("CTRL-EVENT-EAP-TLS-CERT-ERROR reason=1 depth=0 subject='/CN=nve' err='certificate has expired'");
        daemon.emit("CTRL-EVENT-EAP-FAILURE EAP authentication failed");
        AuthorizationEvent e = events.await(x -> !x.authorized(), WAIT);
        assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION_FAILED);
        assertThat(e.detail()).contains("certificate has expired");
    }

    @Test
    void a_supplicant_restart_keeps_the_port_as_it_was_until_the_new_one_is_read() throws Exception {
        start();
        daemon.terminate();
        events.awaitSource(s -> !s.attached(), WAIT);
        assertThat(client.isAuthorized(OWN)).isTrue();

        unauthorized("CONNECTING");
        daemon = closer.track(FakeControlDaemon.start(dir.resolve("wpa"), "vst0", this::answer));
        AuthorizationEvent e = events.await(x -> !x.authorized(), WAIT);
        assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND_AUTHORIZED);
        assertThat(client.attaches()).isEqualTo(2);
    }
}
