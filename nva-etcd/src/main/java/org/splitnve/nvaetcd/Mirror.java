package org.splitnve.nvaetcd;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.nnve.nva.NvaChange;
import org.splitnve.nnve.nva.NvaListener;
import org.splitnve.nnve.nva.NvaView;
import org.splitnve.nnve.nva.TsiMapping;
import org.splitnve.nnve.nva.VnContext;
import org.splitnve.vdpcore.vdp.VnId;

/**
 * This nNVE's copy of what etcd holds under the NVA's prefix: every mapping key with its holder count and
 * revisions, the views they add up to, and the VN contexts. It changes only by whole lists ({@link #resync}) and by
 * watch events ({@link #apply}), and turns each into the {@link NvaChange}s that its followers hear, so followers
 * always hold exactly what the copy holds.
 *
 * <p>Ordering is by etcd revision: an event not newer than the list it follows, or than what the copy already holds
 * for its key, is stale and ignored (a late event can never undo a newer state). A key re-created with a new create
 * revision is a new holding: its old holders are withdrawn and its new ones published, so a follower's "latest
 * publication wins" agrees with etcd's order.
 *
 * <p>Thread-safe: the NVA's thread changes it, any thread may read it or follow it.
 */
final class Mirror {

    private static final Logger LOG = LoggerFactory.getLogger(Mirror.class);

    /** One mapping key as the copy holds it. */
    private record Held(TsiMapping mapping, NvaView view, int holders, long createRevision, long modRevision) {
    }

    /** Changes to tell, and whom: the followers registered when the changes were applied. */
    record Batch(List<NvaChange> changes, List<NvaListener> listeners) {
        static final Batch EMPTY = new Batch(List.of(), List.of());

        boolean isEmpty() {
            return changes.isEmpty();
        }
    }

    /** What a whole list changed, for the log. */
    record Resync(Batch batch, int published, int withdrawn, int keys) {
    }

    private final KeyLayout layout;
    private final EtcdNvaCounters counters;
    private final Map<String, Held> keys = new HashMap<>();
    private final Map<NvaView, LinkedHashMap<TsiMapping, Integer>> views = new EnumMap<>(NvaView.class);
    private final Map<VnId, VnContext> vns = new HashMap<>();
    private final Map<VnId, Long> vnRevisions = new HashMap<>();
    private final List<NvaListener> listeners = new CopyOnWriteArrayList<>();
    /** Events at or below this revision are already in the copy (the revision of the last list). */
    private long floor;
    private long revision;

    Mirror(KeyLayout layout, EtcdNvaCounters counters) {
        this.layout = layout;
        this.counters = counters;
        for (NvaView v : NvaView.values()) {
            views.put(v, new LinkedHashMap<>());
        }
    }

    // ---------------------------------------------------------------- reading and following

    synchronized Map<TsiMapping, Integer> follow(NvaView view, NvaListener listener) {
        listeners.add(Objects.requireNonNull(listener));
        return Collections.unmodifiableMap(new LinkedHashMap<>(views.get(view)));
    }

    boolean unfollow(NvaListener listener) {
        return listeners.remove(listener);
    }

    synchronized Map<TsiMapping, Integer> counts(NvaView view) {
        return Map.copyOf(views.get(view));
    }

    synchronized int holders(TsiMapping mapping, NvaView view) {
        return views.get(view).getOrDefault(mapping, 0);
    }

    synchronized Optional<VnContext> vn(VnId vn) {
        return Optional.ofNullable(vns.get(vn));
    }

    /** The highest revision the copy has applied. */
    synchronized long revision() {
        return revision;
    }

    synchronized int size() {
        return keys.size();
    }

    // ---------------------------------------------------------------- changing

    /**
     * Replaces the copy by a whole list of the prefix taken at {@code listRevision}, and returns the difference as
     * changes: withdrawals first, then publications oldest first by create revision.
     */
    synchronized Resync resync(long listRevision, List<KeyEvent> list) {
        Map<String, Held> fresh = new HashMap<>();
        Map<VnId, VnContext> freshVns = new HashMap<>();
        Map<VnId, Long> freshVnRevs = new HashMap<>();
        for (KeyEvent e : list) {
            Held h = parse(e);
            if (h != null) {
                fresh.put(e.key(), h);
                continue;
            }
            VnContext ctx = parseVn(e);
            if (ctx != null) {
                freshVns.put(ctx.vn(), ctx);
                freshVnRevs.put(ctx.vn(), e.modRevision());
            }
        }
        List<NvaChange> changes = new ArrayList<>();
        int withdrawn = 0;
        for (Map.Entry<String, Held> old : byCreation(keys)) {
            Held was = old.getValue();
            Held now = fresh.get(old.getKey());
            int gone = now == null || now.createRevision() != was.createRevision() ? was.holders()
                    : Math.max(0, was.holders() - now.holders());
            withdrawn += change(changes, was, gone, false);
        }
        int published = 0;
        for (Map.Entry<String, Held> e : byCreation(fresh)) {
            Held now = e.getValue();
            Held was = keys.get(e.getKey());
            int came = was == null || was.createRevision() != now.createRevision() ? now.holders()
                    : Math.max(0, now.holders() - was.holders());
            published += change(changes, now, came, true);
        }
        keys.clear();
        keys.putAll(fresh);
        vns.clear();
        vns.putAll(freshVns);
        vnRevisions.clear();
        vnRevisions.putAll(freshVnRevs);
        floor = listRevision;
        revision = Math.max(revision, listRevision);
        return new Resync(batch(changes), published, withdrawn, fresh.size());
    }

    /** Oldest first, so that followers hear a resync in etcd's order whatever the hash order. */
    private static List<Map.Entry<String, Held>> byCreation(Map<String, Held> m) {
        List<Map.Entry<String, Held>> out = new ArrayList<>(m.entrySet());
        out.sort(Comparator.comparingLong((Map.Entry<String, Held> e) -> e.getValue().createRevision()).thenComparing(Map.Entry::getKey));
        return out;
    }

    /** Applies one watch response's events, in order; stale ones are counted and skipped. */
    synchronized Batch apply(List<KeyEvent> events) {
        List<NvaChange> changes = new ArrayList<>();
        for (KeyEvent e : events) {
            if (e.modRevision() <= floor) {
                counters.staleEvents.incrementAndGet();
                LOG.debug("nva-etcd: stale event for {} at revision {} (list was at {})", e.key(), e.modRevision(), floor);
                continue;
            }
            revision = Math.max(revision, e.modRevision());
            if (e.key().startsWith(layout.mappingPrefix())) {
                applyMapping(e, changes);
            } else if (e.key().startsWith(layout.vnIdPrefix())) {
                applyVn(e);
            }
        }
        return batch(changes);
    }

    private void applyMapping(KeyEvent e, List<NvaChange> changes) {
        Held was = keys.get(e.key());
        if (was != null && e.modRevision() <= was.modRevision()) {
            counters.staleEvents.incrementAndGet();
            return;
        }
        if (e.deleted()) {
            if (was != null) {
                keys.remove(e.key());
                change(changes, was, was.holders(), false);
            }
            return;
        }
        Held now = parse(e);
        if (now == null) {
            // Not ours to read: whatever we held under that key is no longer what etcd says.
            if (was != null) {
                keys.remove(e.key());
                change(changes, was, was.holders(), false);
            }
            return;
        }
        keys.put(e.key(), now);
        if (was == null || was.createRevision() != now.createRevision()) {
            if (was != null) {
                change(changes, was, was.holders(), false);
            }
            change(changes, now, now.holders(), true);
        } else if (now.holders() > was.holders()) {
            change(changes, now, now.holders() - was.holders(), true);
        } else if (now.holders() < was.holders()) {
            change(changes, now, was.holders() - now.holders(), false);
        }
    }

    private void applyVn(KeyEvent e) {
        Optional<VnId> vn = layout.parseVnId(e.key());
        if (vn.isEmpty()) {
            counters.malformed.incrementAndGet();
            return;
        }
        Long was = vnRevisions.get(vn.get());
        if (was != null && e.modRevision() <= was) {
            counters.staleEvents.incrementAndGet();
            return;
        }
        if (e.deleted()) {
            VnContext gone = vns.remove(vn.get());
            vnRevisions.remove(vn.get());
            if (gone != null) {
                LOG.info("nva-etcd: {} ('{}') was removed from etcd at revision {}", vn.get(), gone.name(), e.modRevision());
            }
            return;
        }
        VnContext ctx = parseVn(e);
        if (ctx != null) {
            vns.put(ctx.vn(), ctx);
            vnRevisions.put(ctx.vn(), e.modRevision());
        }
    }

    /** Records {@code n} holders of {@code h} coming or going, in the views and as changes; returns {@code n}. */
    private int change(List<NvaChange> out, Held h, int n, boolean published) {
        Map<TsiMapping, Integer> view = views.get(h.view());
        for (int i = 0; i < n; i++) {
            if (published) {
                view.merge(h.mapping(), 1, Integer::sum);
            } else {
                Integer c = view.get(h.mapping());
                if (c == null || c <= 1) {
                    view.remove(h.mapping());
                } else {
                    view.put(h.mapping(), c - 1);
                }
            }
            out.add(new NvaChange(h.mapping(), h.view(), published));
        }
        return n;
    }

    private Batch batch(List<NvaChange> changes) {
        return changes.isEmpty() ? Batch.EMPTY : new Batch(List.copyOf(changes), List.copyOf(listeners));
    }

    private Held parse(KeyEvent e) {
        if (!e.key().startsWith(layout.mappingPrefix())) {
            return null;
        }
        Optional<KeyLayout.MappingKey> k = layout.parseMapping(e.key());
        int holders = Values.holders(e.value());
        if (k.isEmpty() || holders < 1) {
            counters.malformed.incrementAndGet();
            LOG.warn("nva-etcd: ignoring malformed mapping key {} = '{}'", e.key(), e.value());
            return null;
        }
        return new Held(k.get().mapping(), k.get().view(), holders, e.createRevision(), e.modRevision());
    }

    private VnContext parseVn(KeyEvent e) {
        Optional<VnId> vn = layout.parseVnId(e.key());
        if (vn.isEmpty()) {
            return null;
        }
        Optional<VnContext> ctx = Values.vn(vn.get(), e.value());
        if (ctx.isEmpty()) {
            counters.malformed.incrementAndGet();
            LOG.warn("nva-etcd: ignoring malformed VN context {} = '{}'", e.key(), e.value());
            return null;
        }
        return ctx.get();
    }

    /** Tells the batch's followers, each on its own: one that throws is logged and does not stop the others. */
    static void deliver(Batch batch) {
        if (batch.isEmpty()) {
            return;
        }
        for (NvaListener l : batch.listeners()) {
            try {
                l.onChanges(batch.changes());
            } catch (RuntimeException ex) {
                LOG.error("nva-etcd: a follower failed on {} changes", batch.changes().size(), ex);
            }
        }
    }

    @Override
    public synchronized String toString() {
        return "Mirror[" + keys.size() + " keys, " + vns.size() + " VNs, revision " + revision + "]";
    }
}
