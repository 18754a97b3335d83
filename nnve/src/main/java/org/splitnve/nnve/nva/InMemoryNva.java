package org.splitnve.nnve.nva;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.vdpcore.vdp.VnId;

/**
 * An NVA in one process, for a single switch, the demo and tests. Thread-safe; every stage it
 * returns is already complete.
 *
 * <p>Views are multisets: two TSIs of one NVE may hold the same address for a moment (a migration
 * between two ports of the same NVE, RFC 8394 3.3), and withdrawing one of them must not remove the
 * other's.
 *
 * <p>Listeners hear a change after it is applied, outside the lock; a listener registered by {@link #follow} gets
 * the view as it was when it registered and, from then on, exactly the changes applied after that.
 */
public final class InMemoryNva implements ObservableNva {

    private static final Logger LOG = LoggerFactory.getLogger(InMemoryNva.class);

    private final Map<VnId, VnContext> byId = new HashMap<>();
    private final Map<String, VnContext> byName = new HashMap<>();
    private final Map<NvaView, Map<TsiMapping, Integer>> views = new EnumMap<>(NvaView.class);
    private final List<NvaListener> listeners = new CopyOnWriteArrayList<>();

    public InMemoryNva() {
        for (NvaView v : NvaView.values()) {
            // In publication order, so that a follower's starting view lists the oldest first.
            views.put(v, new LinkedHashMap<>());
        }
    }

    /** Defines (or redefines) a VN; its name must not belong to another VN. */
    public synchronized InMemoryNva define(VnContext context) {
        VnContext clash = byName.get(context.name());
        if (clash != null && !clash.vn().equals(context.vn())) {
            throw new IllegalArgumentException("VN name '" + context.name() + "' already belongs to " + clash.vn());
        }
        VnContext old = byId.put(context.vn(), context);
        if (old != null) {
            byName.remove(old.name());
        }
        byName.put(context.name(), context);
        return this;
    }

    /** Forgets a VN: later VN_Connects for it are refused. Mappings already published stay. */
    public synchronized boolean undefine(VnId vn) {
        VnContext old = byId.remove(vn);
        if (old != null) {
            byName.remove(old.name());
        }
        return old != null;
    }

    /** VNs defined. */
    public synchronized int vns() {
        return byId.size();
    }

    public synchronized Optional<VnContext> context(VnId vn) {
        return Optional.ofNullable(byId.get(vn));
    }

    public synchronized Optional<VnContext> context(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public void addListener(NvaListener l) {
        listeners.add(Objects.requireNonNull(l));
    }

    /** The distinct mappings of a view now. */
    public synchronized List<TsiMapping> mappings(NvaView view) {
        return List.copyOf(views.get(view).keySet());
    }

    /** How many holders a mapping has in a view (0 when absent). */
    public synchronized int holders(TsiMapping mapping, NvaView view) {
        return views.get(view).getOrDefault(mapping, 0);
    }

    /** Every mapping of a view with its holder count. */
    @Override
    public synchronized Map<TsiMapping, Integer> counts(NvaView view) {
        return Map.copyOf(views.get(view));
    }

    @Override
    public synchronized Map<TsiMapping, Integer> follow(NvaView view, NvaListener listener) {
        listeners.add(Objects.requireNonNull(listener));
        return Collections.unmodifiableMap(new LinkedHashMap<>(views.get(view)));
    }

    @Override
    public boolean unfollow(NvaListener listener) {
        return listeners.remove(listener);
    }

    @Override
    public CompletionStage<Optional<VnContext>> vnContext(VnId vn) {
        return CompletableFuture.completedFuture(context(vn));
    }

    @Override
    public CompletionStage<Void> publish(TsiMapping mapping, NvaView view) {
        return apply(List.of(new NvaChange(mapping, view, true)));
    }

    /** Applies the changes under one lock and tells each listener once, with all of them ({@link NvaListener#onChanges}). */
    @Override
    public CompletionStage<Void> apply(List<NvaChange> changes) {
        List<NvaChange> applied = new ArrayList<>(changes.size());
        List<NvaChange> unheld = new ArrayList<>(0);
        List<NvaListener> told;
        synchronized (this) {
            for (NvaChange c : changes) {
                Map<TsiMapping, Integer> m = views.get(c.view());
                if (c.published()) {
                    m.merge(c.mapping(), 1, Integer::sum);
                    applied.add(c);
                    continue;
                }
                Integer n = m.get(c.mapping());
                if (n == null) {
                    unheld.add(c);
                    continue;
                }
                if (n == 1) {
                    m.remove(c.mapping());
                } else {
                    m.put(c.mapping(), n - 1);
                }
                applied.add(c);
            }
            told = List.copyOf(listeners);
        }
        unheld.forEach(c -> LOG.warn("nva: withdraw of {} from {} which does not hold it", c.mapping(), c.view()));
        LOG.debug("nva: applied {}", applied);
        if (!applied.isEmpty()) {
            for (NvaListener l : told) {
                try {
                    l.onChanges(applied);
                } catch (RuntimeException e) {
                    LOG.error("nva: listener failed on {} changes", applied.size(), e);
                }
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> withdraw(TsiMapping mapping, NvaView view) {
        return apply(List.of(new NvaChange(mapping, view, false)));
    }

    @Override
    public synchronized String toString() {
        List<String> parts = new ArrayList<>();
        for (NvaView v : NvaView.values()) {
            parts.add(v + "=" + views.get(v).size());
        }
        return "InMemoryNva" + parts + ", " + byId.size() + " VNs";
    }
}
