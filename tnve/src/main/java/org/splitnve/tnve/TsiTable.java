package org.splitnve.tnve;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.TsiStateChanges;
import org.splitnve.vdpcore.vdp.VnId;
import org.splitnve.vdpcore.vdp.VsiId;

/**
 * The TSIs the station holds, and the one place a TSI's state on a bridge changes: through the
 * {@link StationTsiMachine}, told to the listeners, published as a {@link TsiStatus} for other threads, and with the
 * VN's tag released when its last TSI leaves a bridge (implicit VN_Disconnect). Touched on the protocol thread, except
 * the published snapshots.
 *
 * <p>The changes the answers in one received VDPDU make are a batch ({@link #beginBatch}, {@link #endBatch}): one INFO
 * line sums them up and each is logged at DEBUG, instead of an INFO line per VSI; changes outside a batch are logged
 * at INFO one by one.
 */
final class TsiTable {

    private static final Logger LOG = LoggerFactory.getLogger(TsiTable.class);

    private final String port;
    private final Listeners listeners;
    private final TagBook tags;
    private final Function<VnId, List<MacAddress>> bridgesFor;
    private final Map<VsiId, Tsi> tsis = new HashMap<>();
    private final Map<VsiId, TsiStatus> published = new ConcurrentHashMap<>();
    /** Per bridge and VN, how many bindings are out of INIT: whether a VN is still held costs one look-up, not a scan. */
    private final Map<BridgeVn, int[]> heldCounts = new HashMap<>();
    /** Look-ups made to answer {@link #holds}: the work a change costs, which tests count. */
    private long holdsWork;
    /** Bindings' changes by old and new state while one VDPDU's answers are applied; null outside. */
    private TsiStateChanges batch;

    /** {@code bridgesFor} names the bridges a VN is on now, first the one whose state the TSI reports. */
    TsiTable(String port, Listeners listeners, TagBook tags, Function<VnId, List<MacAddress>> bridgesFor) {
        this.port = port;
        this.listeners = listeners;
        this.tags = tags;
        this.bridgesFor = bridgesFor;
    }

    /** The bridges the VN is on now, first the one whose state its TSIs report. */
    List<MacAddress> bridgesFor(VnId vn) {
        return bridgesFor.apply(vn);
    }

    Tsi get(VsiId id) {
        return tsis.get(id);
    }

    void add(Tsi tsi) {
        tsis.put(tsi.id(), tsi);
    }

    Tsi getOrAdd(TsiSpec spec, boolean anchor) {
        return tsis.computeIfAbsent(spec.vsiId(), k -> new Tsi(spec, anchor));
    }

    /** A copy, so that what a caller does to a TSI may add or forget TSIs. */
    List<Tsi> all() {
        return List.copyOf(tsis.values());
    }

    /** Applies an event the caller knows to be legal to the VSI's state on one bridge. */
    void move(Binding b, StationTsiMachine.Event event, String why) {
        set(b, StationTsiMachine.target(b.state, event), why);
    }

    private void set(Binding b, TsiState to, String why) {
        TsiState from = b.state;
        if (from == to) {
            return;
        }
        b.state = to;
        if (from == TsiState.INIT) {
            b.heldVn = b.tsi.spec.vn();
            heldCounts.computeIfAbsent(new BridgeVn(b.bridge, b.heldVn), k -> new int[1])[0]++;
        }
        VnId left = to == TsiState.INIT ? unhold(b) : null;
        if (batch != null) {
            batch.count(from, to);
            if (LOG.isDebugEnabled()) {
                LOG.debug("tnve {}: VSI {} on {}: {} -> {} ({})", port, b.tsi.id(), b.bridge, from, to, why);
            }
        } else {
            LOG.info("tnve {}: VSI {} on {}: {} -> {} ({})", port, b.tsi.id(), b.bridge, from, to, why);
        }
        TsiEvent e = new TsiEvent(b.tsi.id(), b.bridge, from, to, why);
        listeners.fire(l -> l.onTsiState(e));
        publish(b.tsi);
        if (left != null) {
            releaseVnIfUnused(b.bridge, left);
        }
    }

    /** The changes from now until {@link #endBatch} are those of one received VDPDU. */
    void beginBatch() {
        batch = new TsiStateChanges();
    }

    /** Logs the summary of the batch's changes, made by the answers of {@code bridge}. */
    void endBatch(MacAddress bridge) {
        TsiStateChanges done = batch;
        batch = null;
        if (done != null && done.total() > 0) {
            LOG.info("tnve {}: {} VSIs on {} changed by one VDPDU: {}", port, done.total(), bridge, done);
        }
    }

    /** Logs the state an operation left a TSI in: at DEBUG within a batch (its bindings' summary says it), else at INFO. */
    void logCommitted(Logger log, Tsi tsi, TsiState before, Object operation, Exception failure) {
        boolean batched = batch != null;
        if (batched ? !log.isDebugEnabled() : !log.isInfoEnabled()) {
            return;
        }
        String what = failure == null ? operation.toString() : operation + ", failed: " + failure.getMessage();
        if (batched) {
            log.debug("tnve {}: VSI {} {} -> {} ({})", port, tsi.id(), before, tsi.committed, what);
        } else {
            log.info("tnve {}: VSI {} {} -> {} ({})", port, tsi.id(), before, tsi.committed, what);
        }
    }

    /** The binding went back to INIT: one holder fewer of the VN it was counted under, which it returns. */
    private VnId unhold(Binding b) {
        VnId vn = b.heldVn;
        b.heldVn = null;
        BridgeVn key = new BridgeVn(b.bridge, vn);
        int[] n = heldCounts.get(key);
        if (n != null && --n[0] == 0) {
            heldCounts.remove(key);
        }
        return vn;
    }

    /** Implicit VN_Disconnect: the bridge releases a VN's tag when the last TSI of it goes (docs/PROTOCOL.md 4.5). */
    private void releaseVnIfUnused(MacAddress bridge, VnId vn) {
        if (tags.known(bridge, vn) == null || holds(bridge, vn)) {
            return;
        }
        tags.release(bridge, vn, "implicit VN_Disconnect: last TSI of the VN gone");
    }

    /** Whether a TSI of the VN is held on the bridge: one look-up, however many TSIs the station holds. */
    boolean holds(MacAddress bridge, VnId vn) {
        holdsWork++;
        return heldCounts.containsKey(new BridgeVn(bridge, vn));
    }

    /** Look-ups {@link #holds} made so far. */
    long holdsWork() {
        return holdsWork;
    }

    /** The state the TSI reports: that on the first of its VN's bridges that holds it, else on any bridge. */
    TsiState primaryState(Tsi tsi) {
        for (MacAddress m : bridgesFor.apply(tsi.spec.vn())) {
            Binding b = tsi.bindings.get(m);
            if (b != null && b.state != TsiState.INIT) {
                return b.state;
            }
        }
        return tsi.bindings.values().stream().map(b -> b.state).filter(s -> s != TsiState.INIT).findFirst().orElse(TsiState.INIT);
    }

    /** Something outside an operation changed the TSI's bridges: with no operation running, its state follows them. */
    void settle(Tsi tsi, String why) {
        if (tsi.current != null) {
            return;
        }
        TsiState now = primaryState(tsi);
        if (now != tsi.committed) {
            LOG.info("tnve {}: VSI {} {} -> {} ({})", port, tsi.id(), tsi.committed, now, why);
            tsi.committed = now;
        }
        publish(tsi);
        forgetIfGone(tsi);
    }

    /**
     * A TSI in Init everywhere with nothing to do is forgotten: bounded state. Only this very TSI: a caller told of its
     * last operation's end may already have started the VSI again, as a new TSI under the same ID, which stays.
     */
    void forgetIfGone(Tsi tsi) {
        if (tsi.committed == TsiState.INIT && tsi.current == null && tsi.ops.isEmpty()
                && tsi.bindings.values().stream().allMatch(b -> b.state == TsiState.INIT && b.idle())
                && tsis.remove(tsi.id(), tsi)) {
            published.remove(tsi.id());
        }
    }

    void publish(Tsi tsi) {
        Map<MacAddress, TsiState> per = new LinkedHashMap<>();
        tsi.bindings.values().forEach(b -> per.put(b.bridge, b.state));
        published.put(tsi.id(), new TsiStatus(tsi.id(), tsi.spec.vn(), tsi.committed, per, tsi.anchor,
                tsi.current != null || !tsi.ops.isEmpty()));
    }

    /** Any thread. */
    TsiStatus status(VsiId id) {
        return published.get(id);
    }

    /** Any thread. */
    Collection<TsiStatus> snapshot() {
        return published.values();
    }

    /**
     * What an operation that ended well reports: the VSI's state now, the bridge that answered first with its tag and
     * 0x80 echo, and the tag on every bridge that holds it.
     */
    TsiResult result(Tsi tsi, Map<MacAddress, Outcome> outcomes) {
        MacAddress primary = null;
        boolean echoed = false;
        LocalTag tag = null;
        for (Map.Entry<MacAddress, Outcome> e : outcomes.entrySet()) {
            if (e.getValue() instanceof Outcome.Success s) {
                primary = e.getKey();
                echoed = s.migrationEchoed();
                tag = s.tag() != null ? s.tag() : tags.known(primary, tsi.spec.vn());
                break;
            }
        }
        if (primary == null) {
            primary = bridgesFor.apply(tsi.spec.vn()).get(0);
        }
        Map<MacAddress, LocalTag> byBridge = new LinkedHashMap<>();
        for (Binding b : tsi.bindings.values()) {
            LocalTag t = tags.known(b.bridge, tsi.spec.vn());
            if (b.state != TsiState.INIT && t != null) {
                byBridge.put(b.bridge, t);
            }
        }
        return new TsiResult(tsi.id(), tsi.committed, tsi.committed == TsiState.INIT ? null : tag, primary, echoed, byBridge);
    }

    /** A VN on one bridge, the key of the held counts. */
    private record BridgeVn(MacAddress bridge, VnId vn) {
    }
}
