package org.splitnve.tnve;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.ecptransport.auth.PortAuthorization;
import org.splitnve.ecptransport.clock.Scheduler;
import org.splitnve.ecptransport.ecp.EcpAddressing;
import org.splitnve.ecptransport.ecp.EcpCounters;
import org.splitnve.ecptransport.ecp.EcpPeerListener;
import org.splitnve.ecptransport.vdp.VdpChannel;
import org.splitnve.ecptransport.vdp.VdpTimers;
import org.splitnve.tnve.StationTsiMachine.Event;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VdpErrorCode;
import org.splitnve.vdpcore.vdp.VdpTlvType;
import org.splitnve.vdpcore.vdp.VnId;
import org.splitnve.vdpcore.vdp.VsiId;

/**
 * The VDP station engine behind {@link Tnve}: the FIFO of API operations of each TSI, one running at a time, each
 * checked against the state the one before left ({@link StationTsiMachine}) and sent to the TSI's bridges. It wires,
 * once, the collaborators that own the rest: the {@link TsiTable}, the {@link TagBook}, the {@link RequestSender}, the
 * {@link ResponseHandler}, the {@link BridgeSelection} and the {@link StationCounters}. Everything runs on the
 * channel's scheduler thread; other threads read only what the parts publish (TSI snapshots, tags, bridges, counts).
 */
final class Station {

    private static final Logger LOG = LoggerFactory.getLogger(Station.class);

    private final VdpChannel channel;
    private final Scheduler scheduler;
    private final TnveConfig config;
    private final MacAddress localMac;
    private final String port;
    private final Listeners listeners;
    private final StationCounters counters = new StationCounters();
    private final TagBook tags;
    private final TsiTable tsis;
    private final RequestSender requests;
    private final BridgeSelection bridges;
    private final ResponseHandler responses;
    private final AuthenticationGate gate;
    private final Set<MacAddress> deactivateUnsupported = new HashSet<>();
    private final EcpPeerListener peerListener = this::onEcpPeer;
    private boolean closed;

    Station(VdpChannel channel, Supplier<VdpTimers> timers, Predicate<MacAddress> groupIds, TnveConfig config, BridgeMode mode,
            MacAddress bridge, MacAddress standby, EcpAddressing addressing, Listeners listeners, PortAuthorization authentication,
            Duration settle) {
        this.channel = channel;
        this.scheduler = channel.scheduler();
        this.config = config;
        this.localMac = channel.localMac();
        this.port = channel.portName();
        this.listeners = listeners;
        this.tags = new TagBook(port, listeners);
        this.tsis = new TsiTable(port, listeners, tags, this::bridgesFor);
        this.gate = new AuthenticationGate(authentication, settle, localMac, port, listeners, tsis, this::runNext, this::onLoop, scheduler);
        this.requests = new RequestSender(channel, timers, config, counters, tags, tsis, this::onLoop, this::peerLost, groupIds,
                gate::open);
        this.bridges = new BridgeSelection(port, mode, bridge, standby, channel.ecp()::setAddressing, addressing, listeners, tsis,
                requests);
        this.responses = new ResponseHandler(channel, counters, listeners, tsis, tags, requests, bridges, config.faults());
    }

    // ---------------------------------------------------------------- life cycle

    void start() {
        channel.addListener(responses);
        channel.ecp().addPeerListener(peerListener);
        bridges.start();
        gate.start();
        requests.start();
        LOG.info("tnve {}: station {} started, mode {}, bridge {}, standby {}, {}", port, localMac, bridges.mode(), bridges.active(),
                bridges.standby(), config);
    }

    void close() {
        if (closed) {
            return;
        }
        closed = true;
        gate.close();
        // The channel is the caller's and may outlive this station: nothing of it stays registered there.
        channel.removeListener(responses);
        channel.ecp().removePeerListener(peerListener);
        requests.close();
        bridges.close();
        responses.close();
        // One exception for all: a stack trace per TSI made closing a station with 10,000 of them slow.
        TnveException e = new NoBridgeException("tNVE on " + port + " closed");
        for (Tsi tsi : tsis.all()) {
            tsi.bindings.values().forEach(requests::abandon);
            if (tsi.current != null) {
                tsi.current.future.completeExceptionally(e);
            }
            tsi.ops.forEach(op -> op.future.completeExceptionally(e));
            tsi.ops.clear();
            tsi.current = null;
        }
        LOG.info("tnve {}: closed", port);
    }

    /** Runs {@code r} on the protocol thread; what it throws is logged, and the station goes on. */
    void onLoop(Runnable r) {
        Runnable guarded = () -> {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.error("tnve {}: internal error; the station goes on", port, e);
            }
        };
        if (scheduler.inSchedulerThread()) {
            guarded.run();
        } else {
            scheduler.execute(guarded);
        }
    }

    private void onEcpPeer(MacAddress peer, boolean reachable, String why, EcpCounters counters) {
        onLoop(() -> bridges.onEcpPeer(peer, reachable, why));
    }

    private void peerLost(MacAddress bridge, String why) {
        bridges.peerLost(bridge, why);
    }

    // ---------------------------------------------------------------- what Tnve reads (any thread unless said)

    TnveCounters counters() {
        return counters.snapshot();
    }

    List<MacAddress> bridgesFor(VnId vn) {
        return bridges.bridgesFor(vn);
    }

    MacAddress activeBridge() {
        return bridges.active();
    }

    LocalTag localTag(VnId vn, MacAddress bridge) {
        return tags.known(bridge, vn);
    }

    TsiStatus status(VsiId id) {
        return tsis.status(id);
    }

    Collection<TsiStatus> snapshot() {
        return tsis.snapshot();
    }

    boolean isLegacy(MacAddress bridge) {
        return requests.indication.isLegacy(bridge);
    }

    boolean authenticated() {
        return gate.open();
    }

    /** On the loop. */
    void assignVn(VnId vn, MacAddress bridge, CompletableFuture<Void> done) {
        bridges.assign(vn, bridge, done);
    }

    // ---------------------------------------------------------------- API (on the loop)

    void submit(TsiSpec spec, VsiId id, Event kind, Migration m, List<TsiAddress> addresses, CompletableFuture<TsiResult> f) {
        if (closed) {
            f.completeExceptionally(new NoBridgeException("tNVE on " + port + " is closed"));
            return;
        }
        Tsi tsi = tsis.get(id);
        if (tsi == null) {
            if (spec == null) {
                if (kind == Event.DEASSOCIATE) {
                    f.complete(new TsiResult(id, StationTsiMachine.target(TsiState.INIT, kind), null, bridges.active(), false, Map.of()));
                } else {
                    f.completeExceptionally(new IllegalTsiTransitionException(id, TsiState.INIT,
                            kind + " of an unknown VSI" + (kind == Event.ACTIVATE ? ": activate from Init needs its TsiSpec" : "")));
                }
                return;
            }
            tsi = new Tsi(spec, false);
            tsis.add(tsi);
        } else if (tsi.anchor && spec != null) {
            f.completeExceptionally(new IllegalTsiTransitionException(id, tsi.committed, "the VSI ID is a VN anchor"));
            return;
        }
        enqueue(tsi, new Operation(kind, m, spec, addresses, f));
    }

    private void enqueue(Tsi tsi, Operation op) {
        tsi.ops.add(op);
        if (tsi.current != null) {
            LOG.debug("tnve {}: VSI {}: {} queued behind {}", port, tsi.id(), op.kind, tsi.current.kind);
        }
        tsis.publish(tsi);
        runNext(tsi);
    }

    void vnConnect(VnId vn, CompletableFuture<LocalTag> f) {
        List<MacAddress> on = bridges.bridgesFor(vn);
        LocalTag known = tags.confirmed(on.get(0), vn);
        boolean all = on.stream().allMatch(b -> tags.confirmed(b, vn) != null);
        if (known != null && all) {
            LOG.debug("tnve {}: VN_Connect {}: already connected with {}", port, vn, known);
            f.complete(known);
            return;
        }
        TsiSpec anchorSpec = TsiSpec.builder().vsiId(anchorId(localMac, vn)).managerId(config.anchorManagerId()).vn(vn).build();
        Tsi tsi = tsis.getOrAdd(anchorSpec, true);
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
        LOG.info("tnve {}: VN_Connect {}: pre-associating anchor VSI {}", port, vn, anchorSpec.vsiId());
        enqueue(tsi, new Operation(Event.ASSOCIATE, Migration.NONE, anchorSpec, null, r));
    }

    void vnDisconnect(VnId vn, CompletableFuture<Void> f) {
        List<CompletableFuture<TsiResult>> all = new ArrayList<>();
        for (Tsi tsi : tsis.all()) {
            if (tsi.spec.vn().equals(vn)) {
                CompletableFuture<TsiResult> r = new CompletableFuture<>();
                all.add(r);
                enqueue(tsi, new Operation(Event.DEASSOCIATE, Migration.NONE, null, null, r));
            }
        }
        LOG.info("tnve {}: VN_Disconnect {}: de-associating {} VSIs", port, vn, all.size());
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).whenComplete((ok, e) -> onLoop(() -> {
            tags.releaseEverywhere(vn, "explicit VN_Disconnect");
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
        while (tsi.current == null && !tsi.ops.isEmpty() && !closed && gate.open()) {
            Operation op = tsi.ops.poll();
            tsi.current = op;
            begin(tsi, op);
        }
    }

    private void begin(Tsi tsi, Operation op) {
        TsiState from = tsi.committed;
        try {
            op.target = StationTsiMachine.next(from, op.kind).to();
            if (op.newSpec != null && !op.newSpec.vn().equals(tsi.spec.vn())) {
                StationTsiMachine.next(from, Event.CHANGE_VN);
            }
        } catch (StationTsiMachine.IllegalTransition e) {
            String what = e.event() == Event.CHANGE_VN
                    ? "cannot move an associated VSI from " + tsi.spec.vn() + " to " + op.newSpec.vn() + "; de-associate first"
                    : e.reason();
            done(tsi, op, new IllegalTsiTransitionException(tsi.id(), from, what));
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
        Set<MacAddress> targets = new LinkedHashSet<>(bridges.bridgesFor(tsi.spec.vn()));
        if (op.kind == Event.DEASSOCIATE) {
            targets.clear();
            tsi.bindings.values().stream().filter(b -> b.state != TsiState.INIT || b.outstanding != null).forEach(b -> targets.add(b.bridge));
            if (targets.isEmpty()) {
                done(tsi, op, null);
                return;
            }
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("tnve {}: VSI {}: {} ({}) from {} on {}", port, tsi.id(), op.kind, op.migration, from, targets);
        }
        op.awaiting.addAll(targets);
        op.dispatched.addAll(targets);
        for (MacAddress b : targets) {
            dispatch(tsi, op, b);
        }
    }

    private void dispatch(Tsi tsi, Operation op, MacAddress bridge) {
        Binding b = tsi.binding(bridge);
        // An update keeps each bridge's own state; a bridge that lost the TSI is asked for the committed state again.
        TsiState target = op.kind == Event.UPDATE ? StationTsiMachine.nextOr(b.state, Event.UPDATE, op.target) : op.target;
        // An update of an associated TSI repeats the Pre-Associate type it was associated with.
        VdpTlvType type = op.kind == Event.UPDATE && target == TsiState.ASSOCIATED && b.currentType != null
                && b.currentType != VdpTlvType.ASSOCIATE ? b.currentType : requests.typeFor(target);
        boolean wasActivated = b.state == TsiState.ACTIVATED;
        requests.send(b, PendingRequest.Kind.OPERATION, type, requests.status(op.migration, bridge), op.kind.name().toLowerCase(Locale.ROOT),
                o -> onOpOutcome(tsi, op, b, o, wasActivated));
    }

    private void onOpOutcome(Tsi tsi, Operation op, Binding b, Outcome o, boolean wasActivated) {
        if (o instanceof Outcome.Moved moved) {
            op.awaiting.remove(b.bridge);
            boolean any = false;
            for (MacAddress nb : bridges.bridgesFor(tsi.spec.vn())) {
                if (op.dispatched.add(nb)) {
                    op.awaiting.add(nb);
                    any = true;
                    LOG.info("tnve {}: VSI {}: {} moves to {} ({})", port, tsi.id(), op.kind, nb, moved.why());
                    dispatch(tsi, op, nb);
                }
            }
            if (!any && op.awaiting.isEmpty() && op.outcomes.isEmpty()) {
                op.outcomes.put(b.bridge, new Outcome.Failed(new NoBridgeException("no bridge left for VSI " + tsi.id() + ": " + moved.why())));
            }
            maybeFinish(tsi, op);
            return;
        }
        if (op.kind == Event.DEACTIVATE && wasActivated && o instanceof Outcome.Failed f && f.error() instanceof VdpRefusedException r) {
            deactivateRefused(tsi, op, b, r);
            return;
        }
        record(tsi, op, b.bridge, o);
    }

    private void record(Tsi tsi, Operation op, MacAddress bridge, Outcome o) {
        op.awaiting.remove(bridge);
        op.outcomes.put(bridge, o);
        maybeFinish(tsi, op);
    }

    /** docs/PROTOCOL.md 4.4: a bridge that refuses Associate -> Pre-Associate is legacy; apply the configured fallback. */
    private void deactivateRefused(Tsi tsi, Operation op, Binding b, VdpRefusedException r) {
        if (deactivateUnsupported.add(b.bridge)) {
            listeners.fire(l -> l.onLegacyPeer(b.bridge, "refuses Associate -> Pre-Associate (deactivate unsupported): " + r.error()));
        }
        TnveConfig.DeactivateFallback fb = config.deactivateFallback();
        LOG.warn("tnve {}: VSI {}: bridge {} refused deactivate ({}); fallback {}", port, tsi.id(), b.bridge, r.error(), fb);
        Consumer<Outcome> finish = ignored -> record(tsi, op, b.bridge, new Outcome.Failed(
                new DeactivateUnsupportedException(tsi.id(), b.bridge, r.error(), fb, b.state)));
        switch (fb) {
            case FAIL -> finish.accept(null);
            case KEEP_ACTIVE -> {
                if (b.state == TsiState.ACTIVATED) {
                    finish.accept(null);
                } else {
                    requests.send(b, PendingRequest.Kind.OPERATION, requests.typeFor(TsiState.ACTIVATED),
                            requests.status(Migration.NONE, b.bridge), "restore activation after refused deactivate", finish);
                }
            }
            case DEASSOCIATE -> {
                Runnable preAssociate = () -> requests.send(b, PendingRequest.Kind.OPERATION, requests.typeFor(TsiState.ASSOCIATED),
                        requests.status(op.migration, b.bridge), "pre-associate again after refused deactivate", finish);
                if (b.state == TsiState.INIT) {
                    preAssociate.run();
                } else {
                    requests.send(b, PendingRequest.Kind.OPERATION, requests.typeFor(TsiState.INIT),
                            requests.status(Migration.NONE, b.bridge), "de-associate instead of deactivate", o -> {
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

    private void maybeFinish(Tsi tsi, Operation op) {
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
    private void done(Tsi tsi, Operation op, TnveException failure) {
        TsiState before = tsi.committed;
        if (failure == null) {
            tsi.committed = op.target;
        } else {
            if (failure instanceof VdpRefusedException r && r.keep() && op.previousSpec != null) {
                tsi.spec = op.previousSpec; // the bridge kept the old state, and with it the old address set
            } else if (failure instanceof IllegalTsiTransitionException && op.previousSpec != null) {
                tsi.spec = op.previousSpec;
            }
            tsi.committed = tsis.primaryState(tsi);
        }
        tsi.current = null;
        if (before != tsi.committed) {
            tsis.logCommitted(LOG, tsi, before, op.kind, failure);
        }
        tsis.publish(tsi);
        if (failure == null) {
            op.future.complete(tsis.result(tsi, op.outcomes));
        } else {
            LOG.warn("tnve {}: VSI {}: {} failed: {}", port, tsi.id(), op.kind, failure.getMessage());
            op.future.completeExceptionally(failure);
        }
        tsis.forgetIfGone(tsi);
        runNext(tsi);
        if (tsi.current == null && !bridges.bridgesFor(tsi.spec.vn()).containsAll(op.dispatched)) {
            bridges.reconcile(tsi); // its VN moved while the operation ran
        }
    }
}
