package org.splitnve.nvedataplane;

import java.net.Inet6Address;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.nnve.DataPlaneListener;
import org.splitnve.nnve.DataPlaneView;
import org.splitnve.nnve.TsiKey;
import org.splitnve.nnve.TsiView;
import org.splitnve.nnve.nva.VnContext;
import org.splitnve.nvedataplane.directory.DirectorySnapshot;
import org.splitnve.nvedataplane.directory.OverlayDirectory;
import org.splitnve.nvedataplane.table.Keys;
import org.splitnve.nvedataplane.table.LongKeyTable;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.FilterEntry;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.VnId;

/**
 * The control side of the data plane: the nNVE's {@link DataPlaneListener} events (tags mapped,
 * TSIs activated, deactivated, arrived by migration) and the directory's changes kept as control
 * state, published to the forwarding threads as one immutable {@link Tables} replaced whole
 * (copy-on-write), so that forwarding reads them without locks.
 *
 * <p>Control events change the state under one lock; a TSI that leaves becomes a
 * {@link MovedTsi} whose frames {@link MigrationHold} takes care of until its timer ends.
 */
final class ForwardingTables implements DataPlaneListener {

    // The data plane's one log category, as operators configure it.
    private static final Logger LOG = LoggerFactory.getLogger(DataPlane.class);
    private static final int MAX_VID = 4096;
    /** MACs one IP-only TSI may show: a VM has a few interfaces' worth, not a MAC per frame. */
    static final int MAX_LEARNED = 4;

    private final Map<String, Integer> trunkIndex = new HashMap<>();
    private final int trunkCount;
    private final MigrationHold hold;
    private final MulticastQuerier querier;
    private final OverlayDirectory directory;

    // Control state: changed under `control`, published as `tables`.
    private final Object control = new Object();
    /** Per trunk, VID to VNI. */
    private final Map<Integer, Map<Integer, Integer>> mapped = new HashMap<>();
    private final LinkedHashMap<TsiKey, TsiView> active = new LinkedHashMap<>();
    /** MACs learned for Activated TSIs registered by IP addresses alone, in the order seen, at most {@value #MAX_LEARNED} each. */
    private final Map<TsiKey, List<MacAddress>> learned = new HashMap<>();
    private final Map<VnMac, MovedTsi> moved = new HashMap<>();
    private volatile Tables tables;
    /** While {@link #follow} replays: the TSIs the nNVE's events changed, which the replay leaves alone. */
    private Set<TsiKey> changedWhileReplaying;
    private boolean closed;

    ForwardingTables(List<String> trunkNames, MigrationHold hold, MulticastQuerier querier, OverlayDirectory directory) {
        this.trunkCount = trunkNames.size();
        this.hold = hold;
        this.querier = querier;
        this.directory = directory;
        for (int i = 0; i < trunkCount; i++) {
            if (trunkIndex.put(trunkNames.get(i), i) != null) {
                throw new IllegalArgumentException("two trunk ports named " + trunkNames.get(i));
            }
        }
        synchronized (control) {
            rebuild();
        }
    }

    /** The tables as they are now; read once per frame. */
    Tables snapshot() {
        return tables;
    }

    /**
     * Registers with the nNVE's view and replays the TSIs already Activated there. The view's list is read after
     * registering, so nothing is missed; a TSI that an event changed meanwhile (on the nNVE's protocol thread) is not
     * replayed, since the event is newer than the list and replaying it would undo a deactivate.
     */
    void follow(DataPlaneView view) {
        synchronized (control) {
            changedWhileReplaying = new HashSet<>();
        }
        view.addListener(this);
        for (TsiView tsi : view.activeTsis()) {
            activated(tsi, true);
        }
        synchronized (control) {
            changedWhileReplaying = null;
        }
    }

    List<TsiView> activeTsis() {
        synchronized (control) {
            return List.copyOf(active.values());
        }
    }

    int movedTsis() {
        return tables.moved().size();
    }

    @Override
    public void onVnMapped(String port, VnId vn, LocalTag tag, VnContext context) {
        Integer trunk = trunkIndex.get(port);
        if (trunk == null) {
            LOG.debug("dataplane: {} {} on {} is not one of our trunk ports; ignored", vn, tag, port);
            return;
        }
        synchronized (control) {
            Integer old = mapped.computeIfAbsent(trunk, k -> new HashMap<>()).put(tag.vid(), vn.value());
            rebuild();
            LOG.info("dataplane {}: {} now means {} (was {})", port, tag, vn, old == null ? "nothing" : VnId.of(old));
        }
    }

    @Override
    public void onVnUnmapped(String port, VnId vn, LocalTag tag) {
        Integer trunk = trunkIndex.get(port);
        if (trunk == null) {
            return;
        }
        synchronized (control) {
            Map<Integer, Integer> vniByVid = mapped.get(trunk);
            if (vniByVid != null && vniByVid.get(tag.vid()) != null && vniByVid.get(tag.vid()) == vn.value()) {
                vniByVid.remove(tag.vid());
            }
            rebuild();
        }
        LOG.info("dataplane {}: {} no longer means {}; its frames are dropped", port, tag, vn);
    }

    @Override
    public void onTsiActivated(TsiView tsi) {
        activated(tsi, false);
    }

    private void activated(TsiView tsi, boolean replay) {
        Integer trunk = trunkIndex.get(tsi.key().port());
        if (trunk == null) {
            LOG.debug("dataplane: TSI {} is on {}, not one of our trunk ports; ignored", tsi.key(), tsi.key().port());
            return;
        }
        List<MovedTsi> back = new ArrayList<>();
        synchronized (control) {
            if (!changed(tsi.key(), replay)) {
                return;
            }
            TsiView before = active.remove(tsi.key());
            if (before != null && !before.filter().equals(tsi.filter())) {
                learned.remove(tsi.key()); // its addresses changed: what it showed before proves nothing now
            }
            active.put(tsi.key(), tsi);
            for (LocalTag tag : tsi.tags()) {
                mapped.computeIfAbsent(trunk, k -> new HashMap<>()).put(tag.vid(), tsi.vn().value());
            }
            for (MacAddress mac : tsi.macs()) {
                MovedTsi returned = moved.remove(new VnMac(tsi.vn().value(), mac.toLong()));
                if (returned != null) {
                    back.add(returned);
                }
            }
            rebuild();
        }
        LOG.info("dataplane {}: TSI {} forwards in {} with {}: MACs {}, IPs {}", tsi.key().port(), tsi.key(), tsi.vn(), tsi.tags(),
                tsi.macs(), tsi.ips());
        for (MovedTsi returned : back) {
            hold.returned(returned, tsi, trunk);
        }
    }

    /** Without word whether it moved, it may have: its frames are held, as they were before 0x80 existed. */
    @Override
    public void onTsiDeactivated(TsiView tsi, String why) {
        onTsiDeactivated(tsi, why, true);
    }

    /**
     * Frames for a TSI that may have moved are held for its new location (docs/PROTOCOL.md 4.2); one that certainly
     * did not move is gone, and so is anything an earlier departure of its MACs still held.
     */
    @Override
    public void onTsiDeactivated(TsiView tsi, String why, boolean mayHaveMoved) {
        if (!trunkIndex.containsKey(tsi.key().port())) {
            return;
        }
        long expiresNanos = hold.expiryOfLeavingNow();
        List<MovedTsi> left = new ArrayList<>();
        synchronized (control) {
            changed(tsi.key(), false);
            if (active.remove(tsi.key()) == null) {
                LOG.debug("dataplane: TSI {} deactivated but was not active here", tsi.key());
                return;
            }
            int vni = tsi.vn().value();
            List<MacAddress> macs = new ArrayList<>(tsi.macs());
            macs.addAll(learned.getOrDefault(tsi.key(), List.of()));
            learned.remove(tsi.key());
            for (MacAddress mac : macs) {
                if (stillActive(vni, mac)) {
                    continue;
                }
                VnMac key = new VnMac(vni, mac.toLong());
                if (!mayHaveMoved) {
                    MovedTsi earlier = moved.remove(key);
                    if (earlier != null) {
                        hold.release(earlier);
                    }
                    continue;
                }
                MovedTsi entry = hold.left(tsi.key(), vni, mac.toLong(), expiresNanos, moved.get(key));
                moved.put(key, entry);
                left.add(entry);
            }
            rebuild();
            if (!closed) {
                hold.startTimers(left, this::forget);
            }
        }
        if (mayHaveMoved) {
            LOG.info("dataplane {}: TSI {} no longer forwards ({}); in-flight frames for {} go to its new NVE for {}", tsi.key().port(),
                    tsi.key(), why, tsi.macs(), hold.duration());
        } else {
            LOG.info("dataplane {}: TSI {} no longer forwards ({}, not a migration); frames for {} are dropped", tsi.key().port(),
                    tsi.key(), why, tsi.macs());
        }
    }

    /**
     * Notes a change of a TSI during a replay; returns false when the change is the replay of a TSI that an event
     * changed meanwhile, which must not be applied. Called with {@code control} held.
     */
    private boolean changed(TsiKey key, boolean replay) {
        if (changedWhileReplaying == null) {
            return true;
        }
        if (replay) {
            return !changedWhileReplaying.contains(key);
        }
        changedWhileReplaying.add(key);
        return true;
    }

    @Override
    public void onActivatedWithMigration(TsiView tsi) {
        Integer trunk = trunkIndex.get(tsi.key().port());
        if (trunk == null) {
            return;
        }
        querier.queryArrived(tsi, trunk);
    }

    /** The directory changed: held frames of moved TSIs whose new NVE it now names go there. */
    void onDirectoryChanged() {
        Tables now = tables;
        if (now.moved().size() == 0) {
            return;
        }
        DirectorySnapshot directoryNow = directory.snapshot();
        for (MovedTsi entry : now.moved().values()) {
            UnderlayAddress newNve = directoryNow.remoteNve(entry.vni, entry.mac);
            if (newNve != null) {
                hold.onNewNve(entry, newNve);
            }
        }
    }

    /** Stops the migration timers and drops what moved TSIs held. */
    void close() {
        synchronized (control) {
            closed = true;
            for (MovedTsi entry : moved.values()) {
                hold.discard(entry);
            }
        }
    }

    private boolean stillActive(int vni, MacAddress mac) {
        for (TsiView v : active.values()) {
            if (v.vn().value() == vni && (v.macs().contains(mac) || learned.getOrDefault(v.key(), List.of()).contains(mac))) {
                return true;
            }
        }
        return false;
    }

    /**
     * A frame from {@code mac} was admitted by the source IP address of {@code owner}, a TSI registered by IP addresses
     * alone: that MAC is the TSI's from now on (frames to it are delivered, ARP for its addresses answered with it),
     * until it is deactivated; at most {@value #MAX_LEARNED} per TSI, so a guest cycling MACs cannot grow the tables.
     * Called on a forwarding thread, once per new MAC.
     *
     * @return whether the MAC is the TSI's now
     */
    boolean learn(LocalTsi owner, long mac) {
        TsiKey key = owner.view.key();
        MacAddress m = MacAddress.valueOf(mac);
        synchronized (control) {
            TsiView v = active.get(key);
            if (v == null || !v.filter().equals(owner.view.filter())) {
                return false;
            }
            List<MacAddress> macs = learned.computeIfAbsent(key, k -> new ArrayList<>(1));
            if (macs.contains(m)) {
                return true;
            }
            if (macs.size() >= MAX_LEARNED || tables.tsis().get(Keys.mac(v.vn().value()), mac) != null) {
                return false;
            }
            macs.add(m);
            rebuild();
        }
        LOG.info("dataplane {}: TSI {} (registered by IP alone) uses MAC {}", key.port(), key, m);
        return true;
    }

    /** A moved TSI's timer ended: unless it moved again meanwhile, its frames are no longer tunnelled. */
    private void forget(MovedTsi entry) {
        synchronized (control) {
            VnMac key = new VnMac(entry.vni, entry.mac);
            if (moved.get(key) == entry) {
                moved.remove(key);
                rebuild();
            }
        }
    }

    /** Publishes new tables from the control state; called with {@code control} held. */
    private void rebuild() {
        int[][] vniByVid = new int[trunkCount][];
        LongKeyTable.Builder<Boolean> known = LongKeyTable.builder();
        for (int trunk = 0; trunk < trunkCount; trunk++) {
            vniByVid[trunk] = new int[MAX_VID];
            Arrays.fill(vniByVid[trunk], -1);
            Map<Integer, Integer> m = mapped.get(trunk);
            if (m != null) {
                for (Map.Entry<Integer, Integer> e : m.entrySet()) {
                    vniByVid[trunk][e.getKey()] = e.getValue();
                    known.put(Keys.vn(e.getValue()), 0, Boolean.TRUE);
                }
            }
        }
        LongKeyTable.Builder<LocalTsi> tsis = LongKeyTable.builder();
        LongKeyTable.Builder<MacAddress> ips = LongKeyTable.builder();
        Map<Integer, Set<Long>> flood = new LinkedHashMap<>();
        LongKeyTable.Builder<LocalTsi> ipOnly = LongKeyTable.builder();
        for (TsiView v : active.values()) {
            int trunk = trunkIndex.get(v.key().port());
            int vni = v.vn().value();
            List<MacAddress> shown = learned.getOrDefault(v.key(), List.of());
            for (MacAddress mac : v.macs()) {
                tsis.put(Keys.mac(vni), mac.toLong(), new LocalTsi(v, trunk, mac.toLong()));
            }
            for (MacAddress mac : shown) {
                tsis.put(Keys.mac(vni), mac.toLong(), new LocalTsi(v, trunk, mac.toLong()));
            }
            for (FilterEntry e : v.filter().entries()) {
                if (e.ip() == null) {
                    continue;
                }
                MacAddress mac = e.mac() != null ? e.mac() : shown.isEmpty() ? null : shown.get(0);
                ByteBuffer b = ByteBuffer.wrap(e.ip().getAddress());
                boolean v6 = e.ip() instanceof Inet6Address;
                long family = v6 ? Keys.ipv6(vni) : Keys.ipv4(vni);
                long high = v6 ? b.getLong(0) : b.getInt(0) & 0xFFFFFFFFL;
                long low = v6 ? b.getLong(8) : 0;
                if (mac != null) {
                    ips.put(family, high, low, mac);
                }
                if (e.mac() == null) {
                    ipOnly.put(family, high, low, new LocalTsi(v, trunk, -1));
                }
            }
            for (LocalTag tag : v.tags()) {
                flood.computeIfAbsent(vni, k -> new LinkedHashSet<>()).add(((long) trunk << 32) | tag.vid());
            }
        }
        LongKeyTable.Builder<int[]> floodTable = LongKeyTable.builder();
        flood.forEach((vni, pairs) -> {
            int[] trunkVidPairs = new int[pairs.size() * 2];
            int i = 0;
            for (long trunkVid : pairs) {
                trunkVidPairs[i++] = (int) (trunkVid >>> 32);
                trunkVidPairs[i++] = (int) trunkVid;
            }
            floodTable.put(Keys.vn(vni), 0, trunkVidPairs);
        });
        LongKeyTable.Builder<MovedTsi> movedTable = LongKeyTable.builder();
        for (MovedTsi m : moved.values()) {
            movedTable.put(Keys.mac(m.vni), m.mac, m);
            known.put(Keys.vn(m.vni), 0, Boolean.TRUE);
        }
        tables = new Tables(vniByVid, tsis.build(), floodTable.build(), ips.build(), movedTable.build(), known.build(), ipOnly.build());
    }

    private record VnMac(int vni, long mac) {
    }
}
