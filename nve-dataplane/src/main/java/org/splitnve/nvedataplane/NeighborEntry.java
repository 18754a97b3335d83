package org.splitnve.nvedataplane;

import org.splitnve.ecptransport.clock.Scheduler;

/** An underlay neighbour (next hop) being resolved by ARP or ND, with the frames waiting for it. */
final class NeighborEntry {

    final UnderlayAddress ip;
    final HeldFrames waiting;
    /** The MAC, or -1 while unresolved. */
    volatile long mac = -1;
    volatile long confirmedNanos;
    long lastRequestNanos = Long.MIN_VALUE;
    int tries;
    Scheduler.Timer retry;

    NeighborEntry(UnderlayAddress ip, HeldFrames waiting) {
        this.ip = ip;
        this.waiting = waiting;
    }
}
