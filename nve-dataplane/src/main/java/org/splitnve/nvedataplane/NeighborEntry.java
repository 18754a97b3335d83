package org.splitnve.nvedataplane;

import org.splitnve.ecptransport.clock.Scheduler;
import org.splitnve.nvedataplane.table.Keys;

/** An underlay neighbour (next hop) being resolved by ARP or ND, with the frames waiting for it. */
final class NeighborEntry {

    final UnderlayAddress ip;
    /** Its key in the {@link NeighborTable}: the address family, and the address in two longs. */
    final long family;
    final long high;
    final long low;
    final HeldFrames waiting;
    /** The MAC, or -1 while unresolved. */
    volatile long mac = -1;
    volatile long confirmedNanos;
    /** When it was made; with {@link #confirmedNanos}, how long it has gone without news. */
    long createdNanos;
    long lastRequestNanos = Long.MIN_VALUE;
    int tries;
    Scheduler.Timer retry;

    NeighborEntry(UnderlayAddress ip, HeldFrames waiting) {
        this.ip = ip;
        this.waiting = waiting;
        this.family = ip.isIpv6() ? Keys.ipv6(0) : Keys.ipv4(0);
        this.high = ip.isIpv6() ? ip.high() : ip.v4() & 0xFFFFFFFFL;
        this.low = ip.low();
    }
}
