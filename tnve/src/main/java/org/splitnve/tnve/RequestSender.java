package org.splitnve.tnve;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.ecptransport.clock.Scheduler;
import org.splitnve.ecptransport.vdp.VdpChannel;
import org.splitnve.ecptransport.vdp.VdpTimers;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.AssociationTlv;
import org.splitnve.vdpcore.vdp.FilterInfo;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VdpErrorCode;
import org.splitnve.vdpcore.vdp.VdpTlvType;
import org.splitnve.vdpcore.vdp.VsiStatus;

/**
 * Requests to bridges: one outstanding per {@link Binding} with its response wait ({@link ResponseWaits}), the rest waiting behind it;
 * what an answer, silence or an ECP failure does to the VSI's state there (through the {@link TsiTable}); and the
 * requests the station makes on its own, keep-alives every RKA and re-establishment of what a bridge lost. Touched on
 * the protocol thread only, except the legacy set of its {@link MigrationIndication}, which any thread reads.
 */
final class RequestSender {

    private static final Logger LOG = LoggerFactory.getLogger(RequestSender.class);
    /** How soon a De-Associate owed to a bridge the station left is sent again when it went unanswered. */
    private static final Duration RELEASE_RETRY = Duration.ofSeconds(1);

    /** Told that a bridge left a request unanswered or failed a keep-alive; bridge selection decides what follows. */
    @FunctionalInterface
    interface PeerLoss {
        void peerLost(MacAddress bridge, String why);
    }

    private final VdpChannel channel;
    private final Scheduler scheduler;
    private final Supplier<VdpTimers> timers;
    private final TnveConfig config;
    private final StationCounters counters;
    private final TagBook tags;
    private final TsiTable tsis;
    private final Executor loop;
    private final PeerLoss peerLoss;
    private final Predicate<MacAddress> groupIds;
    private final BooleanSupplier authenticated;
    private final String port;
    /** The 0x80 of each request, and which bridges are legacy. */
    final MigrationIndication indication;
    private final ResponseWaits waits;
    private final RequestRetries retries;
    private Scheduler.Timer keepAliveTimer;
    private boolean closed;

    /**
     * {@code loop} runs a task on the protocol thread (ECP completes deliveries on its own); {@code groupIds} says per
     * bridge whether EVB negotiated filter formats with a GroupID; nothing is sent while {@code authenticated} is false
     * (Req-11, {@link AuthenticationGate}).
     */
    RequestSender(VdpChannel channel, Supplier<VdpTimers> timers, TnveConfig config, StationCounters counters, TagBook tags,
                  TsiTable tsis, Executor loop, PeerLoss peerLoss, Predicate<MacAddress> groupIds, BooleanSupplier authenticated) {
        this.channel = channel;
        this.scheduler = channel.scheduler();
        this.timers = timers;
        this.config = config;
        this.counters = counters;
        this.tags = tags;
        this.tsis = tsis;
        this.loop = loop;
        this.peerLoss = peerLoss;
        this.groupIds = groupIds;
        this.authenticated = authenticated;
        this.port = channel.portName();
        this.waits = new ResponseWaits(scheduler, this::onTimeout);
        this.indication = new MigrationIndication(config);
        this.retries = new RequestRetries(port, scheduler, config, timers, counters, () -> closed, this::transmit);
    }

    /** Starts the keep-alive timer. */
    void start() {
        if (!config.faults().isEmpty()) {
            LOG.warn("tnve {}: deliberate defects {} switched on: this station is broken on purpose, for conformance mutation tests only",
                    port, config.faults());
        }
        scheduleKeepAlive();
    }

    /** Stops keep-alives and ignores the response-wait timers still running. */
    void close() {
        closed = true;
        waits.close();
        if (keepAliveTimer != null) {
            keepAliveTimer.cancel();
        }
    }

    // ---------------------------------------------------------------- what a request carries

    VdpTlvType preAssociateType() {
        return config.reserveResources() ? VdpTlvType.PRE_ASSOCIATE_RR : VdpTlvType.PRE_ASSOCIATE;
    }

    /** The request type that asks a bridge for {@code target}. */
    VdpTlvType typeFor(TsiState target) {
        return StationTsiMachine.requestType(target, preAssociateType());
    }

    /** The status of a new request ({@link MigrationIndication}). */
    VsiStatus status(Migration m, MacAddress bridge) {
        return indication.status(m, bridge);
    }

    private Duration responseWait() {
        return config.responseTimeout().orElseGet(() -> timers.get().responseWait());
    }

    // ---------------------------------------------------------------- sending and completing

    /** Sends the request now, or after the one outstanding on the binding. */
    void send(Binding b, PendingRequest.Kind kind, VdpTlvType type, VsiStatus status, String purpose, Consumer<Outcome> callback) {
        PendingRequest p = new PendingRequest(kind, type, status, purpose, callback);
        if (b.outstanding != null) {
            b.waiting.add(p);
            return;
        }
        transmit(b, p);
    }

    private void transmit(Binding b, PendingRequest p) {
        if (!authenticated.getAsBoolean()) {
            LOG.info("tnve {}: VSI {}: {} to {} not sent: the port is not authenticated", port, b.tsi.id(), p.type, b.bridge);
            complete(b, p, new Outcome.Failed(new NotAuthenticatedException("the port is not authenticated (802.1X); "
                    + p.type + " for VSI " + b.tsi.id() + " not sent")));
            return;
        }
        TsiSpec spec = b.tsi.spec;
        List<AssociationTlv> tlvs;
        CompletableFuture<Void> sent;
        b.outstanding = p;
        LocalTag tag = config.faults().contains(StationFault.KEEP_NULL_VID) ? null : tags.confirmed(b.bridge, spec.vn());
        FilterInfo filter = FilterInfo.of(spec.filterFormat(), spec.entries(tag));
        if (spec.filterFormat().hasGroupId() && !groupIds.test(b.bridge)) {
            // docs/PROTOCOL.md section 2: no GroupID formats where EVB did not negotiate them.
            filter = spec.filterWithoutGroupId(tag);
            if (filter == null) {
                LOG.warn("tnve {}: VSI {}: {} to {} not sent: IP addresses alone need a GroupID, not negotiated", port, spec.vsiId(),
                        p.type, b.bridge);
                complete(b, p, new Outcome.Failed(new GroupIdNotNegotiatedException(spec.vsiId(), b.bridge,
                        "IP addresses alone need a filter format with a GroupID, which EVB did not negotiate (BGID and SGID)")));
                return;
            }
        }
        try {
            tlvs = AssociationTlv.builder().type(p.type).status(p.status).typeId(spec.typeId()).typeVersion(spec.typeVersion())
                    .vsiId(spec.vsiId()).filter(filter).buildSplit();
            sent = channel.send(b.bridge, spec.managerId(), tlvs);
        } catch (IllegalArgumentException e) {
            LOG.warn("tnve {}: VSI {}: {} to {} not sent: {}", port, spec.vsiId(), p.type, b.bridge, e.getMessage());
            complete(b, p, new Outcome.Failed(new RequestTooLargeException(spec.vsiId(), e)));
            return;
        }
        counters.requests.incrementAndGet();
        if (p.kind != PendingRequest.Kind.OPERATION) {
            counters.keepAlives.incrementAndGet();
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("tnve {}: VSI {} -> {}: {} {} ({} TLVs, {})", port, spec.vsiId(), b.bridge, p.type, p.status, tlvs.size(), p.purpose);
        }
        waits.start(b, p, responseWait());
        sent.whenComplete((ok, e) -> {
            if (e != null) {
                loop.execute(() -> onUndeliverable(b, p, e));
            }
        });
    }

    private void onUndeliverable(Binding b, PendingRequest p, Throwable e) {
        if (b.outstanding != p) {
            return;
        }
        counters.undeliverable.incrementAndGet();
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        LOG.warn("tnve {}: VSI {}: {} to {} undeliverable: {}", port, b.tsi.id(), p.type, b.bridge, cause.getMessage());
        complete(b, p, new Outcome.Failed(new UndeliverableException(b.tsi.id(), b.bridge, cause)));
    }

    private void onTimeout(Binding b, PendingRequest p) {
        if (b.outstanding != p || closed) {
            return;
        }
        counters.timeouts.incrementAndGet();
        LOG.warn("tnve {}: VSI {}: no response from {} to {} ({}) within {}", port, b.tsi.id(), b.bridge, p.type, p.purpose, p.wait);
        complete(b, p, new Outcome.Failed(new ResponseTimeoutException(b.tsi.id(), b.bridge, p.type, p.wait)));
        peerLoss.peerLost(b.bridge, "no response to " + p.type + " for VSI " + b.tsi.id());
    }

    /** The request is over: its outcome decides the VSI's state on that bridge, then its sender hears, then the next goes. */
    void complete(Binding b, PendingRequest p, Outcome o) {
        waits.stop(p);
        if (p.timer != null) {
            p.timer.cancel();
        }
        if (retries.later(b, p, o)) {
            return;
        }
        b.outstanding = null;
        if (o instanceof Outcome.Success) {
            if (!p.deAssociate()) {
                b.leavingSince = -1; // the station uses the bridge again
            }
            if (p.deAssociate()) {
                b.currentType = null;
                b.currentStatus = null;
            } else {
                b.currentType = p.type;
                b.currentStatus = p.status;
            }
            StationTsiMachine.Event accepted = p.kind == PendingRequest.Kind.KEEP_ALIVE ? StationTsiMachine.Event.KEEP_ALIVE_ACCEPTED
                    : StationTsiMachine.accepted(p.type);
            if (StationTsiMachine.allows(b.state, accepted)) {
                tsis.move(b, accepted, p.purpose + " accepted");
            } else {
                LOG.info("tnve {}: VSI {}: {} from {} accepted, but the VSI is {} there now; it stays", port, b.tsi.id(), p.purpose,
                        b.bridge, b.state);
            }
        } else if (o instanceof Outcome.Failed f) {
            failed(b, p, f.error());
        }
        answer(p, o);
        if (b.outstanding == null) {
            PendingRequest next = b.waiting.poll();
            if (next != null) {
                transmit(b, next);
            }
        }
    }

    private void failed(Binding b, PendingRequest p, TnveException error) {
        if (error instanceof VdpRefusedException r) {
            tsis.move(b, StationTsiMachine.refused(r.keep()),
                    p.purpose + " refused (" + r.error() + ")" + (r.keep() ? " with keep" : " without keep"));
        } else if (error instanceof ResponseTimeoutException) {
            tsis.move(b, p.kind.unanswered, p.purpose + " unanswered");
        } else {
            tsis.move(b, StationTsiMachine.Event.NOT_DELIVERED, p.purpose + " not delivered");
        }
    }

    /** Tells the request's sender how it ended; a sender that throws is logged and the station goes on. */
    void answer(PendingRequest p, Outcome o) {
        try {
            p.callback.accept(o);
        } catch (RuntimeException e) {
            LOG.error("tnve {}: callback failed; the station goes on", port, e);
        }
    }

    /**
     * The bridge changed the VSI on its own while a request the station makes on its own (a keep-alive, a
     * re-establishment) was on the wire: that request is overtaken, since the bridge refuses what crossed its own
     * (docs/PROTOCOL.md 4.6). It is no longer waited for and its sender is not told; the next request goes.
     */
    void overtaken(Binding b, PendingRequest p, String why) {
        if (b.outstanding != p || p.kind == PendingRequest.Kind.OPERATION) {
            return;
        }
        waits.stop(p);
        b.outstanding = null;
        LOG.info("tnve {}: VSI {}: {} to {} overtaken ({}); its answer will be ignored", port, b.tsi.id(), p.purpose, b.bridge, why);
        PendingRequest next = b.waiting.poll();
        if (next != null) {
            transmit(b, next);
        }
    }

    /** Drops the binding's requests, outstanding and waiting, without telling their senders; returns them. */
    List<PendingRequest> abandon(Binding b) {
        List<PendingRequest> dropped = new ArrayList<>();
        if (b.outstanding != null) {
            waits.stop(b.outstanding);
            if (b.outstanding.timer != null) {
                b.outstanding.timer.cancel();
            }
            dropped.add(b.outstanding);
            b.outstanding = null;
        }
        dropped.addAll(b.waiting);
        b.waiting.clear();
        return dropped;
    }

    // ---------------------------------------------------------------- requests of the station's own

    /** Puts the TSI's committed state on {@code bridge} (failover, a VN assigned there); nothing if it holds none. */
    void reestablish(Tsi tsi, MacAddress bridge, String why) {
        TsiState target;
        try {
            target = StationTsiMachine.next(tsi.committed, StationTsiMachine.Event.RE_ESTABLISH).to();
        } catch (StationTsiMachine.IllegalTransition e) {
            LOG.debug("tnve {}: VSI {}: nothing to re-establish on {}: {}", port, tsi.id(), bridge, e.getMessage());
            return;
        }
        Binding b = tsi.binding(bridge);
        send(b, PendingRequest.Kind.REESTABLISH, typeFor(target), status(Migration.NONE, bridge), "re-establish: " + why,
                background(tsi, b));
    }

    /**
     * The station no longer uses {@code b}'s bridge for the VSI (failover, its VN moved) but the bridge may still hold
     * it, and must not go on forwarding for it beside the bridge that took over (docs/VDP-ENGINES.md): it is
     * de-associated there now and, while that goes undelivered or unanswered, again every second, until the bridge's
     * own keep-alive timeout has freed it anyway. An answer of any kind ends it.
     */
    void release(Binding b, String why) {
        if (b.leavingSince < 0) {
            b.leavingSince = scheduler.nanoTime();
        }
        long since = b.leavingSince;
        send(b, PendingRequest.Kind.RELEASE, VdpTlvType.DE_ASSOCIATE, status(Migration.NONE, b.bridge), "de-associate: " + why, o -> {
            if (b.leavingSince != since) {
                return; // used again meanwhile
            }
            boolean unanswered = o instanceof Outcome.Failed f && !(f.error() instanceof VdpRefusedException);
            if (!unanswered) {
                b.leavingSince = -1;
                return;
            }
            if (closed || scheduler.nanoTime() - since >= timers.get().bridgeKeepAliveTimeout().toNanos()) {
                LOG.info("tnve {}: VSI {}: {} never answered its De-Associate; its own keep-alive timeout has freed it", port,
                        b.tsi.id(), b.bridge);
                b.leavingSince = -1;
                return;
            }
            scheduler.schedule(RELEASE_RETRY, () -> loop.execute(() -> {
                if (b.leavingSince == since && b.idle() && !closed) {
                    release(b, why);
                }
            }));
        });
    }

    /** A bridge heard again gets the De-Associates it is owed at once. */
    void releaseOwed(MacAddress bridge) {
        for (Tsi tsi : tsis.all()) {
            Binding b = tsi.bindings.get(bridge);
            if (b != null && b.leavingSince >= 0 && b.idle()) {
                release(b, "owed since the station left the bridge");
            }
        }
    }

    /** Re-sends the current TLV of every VSI held on {@code bridge}, with null VIDs so that the bridge confirms its tags. */
    void reestablishAll(MacAddress bridge, Binding except, String why) {
        tags.unconfirmAll(bridge);
        int n = 0;
        for (Tsi tsi : tsis.all()) {
            Binding b = tsi.bindings.get(bridge);
            if (b == null || b == except || !b.idle() || b.currentType == null
                    || !StationTsiMachine.allows(b.state, StationTsiMachine.Event.RE_ESTABLISH)) {
                continue;
            }
            send(b, PendingRequest.Kind.REESTABLISH, b.currentType, indication.current(b), "re-establish: " + why, background(tsi, b));
            n++;
        }
        LOG.info("tnve {}: re-sent {} current TLVs to {} ({})", port, n, bridge, why);
    }

    /** The callback of a request outside any operation: a failure is logged and the TSI's state follows its bridges. */
    Consumer<Outcome> background(Tsi tsi, Binding b) {
        return o -> {
            if (o instanceof Outcome.Failed f) {
                LOG.warn("tnve {}: background request for VSI {} to {} failed: {}", port, tsi.id(), b.bridge, f.error().getMessage());
                tsis.settle(tsi, "background request failed");
            }
        };
    }

    private void scheduleKeepAlive() {
        if (closed) {
            return;
        }
        keepAliveTimer = scheduler.schedule(timers.get().keepAlive(), () -> {
            try {
                keepAlive();
            } catch (RuntimeException e) {
                LOG.error("tnve {}: keep-alive failed; rescheduling", port, e);
            }
            scheduleKeepAlive();
        });
    }

    private void keepAlive() {
        if (!authenticated.getAsBoolean()) {
            LOG.debug("tnve {}: keep-alive skipped: the port is not authenticated", port);
            return;
        }
        int n = 0;
        for (Tsi tsi : tsis.all()) {
            List<MacAddress> using = tsis.bridgesFor(tsi.spec.vn());
            for (Binding b : List.copyOf(tsi.bindings.values())) {
                if (!using.contains(b.bridge)) {
                    // A bridge the VN left is never kept alive, and is told to let go if it may still hold the VSI.
                    if (b.idle() && b.leavingSince < 0 && b.state != TsiState.INIT) {
                        release(b, tsi.spec.vn() + " is no longer on this bridge");
                    }
                    continue;
                }
                if (!b.idle() || b.currentType == null || !StationTsiMachine.allows(b.state, StationTsiMachine.Event.KEEP_ALIVE)
                        || config.faults().contains(StationFault.NO_KEEP_ALIVES)) {
                    continue;
                }
                send(b, PendingRequest.Kind.KEEP_ALIVE, b.currentType, indication.current(b), "keep-alive", o -> onKeepAlive(b, o));
                n++;
            }
        }
        LOG.debug("tnve {}: keep-alive: re-sent {} current TLVs", port, n);
    }

    private void onKeepAlive(Binding b, Outcome o) {
        if (o instanceof Outcome.Failed f && f.error() instanceof VdpRefusedException r && r.keep()
                && r.error().value() == VdpErrorCode.INVALID_VID_GROUPID_OR_MAC.value()
                && tags.known(b.bridge, b.tsi.spec.vn()) != null) {
            // The bridge answered, so it is not lost: it no longer grants the tag we hold (it restarted and
            // gave the VID to another VN, or its pool changed). Ask again with null VIDs, for every VSI.
            LOG.warn("tnve {}: keep-alive for VSI {} to {}: {} refused ({}); re-establishing with null VIDs", port,
                    b.tsi.id(), b.bridge, tags.known(b.bridge, b.tsi.spec.vn()), r.getMessage());
            reestablishAll(b.bridge, null, "the bridge refused the tag of " + b.tsi.spec.vn() + " in a keep-alive");
            return;
        }
        if (o instanceof Outcome.Failed f) {
            LOG.warn("tnve {}: keep-alive for VSI {} to {} failed: {}", port, b.tsi.id(), b.bridge, f.error().getMessage());
            tsis.settle(b.tsi, "keep-alive failed");
            peerLoss.peerLost(b.bridge, "keep-alive for VSI " + b.tsi.id() + " failed: " + f.error().getMessage());
        }
    }
}
