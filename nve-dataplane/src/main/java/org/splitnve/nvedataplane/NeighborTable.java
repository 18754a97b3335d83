package org.splitnve.nvedataplane;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

/**
 * The underlay neighbours of one data plane, at most {@code capacity} of them, in an open-addressing table that the
 * forwarding threads read without a lock or an allocation and that a neighbour's arrival or departure changes in place
 * (one slot written) instead of copying: the table of a busy underlay is not rebuilt per next hop. A departed
 * neighbour leaves a marker in its slot so that lookups walk past it; when markers pile up the slots are rebuilt once.
 * Writers hold the table's lock; readers see each slot's latest value.
 */
final class NeighborTable {

    /** Marks a slot whose neighbour left: a lookup goes on past it, an insertion may reuse it. */
    private static final NeighborEntry GONE = new NeighborEntry(UnderlayAddress.parse("0.0.0.0"), null);

    private final int capacity;
    private volatile AtomicReferenceArray<NeighborEntry> slots;
    /** Guarded by this. */
    private int size;
    private int gone;

    /** @param capacity neighbours held at most (at least 1) */
    NeighborTable(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("at least one underlay neighbour: " + capacity);
        }
        this.capacity = capacity;
        this.slots = new AtomicReferenceArray<>(Integer.highestOneBit(capacity * 2 - 1) << 2);
    }

    /** The neighbour with this key, or null. Any thread, no lock, no allocation. */
    NeighborEntry get(long family, long high, long low) {
        AtomicReferenceArray<NeighborEntry> t = slots;
        int mask = t.length() - 1;
        int i = slot(family, high, low, mask);
        for (int n = 0; n <= mask; n++) {
            NeighborEntry e = t.get(i);
            if (e == null) {
                return null;
            }
            if (e != GONE && e.family == family && e.high == high && e.low == low) {
                return e;
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    /** Adds {@code entry} unless the table holds {@code capacity} neighbours; returns whether it did. Holds the lock. */
    synchronized boolean add(NeighborEntry entry) {
        if (size >= capacity) {
            return false;
        }
        AtomicReferenceArray<NeighborEntry> t = slots;
        int mask = t.length() - 1;
        int i = slot(entry.family, entry.high, entry.low, mask);
        while (true) {
            NeighborEntry e = t.get(i);
            if (e == null || e == GONE) {
                if (e == GONE) {
                    gone--;
                }
                t.set(i, entry);
                size++;
                return true;
            }
            i = (i + 1) & mask;
        }
    }

    /** Removes {@code entry} if it is in the table. */
    synchronized void remove(NeighborEntry entry) {
        AtomicReferenceArray<NeighborEntry> t = slots;
        int mask = t.length() - 1;
        int i = slot(entry.family, entry.high, entry.low, mask);
        for (int n = 0; n <= mask; n++) {
            NeighborEntry e = t.get(i);
            if (e == null) {
                return;
            }
            if (e == entry) {
                t.set(i, GONE);
                size--;
                gone++;
                if (gone > t.length() / 4) {
                    rebuild(t);
                }
                return;
            }
            i = (i + 1) & mask;
        }
    }

    /** Fresh slots without markers; readers still on the old ones find the same entries there. */
    private void rebuild(AtomicReferenceArray<NeighborEntry> old) {
        AtomicReferenceArray<NeighborEntry> t = new AtomicReferenceArray<>(old.length());
        int mask = t.length() - 1;
        for (int j = 0; j < old.length(); j++) {
            NeighborEntry e = old.get(j);
            if (e != null && e != GONE) {
                int i = slot(e.family, e.high, e.low, mask);
                while (t.get(i) != null) {
                    i = (i + 1) & mask;
                }
                t.set(i, e);
            }
        }
        gone = 0;
        slots = t;
    }

    /** Every neighbour now. */
    void forEach(Consumer<NeighborEntry> action) {
        AtomicReferenceArray<NeighborEntry> t = slots;
        for (int i = 0; i < t.length(); i++) {
            NeighborEntry e = t.get(i);
            if (e != null && e != GONE) {
                action.accept(e);
            }
        }
    }

    synchronized int size() {
        return size;
    }

    int capacity() {
        return capacity;
    }

    private static int slot(long a, long b, long c, int mask) {
        long h = a * 0x9E3779B97F4A7C15L ^ b * 0xC2B2AE3D27D4EB4FL ^ c * 0x165667B19E3779F9L;
        h ^= h >>> 29;
        return (int) h & mask;
    }
}
