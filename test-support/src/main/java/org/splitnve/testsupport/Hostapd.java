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
 * hostapd as a wired IEEE 802.1X authenticator inside a network namespace: the wired driver on one interface, its
 * internal EAP server doing EAP-TLS with a {@link Dot1xCertificates} lab, a user file naming the identities it
 * accepts, and its control interface in a private directory (socket {@code ctrlDir()/IFACE}). Stop, kill and start
 * again by PID with the same configuration, as a restart would.
 */
public final class Hostapd extends ControlInterfaceDaemon {

    private final Path config;
    private final Path users;

    private Hostapd(NetworkNamespace namespace, String iface) {
        super(namespace, iface, "hostapd", "hostapd_cli");
        this.config = workDir.resolve("hostapd.conf");
        this.users = workDir.resolve("eap_users");
    }

    /** Starts hostapd on {@code iface} (which must be up) accepting EAP-TLS from the given identities. */
    public static Hostapd start(NetworkNamespace namespace, String iface, Dot1xCertificates certs, String... identities) {
        Hostapd h = new Hostapd(namespace, iface);
        try {
            h.allow(identities);
            Files.writeString(h.config, String.join("\n",
                    "interface=" + iface,
                    "driver=wired",
                    "ieee8021x=1",
                    "eap_server=1",
                    "eap_user_file=" + h.users,
                    "ca_cert=" + certs.caCert(),
                    "server_cert=" + certs.bridgeCert(),
                    "private_key=" + certs.bridgeKey(),
                    "ctrl_interface=" + h.ctrlDir,
                    "eap_reauth_period=0",
                    "use_pae_group_addr=1",
                    ""), StandardCharsets.UTF_8);
            h.start();
            return h;
        } catch (IOException e) {
            h.close();
            throw new UncheckedIOException("cannot write hostapd's configuration", e);
        } catch (RuntimeException e) {
            h.close();
            throw e;
        }
    }

    @Override
    List<String> arguments() {
        return List.of("-t", config.toString());
    }

    /** Rewrites the user file: EAP-TLS for exactly these identities (hostapd reads it at start). */
    public void allow(String... identities) throws IOException {
        StringBuilder b = new StringBuilder();
        for (String id : identities) {
            b.append('"').append(id).append("\" TLS\n");
        }
        Files.writeString(users, b.toString(), StandardCharsets.UTF_8);
    }

    /** Whether hostapd lists the station as authorized now. */
    public boolean authorizes(String mac) {
        return cli("sta", mac).contains("flags=[AUTHORIZED]");
    }

    /**
     * Waits until hostapd no longer lists the station at all; false if {@code timeout} passed first. After an
     * EAPOL-Logoff hostapd keeps the station about five seconds and ignores its EAPOL-Start meanwhile, so a supplicant
     * that logs on again sooner is heard only at its next start period, 30 s later.
     */
    public boolean awaitForgotten(String mac, Duration timeout) {
        return Poll.until(timeout, POLL_INTERVAL, () -> cli("sta", mac).strip().equals("FAIL") ? Optional.of(true) : Optional.empty())
                .isPresent();
    }

    /** Waits until hostapd authorizes the station (or not); false if {@code timeout} passed first. */
    public boolean awaitAuthorized(String mac, boolean wanted, Duration timeout) {
        return Poll.until(timeout, POLL_INTERVAL, () -> authorizes(mac) == wanted ? Optional.of(true) : Optional.empty()).isPresent();
    }
}
