package org.splitnve.nvedataplane.table;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * An immutable open-addressing hash table keyed by three longs, for the snapshots the forwarding
 * path reads: a lookup allocates nothing and takes no lock. Keys such as (VNI, MAC) or (VNI, IPv6
 * high, IPv6 low) are packed by the caller.
 *
 * @param <V> the value type
 */
public final class LongKeyTable<V> {

    private static final LongKeyTable<?> EMPTY = new Builder<>().build();

    private final long[] k0;
    private final long[] k1;
    private final long[] k2;
    private final Object[] values;
    private final int mask;
    private final int size;

    private LongKeyTable(Map<Key, V> entries) {
        int cap = Integer.highestOneBit(Math.max(4, entries.size() * 2 - 1)) << 1;
        k0 = new long[cap];
        k1 = new long[cap];
        k2 = new long[cap];
        values = new Object[cap];
        mask = cap - 1;
        size = entries.size();
        for (Map.Entry<Key, V> e : entries.entrySet()) {
            Key k = e.getKey();
            int i = slot(k.a, k.b, k.c);
            while (values[i] != null) {
                i = (i + 1) & mask;
            }
            k0[i] = k.a;
            k1[i] = k.b;
            k2[i] = k.c;
            values[i] = e.getValue();
        }
    }

    @SuppressWarnings("unchecked")
    public static <V> LongKeyTable<V> empty() {
        return (LongKeyTable<V>) EMPTY;
    }

    public static <V> Builder<V> builder() {
        return new Builder<>();
    }

    private int slot(long a, long b, long c) {
        long h = a * 0x9E3779B97F4A7C15L ^ b * 0xC2B2AE3D27D4EB4FL ^ c * 0x165667B19E3779F9L;
        h ^= h >>> 29;
        return (int) h & mask;
    }

    @SuppressWarnings("unchecked")
    public V get(long a, long b, long c) {
        int i = slot(a, b, c);
        Object v;
        while ((v = values[i]) != null) {
            if (k0[i] == a && k1[i] == b && k2[i] == c) {
                return (V) v;
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    public V get(long a, long b) {
        return get(a, b, 0);
    }

    public int size() {
        return size;
    }

    /** Every value, for logs and tests (allocates). */
    @SuppressWarnings("unchecked")
    public List<V> values() {
        List<V> out = new ArrayList<>(size);
        for (Object v : values) {
            if (v != null) {
                out.add((V) v);
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    public void forEach(BiConsumer<long[], V> action) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) {
                action.accept(new long[] {k0[i], k1[i], k2[i]}, (V) values[i]);
            }
        }
    }

    @Override
    public String toString() {
        return "LongKeyTable" + Arrays.toString(values().toArray());
    }

    private record Key(long a, long b, long c) {
    }

    /** Collects entries; a later put for the same key replaces the earlier one. */
    public static final class Builder<V> {
        private final Map<Key, V> entries = new LinkedHashMap<>();

        public Builder<V> put(long a, long b, long c, V value) {
            entries.put(new Key(a, b, c), java.util.Objects.requireNonNull(value, "value"));
            return this;
        }

        public Builder<V> put(long a, long b, V value) {
            return put(a, b, 0, value);
        }

        public V get(long a, long b, long c) {
            return entries.get(new Key(a, b, c));
        }

        public LongKeyTable<V> build() {
            return new LongKeyTable<>(entries);
        }
    }
}
