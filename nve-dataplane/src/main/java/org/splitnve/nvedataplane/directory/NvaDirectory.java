package org.splitnve.nvedataplane.directory;

import java.net.Inet6Address;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.nnve.nva.NvaChange;
import org.splitnve.nnve.nva.NvaListener;
import org.splitnve.nnve.nva.NvaView;
import org.splitnve.nnve.nva.ObservableNva;
import org.splitnve.nnve.nva.TsiMapping;
import org.splitnve.nvedataplane.UnderlayAddress;
import org.splitnve.nvedataplane.table.Keys;
import org.splitnve.nvedataplane.table.LongKeyTable;
import org.splitnve.vdpcore.vdp.VnId;

/**
 * An {@link OverlayDirectory} fed by an NVA's FORWARDING view (only Activated TSIs, RFC 8394 3.2)
 * and by static flood entries ({@code --remote VNI=IP}: a remote NVE that gets the VN's BUM
 * traffic, such as a kernel VXLAN device). Mappings of this NVE itself are ignored: local TSIs are
 * the data plane's own business. Thread-safe; each change publishes a new snapshot.
 *
 * <p>Any {@link ObservableNva} can feed it, in memory or remote. The flood list of a VN is every
 * other NVE that holds at least one Activated TSI of the VN (the forwarding view: an NVE whose TSIs
 * are only Associated carries no traffic for them yet), plus the static entries.
 *
 * <p>The NVA's views are multisets; so is this directory's count of each mapping, so a mapping
 * withdrawn by one holder stays while another holds it. When two NVEs claim one MAC (a moment
 * during a migration) the latest published wins.
 */
public final class NvaDirectory implements OverlayDirectory, NvaListener {

    private static final Logger LOG = LoggerFactory.getLogger(NvaDirectory.class);

    private final UnderlayAddress self;
    private final LinkedHashMap<TsiMapping, Integer> mappings = new LinkedHashMap<>();
    private final Map<VnId, Set<UnderlayAddress>> statics = new LinkedHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    /** NVE names parsed once: a directory of thousands of mappings has a handful of NVEs, rebuilt on every change. */
    private final Map<String, UnderlayAddress> nves = new HashMap<>();
    private volatile DirectorySnapshot snapshot = DirectorySnapshot.EMPTY;

    /** @param self this NVE's underlay address, whose own mappings are skipped */
    public NvaDirectory(UnderlayAddress self) {
        this.self = Objects.requireNonNull(self, "self");
    }

    /** Follows {@code nva}'s FORWARDING view from now on, starting from what it holds now. */
    public NvaDirectory attach(ObservableNva nva) {
        Map<TsiMapping, Integer> now = nva.follow(NvaView.FORWARDING, this);
        synchronized (this) {
            now.forEach((m, n) -> {
                if (!mappings.containsKey(m)) {
                    mappings.put(m, n);
                }
            });
        }
        rebuild("attached to " + nva);
        return this;
    }

    /** Adds a static flood entry: {@code remote} gets every BUM frame of {@code vn}. */
    public NvaDirectory addStatic(VnId vn, UnderlayAddress remote) {
        synchronized (this) {
            statics.computeIfAbsent(vn, v -> new LinkedHashSet<>()).add(remote);
        }
        LOG.info("directory: static flood entry {} -> {}", vn, remote);
        rebuild("static " + vn + "=" + remote);
        return this;
    }

    public NvaDirectory removeStatic(VnId vn, UnderlayAddress remote) {
        synchronized (this) {
            Set<UnderlayAddress> s = statics.get(vn);
            if (s != null) {
                s.remove(remote);
                if (s.isEmpty()) {
                    statics.remove(vn);
                }
            }
        }
        LOG.info("directory: removed static flood entry {} -> {}", vn, remote);
        rebuild("unstatic " + vn + "=" + remote);
        return this;
    }

    @Override
    public void onPublished(TsiMapping mapping, NvaView view) {
        if (view != NvaView.FORWARDING) {
            return;
        }
        boolean ours;
        synchronized (this) {
            learn(mapping);
            ours = ours(mapping);
        }
        LOG.debug("directory: learned {}", mapping);
        if (!ours) {
            rebuild("published " + mapping);
        }
    }

    @Override
    public void onWithdrawn(TsiMapping mapping, NvaView view) {
        if (view != NvaView.FORWARDING) {
            return;
        }
        synchronized (this) {
            if (!forget(mapping) || ours(mapping)) {
                return;
            }
        }
        LOG.debug("directory: forgot {}", mapping);
        rebuild("withdrawn " + mapping);
    }

    /** Applies the whole batch, then publishes one snapshot: a remote NVA's batch costs one rebuild, not one each. */
    @Override
    public void onChanges(List<NvaChange> changes) {
        int applied = 0;
        synchronized (this) {
            for (NvaChange c : changes) {
                if (c.view() != NvaView.FORWARDING) {
                    continue;
                }
                if (c.published()) {
                    learn(c.mapping());
                    applied += ours(c.mapping()) ? 0 : 1;
                } else if (forget(c.mapping()) && !ours(c.mapping())) {
                    applied++;
                }
            }
        }
        if (applied > 0) {
            LOG.debug("directory: applied {} of {} NVA changes", applied, changes.size());
            rebuild(applied + " changes");
        }
    }

    private void learn(TsiMapping mapping) {
        Integer n = mappings.remove(mapping);
        // Re-inserted at the end: the latest publication of a MAC wins in the snapshot.
        mappings.put(mapping, n == null ? 1 : n + 1);
    }

    /**
     * Whether the mapping is this NVE's own: the snapshot leaves those out, so they change nothing in it, and this
     * NVE's own TSIs coming and going cost no rebuild (called with the lock held).
     */
    private boolean ours(TsiMapping mapping) {
        return self.equals(nve(mapping));
    }

    /** False if the mapping was not held. */
    private boolean forget(TsiMapping mapping) {
        Integer n = mappings.get(mapping);
        if (n == null) {
            return false;
        }
        if (n <= 1) {
            mappings.remove(mapping);
        } else {
            mappings.put(mapping, n - 1);
        }
        return true;
    }

    @Override
    public DirectorySnapshot snapshot() {
        return snapshot;
    }

    @Override
    public void addListener(Runnable changed) {
        listeners.add(Objects.requireNonNull(changed));
    }

    private void rebuild(String why) {
        synchronized (this) {
            LongKeyTable.Builder<UnderlayAddress> byMac = LongKeyTable.builder();
            LongKeyTable.Builder<org.splitnve.vdpcore.MacAddress> byIp = LongKeyTable.builder();
            Map<Integer, Set<UnderlayAddress>> flood = new LinkedHashMap<>();
            for (TsiMapping m : mappings.keySet()) {
                UnderlayAddress nve = nve(m);
                if (nve == null) {
                    continue;
                }
                if (nve.equals(self)) {
                    continue;
                }
                int vni = m.vn().value();
                flood.computeIfAbsent(vni, v -> new LinkedHashSet<>()).add(nve);
                if (m.mac() != null) {
                    byMac.put(Keys.mac(vni), m.mac().toLong(), nve);
                    if (m.ip() != null) {
                        ByteBuffer b = ByteBuffer.wrap(m.ip().getAddress());
                        if (m.ip() instanceof Inet6Address) {
                            byIp.put(Keys.ipv6(vni), b.getLong(0), b.getLong(8), m.mac());
                        } else {
                            byIp.put(Keys.ipv4(vni), b.getInt(0) & 0xFFFFFFFFL, 0, m.mac());
                        }
                    }
                }
            }
            statics.forEach((vn, s) -> flood.computeIfAbsent(vn.value(), v -> new LinkedHashSet<>()).addAll(s));
            LongKeyTable.Builder<UnderlayAddress[]> fl = LongKeyTable.builder();
            flood.forEach((vni, s) -> fl.put(Keys.vn(vni), 0, s.toArray(new UnderlayAddress[0])));
            snapshot = new DirectorySnapshot(byMac.build(), fl.build(), byIp.build());
        }
        LOG.debug("directory: {} ({})", snapshot, why);
        for (Runnable l : listeners) {
            try {
                l.run();
            } catch (RuntimeException e) {
                LOG.error("directory: listener failed", e);
            }
        }
    }

    /** The NVE of a mapping, or null (logged) if its name is not an IP literal. */
    private UnderlayAddress nve(TsiMapping m) {
        UnderlayAddress a = nves.get(m.nve());
        if (a != null || nves.size() > 65_536) {
            return a != null ? a : parse(m);
        }
        a = parse(m);
        if (a != null) {
            nves.put(m.nve(), a);
        }
        return a;
    }

    private static UnderlayAddress parse(TsiMapping m) {
        try {
            return UnderlayAddress.parse(m.nve());
        } catch (IllegalArgumentException e) {
            LOG.warn("directory: ignoring {}: NVE '{}' is not an IP literal", m, m.nve());
            return null;
        }
    }

    @Override
    public synchronized String toString() {
        return "NvaDirectory[self " + self + ", " + mappings.size() + " mappings, statics " + new ArrayList<>(statics.entrySet()) + "]";
    }
}
