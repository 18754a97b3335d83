package org.splitnve.nvedataplane;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.splitnve.nvedataplane.codec.Encapsulation;
import org.splitnve.nvedataplane.codec.Ipv4;
import org.splitnve.nvedataplane.port.BufferPool;
import org.splitnve.nvedataplane.port.DataPort;

/**
 * An {@link Egress} on the {@link PortsTestBed}'s ports with the counters, scratch and held-frame
 * pool the data plane's collaborators share; the collaborator under test is built on it with the
 * factory methods, wired as {@code DataPlane} wires it (VXLAN from {@link #LOCAL_ADDRESS}, next
 * hop the router unless a test resolves one).
 */
final class EgressTestBed extends PortsTestBed {

    static final int MAX_FRAME = 9216;
    static final UnderlayAddress LOCAL_ADDRESS = UnderlayAddress.parse(LOCAL);
    static final UnderlayAddress REMOTE_ADDRESS = UnderlayAddress.parse(REMOTE);

    final DataPlaneCounters counters = new DataPlaneCounters();
    final Scratch.PerThread scratches = new Scratch.PerThread(MAX_FRAME + 256);
    final BufferPool heldPool = new BufferPool(MAX_FRAME + 128, 1024);
    final Egress egress = new Egress(new DataPort[] {p1[0], p2[0]}, up[0], counters);

    /** Runs {@code action} with this thread's scratch, as a forwarding thread would. */
    void withScratch(Consumer<Scratch> action) {
        Scratch scratch = scratches.acquire();
        try {
            action.accept(scratch);
        } finally {
            scratches.release(scratch);
        }
    }

    UnderlayNeighbors neighbors(UnderlayAddress local, Duration reachable, int maxHeld) {
        return neighbors(local, reachable, maxHeld, 4096);
    }

    UnderlayNeighbors neighbors(UnderlayAddress local, Duration reachable, int maxHeld, int maxNeighbors) {
        return new UnderlayNeighbors(egress, scratches, scheduler, local, heldPool, maxHeld, maxNeighbors, reachable, counters);
    }

    UnderlayNeighbors neighbors() {
        return neighbors(LOCAL_ADDRESS, Duration.ofSeconds(30), 64);
    }

    Encapsulator encapsulator(UnderlayNeighbors neighbors, long fixedNextHop, UnderlayAddress gateway, UnderlayAddress local) {
        return new Encapsulator(egress, neighbors, counters, local, fixedNextHop, gateway, Encapsulation.VXLAN, Ipv4.DEFAULT_TTL);
    }

    Encapsulator encapsulator() {
        return encapsulator(neighbors(), ROUTER_MAC.toLong(), null, LOCAL_ADDRESS);
    }

    MigrationHold hold(Duration duration, int maxHeld) {
        return new MigrationHold(egress, encapsulator(), directory, scratches, scheduler, duration, heldPool, maxHeld, counters);
    }

    MigrationHold hold() {
        return hold(Duration.ofSeconds(10), 256);
    }

    MulticastQuerier querier() {
        return new MulticastQuerier(egress, scratches, 10_000);
    }

    /** Forwarding tables for p1 and p2, following the directory as the data plane does. */
    ForwardingTables tables(MigrationHold hold) {
        ForwardingTables tables = new ForwardingTables(List.of("p1", "p2"), hold, querier(), directory);
        directory.addListener(tables::onDirectoryChanged);
        return tables;
    }

    TsiDelivery delivery(MigrationHold hold) {
        return new TsiDelivery(egress, hold);
    }

    StationIngress stationIngress(ForwardingTables tables, MigrationHold hold, boolean answerAddressResolution) {
        return new StationIngress(tables, new SourceGuard(MAX_FRAME), egress, encapsulator(), delivery(hold), directory, scratches, counters,
                answerAddressResolution);
    }

    UnderlayIngress underlayIngress(ForwardingTables tables, MigrationHold hold, UnderlayNeighbors neighbors) {
        return new UnderlayIngress(tables, egress, delivery(hold), neighbors, scratches, counters, LOCAL_ADDRESS, Encapsulation.VXLAN,
                false, false, MAX_FRAME);
    }
}
