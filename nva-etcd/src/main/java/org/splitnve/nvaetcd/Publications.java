package org.splitnve.nvaetcd;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.nvaetcd.KeyLayout.MappingKey;

/**
 * What this nNVE wants etcd to hold for it: each of its mapping keys with its holder count, and which keys etcd does
 * not yet hold as wanted ("dirty"). Publish and withdraw change the wanted count at once and only mark the key;
 * the writer sends the latest count of each dirty key, so a retry after a failure, a new lease or a reconnect writes
 * each mapping once, as it is now: nothing is lost, nothing is counted twice. Bounded by the nNVE's own mappings.
 *
 * <p>Runs on the NVA's thread only.
 */
final class Publications {

    private static final Logger LOG = LoggerFactory.getLogger(Publications.class);

    /** The wanted state of one key; {@code version} counts its changes. */
    private static final class Wanted {
        final MappingKey what;
        int holders;
        long version;
        /** Completes when a write at {@code waiterVersion} or later is in etcd. */
        CompletableFuture<Void> waiter;
        long waiterVersion;

        Wanted(MappingKey what) {
            this.what = what;
        }
    }

    /** One key's count as sent in a write. */
    record Write(String key, int holders, long version) {
        boolean deletes() {
            return holders == 0;
        }
    }

    private final Map<String, Wanted> wanted = new HashMap<>();
    private final LinkedHashSet<String> dirty = new LinkedHashSet<>();

    /** One more holder of the mapping; completes when etcd holds the count. */
    CompletableFuture<Void> publish(String key, MappingKey what) {
        Wanted w = wanted.computeIfAbsent(key, k -> new Wanted(what));
        w.holders++;
        return changed(key, w);
    }

    /** One holder fewer; a withdrawal of what is not held is logged and done at once. */
    CompletableFuture<Void> withdraw(String key, MappingKey what) {
        Wanted w = wanted.get(key);
        if (w == null || w.holders == 0) {
            LOG.warn("nva-etcd: withdraw of {} from {} which this nNVE does not hold", what.mapping(), what.view());
            return CompletableFuture.completedFuture(null);
        }
        w.holders--;
        return changed(key, w);
    }

    private CompletableFuture<Void> changed(String key, Wanted w) {
        w.version++;
        dirty.add(key);
        if (w.waiter == null) {
            w.waiter = new CompletableFuture<>();
        }
        w.waiterVersion = w.version;
        return w.waiter;
    }

    boolean hasDirty() {
        return !dirty.isEmpty();
    }

    int dirtyCount() {
        return dirty.size();
    }

    /** Keys held with at least one holder. */
    int held() {
        int n = 0;
        for (Wanted w : wanted.values()) {
            if (w.holders > 0) {
                n++;
            }
        }
        return n;
    }

    /** Up to {@code max} dirty keys, oldest change first, no longer dirty (until {@link #failed} or a new change). */
    List<Write> take(int max) {
        List<Write> out = new ArrayList<>(Math.min(max, dirty.size()));
        Iterator<String> it = dirty.iterator();
        while (it.hasNext() && out.size() < max) {
            String key = it.next();
            it.remove();
            Wanted w = wanted.get(key);
            if (w != null) {
                out.add(new Write(key, w.holders, w.version));
            }
        }
        return out;
    }

    /** The writes are in etcd: their waiters complete, keys with no holder left are forgotten. */
    void written(List<Write> writes) {
        for (Write x : writes) {
            Wanted w = wanted.get(x.key());
            if (w == null) {
                continue;
            }
            if (w.waiter != null && x.version() >= w.waiterVersion) {
                CompletableFuture<Void> done = w.waiter;
                w.waiter = null;
                done.complete(null);
            }
            if (w.version == x.version() && w.holders == 0) {
                wanted.remove(x.key());
            }
        }
    }

    /** The writes did not happen (or may not have): their keys are dirty again. */
    void failed(List<Write> writes) {
        for (Write x : writes) {
            if (wanted.containsKey(x.key())) {
                dirty.add(x.key());
            }
        }
    }

    /** etcd lost everything this nNVE held (a new lease): every key is to be written again. */
    void allDirty() {
        dirty.addAll(wanted.keySet());
    }

    /** The NVA closes: nobody will write these any more. */
    void failAll(RuntimeException why) {
        for (Wanted w : wanted.values()) {
            if (w.waiter != null) {
                w.waiter.completeExceptionally(why);
                w.waiter = null;
            }
        }
    }

    /** The mapping of a key this nNVE writes, or null. */
    MappingKey what(String key) {
        Wanted w = wanted.get(key);
        return w == null ? null : w.what;
    }

    @Override
    public String toString() {
        return "Publications[" + wanted.size() + " keys, " + dirty.size() + " dirty]";
    }
}
