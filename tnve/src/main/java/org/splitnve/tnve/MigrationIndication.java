package org.splitnve.tnve;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.VsiStatus;

/**
 * The migration indication of the station's requests (docs/PROTOCOL.md 4.2): 0x80 with M and S as the migration says,
 * to every bridge until one answers without echoing it, which is legacy from then on and gets plain M and S. The
 * legacy set is read from any thread, changed on the protocol thread.
 */
final class MigrationIndication {

    private final TnveConfig config;
    private final Set<MacAddress> legacy = ConcurrentHashMap.newKeySet();

    MigrationIndication(TnveConfig config) {
        this.config = config;
    }

    /** The status of a new request: 0x80 unless turned off or the bridge is legacy, M and S as the migration says. */
    VsiStatus status(Migration m, MacAddress bridge) {
        boolean indicate = config.migrationIndication() && !legacy.contains(bridge);
        return VsiStatus.request().migrationIndicationValid(indicate).m(m == Migration.TO_THIS_STATION)
                .s(m == Migration.FROM_THIS_STATION).build();
    }

    /** The binding's current status, which keep-alives repeat, without 0x80 once its bridge has shown itself legacy. */
    VsiStatus current(Binding b) {
        VsiStatus s = b.currentStatus == null ? status(Migration.NONE, b.bridge) : b.currentStatus;
        if (s.migrationIndicationValid() && (legacy.contains(b.bridge) || !config.migrationIndication()
                || config.faults().contains(StationFault.DROP_MIGRATION_INDICATION))) {
            s = s.toBuilder().migrationIndicationValid(false).build();
        }
        return s;
    }

    /** The bridge did not echo 0x80: no more migration indication to it. Returns whether it was news. */
    boolean markLegacy(MacAddress bridge) {
        return legacy.add(bridge);
    }

    /** Any thread. */
    boolean isLegacy(MacAddress bridge) {
        return legacy.contains(bridge);
    }
}
