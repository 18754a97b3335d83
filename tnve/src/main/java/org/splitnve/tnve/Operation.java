package org.splitnve.tnve;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.TsiState;

/**
 * One API operation on a TSI (RFC 8394 section 3.2 on VDP, docs/PROTOCOL.md 4.5): queued behind the TSI's earlier ones,
 * then sent to each of the TSI's bridges, done when every bridge has answered. Touched on the protocol thread only.
 */
final class Operation {
    final StationTsiMachine.Event kind;
    final Migration migration;
    final TsiSpec newSpec;
    final List<TsiAddress> newAddresses;
    final CompletableFuture<TsiResult> future;
    final Set<MacAddress> dispatched = new LinkedHashSet<>();
    final Set<MacAddress> awaiting = new LinkedHashSet<>();
    final Map<MacAddress, Outcome> outcomes = new LinkedHashMap<>();
    TsiSpec previousSpec;
    TsiState target;

    Operation(StationTsiMachine.Event kind, Migration migration, TsiSpec newSpec, List<TsiAddress> newAddresses,
              CompletableFuture<TsiResult> future) {
        if (!StationTsiMachine.OPERATIONS.contains(kind)) {
            throw new IllegalArgumentException("not an API operation: " + kind);
        }
        this.kind = kind;
        this.migration = migration;
        this.newSpec = newSpec;
        this.newAddresses = newAddresses;
        this.future = future;
    }
}
