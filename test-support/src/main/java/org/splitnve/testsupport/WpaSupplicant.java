package org.splitnve.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * wpa_supplicant as a wired IEEE 802.1X supplicant inside a network namespace: EAP-TLS with a client certificate of a
 * {@link Dot1xCertificates} lab, checking the bridge's certificate against the lab's CA (or, to play a station that
 * must refuse the bridge, against a CA that did not sign it), its control interface in a private directory (socket
 * {@code ctrlDir()/IFACE}). Logoff, logon, re-authentication and identity changes go through {@code wpa_cli}.
 */
public final class WpaSupplicant extends ControlInterfaceDaemon {

    private final Path config;

    private WpaSupplicant(NetworkNamespace namespace, String iface) {
        super(namespace, iface, "wpa_supplicant", "wpa_cli");
        this.config = workDir.resolve("wpa_supplicant.conf");
    }

    /**
     * Starts the supplicant on {@code iface} (up) as {@code identity}, trusting the bridge's certificate when
     * {@code trustBridge}, else only a CA that did not sign it.
     */
    public static WpaSupplicant start(NetworkNamespace namespace, String iface, Dot1xCertificates certs, String identity,
                                      boolean trustBridge) {
        WpaSupplicant w = new WpaSupplicant(namespace, iface);
        try {
            Files.writeString(w.config, String.join("\n",
                    "ctrl_interface=" + w.ctrlDir,
                    "ap_scan=0",
                    "network={",
                    "  key_mgmt=IEEE8021X",
                    "  eap=TLS",
                    "  identity=\"" + identity + "\"",
                    "  ca_cert=\"" + (trustBridge ? certs.caCert() : certs.untrustedCaCert()) + "\"",
                    "  client_cert=\"" + certs.clientCert(identity) + "\"",
                    "  private_key=\"" + certs.clientKey(identity) + "\"",
                    "  eapol_flags=0",
                    "}",
                    ""), StandardCharsets.UTF_8);
            w.start();
            return w;
        } catch (IOException e) {
            w.close();
            throw new UncheckedIOException("cannot write wpa_supplicant's configuration", e);
        } catch (RuntimeException e) {
            w.close();
            throw e;
        }
    }

    @Override
    List<String> arguments() {
        return List.of("-D", "wired", "-i", iface, "-c", config.toString());
    }

    /** Sends EAPOL-Logoff and stays logged off. */
    public void logoff() {
        cli("logoff");
    }

    /** Authenticates again after {@link #logoff}. */
    public void logon() {
        cli("logon");
    }

    /** Starts a new authentication (EAPOL-Start) under the identity configured now. */
    public void reauthenticate() {
        cli("reauthenticate");
    }

    /** Changes the identity the next authentication uses (its certificate stays the same). */
    public void identity(String identity) {
        cli("set_network", "0", "identity", "\"" + identity + "\"");
    }

    /** Whether the supplicant's port is authorized now. */
    public boolean authenticated() {
        return cli("status").contains("suppPortStatus=Authorized");
    }

    /** Waits until the port is (or is not) authorized; false if {@code timeout} passed first. */
    public boolean awaitAuthenticated(boolean wanted, Duration timeout) {
        return Poll.until(timeout, POLL_INTERVAL, () -> authenticated() == wanted ? Optional.of(true) : Optional.empty()).isPresent();
    }
}
