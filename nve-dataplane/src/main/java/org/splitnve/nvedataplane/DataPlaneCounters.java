package org.splitnve.nvedataplane;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/** Frames forwarded and dropped, by event and reason; lock-free and allocation-free to update. */
public final class DataPlaneCounters {

    /** What happened to frames that were not dropped. */
    public enum Event {
        RECEIVED_TRUNK,
        RECEIVED_UNDERLAY,
        ENCAPSULATED,
        DECAPSULATED,
        DELIVERED_LOCAL,
        FLOOD_COPIES_LOCAL,
        FLOOD_COPIES_REMOTE,
        ARP_ANSWERED,
        ND_ANSWERED,
        MIGRATION_TUNNELLED,
        MIGRATION_HELD,
        MIGRATION_DELIVERED_LOCAL,
        QUERIES_SENT,
        UNDERLAY_RESOLUTIONS_SENT,
        UNDERLAY_RESOLUTIONS_ANSWERED,
        UNDERLAY_NEIGHBORS_LEARNED
    }

    private final AtomicLongArray drops = new AtomicLongArray(DropReason.values().length);
    private final AtomicLongArray events = new AtomicLongArray(Event.values().length);

    void drop(DropReason r) {
        drops.incrementAndGet(r.ordinal());
    }

    void drop(DropReason r, int n) {
        drops.addAndGet(r.ordinal(), n);
    }

    void increment(Event e) {
        events.incrementAndGet(e.ordinal());
    }

    public long drops(DropReason r) {
        return drops.get(r.ordinal());
    }

    public long totalDrops() {
        long n = 0;
        for (int i = 0; i < drops.length(); i++) {
            n += drops.get(i);
        }
        return n;
    }

    public long count(Event e) {
        return events.get(e.ordinal());
    }

    /** Non-zero drop counters. */
    public Map<DropReason, Long> dropSnapshot() {
        Map<DropReason, Long> m = new EnumMap<>(DropReason.class);
        for (DropReason r : DropReason.values()) {
            if (drops(r) != 0) {
                m.put(r, drops(r));
            }
        }
        return m;
    }

    /** Non-zero event counters. */
    public Map<Event, Long> eventSnapshot() {
        Map<Event, Long> m = new EnumMap<>(Event.class);
        for (Event e : Event.values()) {
            if (count(e) != 0) {
                m.put(e, count(e));
            }
        }
        return m;
    }

    @Override
    public String toString() {
        return "events " + eventSnapshot() + ", drops " + dropSnapshot();
    }
}
