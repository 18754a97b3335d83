package org.splitnve.ecptransport.auth;

import java.util.Objects;
import org.splitnve.vdpcore.MacAddress;

/**
 * A station authorized on a port, and the identity it authenticated with (empty when the source names none).
 *
 * @param station  its MAC address
 * @param identity its EAP identity, printable and at most 253 characters
 */
public record AuthorizedStation(MacAddress station, String identity) {

    public AuthorizedStation {
        Objects.requireNonNull(station, "station");
        Objects.requireNonNull(identity, "identity");
    }
}
