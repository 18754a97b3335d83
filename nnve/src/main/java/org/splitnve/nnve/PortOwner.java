package org.splitnve.nnve;

import java.util.function.Consumer;
import org.splitnve.nnve.nva.Nva;
import org.splitnve.nnve.policy.AuthorizationPolicy;

/**
 * What one {@link NnvePort} needs from the {@link Nnve} that owns it, and nothing more: the
 * settings, counters and listeners every port shares, the NVA and the policy, and the TSI total
 * that the nNVE-wide limit is checked against. A port reaches its owner only through this.
 */
interface PortOwner {

    NnveConfig config();

    /** The live counters of the whole nNVE. */
    Counters counters();

    Nva nva();

    AuthorizationPolicy policy();

    /** After {@link Nnve#close()} ports neither answer nor sweep. */
    boolean closed();

    /** Runs a task on the protocol thread: at once when called on it, else queued. */
    void onProtocolThread(Runnable task);

    /** Tells every {@link NnveListener}; a listener that throws is counted and logged. */
    void publish(Consumer<NnveListener> event);

    /** Tells every {@link DataPlaneListener}; a listener that throws is counted and logged. */
    void publishToDataPlane(Consumer<DataPlaneListener> event);

    /** TSIs held on all ports. */
    int totalTsis();

    /** A port began to hold a TSI. */
    void tsiAdded();

    /** A port stopped holding a TSI. */
    void tsiRemoved();
}
