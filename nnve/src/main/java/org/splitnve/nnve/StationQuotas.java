package org.splitnve.nnve;

import java.util.HashMap;
import java.util.Map;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.VdpErrorCode;
import org.splitnve.vdpcore.vdp.VnId;

/**
 * What each station holds on one port, against the quotas of {@link NnveConfig}: its TSIs, and the VNs they are in,
 * so that one station (or a source MAC that never was one) cannot take a port's TSIs, VNs or tags from the stations
 * that behave. A request that would pass a quota is refused with error 2 and keep before the nNVE asks the NVA
 * anything, and again, authoritatively, when it is committed. A station that holds nothing leaves no entry. Runs on
 * the protocol thread.
 */
final class StationQuotas {

    /** One station's holdings on the port. */
    private static final class Held {
        int tsis;
        final Map<VnId, Integer> tsisByVn = new HashMap<>(4);
    }

    private final String port;
    private final NnveConfig config;
    private final Map<MacAddress, Held> stations = new HashMap<>();

    StationQuotas(String port, NnveConfig config) {
        this.port = port;
        this.config = config;
    }

    /**
     * Whether {@code station} may hold one more TSI (when {@code newTsi}) in {@code vn}: its TSI quota, its VN quota
     * when the TSI is its first in the VN, the port's VN quota when the VN is not connected here, and the port's and the
     * nNVE's TSI limits.
     *
     * @param vnConnected whether the VN is connected on the port
     * @param portVns     VNs connected on the port
     * @param heldOnPort  TSIs the port holds
     * @param heldInTotal TSIs the nNVE holds
     */
    void check(MacAddress station, VnId vn, boolean newTsi, boolean vnConnected, int portVns, int heldOnPort, int heldInTotal)
            throws Refusal {
        Held h = stations.get(station);
        if (newTsi) {
            RequestChecks.withinLimits(heldOnPort, heldInTotal, config, port);
            if (h != null && h.tsis >= config.maxTsisPerStation()) {
                throw new Refusal(VdpErrorCode.INSUFFICIENT_RESOURCES, station + " holds its limit of " + config.maxTsisPerStation()
                        + " TSIs on " + port);
            }
        }
        if (h != null && !h.tsisByVn.containsKey(vn) && h.tsisByVn.size() >= config.maxVnsPerStation()) {
            throw new Refusal(VdpErrorCode.INSUFFICIENT_RESOURCES, station + " has TSIs in its limit of " + config.maxVnsPerStation()
                    + " VNs on " + port);
        }
        if (!vnConnected && portVns >= config.maxVnsPerPort()) {
            throw new Refusal(VdpErrorCode.INSUFFICIENT_RESOURCES, port + " has its limit of " + config.maxVnsPerPort() + " VNs connected");
        }
    }

    /** A TSI of {@code station} went from {@code old} to {@code now} (either null: not held). */
    void changed(MacAddress station, TsiView old, TsiView now) {
        if (old != null && now != null && old.vn().equals(now.vn())) {
            return;
        }
        if (now != null) {
            Held h = stations.computeIfAbsent(station, k -> new Held());
            h.tsis++;
            h.tsisByVn.merge(now.vn(), 1, Integer::sum);
        }
        if (old != null) {
            Held h = stations.get(station);
            if (h == null) {
                return;
            }
            h.tsis--;
            h.tsisByVn.computeIfPresent(old.vn(), (k, n) -> n > 1 ? n - 1 : null);
            if (h.tsis <= 0) {
                stations.remove(station);
            }
        }
    }

    /** TSIs {@code station} holds on the port. */
    int tsis(MacAddress station) {
        Held h = stations.get(station);
        return h == null ? 0 : h.tsis;
    }

    /** VNs the TSIs of {@code station} are in. */
    int vns(MacAddress station) {
        Held h = stations.get(station);
        return h == null ? 0 : h.tsisByVn.size();
    }

    /** Stations holding a TSI on the port. */
    int stations() {
        return stations.size();
    }
}
