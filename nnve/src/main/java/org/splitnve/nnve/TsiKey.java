package org.splitnve.nnve;

import java.util.Objects;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.VsiId;

/**
 * Identifies a TSI instance on the nNVE: the port, the station it is reached through and its VSI
 * ID. The same VSI ID on two ports, or from two stations, is two instances (RFC 8394 3.3: during a
 * migration between two hypervisors of one NVE "the NVE should use the TSI_ID and the incoming
 * port to differentiate two TSI instances").
 */
public record TsiKey(String port, MacAddress station, VsiId vsiId) {

    public TsiKey {
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(station, "station");
        Objects.requireNonNull(vsiId, "vsiId");
    }

    @Override
    public String toString() {
        return port + "/" + station + "/" + vsiId;
    }
}
