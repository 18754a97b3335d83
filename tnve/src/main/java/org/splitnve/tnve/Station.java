package org.splitnve.tnve;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.ecptransport.clock.Scheduler;
import org.splitnve.ecptransport.ecp.EcpAddressing;
import org.splitnve.ecptransport.vdp.VdpChannel;
import org.splitnve.ecptransport.vdp.VdpListener;
import org.splitnve.ecptransport.vdp.VdpTimers;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.MalformedFrameException;
import org.splitnve.vdpcore.vdp.AssociationTlv;
import org.splitnve.vdpcore.vdp.FilterEntry;
import org.splitnve.vdpcore.vdp.FilterInfo;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.ParsedVdpdu;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VdpErrorCode;
import org.splitnve.vdpcore.vdp.VdpTlvType;
import org.splitnve.vdpcore.vdp.VnId;
import org.splitnve.vdpcore.vdp.VsiId;
import org.splitnve.vdpcore.vdp.VsiStatus;

/**
 * The VDP station engine behind {@link Tnve}. Every field is touched only on the channel's scheduler thread, except
 * the published snapshots ({@link #published}, {@link #tags}, {@link #assigned}, {@link #active}) which other threads
 * read.
 *
 * <p>Two levels of state. A {@link Binding} is one VSI on one bridge: its {@link TsiState} there, the current TLV
 * (type and status) that keep-alives repeat, and at most one outstanding request with its response-wait timer; a
 * request made while one is outstanding waits behind it. A {@link Tsi} is one VSI across its bridges (one, or several
 * in active-active mode): the state its last operation reached and a FIFO of API operations, one running at a time.
 */
final class Station implements VdpListener {

    private static final Logger LOG = LoggerFactory.getLogger(Station.class);

    /** Why a request is sent: the state change it is for decides what a failure does to the VSI. */
    enum RequestKind {
        /** An API operation: no answer means the VSI is gone (as lldpad), so it returns to Init. */
        OPERATION,
        /** The periodic refresh: no answer means the bridge is suspect, not that the VSI is gone. */
        KEEP_ALIVE,
        /** Putting back what a bridge lost (restart, failover, re-assignment). */
        REESTABLISH
    }

    /** The API operations of RFC 8394 section 3.2 on VDP (PROTOCOL.md 4.5). */
    enum OpKind { ASSOCIATE, ACTIVATE, DEACTIVATE, DEASSOCIATE, UPDATE }

    static final class Pending {
        final RequestKind kind;
        final VdpTlvType type;
        final TsiState target;
        final VsiStatus status;
        final String purpose;
        final Consumer<Outcome> callback;
        Scheduler.Timer timer;
        Duration wait;

        Pending(RequestKind kind, VdpTlvType type, TsiState target, VsiStatus status, String purpose, Consumer<Outcome> callback) {
            this.kind = kind;
            this.type = type;
            this.target = target;
            this.status = status;
            this.purpose = purpose;
            this.callback = callback;
        }
    }

    static final class Binding {
        final Tsi tsi;
        final MacAddress bridge;
        TsiState state = TsiState.INIT;
        VdpTlvType currentType;
        VsiStatus currentStatus;
        Pending outstanding;
        final ArrayDeque<Pending> waiting = new ArrayDeque<>();

        Binding(Tsi tsi, MacAddress bridge) {
            this.tsi = tsi;
            this.bridge = bridge;
        }

        boolean idle() {
            return outstanding == null && waiting.isEmpty();
        }
    }

    static final class Tsi {
        TsiSpec spec;
        final boolean anchor;
        TsiState committed = TsiState.INIT;
        final Map<MacAddress, Binding> bindings = new LinkedHashMap<>();
        final ArrayDeque<Op> ops = new ArrayDeque<>();
        Op current;

        Tsi(TsiSpec spec, boolean anchor) {
            this.spec = spec;
            this.anchor = anchor;
        }

        VsiId id() {
            return spec.vsiId();
        }

        Binding binding(MacAddress bridge) {
            return bindings.computeIfAbsent(bridge, b -> new Binding(this, b));
        }
    }

    static final class Op {
        final OpKind kind;
        final Migration migration;
        final TsiSpec newSpec;
        final List<TsiAddress> newAddresses;
        final CompletableFuture<TsiResult> future;
        final Set<MacAddress> dispatched = new LinkedHashSet<>();
        final Set<MacAddress> awaiting = new LinkedHashSet<>();
        final Map<MacAddress, Outcome> outcomes = new LinkedHashMap<>();
        TsiSpec previousSpec;
        TsiState target;

        Op(OpKind kind, Migration migration, TsiSpec newSpec, List<TsiAddress> newAddresses, CompletableFuture<TsiResult> future) {
            this.kind = kind;
            this.migration = migration;
            this.newSpec = newSpec;
            this.newAddresses = newAddresses;
            this.future = future;
        }
    }

    private final VdpChannel channel;
    private final Scheduler scheduler;
    private final Supplier<VdpTimers> timers;
    private final TnveConfig config;
    private final BridgeMode mode;
    private final MacAddress localMac;
    private final Listeners listeners;

    private final Map<VsiId, Tsi> tsis = new HashMap<>();
    final Map<VsiId, TsiStatus> published = new ConcurrentHashMap<>();
    final Map<MacAddress, Map<VnId, LocalTag>> tags = new ConcurrentHashMap<>();
    /** Tags a bridge must confirm again (it restarted or was unreachable): requests carry the null VID until then. */
    private final Map<MacAddress, Set<VnId>> unconfirmed = new HashMap<>();
    final Map<VnId, List<MacAddress>> assigned = new ConcurrentHashMap<>();
    volatile MacAddress active;
    volatile MacAddress standby;
    private final Set<MacAddress> lost = new HashSet<>();
    private final Set<MacAddress> legacy = ConcurrentHashMap.newKeySet();
    private final Set<MacAddress> deactivateUnsupported = new HashSet<>();
    private final Set<MacAddress> unicast = new HashSet<>();
    private Scheduler.Timer keepAliveTimer;
    private boolean closed;

    private long requests;
    private long keepAlives;
    private long responses;
    private long unmatched;
    private long timeouts;
    private long undeliverable;
    private long bridgeDeassociates;
    private long badInput;

    Station(VdpChannel channel, Supplier<VdpTimers> timers, TnveConfig config, BridgeMode mode, MacAddress bridge,
            MacAddress standby, Listeners listeners) {
        this.channel = channel;
        this.scheduler = channel.scheduler();
        this.timers = timers;
        this.config = config;
        this.mode = mode;
        this.active = bridge;
        this.standby = standby;
        this.localMac = channel.localMac();
        this.listeners = listeners;
    }

    // ---------------------------------------------------------------- life cycle

    void start() {
        channel.addListener(this);
        channel.ecp().addPeerListener((peer, reachable, why, counters) -> onLoop(() -> {
            if (reachable) {
                peerHeard(peer, "ECP: " + why);
            } else {
                peerLost(peer, "ECP: " + why);
            }
        }));
        ensureAddressing();
        scheduleKeepAlive();
        LOG.info("tnve {}: station {} started, mode {}, bridge {}, standby {}, {}", port(), localMac, mode, active, standby, config);
    }

    void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (keepAliveTimer != null) {
            keepAliveTimer.cancel();
        }
        for (Tsi tsi : List.copyOf(tsis.values())) {
            for (Binding b : tsi.bindings.values()) {
                if (b.outstanding != null && b.outstanding.timer != null) {
                    b.outstanding.timer.cancel();
                }
                b.outstanding = null;
                b.waiting.clear();
            }
            TnveException e = new NoBridgeException("tNVE on " + port() + " closed");
            if (tsi.current != null) {
                tsi.current.future.completeExceptionally(e);
            }
            tsi.ops.forEach(op -> op.future.completeExceptionally(e));
            tsi.ops.clear();
            tsi.current = null;
        }
        LOG.info("tnve {}: closed", port());
    }

    void onLoop(Runnable r) {
        Runnable guarded = () -> {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.error("tnve {}: internal error; the station goes on", port(), e);
            }
        };
        if (scheduler.inSchedulerThread()) {
            guarded.run();
        } else {
            scheduler.execute(guarded);
        }
    }

    private String port() {
        return channel.portName();
    }

    TnveCounters counters() {
        return new TnveCounters(requests, keepAlives, responses, unmatched, timeouts, undeliverable, bridgeDeassociates, badInput);
    }

    // ---------------------------------------------------------------- bridges

    List<MacAddress> bridgesFor(VnId vn) {
        return switch (mode) {
            case ACTIVE_STANDBY -> List.of(active);
            case PER_VN, ACTIVE_ACTIVE -> assigned.getOrDefault(vn, List.of(active));
        };
    }

    void assignVn(VnId vn, MacAddress bridge, CompletableFuture<Void> done) {
        switch (mode) {
            case ACTIVE_STANDBY -> {
                done.completeExceptionally(new IllegalStateException("assignVn needs PER_VN or ACTIVE_ACTIVE, not " + mode));
                return;
            }
            case PER_VN -> assigned.put(vn, List.of(bridge));
            case ACTIVE_ACTIVE -> {
                List<MacAddress> l = new ArrayList<>(assigned.getOrDefault(vn, List.of()));
                if (!l.contains(bridge)) {
                    l.add(bridge);
                }
                assigned.put(vn, List.copyOf(l));
            }
        }
        LOG.info("tnve {}: {} assigned to bridge(s) {} ({})", port(), vn, assigned.get(vn), mode);
        ensureAddressing();
        reconcile(vn);
        done.complete(null);
    }

    /** With more than one bridge, requests must go to each bridge's unicast MAC, not to the group every bridge hears. */
    private void ensureAddressing() {
        Set<MacAddress> all = new LinkedHashSet<>();
        all.add(active);
        if (standby != null) {
            all.add(standby);
        }
        assigned.values().forEach(all::addAll);
        if (all.size() < 2) {
            return;
        }
        for (MacAddress b : all) {
            if (unicast.add(b)) {
                channel.ecp().setAddressing(b, EcpAddressing.unicast());
            }
        }
    }

    /** Moves the TSIs of a VN onto the bridges now assigned to it. */
    private void reconcile(VnId vn) {
        List<MacAddress> want = bridgesFor(vn);
        for (Tsi tsi : List.copyOf(tsis.values())) {
            if (!tsi.spec.vn().equals(vn) || tsi.current != null || tsi.committed == TsiState.INIT) {
                continue;
            }
            for (Binding b : List.copyOf(tsi.bindings.values())) {
                if (!want.contains(b.bridge) && b.state != TsiState.INIT) {
                    request(b, RequestKind.REESTABLISH, VdpTlvType.DE_ASSOCIATE, TsiState.INIT, requestStatus(Migration.NONE, b.bridge),
                            "de-associate: " + vn + " moved off this bridge", o -> logBackground(tsi, b, o));
                }
            }
            for (MacAddress m : want) {
                Binding b = tsi.bindings.get(m);
                if (b == null || b.state == TsiState.INIT) {
                    reestablish(tsi, m, vn + " assigned to this bridge");
                }
            }
        }
    }

    private void peerLost(MacAddress bridge, String why) {
        if (closed || !lost.add(bridge)) {
            return;
        }
        LOG.warn("tnve {}: bridge {} lost: {}", port(), bridge, why);
        listeners.fire(l -> l.onPeerLost(bridge, why));
        if (mode == BridgeMode.ACTIVE_STANDBY && bridge.equals(active) && standby != null && !lost.contains(standby)) {
            failover(why);
        }
    }

    private void peerHeard(MacAddress bridge, String why) {
        if (closed || !lost.remove(bridge)) {
            return;
        }
        LOG.info("tnve {}: bridge {} heard again ({}); re-sending every current TLV to it", port(), bridge, why);
        reestablishAll(bridge, null, "bridge heard again");
    }

    private void failover(String why) {
        MacAddress from = active;
        MacAddress to = standby;
        active = to;
        standby = from;
        LOG.warn("tnve {}: failover from {} to {} ({}); re-associating every VSI on {}", port(), from, to, why, to);
        listeners.fire(l -> l.onFailover(from, to));
        for (Tsi tsi : List.copyOf(tsis.values())) {
            Binding old = tsi.bindings.get(from);
            if (old != null) {
                List<Pending> dropped = new ArrayList<>();
                if (old.outstanding != null) {
                    if (old.outstanding.timer != null) {
                        old.outstanding.timer.cancel();
                    }
                    dropped.add(old.outstanding);
                    old.outstanding = null;
                }
                dropped.addAll(old.waiting);
                old.waiting.clear();
                setState(old, TsiState.INIT, "failover to " + to);
                for (Pending p : dropped) {
                    safe(() -> p.callback.accept(new Outcome.Moved("failover from " + from + " to " + to)));
                }
            }
            if (tsi.current == null && tsi.committed != TsiState.INIT) {
                reestablish(tsi, to, "failover from " + from);
            }
        }
    }

    private void reestablish(Tsi tsi, MacAddress bridge, String why) {
        Binding b = tsi.binding(bridge);
        TsiState target = tsi.committed;
        VdpTlvType type = target == TsiState.ACTIVATED ? VdpTlvType.ASSOCIATE : preType();
        request(b, RequestKind.REESTABLISH, type, target, requestStatus(Migration.NONE, bridge), "re-establish: " + why,
                o -> logBackground(tsi, b, o));
    }

    /** Re-sends the current TLV of every VSI held on {@code bridge}, with null VIDs so that the bridge confirms its tags. */
    private void reestablishAll(MacAddress bridge, Binding except, String why) {
        Map<VnId, LocalTag> known = tags.get(bridge);
        if (known != null) {
            unconfirmed.computeIfAbsent(bridge, k -> new HashSet<>()).addAll(known.keySet());
        }
        int n = 0;
        for (Tsi tsi : List.copyOf(tsis.values())) {
            Binding b = tsi.bindings.get(bridge);
            if (b == null || b == except || b.state == TsiState.INIT || !b.idle() || b.currentType == null) {
                continue;
            }
            request(b, RequestKind.REESTABLISH, b.currentType, b.state, currentStatus(b), "re-establish: " + why,
                    o -> logBackground(tsi, b, o));
            n++;
        }
        LOG.info("tnve {}: re-sent {} current TLVs to {} ({})", port(), n, bridge, why);
    }

    private void logBackground(Tsi tsi, Binding b, Outcome o) {
        if (o instanceof Outcome.Failed f) {
            LOG.warn("tnve {}: background request for VSI {} to {} failed: {}", port(), tsi.id(), b.bridge, f.error().getMessage());
            if (tsi.current == null) {
                recomputeCommitted(tsi, "background request failed");
            }
        }
    }

    // ---------------------------------------------------------------- API (on the loop)

    void submit(TsiSpec spec, VsiId id, OpKind kind, Migration m, List<TsiAddress> addresses, CompletableFuture<TsiResult> f) {
        if (closed) {
            f.completeExceptionally(new NoBridgeException("tNVE on " + port() + " is closed"));
            return;
        }
        Tsi tsi = tsis.get(id);
        if (tsi == null) {
            if (spec == null) {
                if (kind == OpKind.DEASSOCIATE) {
                    f.complete(new TsiResult(id, TsiState.INIT, null, active, false, Map.of()));
                } else {
                    f.completeExceptionally(new IllegalTsiTransitionException(id, TsiState.INIT,
                            kind + " of an unknown VSI" + (kind == OpKind.ACTIVATE ? ": activate from Init needs its TsiSpec" : "")));
                }
                return;
            }
            tsi = new Tsi(spec, false);
            tsis.put(id, tsi);
        } else if (tsi.anchor && spec != null) {
            f.completeExceptionally(new IllegalTsiTransitionException(id, tsi.committed, "the VSI ID is a VN anchor"));
            return;
        }
        enqueue(tsi, new Op(kind, m, spec, addresses, f));
    }

    private void enqueue(Tsi tsi, Op op) {
        tsi.ops.add(op);
        if (tsi.current != null) {
            LOG.debug("tnve {}: VSI {}: {} queued behind {}", port(), tsi.id(), op.kind, tsi.current.kind);
        }
        publish(tsi);
        runNext(tsi);
    }

    void vnConnect(VnId vn, CompletableFuture<LocalTag> f) {
        List<MacAddress> bridges = bridgesFor(vn);
        LocalTag known = confirmedTag(bridges.get(0), vn);
        boolean all = bridges.stream().allMatch(b -> confirmedTag(b, vn) != null);
        if (known != null && all) {
            LOG.debug("tnve {}: VN_Connect {}: already connected with {}", port(), vn, known);
            f.complete(known);
            return;
        }
        TsiSpec anchorSpec = TsiSpec.builder().vsiId(anchorId(localMac, vn)).managerId(config.anchorManagerId()).vn(vn).build();
        Tsi tsi = tsis.computeIfAbsent(anchorSpec.vsiId(), k -> new Tsi(anchorSpec, true));
        CompletableFuture<TsiResult> r = new CompletableFuture<>();
        r.whenComplete((res, e) -> {
            if (e != null) {
                f.completeExceptionally(e);
            } else if (res.tag() == null) {
                f.completeExceptionally(new VdpRefusedException(res.vsiId(), res.bridge(), VdpErrorCode.INVALID_VID_GROUPID_OR_MAC, false,
                        false, res.state()));
            } else {
                f.complete(res.tag());
            }
        });
        LOG.info("tnve {}: VN_Connect {}: pre-associating anchor VSI {}", port(), vn, anchorSpec.vsiId());
        enqueue(tsi, new Op(OpKind.ASSOCIATE, Migration.NONE, anchorSpec, null, r));
    }

    void vnDisconnect(VnId vn, CompletableFuture<Void> f) {
        List<CompletableFuture<TsiResult>> all = new ArrayList<>();
        for (Tsi tsi : List.copyOf(tsis.values())) {
            if (tsi.spec.vn().equals(vn)) {
                CompletableFuture<TsiResult> r = new CompletableFuture<>();
                all.add(r);
                enqueue(tsi, new Op(OpKind.DEASSOCIATE, Migration.NONE, null, null, r));
            }
        }
        LOG.info("tnve {}: VN_Disconnect {}: de-associating {} VSIs", port(), vn, all.size());
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).whenComplete((ok, e) -> onLoop(() -> {
            for (Map.Entry<MacAddress, Map<VnId, LocalTag>> t : tags.entrySet()) {
                LocalTag tag = t.getValue().remove(vn);
                if (tag != null) {
                    vnReleased(t.getKey(), vn, tag, "explicit VN_Disconnect");
                }
            }
            if (e != null) {
                f.completeExceptionally(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
            } else {
                f.complete(null);
            }
        }));
    }

    /** The anchor of a VN: "VNAN", the station MAC, two zero octets, the VNI. Deterministic, so a restart finds it again. */
    static VsiId anchorId(MacAddress station, VnId vn) {
        long mac = station.toLong();
        long hi = (0x564E414EL << 32) | (mac >>> 16);
        long lo = ((mac & 0xFFFFL) << 48) | vn.value();
        return new VsiId.Local(hi, lo);
    }

    // ---------------------------------------------------------------- operations

    private void runNext(Tsi tsi) {
        while (tsi.current == null && !tsi.ops.isEmpty() && !closed) {
            Op op = tsi.ops.poll();
            tsi.current = op;
            start(tsi, op);
        }
    }

    private void start(Tsi tsi, Op op) {
        TsiState from = tsi.committed;
        String illegal = switch (op.kind) {
            case ASSOCIATE -> from == TsiState.ACTIVATED ? "associate of an Activated VSI; use deactivate" : null;
            case ACTIVATE -> null;
            case DEACTIVATE -> from == TsiState.INIT ? "deactivate of a VSI that is not associated" : null;
            case DEASSOCIATE -> null;
            case UPDATE -> from == TsiState.INIT ? "address update of a VSI that is not associated" : null;
        };
        if (illegal == null && op.newSpec != null && from != TsiState.INIT && !op.newSpec.vn().equals(tsi.spec.vn())) {
            illegal = "cannot move an associated VSI from " + tsi.spec.vn() + " to " + op.newSpec.vn() + "; de-associate first";
        }
        if (illegal != null) {
            done(tsi, op, new IllegalTsiTransitionException(tsi.id(), from, illegal));
            return;
        }
        op.previousSpec = tsi.spec;
        if (op.newSpec != null) {
            tsi.spec = op.newSpec;
        } else if (op.newAddresses != null) {
            try {
                tsi.spec = tsi.spec.withAddresses(op.newAddresses);
            } catch (IllegalArgumentException e) {
                done(tsi, op, new TnveException("invalid address set for VSI " + tsi.id() + ": " + e.getMessage(), e));
                return;
            }
        }
        op.target = switch (op.kind) {
            case ASSOCIATE, DEACTIVATE -> TsiState.ASSOCIATED;
            case ACTIVATE -> TsiState.ACTIVATED;
            case DEASSOCIATE -> TsiState.INIT;
            case UPDATE -> from;
        };
        Set<MacAddress> targets = new LinkedHashSet<>(bridgesFor(tsi.spec.vn()));
        if (op.kind == OpKind.DEASSOCIATE) {
            targets.clear();
            tsi.bindings.values().stream().filter(b -> b.state != TsiState.INIT || b.outstanding != null).forEach(b -> targets.add(b.bridge));
            if (targets.isEmpty()) {
                done(tsi, op, null);
                return;
            }
        }
        LOG.debug("tnve {}: VSI {}: {} ({}) from {} on {}", port(), tsi.id(), op.kind, op.migration, from, targets);
        op.awaiting.addAll(targets);
        op.dispatched.addAll(targets);
        for (MacAddress b : targets) {
            dispatch(tsi, op, b);
        }
    }

    private void dispatch(Tsi tsi, Op op, MacAddress bridge) {
        Binding b = tsi.binding(bridge);
        TsiState target = op.kind == OpKind.UPDATE && b.state != TsiState.INIT ? b.state : op.target;
        VdpTlvType type = switch (target) {
            case INIT -> VdpTlvType.DE_ASSOCIATE;
            case ASSOCIATED -> op.kind == OpKind.UPDATE && b.currentType != null && b.currentType != VdpTlvType.ASSOCIATE
                    ? b.currentType : preType();
            case ACTIVATED -> VdpTlvType.ASSOCIATE;
        };
        boolean wasActivated = b.state == TsiState.ACTIVATED;
        request(b, RequestKind.OPERATION, type, target, requestStatus(op.migration, bridge), op.kind.name().toLowerCase(),
                o -> onOpOutcome(tsi, op, b, o, wasActivated));
    }

    private void onOpOutcome(Tsi tsi, Op op, Binding b, Outcome o, boolean wasActivated) {
        if (o instanceof Outcome.Moved moved) {
            op.awaiting.remove(b.bridge);
            boolean any = false;
            for (MacAddress nb : bridgesFor(tsi.spec.vn())) {
                if (op.dispatched.add(nb)) {
                    op.awaiting.add(nb);
                    any = true;
                    LOG.info("tnve {}: VSI {}: {} moves to {} ({})", port(), tsi.id(), op.kind, nb, moved.why());
                    dispatch(tsi, op, nb);
                }
            }
            if (!any && op.awaiting.isEmpty() && op.outcomes.isEmpty()) {
                op.outcomes.put(b.bridge, new Outcome.Failed(new NoBridgeException("no bridge left for VSI " + tsi.id() + ": " + moved.why())));
            }
            maybeFinish(tsi, op);
            return;
        }
        if (op.kind == OpKind.DEACTIVATE && wasActivated && o instanceof Outcome.Failed f && f.error() instanceof VdpRefusedException r) {
            deactivateRefused(tsi, op, b, r);
            return;
        }
        record(tsi, op, b.bridge, o);
    }

    private void record(Tsi tsi, Op op, MacAddress bridge, Outcome o) {
        op.awaiting.remove(bridge);
        op.outcomes.put(bridge, o);
        maybeFinish(tsi, op);
    }

    /** PROTOCOL.md 4.4: a bridge that refuses Associate -> Pre-Associate is legacy; apply the configured fallback. */
    private void deactivateRefused(Tsi tsi, Op op, Binding b, VdpRefusedException r) {
        if (deactivateUnsupported.add(b.bridge)) {
            listeners.fire(l -> l.onLegacyPeer(b.bridge, "refuses Associate -> Pre-Associate (deactivate unsupported): " + r.error()));
        }
        TnveConfig.DeactivateFallback fb = config.deactivateFallback();
        LOG.warn("tnve {}: VSI {}: bridge {} refused deactivate ({}); fallback {}", port(), tsi.id(), b.bridge, r.error(), fb);
        Consumer<Outcome> finish = ignored -> record(tsi, op, b.bridge, new Outcome.Failed(
                new DeactivateUnsupportedException(tsi.id(), b.bridge, r.error(), fb, b.state)));
        switch (fb) {
            case FAIL -> finish.accept(null);
            case KEEP_ACTIVE -> {
                if (b.state == TsiState.ACTIVATED) {
                    finish.accept(null);
                } else {
                    request(b, RequestKind.OPERATION, VdpTlvType.ASSOCIATE, TsiState.ACTIVATED, requestStatus(Migration.NONE, b.bridge),
                            "restore activation after refused deactivate", finish);
                }
            }
            case DEASSOCIATE -> {
                Runnable preAssociate = () -> request(b, RequestKind.OPERATION, preType(), TsiState.ASSOCIATED,
                        requestStatus(op.migration, b.bridge), "pre-associate again after refused deactivate", finish);
                if (b.state == TsiState.INIT) {
                    preAssociate.run();
                } else {
                    request(b, RequestKind.OPERATION, VdpTlvType.DE_ASSOCIATE, TsiState.INIT, requestStatus(Migration.NONE, b.bridge),
                            "de-associate instead of deactivate", o -> {
                                if (b.state == TsiState.INIT) {
                                    preAssociate.run();
                                } else {
                                    finish.accept(o);
                                }
                            });
                }
            }
        }
    }

    private void maybeFinish(Tsi tsi, Op op) {
        if (!op.awaiting.isEmpty() || tsi.current != op) {
            return;
        }
        TnveException failure = null;
        for (Outcome o : op.outcomes.values()) {
            if (o instanceof Outcome.Failed f) {
                failure = f.error();
                break;
            }
        }
        if (failure == null && op.outcomes.isEmpty()) {
            failure = new NoBridgeException("no bridge for " + tsi.spec.vn());
        }
        done(tsi, op, failure);
    }

    /** Ends the running operation: commits or reverts, completes its future, starts the next one. */
    private void done(Tsi tsi, Op op, TnveException failure) {
        TsiState before = tsi.committed;
        if (failure == null) {
            tsi.committed = op.target;
        } else {
            if (failure instanceof VdpRefusedException r && r.keep() && op.previousSpec != null) {
                tsi.spec = op.previousSpec; // the bridge kept the old state, and with it the old address set
            } else if (failure instanceof IllegalTsiTransitionException && op.previousSpec != null) {
                tsi.spec = op.previousSpec;
            }
            tsi.committed = primaryState(tsi);
        }
        tsi.current = null;
        if (before != tsi.committed) {
            LOG.info("tnve {}: VSI {} {} -> {} ({}{})", port(), tsi.id(), before, tsi.committed, op.kind,
                    failure == null ? "" : ", failed: " + failure.getMessage());
        }
        publish(tsi);
        if (failure == null) {
            op.future.complete(result(tsi, op));
        } else {
            LOG.warn("tnve {}: VSI {}: {} failed: {}", port(), tsi.id(), op.kind, failure.getMessage());
            op.future.completeExceptionally(failure);
        }
        maybeForget(tsi);
        runNext(tsi);
    }

    private TsiState primaryState(Tsi tsi) {
        for (MacAddress m : bridgesFor(tsi.spec.vn())) {
            Binding b = tsi.bindings.get(m);
            if (b != null && b.state != TsiState.INIT) {
                return b.state;
            }
        }
        return tsi.bindings.values().stream().map(b -> b.state).filter(s -> s != TsiState.INIT).findFirst().orElse(TsiState.INIT);
    }

    private void recomputeCommitted(Tsi tsi, String why) {
        TsiState now = primaryState(tsi);
        if (now != tsi.committed) {
            LOG.info("tnve {}: VSI {} {} -> {} ({})", port(), tsi.id(), tsi.committed, now, why);
            tsi.committed = now;
        }
        publish(tsi);
        maybeForget(tsi);
    }

    private void maybeForget(Tsi tsi) {
        if (tsi.committed == TsiState.INIT && tsi.current == null && tsi.ops.isEmpty()
                && tsi.bindings.values().stream().allMatch(b -> b.state == TsiState.INIT && b.idle())) {
            tsis.remove(tsi.id());
            published.remove(tsi.id());
        }
    }

    private TsiResult result(Tsi tsi, Op op) {
        MacAddress primary = null;
        boolean echoed = false;
        LocalTag tag = null;
        for (Map.Entry<MacAddress, Outcome> e : op.outcomes.entrySet()) {
            if (e.getValue() instanceof Outcome.Success s) {
                primary = e.getKey();
                echoed = s.migrationEchoed();
                tag = s.tag() != null ? s.tag() : knownTag(primary, tsi.spec.vn());
                break;
            }
        }
        if (primary == null) {
            primary = bridgesFor(tsi.spec.vn()).get(0);
        }
        Map<MacAddress, LocalTag> byBridge = new LinkedHashMap<>();
        for (Binding b : tsi.bindings.values()) {
            LocalTag t = knownTag(b.bridge, tsi.spec.vn());
            if (b.state != TsiState.INIT && t != null) {
                byBridge.put(b.bridge, t);
            }
        }
        return new TsiResult(tsi.id(), tsi.committed, tsi.committed == TsiState.INIT ? null : tag, primary, echoed, byBridge);
    }

    // ---------------------------------------------------------------- requests

    private VdpTlvType preType() {
        return config.reserveResources() ? VdpTlvType.PRE_ASSOCIATE_RR : VdpTlvType.PRE_ASSOCIATE;
    }

    private VsiStatus requestStatus(Migration m, MacAddress bridge) {
        boolean indicate = config.migrationIndication() && !legacy.contains(bridge);
        return VsiStatus.request().migrationIndicationValid(indicate).m(m == Migration.TO_THIS_STATION)
                .s(m == Migration.FROM_THIS_STATION).build();
    }

    /** The current status, without 0x80 once the bridge has shown itself legacy. */
    private VsiStatus currentStatus(Binding b) {
        VsiStatus s = b.currentStatus == null ? requestStatus(Migration.NONE, b.bridge) : b.currentStatus;
        if (s.migrationIndicationValid() && (legacy.contains(b.bridge) || !config.migrationIndication())) {
            s = s.toBuilder().migrationIndicationValid(false).build();
        }
        return s;
    }

    private Duration responseWait() {
        return config.responseTimeout().orElseGet(() -> timers.get().responseWait());
    }

    private void request(Binding b, RequestKind kind, VdpTlvType type, TsiState target, VsiStatus status, String purpose,
                         Consumer<Outcome> callback) {
        Pending p = new Pending(kind, type, target, status, purpose, callback);
        if (b.outstanding != null) {
            b.waiting.add(p);
            return;
        }
        transmit(b, p);
    }

    private void transmit(Binding b, Pending p) {
        TsiSpec spec = b.tsi.spec;
        List<AssociationTlv> tlvs;
        CompletableFuture<Void> sent;
        b.outstanding = p;
        try {
            tlvs = AssociationTlv.builder().type(p.type).status(p.status).typeId(spec.typeId()).typeVersion(spec.typeVersion())
                    .vsiId(spec.vsiId()).filter(FilterInfo.of(spec.filterFormat(), spec.entries(tagFor(b.bridge, spec.vn()))))
                    .buildSplit();
            sent = channel.send(b.bridge, spec.managerId(), tlvs);
        } catch (IllegalArgumentException e) {
            LOG.warn("tnve {}: VSI {}: {} to {} not sent: {}", port(), spec.vsiId(), p.type, b.bridge, e.getMessage());
            finish(b, p, new Outcome.Failed(new RequestTooLargeException(spec.vsiId(), e)));
            return;
        }
        requests++;
        if (p.kind != RequestKind.OPERATION) {
            keepAlives++;
        }
        p.wait = responseWait();
        LOG.debug("tnve {}: VSI {} -> {}: {} {} ({} TLVs, {})", port(), spec.vsiId(), b.bridge, p.type, p.status, tlvs.size(), p.purpose);
        p.timer = scheduler.schedule(p.wait, () -> onTimeout(b, p));
        sent.whenComplete((ok, e) -> {
            if (e != null) {
                onLoop(() -> onUndeliverable(b, p, e));
            }
        });
    }

    private void onUndeliverable(Binding b, Pending p, Throwable e) {
        if (b.outstanding != p) {
            return;
        }
        undeliverable++;
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        LOG.warn("tnve {}: VSI {}: {} to {} undeliverable: {}", port(), b.tsi.id(), p.type, b.bridge, cause.getMessage());
        finish(b, p, new Outcome.Failed(new UndeliverableException(b.tsi.id(), b.bridge, cause)));
    }

    private void onTimeout(Binding b, Pending p) {
        if (b.outstanding != p || closed) {
            return;
        }
        timeouts++;
        LOG.warn("tnve {}: VSI {}: no response from {} to {} ({}) within {}", port(), b.tsi.id(), b.bridge, p.type, p.purpose, p.wait);
        finish(b, p, new Outcome.Failed(new ResponseTimeoutException(b.tsi.id(), b.bridge, p.type, p.wait)));
        peerLost(b.bridge, "no response to " + p.type + " for VSI " + b.tsi.id());
    }

    /** The request is over: its outcome decides the VSI's state on that bridge, then its sender hears, then the next goes. */
    private void finish(Binding b, Pending p, Outcome o) {
        if (p.timer != null) {
            p.timer.cancel();
        }
        b.outstanding = null;
        if (o instanceof Outcome.Success) {
            if (p.target == TsiState.INIT) {
                b.currentType = null;
                b.currentStatus = null;
            } else {
                b.currentType = p.type;
                b.currentStatus = p.status;
            }
            setState(b, p.target, p.purpose + " accepted");
        } else if (o instanceof Outcome.Failed f) {
            if (f.error() instanceof VdpRefusedException r && !r.keep()) {
                setState(b, TsiState.INIT, p.purpose + " refused (" + r.error() + ") without keep");
            } else if (f.error() instanceof ResponseTimeoutException && p.kind == RequestKind.OPERATION) {
                setState(b, TsiState.INIT, p.purpose + " unanswered");
            }
        }
        safe(() -> p.callback.accept(o));
        if (b.outstanding == null) {
            Pending next = b.waiting.poll();
            if (next != null) {
                transmit(b, next);
            }
        }
    }

    private void setState(Binding b, TsiState to, String why) {
        TsiState from = b.state;
        if (from == to) {
            return;
        }
        b.state = to;
        LOG.info("tnve {}: VSI {} on {}: {} -> {} ({})", port(), b.tsi.id(), b.bridge, from, to, why);
        TsiEvent e = new TsiEvent(b.tsi.id(), b.bridge, from, to, why);
        listeners.fire(l -> l.onTsiState(e));
        publish(b.tsi);
        if (to == TsiState.INIT) {
            releaseVnIfUnused(b.bridge, b.tsi.spec.vn());
        }
    }

    /** Implicit VN_Disconnect: the bridge releases a VN's tag when the last TSI of it goes (PROTOCOL.md 4.5). */
    private void releaseVnIfUnused(MacAddress bridge, VnId vn) {
        Map<VnId, LocalTag> t = tags.get(bridge);
        if (t == null || !t.containsKey(vn)) {
            return;
        }
        for (Tsi tsi : tsis.values()) {
            Binding b = tsi.bindings.get(bridge);
            if (tsi.spec.vn().equals(vn) && b != null && b.state != TsiState.INIT) {
                return;
            }
        }
        LocalTag tag = t.remove(vn);
        vnReleased(bridge, vn, tag, "implicit VN_Disconnect: last TSI of the VN gone");
    }

    private void vnReleased(MacAddress bridge, VnId vn, LocalTag tag, String why) {
        Set<VnId> u = unconfirmed.get(bridge);
        if (u != null) {
            u.remove(vn);
        }
        LOG.info("tnve {}: {} on {} disconnected, {} released ({})", port(), vn, bridge, tag, why);
        VnEvent e = new VnEvent(vn, bridge, false, tag, why);
        listeners.fire(l -> l.onVn(e));
    }

    // ---------------------------------------------------------------- tags

    private LocalTag knownTag(MacAddress bridge, VnId vn) {
        Map<VnId, LocalTag> t = tags.get(bridge);
        return t == null ? null : t.get(vn);
    }

    private LocalTag confirmedTag(MacAddress bridge, VnId vn) {
        Set<VnId> u = unconfirmed.get(bridge);
        return u != null && u.contains(vn) ? null : knownTag(bridge, vn);
    }

    /** The VID to put in a request: the tag once known and confirmed, else the null VID (implicit VN_Connect). */
    private LocalTag tagFor(MacAddress bridge, VnId vn) {
        return confirmedTag(bridge, vn);
    }

    private void learnTag(Binding b, Pending p, LocalTag tag) {
        VnId vn = b.tsi.spec.vn();
        Map<VnId, LocalTag> t = tags.computeIfAbsent(b.bridge, k -> new ConcurrentHashMap<>());
        LocalTag old = t.get(vn);
        Set<VnId> u = unconfirmed.get(b.bridge);
        if (u != null) {
            u.remove(vn);
        }
        if (old == null) {
            t.put(vn, tag);
            String why = b.tsi.anchor ? "explicit VN_Connect (anchor " + b.tsi.id() + ")" : "implicit VN_Connect by VSI " + b.tsi.id();
            LOG.info("tnve {}: {} on {} connected with {} ({})", port(), vn, b.bridge, tag, why);
            VnEvent e = new VnEvent(vn, b.bridge, true, tag, why);
            listeners.fire(l -> l.onVn(e));
        } else if (!old.equals(tag)) {
            t.put(vn, tag);
            LOG.warn("tnve {}: {} on {}: tag changed {} -> {} (answer to {} for VSI {})", port(), vn, b.bridge, old, tag, p.type,
                    b.tsi.id());
            listeners.fire(l -> l.onTagChanged(vn, b.bridge, old, tag));
            if (p.kind == RequestKind.KEEP_ALIVE) {
                // A keep-alive answered with another tag: the bridge has lost its state (restart). Put everything back.
                reestablishAll(b.bridge, b, "keep-alive answered with another tag");
                u = unconfirmed.get(b.bridge);
                if (u != null) {
                    u.remove(vn);
                }
            }
        }
    }

    // ---------------------------------------------------------------- keep-alive

    private void scheduleKeepAlive() {
        if (closed) {
            return;
        }
        keepAliveTimer = scheduler.schedule(timers.get().keepAlive(), () -> {
            try {
                keepAlive();
            } catch (RuntimeException e) {
                LOG.error("tnve {}: keep-alive failed; rescheduling", port(), e);
            }
            scheduleKeepAlive();
        });
    }

    private void keepAlive() {
        int n = 0;
        for (Tsi tsi : List.copyOf(tsis.values())) {
            for (Binding b : tsi.bindings.values()) {
                if (b.state == TsiState.INIT || !b.idle() || b.currentType == null) {
                    continue;
                }
                request(b, RequestKind.KEEP_ALIVE, b.currentType, b.state, currentStatus(b), "keep-alive", o -> onKeepAlive(b, o));
                n++;
            }
        }
        LOG.debug("tnve {}: keep-alive: re-sent {} current TLVs", port(), n);
    }

    private void onKeepAlive(Binding b, Outcome o) {
        if (o instanceof Outcome.Failed f && f.error() instanceof VdpRefusedException r && r.keep()
                && r.error().value() == VdpErrorCode.INVALID_VID_GROUPID_OR_MAC.value()
                && knownTag(b.bridge, b.tsi.spec.vn()) != null) {
            // The bridge answered, so it is not lost: it no longer grants the tag we hold (it restarted and
            // gave the VID to another VN, or its pool changed). Ask again with null VIDs, for every VSI.
            LOG.warn("tnve {}: keep-alive for VSI {} to {}: {} refused ({}); re-establishing with null VIDs", port(),
                    b.tsi.id(), b.bridge, knownTag(b.bridge, b.tsi.spec.vn()), r.getMessage());
            reestablishAll(b.bridge, null, "the bridge refused the tag of " + b.tsi.spec.vn() + " in a keep-alive");
            return;
        }
        if (o instanceof Outcome.Failed f) {
            LOG.warn("tnve {}: keep-alive for VSI {} to {} failed: {}", port(), b.tsi.id(), b.bridge, f.error().getMessage());
            if (b.tsi.current == null) {
                recomputeCommitted(b.tsi, "keep-alive failed");
            }
            peerLost(b.bridge, "keep-alive for VSI " + b.tsi.id() + " failed: " + f.error().getMessage());
        }
    }

    // ---------------------------------------------------------------- receive

    @Override
    public void onVdpdu(MacAddress peer, ParsedVdpdu pdu) {
        if (closed) {
            return;
        }
        try {
            receive(peer, pdu);
        } catch (RuntimeException e) {
            badInput++;
            LOG.error("tnve {}: VDPDU from {} could not be handled; dropped", port(), peer, e);
        }
    }

    @Override
    public void onMalformed(MacAddress peer, MalformedFrameException e) {
        badInput++;
        LOG.warn("tnve {}: malformed VDPDU from {}: {}", port(), peer, e.getMessage());
    }

    private void receive(MacAddress peer, ParsedVdpdu pdu) {
        if (!pdu.rejected().isEmpty()) {
            badInput += pdu.rejected().size();
            pdu.rejected().forEach(r -> LOG.warn("tnve {}: undecodable TLV from {} ignored: {}", port(), peer, r));
        }
        List<AssociationTlv> all = pdu.associations();
        int i = 0;
        while (i < all.size()) {
            AssociationTlv first = all.get(i);
            int j = i + 1;
            // Consecutive TLVs for one VSI and type are one request or response (a split address set).
            while (j < all.size() && all.get(j).vsiId().equals(first.vsiId()) && all.get(j).type().equals(first.type())
                    && all.get(j).status().isResponse() == first.status().isResponse()) {
                j++;
            }
            List<AssociationTlv> group = all.subList(i, j);
            i = j;
            if (!first.status().isResponse()) {
                if (first.type().equals(VdpTlvType.DE_ASSOCIATE)) {
                    onBridgeDeassociate(peer, pdu, group);
                } else {
                    badInput++;
                    LOG.warn("tnve {}: unexpected {} request from {} for VSI {} ignored (a station does not answer requests)",
                            port(), first.type(), peer, first.vsiId());
                }
                continue;
            }
            onResponse(peer, group);
        }
    }

    private void onResponse(MacAddress peer, List<AssociationTlv> group) {
        AssociationTlv first = group.get(0);
        Tsi tsi = tsis.get(first.vsiId());
        Binding b = tsi == null ? null : tsi.bindings.get(peer);
        Pending p = b == null ? null : b.outstanding;
        if (p == null || !p.type.equals(first.type())) {
            unmatched++;
            LOG.info("tnve {}: response {} from {} for VSI {} matches no outstanding request; counted and dropped", port(),
                    first.type(), peer, first.vsiId());
            return;
        }
        responses++;
        lost.remove(peer);
        VsiStatus st = first.status();
        LocalTag tag = null;
        for (AssociationTlv t : group) {
            for (FilterEntry e : t.filter().entries()) {
                if (e.vid() != FilterEntry.NULL_VID && tag == null) {
                    tag = LocalTag.of(e.vid());
                }
            }
        }
        boolean echoed = st.migrationIndicationValid();
        LocalTag shown = tag;
        ResponseEvent ev = new ResponseEvent(tsi.id(), peer, first.type(), st.error(), shown, st.keep(), st.hardError(), echoed);
        LOG.debug("tnve {}: VSI {} <- {}: {} {} {}", port(), tsi.id(), peer, first.type(), st, tag);
        listeners.fire(l -> l.onResponse(ev));
        if (p.status.migrationIndicationValid() && !echoed && legacy.add(peer)) {
            LOG.warn("tnve {}: bridge {} did not echo 0x80: legacy peer, no more migration indication to it", port(), peer);
            listeners.fire(l -> l.onLegacyPeer(peer, "no 0x80 echo: migration indication unsupported"));
        }
        if (st.error().isSuccess() && !st.hardError()) {
            if (tag != null && p.target != TsiState.INIT) {
                learnTag(b, p, tag);
            }
            finish(b, p, new Outcome.Success(tag, echoed));
        } else {
            TsiState after = st.keep() ? b.state : TsiState.INIT;
            finish(b, p, new Outcome.Failed(new VdpRefusedException(tsi.id(), peer, st.error(), st.keep(), st.hardError(), after)));
        }
    }

    private void onBridgeDeassociate(MacAddress peer, ParsedVdpdu pdu, List<AssociationTlv> group) {
        bridgeDeassociates++;
        AssociationTlv first = group.get(0);
        List<AssociationTlv> answer = new ArrayList<>(group.size());
        for (AssociationTlv t : group) {
            answer.add(t.toBuilder().status(VsiStatus.response().migrationIndicationValid(t.status().migrationIndicationValid()).build())
                    .build());
        }
        try {
            channel.send(peer, pdu.managerId(), answer).whenComplete((ok, e) -> {
                if (e != null) {
                    LOG.warn("tnve {}: answer to De-Associate of VSI {} not delivered to {}: {}", port(), first.vsiId(), peer, e.getMessage());
                }
            });
        } catch (IllegalArgumentException e) {
            LOG.warn("tnve {}: cannot answer De-Associate of VSI {}: {}", port(), first.vsiId(), e.getMessage());
        }
        Tsi tsi = tsis.get(first.vsiId());
        Binding b = tsi == null ? null : tsi.bindings.get(peer);
        if (b == null || b.state == TsiState.INIT) {
            LOG.info("tnve {}: De-Associate from {} for VSI {} that is not held there; answered", port(), peer, first.vsiId());
            return;
        }
        LOG.warn("tnve {}: bridge {} de-associated VSI {}", port(), peer, first.vsiId());
        Pending crossing = b.outstanding;
        setState(b, TsiState.INIT, "De-Associate from the bridge");
        if (crossing != null && crossing.target == TsiState.INIT && b.outstanding == crossing) {
            // Our De-Associate crossed the bridge's: the VSI is gone either way, and a bridge that no longer
            // holds it (lldpad) never answers ours, so it is done now rather than at the response wait.
            finish(b, crossing, new Outcome.Success(null, false));
        }
        listeners.fire(l -> l.onBridgeDeassociate(tsi.id(), peer));
        if (tsi.current == null) {
            recomputeCommitted(tsi, "De-Associate from the bridge");
        }
    }

    // ---------------------------------------------------------------- snapshots

    private void publish(Tsi tsi) {
        Map<MacAddress, TsiState> per = new LinkedHashMap<>();
        tsi.bindings.values().forEach(b -> per.put(b.bridge, b.state));
        published.put(tsi.id(), new TsiStatus(tsi.id(), tsi.spec.vn(), tsi.committed, per, tsi.anchor,
                tsi.current != null || !tsi.ops.isEmpty()));
    }

    Collection<TsiStatus> snapshot() {
        return published.values();
    }

    boolean isLegacy(MacAddress bridge) {
        return legacy.contains(bridge);
    }

    private void safe(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.error("tnve {}: callback failed; the station goes on", port(), e);
        }
    }

}
