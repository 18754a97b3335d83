package org.splitnve.ecptransport.auth;

import java.util.List;
import java.util.Optional;
import org.splitnve.vdpcore.MacAddress;

/**
 * Which stations are authorized on one port now, with the identity each authenticated with, and every change to
 * that. RFC 8394 Req-11 asks that the NVE and the end device authenticate each other, and its Table 1 leaves that to
 * a mechanism outside VDP such as IEEE 802.1X or MACsec: this is what the VDP engines see of such a mechanism. The
 * nNVE serves VDP only to stations authorized on the port; the tNVE sends VDP only while its own MAC is authorized.
 *
 * <p>Implementations: {@link HostapdAuthorization} (the bridge's end, hostapd as the 802.1X authenticator),
 * {@link SupplicantAuthorization} (the station's end, wpa_supplicant), and {@link AuthorizationTable}, which anything
 * else (a test, a MACsec key agreement's secure channels) feeds. Reading may happen on any thread.
 */
public interface PortAuthorization extends AutoCloseable {

    /** The port (interface name) this speaks for. */
    String port();

    /** The station's authorization now, or empty when it is not authorized. */
    Optional<AuthorizedStation> authorized(MacAddress station);

    default boolean isAuthorized(MacAddress station) {
        return authorized(station).isPresent();
    }

    /** Every station authorized now, ordered by MAC. */
    List<AuthorizedStation> stations();

    /** Whether the source is attached now; while it is not, what was authorized stays so and nothing is added. */
    boolean attached();

    void addListener(PortAuthorizationListener listener);

    void removeListener(PortAuthorizationListener listener);

    /**
     * Stops following the source. Authorizations are not ended by this (no event): a bridge that stops does not
     * de-associate its stations either.
     */
    @Override
    void close();
}
