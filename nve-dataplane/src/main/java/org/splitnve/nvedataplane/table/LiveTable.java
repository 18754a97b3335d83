package org.splitnve.nvedataplane.table;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An open-addressing hash table keyed by three longs that one writer changes in place, entry by entry, while any
 * number of forwarding threads read it without locks and without allocating. It is the mutable sibling of
 * {@link LongKeyTable}: a table of 10,000 TSIs changes by one entry when one TSI does, instead of being rebuilt.
 *
 * <p>Every slot holds an immutable entry (keys and value together), published with release semantics and read with
 * acquire semantics, so a reader sees a whole entry or none. A removed entry leaves a tombstone, so probe chains stay
 * intact for readers in the middle of a look-up; replacing the value of a key writes the key's own slot. The table
 * grows, and sheds its tombstones, by building a new slot array and publishing it whole: readers on the old array
 * still find what it held. A reader sees each change either before or after it, never half of it.
 *
 * <p>Writers must be serialized by the caller (one lock, or one thread). {@link #work()} counts the slots every change
 * touched, rehashing included, so that tests can show that a change costs the same at any size.
 *
 * @param <V> the value type
 */
public final class LiveTable<V> {

    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Entry[].class);
    private static final Entry TOMBSTONE = new Entry(0, 0, 0, new Object());
    private static final int MIN_CAPACITY = 16;

    private volatile Entry[] slots = new Entry[MIN_CAPACITY];
    private volatile int size;
    /** Slots that are not empty: live entries and tombstones. */
    private int used;
    private long work;

    private record Entry(long a, long b, long c, Object value) {
    }

    private static int slot(long a, long b, long c, int mask) {
        long h = a * 0x9E3779B97F4A7C15L ^ b * 0xC2B2AE3D27D4EB4FL ^ c * 0x165667B19E3779F9L;
        h ^= h >>> 29;
        return (int) h & mask;
    }

    /** The value of the key, or null; any thread, no lock, no allocation. */
    @SuppressWarnings("unchecked")
    public V get(long a, long b, long c) {
        Entry[] s = slots;
        int mask = s.length - 1;
        for (int i = slot(a, b, c, mask);; i = (i + 1) & mask) {
            Entry e = (Entry) SLOTS.getAcquire(s, i);
            if (e == null) {
                return null;
            }
            if (e != TOMBSTONE && e.a == a && e.b == b && e.c == c) {
                return (V) e.value;
            }
        }
    }

    public V get(long a, long b) {
        return get(a, b, 0);
    }

    /** Entries now; any thread. */
    public int size() {
        return size;
    }

    /** Sets the value of the key, returning the one it replaces (or null). Writer only. */
    @SuppressWarnings("unchecked")
    public V put(long a, long b, long c, V value) {
        Objects.requireNonNull(value, "value");
        Entry[] s = slots;
        int mask = s.length - 1;
        int free = -1;
        for (int i = slot(a, b, c, mask);; i = (i + 1) & mask) {
            work++;
            Entry e = s[i];
            if (e == null) {
                int at = free >= 0 ? free : i;
                if (free < 0) {
                    used++;
                }
                SLOTS.setRelease(s, at, new Entry(a, b, c, value));
                size++;
                if (used * 4 > s.length * 3) {
                    rehash();
                }
                return null;
            }
            if (e == TOMBSTONE) {
                if (free < 0) {
                    free = i;
                }
            } else if (e.a == a && e.b == b && e.c == c) {
                SLOTS.setRelease(s, i, new Entry(a, b, c, value));
                return (V) e.value;
            }
        }
    }

    public V put(long a, long b, V value) {
        return put(a, b, 0, value);
    }

    /** Removes the key, returning its value (or null). Writer only. */
    @SuppressWarnings("unchecked")
    public V remove(long a, long b, long c) {
        Entry[] s = slots;
        int mask = s.length - 1;
        for (int i = slot(a, b, c, mask);; i = (i + 1) & mask) {
            work++;
            Entry e = s[i];
            if (e == null) {
                return null;
            }
            if (e != TOMBSTONE && e.a == a && e.b == b && e.c == c) {
                SLOTS.setRelease(s, i, TOMBSTONE);
                size--;
                return (V) e.value;
            }
        }
    }

    public V remove(long a, long b) {
        return remove(a, b, 0);
    }

    /** Removes the key only while it still maps to {@code value} (by identity); returns whether it did. Writer only. */
    public boolean removeExactly(long a, long b, long c, V value) {
        if (get(a, b, c) != value) {
            return false;
        }
        remove(a, b, c);
        return true;
    }

    /** Every value, for logs, tests and the rare walk over all of them (allocates). */
    @SuppressWarnings("unchecked")
    public List<V> values() {
        Entry[] s = slots;
        List<V> out = new ArrayList<>(size);
        for (int i = 0; i < s.length; i++) {
            Entry e = (Entry) SLOTS.getAcquire(s, i);
            if (e != null && e != TOMBSTONE) {
                out.add((V) e.value);
            }
        }
        return out;
    }

    /** Slots touched by changes so far, rehashing included. Writer only. */
    public long work() {
        return work;
    }

    /**
     * Copies the live entries into a fresh array sized so that they fill at most three eighths of it, which leaves
     * room for at least as many changes again before the next copy: each change pays a constant share of it.
     */
    private void rehash() {
        Entry[] old = slots;
        int cap = MIN_CAPACITY;
        while (cap * 3 < size * 8) {
            cap <<= 1;
        }
        Entry[] s = new Entry[cap];
        int mask = cap - 1;
        for (Entry e : old) {
            work++;
            if (e != null && e != TOMBSTONE) {
                int i = slot(e.a, e.b, e.c, mask);
                while (s[i] != null) {
                    i = (i + 1) & mask;
                }
                s[i] = e;
            }
        }
        used = size;
        slots = s;
    }

    @Override
    public String toString() {
        return "LiveTable" + values();
    }
}
