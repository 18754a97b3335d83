package org.splitnve.nnve;

import java.util.ArrayDeque;
import org.splitnve.vdpcore.vdp.TsiState;

/**
 * One TSI instance on a port: the immutable view the API hands out, the keep-alive stamp, and the
 * per-VSI work queue that keeps requests for one VSI from interleaving while one waits for the NVA.
 * Kept to a few fields: a switch holds 100,000 of these. Mutated only on the protocol thread;
 * {@code view} and {@code lastRefresh} are volatile so snapshots can read them from anywhere.
 */
final class Tsi {

    /** A unit of work on one TSI; calls {@code done} exactly once when it no longer needs the TSI. */
    interface Work {
        void run(Runnable done);
    }

    final TsiKey key;
    /** null while the TSI is in INIT (a request for it is being resolved, or it is being forgotten). */
    volatile TsiView view;
    volatile long lastRefresh;
    boolean busy;
    ArrayDeque<Work> queue;

    Tsi(TsiKey key) {
        this.key = key;
    }

    TsiState state() {
        TsiView v = view;
        return v == null ? TsiState.INIT : v.state();
    }
}
