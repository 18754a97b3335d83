package org.splitnve.nvedataplane;

import org.splitnve.ecptransport.clock.Scheduler;
import org.splitnve.nnve.TsiKey;

/**
 * A TSI that left this NVE (draft-ietf-nvo3-vmm-05 section 5): frames still arriving for its MAC
 * are tunnelled to its new NVE, held until the directory names it, until the timer ends.
 */
final class MovedTsi {

    final TsiKey key;
    final int vni;
    final long mac;
    final long expiresNanos;
    /** Untagged inner frames waiting for the new NVE to be learned. */
    final HeldFrames held;
    /** Set under the forwarding tables' lock when the TSI leaves; volatile as the returning side reads it without. */
    volatile Scheduler.Timer timer;

    MovedTsi(TsiKey key, int vni, long mac, long expiresNanos, HeldFrames held) {
        this.key = key;
        this.vni = vni;
        this.mac = mac;
        this.expiresNanos = expiresNanos;
        this.held = held;
    }
}
