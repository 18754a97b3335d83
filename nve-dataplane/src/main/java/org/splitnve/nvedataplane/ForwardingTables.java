package org.splitnve.nvedataplane;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
import org.splitnve.nvedataplane.table.LiveTable;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.VnId;

/**
 * The control side of the data plane: the nNVE's {@link DataPlaneListener} events (tags mapped,
 * TSIs activated, deactivated, arrived by migration) and the directory's changes kept as control
 * state, published to the forwarding threads in {@link Tables}, which they read without locks.
 *
 * <p>A TSI's change costs what that TSI has, not what the port has: its addresses change their own
 * entries in the {@link TsiIndex} and the table of moved TSIs ({@link LiveTable}s, changed in place);
 * only what is per VN and tag (tags to VNs, flood lists, the VNIs decapsulation takes), small
 * whatever the number of TSIs, is copied and republished whole, and only when it changes. A frame
 * sees each entry either before or after a change.
 *
 * <p>Control events change the state under one lock; a TSI that leaves becomes a
 * {@link MovedTsi} whose frames {@link MigrationHold} takes care of until its timer ends.
 */
final class ForwardingTables implements DataPlaneListener {

    // The data plane's one log category, as operators configure it.
    private static final Logger LOG = LoggerFactory.getLogger(DataPlane.class);
    /** MACs one IP-only TSI may show: a VM has a few interfaces' worth, not a MAC per frame. */
    static final int MAX_LEARNED = 4;

    private final Map<String, Integer> trunkIndex = new HashMap<>();
    private final int trunkCount;
    private final MigrationHold hold;
    private final MulticastQuerier querier;
    private final OverlayDirectory directory;

    // Control state: changed under `control`, published in `tables`.
    private final Object control = new Object();
    /** Tags, flood lists and the VNIs of moved TSIs. */
    private final VnPorts vns;
    private final LinkedHashMap<TsiKey, TsiView> active = new LinkedHashMap<>();
    /** MACs learned for Activated TSIs registered by IP addresses alone, in the order seen, at most {@value #MAX_LEARNED} each. */
    private final Map<TsiKey, List<MacAddress>> learned = new HashMap<>();
    private final Map<TsiIndex.VnMac, MovedTsi> moved = new HashMap<>();
    private final TsiIndex index = new TsiIndex();
    private final LiveTable<MovedTsi> movedTable = new LiveTable<>();
    private volatile Tables tables;
    /** While {@link #follow} replays: the TSIs the nNVE's events changed, which the replay leaves alone. */
    private Set<TsiKey> changedWhileReplaying;
    private boolean closed;

    ForwardingTables(List<String> trunkNames, MigrationHold hold, MulticastQuerier querier, OverlayDirectory directory) {
        this.trunkCount = trunkNames.size();
        this.hold = hold;
        this.querier = querier;
        this.directory = directory;
        this.vns = new VnPorts(trunkCount);
        for (int i = 0; i < trunkCount; i++) {
            if (trunkIndex.put(trunkNames.get(i), i) != null) {
                throw new IllegalArgumentException("two trunk ports named " + trunkNames.get(i));
            }
        }
        synchronized (control) {
            republishTags();
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
        return movedTable.size();
    }

    /** Entries and holders that changes touched so far: what tests count to show a change does not cost more with more TSIs. */
    long work() {
        synchronized (control) {
            return vns.work() + index.work() + movedTable.work();
        }
    }

    @Override
    public void onVnMapped(String port, VnId vn, LocalTag tag, VnContext context) {
        Integer trunk = trunkIndex.get(port);
        if (trunk == null) {
            LOG.debug("dataplane: {} {} on {} is not one of our trunk ports; ignored", vn, tag, port);
            return;
        }
        synchronized (control) {
            Integer old = vns.map(trunk, tag.vid(), vn.value());
            if (old == null || old != vn.value()) {
                republishTags();
            }
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
            if (vns.unmap(trunk, tag.vid(), vn.value())) {
                republishTags();
            }
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
            if (before != null) {
                index.remove(before, learned.getOrDefault(tsi.key(), List.of()));
                vns.flood(before, trunk, -1);
                if (!before.filter().equals(tsi.filter())) {
                    learned.remove(tsi.key()); // its addresses changed: what it showed before proves nothing now
                }
            }
            active.put(tsi.key(), tsi);
            boolean tagsChanged = vns.mapTags(tsi, trunk);
            index.add(tsi, trunk, learned.getOrDefault(tsi.key(), List.of()));
            for (MacAddress mac : tsi.macs()) {
                MovedTsi returned = moved.remove(new TsiIndex.VnMac(tsi.vn().value(), mac.toLong()));
                if (returned != null) {
                    tagsChanged |= unmove(returned);
                    back.add(returned);
                }
            }
            boolean floodChanged = vns.flood(tsi, trunk, +1);
            if (tagsChanged) {
                republishTags();
            } else if (floodChanged) {
                republishFlood();
            }
        }
        if (LOG.isInfoEnabled()) {
            LOG.info("dataplane {}: TSI {} forwards in {} with {}: MACs {}, IPs {}", tsi.key().port(), tsi.key(), tsi.vn(), tsi.tags(),
                    tsi.macs(), tsi.ips());
        }
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
            TsiView was = active.remove(tsi.key());
            if (was == null) {
                LOG.debug("dataplane: TSI {} deactivated but was not active here", tsi.key());
                return;
            }
            int vni = tsi.vn().value();
            List<MacAddress> shown = learned.getOrDefault(tsi.key(), List.of());
            List<MacAddress> macs = new ArrayList<>(tsi.macs());
            macs.addAll(shown);
            boolean tagsChanged = false;
            // Moved entries first, the TSI's own after: a frame meanwhile finds one or the other.
            for (MacAddress mac : macs) {
                if (index.heldByOther(vni, mac, tsi.key())) {
                    continue;
                }
                TsiIndex.VnMac key = new TsiIndex.VnMac(vni, mac.toLong());
                if (!mayHaveMoved) {
                    MovedTsi earlier = moved.remove(key);
                    if (earlier != null) {
                        tagsChanged |= unmove(earlier);
                        hold.release(earlier);
                    }
                    continue;
                }
                MovedTsi entry = hold.left(tsi.key(), vni, mac.toLong(), expiresNanos, moved.get(key));
                MovedTsi earlier = moved.put(key, entry);
                if (earlier != null) {
                    unmove(earlier);
                }
                movedTable.put(Keys.mac(vni), mac.toLong(), entry);
                tagsChanged |= vns.movedIn(vni);
                left.add(entry);
            }
            index.remove(was, shown);
            learned.remove(tsi.key());
            boolean floodChanged = vns.flood(was, trunkIndex.get(tsi.key().port()), -1);
            if (tagsChanged) {
                republishTags();
            } else if (floodChanged) {
                republishFlood();
            }
            if (!closed) {
                hold.startTimers(left, this::forget);
            }
        }
        if (!LOG.isInfoEnabled()) {
            return;
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
        if (movedTable.size() == 0) {
            return;
        }
        DirectorySnapshot directoryNow = directory.snapshot();
        for (MovedTsi entry : movedTable.values()) {
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
            if (macs.size() >= MAX_LEARNED || index.tsis.get(Keys.mac(v.vn().value()), mac) != null) {
                return false;
            }
            macs.add(m);
            index.learned(v, owner.port, m, macs.size() == 1);
        }
        LOG.info("dataplane {}: TSI {} (registered by IP alone) uses MAC {}", key.port(), key, m);
        return true;
    }

    /** A moved TSI's timer ended: unless it moved again meanwhile, its frames are no longer tunnelled. */
    private void forget(MovedTsi entry) {
        synchronized (control) {
            TsiIndex.VnMac key = new TsiIndex.VnMac(entry.vni, entry.mac);
            if (moved.get(key) == entry) {
                moved.remove(key);
                if (unmove(entry)) {
                    republishTags();
                }
            }
        }
    }

    /** Takes a moved entry out of the table; returns whether its VNI is no longer any moved TSI's. Called with {@code control} held. */
    private boolean unmove(MovedTsi entry) {
        movedTable.removeExactly(Keys.mac(entry.vni), entry.mac, 0, entry);
        return vns.movedOut(entry.vni);
    }

    /** Republishes the tags, the VNIs decapsulation takes and the flood lists; called with {@code control} held. */
    private void republishTags() {
        tables = new Tables(vns.vniByVid(), index.tsis, vns.floodTable(), index.localIps, movedTable, vns.knownVnis(), index.ipOnly);
    }

    /** Republishes the flood lists; called with {@code control} held. */
    private void republishFlood() {
        Tables t = tables;
        tables = new Tables(t.vniByVid(), index.tsis, vns.floodTable(), index.localIps, movedTable, t.knownVnis(), index.ipOnly);
    }
}
