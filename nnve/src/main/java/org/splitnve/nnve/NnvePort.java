package org.splitnve.nnve;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.ecptransport.clock.Scheduler;
import org.splitnve.ecptransport.vdp.VdpChannel;
import org.splitnve.ecptransport.vdp.VdpTimers;
import org.splitnve.nnve.nva.VnContext;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.AssociationTlv;
import org.splitnve.vdpcore.vdp.FilterEntry;
import org.splitnve.vdpcore.vdp.FilterInfo;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.ParsedVdpdu;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VdpErrorCode;
import org.splitnve.vdpcore.vdp.VdpTlvType;
import org.splitnve.vdpcore.vdp.VnId;

/**
 * The VDP bridge on one port of an {@link Nnve}: answers station requests and runs the TSI state
 * machine per (station, VSI), one request per VSI at a time. The rules a request must pass are
 * {@link RequestChecks}; the VAPs and tags of the port are its {@link VapTable}, what each station holds against its
 * quotas its {@link StationQuotas}, the NVA its {@link NvaSync}, the keep-alive timeout its {@link KeepAliveSweep},
 * and each TSI change goes out through its {@link TsiPublisher}; the nNVE is reached through {@link PortOwner}. Each
 * station's timers are those EVB negotiated with it (Req-2). Everything here
 * runs on the channel's scheduler thread; the maps are concurrent only so that views can be read
 * from other threads.
 *
 * <p>Filter formats with a GroupID (3, 4, 0x05, 0x06) are taken only from stations with which EVB negotiated them
 * (error 1 otherwise, docs/PROTOCOL.md section 2). They name the VN in every entry; a TSI belongs to
 * one VN, so entries naming several VNs are refused with error 5. Formats without one (1, 2, 0x07)
 * must carry a non-null VID that is the tag of a VN already connected on this port (by an earlier
 * request with a GroupID); otherwise error 5. A known VSI asking for another VN is refused with
 * error 5 and keep: it must be de-associated first.
 */
public final class NnvePort {

    private static final Logger LOG = LoggerFactory.getLogger(NnvePort.class);

    private final PortOwner owner;
    private final Counters counters;
    private final VdpChannel channel;
    private final Function<MacAddress, VdpTimers> timers;
    private final String name;
    private final Scheduler scheduler;
    private final ConcurrentHashMap<TsiKey, Tsi> tsis = new ConcurrentHashMap<>();
    private final AtomicInteger held = new AtomicInteger();
    private final VapTable vaps;
    private final NvaSync nva;
    private final TsiPublisher changes;
    private final KeepAliveSweep sweep;
    private final NveRequests own;
    private final StationAnswers answers;
    private final Predicate<MacAddress> groupIds;
    private final PortAdmission admission;
    private final StationQuotas quotas;

    NnvePort(PortOwner owner, VdpChannel channel, Function<MacAddress, VdpTimers> timers, LocalTagPool pool,
             Predicate<MacAddress> groupIds, PortAdmission admission) {
        this.owner = owner;
        this.groupIds = groupIds;
        this.counters = owner.counters();
        this.channel = channel;
        this.timers = timers;
        this.admission = admission;
        this.name = channel.portName();
        this.scheduler = channel.scheduler();
        this.vaps = new VapTable(name, pool, owner);
        this.quotas = new StationQuotas(name, owner.config());
        this.nva = new NvaSync(name, owner.nva(), owner.config().nveName(), counters, scheduler, owner::onProtocolThread, owner::closed);
        this.changes = new TsiPublisher(name, nva, owner);
        this.answers = StationAnswers.of(channel, owner);
        this.own = new NveRequests(name, channel, timers, answers);
        this.sweep = new KeepAliveSweep(name, scheduler, timers, tsis.values(), held::get, owner::closed, counters,
                tsi -> deassociateInTurn(tsi, "keep-alive timeout", true, (ok, e) -> { }),
                owner.config().faults().contains(BridgeFault.NO_KEEP_ALIVE_TIMEOUT));
        channel.addListener((peer, pdu) -> {
            if (!owner.closed()) {
                received(peer, pdu, admission.admits(peer));
            }
        });
    }

    public String name() {
        return name;
    }

    public VdpChannel channel() {
        return channel;
    }

    /** Which stations the port serves (Req-11): all, or those its 802.1X authorization admits. */
    public PortAdmission admission() {
        return admission;
    }

    /** The VDP timers with one station now (read at each use, since LLDP may renegotiate them). */
    public VdpTimers timers(MacAddress station) {
        return timers.apply(station);
    }

    /** TSIs held (Associated or Activated) on this port. */
    public int tsiCount() {
        return held.get();
    }

    @Override
    public String toString() {
        return "NnvePort[" + name + ", " + held.get() + " TSIs, " + vaps.size() + " VNs]";
    }

    // ---------------------------------------------------------------- what the nNVE reads

    /** The TSI instance of {@code key}, or null (an instance may be in INIT while a request for it runs). */
    Tsi instance(TsiKey key) {
        return tsis.get(key);
    }

    /** Every TSI instance, a live view. */
    Collection<Tsi> instances() {
        return tsis.values();
    }

    VapTable vapTable() {
        return vaps;
    }

    void close() {
        answers.dropped().flush();
        sweep.cancel();
        own.close();
        nva.close();
    }

    // ---------------------------------------------------------------- receive

    /**
     * Serves a VDPDU's requests if its station is admitted (Req-11). Its responses to the nNVE's own requests are taken
     * either way: a station whose authorization ended still confirms the De-Associates that ending caused, and a
     * confirmation creates nothing.
     */
    private void received(MacAddress peer, ParsedVdpdu pdu, boolean admitted) {
        boolean dropped = false;
        changes.begin();
        try {
            for (VdpduRequests.Item item : VdpduRequests.of(peer, pdu)) {
                if (item instanceof VdpduRequests.Response r) {
                    stationResponse(peer, r.tlv());
                } else if (!admitted) {
                    dropped = true;
                } else if (item instanceof VdpduRequests.Serve s) {
                    submit(s.request());
                } else if (item instanceof VdpduRequests.Refuse f) {
                    answers.refuseWhole(f);
                }
            }
        } finally {
            changes.end(peer);
        }
        if (dropped) {
            admission.dropped(peer, scheduler.nanoTime());
        }
    }

    private void stationResponse(MacAddress peer, AssociationTlv t) {
        if (own.answered(new TsiKey(name, peer, t.vsiId()), t.type()) || t.type() == VdpTlvType.DE_ASSOCIATE) {
            counters.stationAcks.incrementAndGet();
            LOG.debug("nnve {}: {} answered our {} of {}: {}", name, peer, t.type(), t.vsiId(), t.status());
        } else {
            // A response bit arriving at a bridge is an invalid request; nothing in it is ours to answer.
            counters.unexpectedResponses.incrementAndGet();
            answers.dropped().warn("unexpected response", "nnve {}: from {} unexpected response-bit {} for {} ignored", name, peer,
                    t.type(), t.vsiId());
        }
    }

    // ---------------------------------------------------------------- per-VSI serialization

    private void submit(Request req) {
        TsiKey key = new TsiKey(name, req.peer(), req.vsiId());
        Tsi tsi = tsis.computeIfAbsent(key, Tsi::new);
        // Any request proves the station is alive: the keep-alive restarts now, even if the
        // request has to wait behind another one for this VSI.
        tsi.lastRefresh = scheduler.nanoTime();
        counters.requests.incrementAndGet();
        enqueue(tsi, done -> handle(tsi, req, done));
    }

    private void enqueue(Tsi tsi, Tsi.Work work) {
        if (tsi.busy) {
            if (tsi.queue == null) {
                tsi.queue = new ArrayDeque<>(2);
            }
            tsi.queue.add(work);
            return;
        }
        start(tsi, work);
    }

    private void start(Tsi tsi, Tsi.Work work) {
        tsi.busy = true;
        boolean[] finished = {false};
        Runnable done = () -> {
            if (!finished[0]) {
                finished[0] = true;
                finish(tsi);
            }
        };
        try {
            work.run(done);
        } catch (RuntimeException e) {
            LOG.error("nnve {}: work on {} failed; the VSI stays as it was", name, tsi.key, e);
            done.run();
        }
    }

    private void finish(Tsi tsi) {
        tsi.busy = false;
        Tsi.Work next = tsi.queue == null ? null : tsi.queue.poll();
        if (next != null) {
            start(tsi, next);
        } else {
            tsi.queue = null;
            if (tsi.view == null) {
                tsis.remove(tsi.key, tsi);
            }
        }
    }

    // ---------------------------------------------------------------- requests

    private void handle(Tsi tsi, Request req, Runnable done) {
        if (own.crossed(tsi.key, req.type())) {
            // Sent before the station saw our own request for this VSI: serving it would undo ours.
            counters.crossedRequests.incrementAndGet();
            answers.refuse(tsi.key, tsi.state(), req, new Refusal(VdpErrorCode.OTHER_FAILURE, "it crossed the nNVE's own request for the VSI on the wire",
                    tsi.view != null));
            done.run();
            return;
        }
        TsiMachine.Event event = req.type() == VdpTlvType.DE_ASSOCIATE ? TsiMachine.Event.DE_ASSOCIATE
                : req.type() == VdpTlvType.ASSOCIATE ? TsiMachine.Event.ASSOCIATE : TsiMachine.Event.PRE_ASSOCIATE;
        TsiState from = tsi.state();
        TsiMachine.Transition tr;
        try {
            tr = TsiMachine.next(from, event);
        } catch (TsiMachine.IllegalTransition e) {
            // Station events are legal in every state; only bridge events can be illegal.
            answers.refuse(tsi.key, tsi.state(), req, new Refusal(VdpErrorCode.OTHER_FAILURE, e.getMessage()));
            done.run();
            return;
        }
        if (event == TsiMachine.Event.DE_ASSOCIATE) {
            stationDeassociate(tsi, req);
            done.run();
            return;
        }
        try {
            RequestChecks.groupIdNegotiated(req, groupIds.test(req.peer()));
            VnId vn = RequestChecks.vn(req, name, vaps::vnOfTag);
            Set<Integer> vids = RequestChecks.requestedVids(req);
            TsiView old = tsi.view;
            RequestChecks.injectedRefusals(owner.config().faults(), req, tr, old);
            if (old != null) {
                RequestChecks.sameVn(old, vn);
                if (tr.to() == from && RequestChecks.sameAs(old, req)) {
                    counters.refreshes.incrementAndGet();
                    if (LOG.isDebugEnabled()) {
                        LOG.debug("nnve {}: keep-alive {} {} from {} ({})", name, req.type(), req.vsiId(), req.peer(), from);
                    }
                    answers.respond(tsi.key, req, old.filter(), VdpErrorCode.SUCCESS, false);
                    done.run();
                    return;
                }
            }
            RequestChecks.authorize(req, vn, name, owner.policy(), admission.identity(req.peer()));
            VapView vap = vaps.get(vn);
            // Refused before the NVA is asked, so that a refused request leaves nothing there.
            quotas.check(req.peer(), vn, old == null, vap != null, vaps.size(), held.get(), owner.totalTsis());
            if (vap == null && !vaps.tagAvailableFor(vn)) {
                throw new Refusal(VdpErrorCode.INSUFFICIENT_RESOURCES, "no local tag is free on " + name + " for " + vn);
            }
            if (vap != null) {
                commit(tsi, req, vn, vids, tr, vap.context());
                done.run();
                return;
            }
            resolveThenCommit(tsi, req, vn, vids, tr, done);
        } catch (Refusal r) {
            answers.refuse(tsi.key, tsi.state(), req, r);
            done.run();
        }
    }

    /** VN_Connect needs the VN's context from the NVA, within the port's resource wait. */
    private void resolveThenCommit(Tsi tsi, Request req, VnId vn, Set<Integer> vids, TsiMachine.Transition tr, Runnable done) {
        nva.vnContext(vn, timers.apply(req.peer()).resourceWait(), (ctx, refusal) -> {
            try {
                if (refusal != null) {
                    answers.refuse(tsi.key, tsi.state(), req, refusal);
                    return;
                }
                // Another request may have connected the VN meanwhile; its context stands.
                VapView vap = vaps.get(vn);
                commit(tsi, req, vn, vids, tr, vap != null ? vap.context() : ctx);
            } catch (Refusal r) {
                answers.refuse(tsi.key, tsi.state(), req, r);
            } finally {
                done.run();
            }
        });
    }

    /** Applies an Associate/Pre-Associate whose VN context is known: no waiting from here on. */
    private void commit(Tsi tsi, Request req, VnId vn, Set<Integer> vids, TsiMachine.Transition tr, VnContext ctx) throws Refusal {
        TsiView old = tsi.view;
        TsiState from = old == null ? TsiState.INIT : old.state();
        quotas.check(req.peer(), vn, old == null, vaps.get(vn) != null, vaps.size(), held.get(), owner.totalTsis());
        LocalTag first = vaps.tagsFor(vn, vids, ctx, tsi.key);
        boolean migration = req.migrationIn();
        FilterInfo filter = req.filterWith(first);
        TsiView now = new TsiView(tsi.key, req.managerId(), req.first().typeId(), req.first().typeVersion(), vn,
                LocalTag.of(filter.entries().get(0).vid()), tr.to(), filter, from == tr.to() && old != null ? old.migration() : migration,
                tsi.lastRefresh);
        tsi.view = now;
        vaps.tsiChanged(old, now, "updated");
        quotas.changed(req.peer(), old, now);
        if (old == null) {
            held.incrementAndGet();
            owner.tsiAdded();
            sweep.tsiHeld(req.peer());
        }
        changes.changed(tsi.key, old, now, () -> (from != tr.to() ? tr.meaning() : old != null && !old.filter().equals(now.filter())
                ? "addresses updated" : "updated") + " by " + req.type() + (migration ? " (migration)" : "")
                + (req.status().s() ? " (migrating away or suspended)" : ""), req.mayHaveMovedAway());
        answers.respond(tsi.key, req, filter, VdpErrorCode.SUCCESS, false);
    }

    // ---------------------------------------------------------------- De-Associate

    private void stationDeassociate(Tsi tsi, Request req) {
        TsiView old = tsi.view;
        if (old == null) {
            counters.unknownDeassociates.incrementAndGet();
            LOG.debug("nnve {}: De-Associate of unknown {} from {} answered success", name, req.vsiId(), req.peer());
            answers.respond(tsi.key, req, null, VdpErrorCode.SUCCESS, false);
            return;
        }
        free(tsi, "De-Associate from the station", req.mayHaveMovedAway());
        if (!owner.config().faults().contains(BridgeFault.NO_DE_ASSOCIATE_ANSWER)) {
            answers.respond(tsi.key, req, old.filter(), VdpErrorCode.SUCCESS, false);
        }
    }

    /** Back to INIT: withdraw everything, release the VN if this was its last TSI on the port. */
    private void free(Tsi tsi, String why, boolean mayHaveMoved) {
        TsiView old = tsi.view;
        tsi.view = null;
        held.decrementAndGet();
        owner.tsiRemoved();
        quotas.changed(tsi.key.station(), old, null);
        changes.changed(tsi.key, old, null, why, mayHaveMoved);
        vaps.tsiChanged(old, null, why);
    }

    /**
     * Req-6, Req-9 and the keep-alive timeout: after any request for the TSI in progress, frees it
     * here and tells the station with an unsolicited De-Associate (type 4, response bit clear)
     * echoing the TSI's filter. {@code then} gets the outcome: {@link NnveException.UnknownTsi} if
     * the TSI is no longer held, {@link NnveException.Undelivered} if ECP could not deliver the
     * De-Associate (it is freed anyway).
     *
     * @param mayHaveMoved whether its frames are held for a new location: a station that stopped refreshing may have
     *                     moved it, an operator's decision is not a migration (docs/PROTOCOL.md 4.2)
     */
    void deassociateInTurn(Tsi tsi, String why, boolean mayHaveMoved, BiConsumer<? super Void, ? super Throwable> then) {
        inTurn(tsi, then, () -> bridgeDeassociate(tsi, why, mayHaveMoved));
    }

    /**
     * Req-9: after any request for the TSI in progress, deactivates it here and tells the station with an unsolicited
     * Pre-Associate echoing its filter (docs/PROTOCOL.md 4.6). Fails with {@link NnveException.InvalidChange} if it
     * is not Activated.
     */
    void deactivateInTurn(Tsi tsi, String why, BiConsumer<? super Void, ? super Throwable> then) {
        inTurn(tsi, then, () -> bridgeChange(tsi, TsiMachine.Event.BRIDGE_DEACTIVATE, null, why));
    }

    /**
     * Req-9: after any request for the TSI in progress, removes the entries with the addresses of {@code gone} here
     * and tells the station with an unsolicited De-Associate carrying only those (docs/PROTOCOL.md 4.6); the TSI keeps
     * its state. Fails with {@link NnveException.InvalidChange} for an address the TSI does not have, or for all of them.
     */
    void removeAddressesInTurn(Tsi tsi, List<FilterEntry> gone, String why, BiConsumer<? super Void, ? super Throwable> then) {
        inTurn(tsi, then, () -> bridgeChange(tsi, TsiMachine.Event.BRIDGE_REMOVE_ADDRESSES, gone, why));
    }

    private void inTurn(Tsi tsi, BiConsumer<? super Void, ? super Throwable> then, Supplier<CompletableFuture<Void>> change) {
        enqueue(tsi, done -> {
            change.get().whenComplete(then);
            done.run();
        });
    }

    private CompletableFuture<Void> bridgeDeassociate(Tsi tsi, String why, boolean mayHaveMoved) {
        try {
            TsiMachine.next(tsi.state(), TsiMachine.Event.BRIDGE_DE_ASSOCIATE);
        } catch (TsiMachine.IllegalTransition e) {
            return CompletableFuture.failedFuture(new NnveException.UnknownTsi(tsi.key));
        }
        TsiView old = tsi.view;
        free(tsi, why, mayHaveMoved);
        counters.bridgeDeassociates.incrementAndGet();
        return own.tell(old, VdpTlvType.DE_ASSOCIATE, old.filter(), why);
    }

    /** Deactivates the TSI, or removes some of its entries, and tells the station. */
    private CompletableFuture<Void> bridgeChange(Tsi tsi, TsiMachine.Event event, List<FilterEntry> gone, String why) {
        TsiView old = tsi.view;
        if (old == null) {
            return CompletableFuture.failedFuture(new NnveException.UnknownTsi(tsi.key));
        }
        TsiMachine.Transition tr;
        FilterInfo kept = old.filter();
        FilterInfo told = old.filter();
        try {
            tr = TsiMachine.next(old.state(), event);
            if (gone != null) {
                told = FilterInfo.of(old.filter().format(), RequestChecks.entriesNamed(old, gone));
                kept = FilterInfo.of(old.filter().format(), RequestChecks.entriesNotNamed(old, gone));
            }
        } catch (TsiMachine.IllegalTransition | Refusal e) {
            return CompletableFuture.failedFuture(new NnveException.InvalidChange(tsi.key + ": " + e.getMessage()));
        }
        TsiView now = new TsiView(tsi.key, old.managerId(), old.typeId(), old.typeVersion(), old.vn(), old.tag(), tr.to(), kept,
                tr.to() == old.state() && old.migration(), tsi.lastRefresh);
        tsi.view = now;
        changes.changed(tsi.key, old, now, tr.meaning() + " by the nNVE: " + why, false);
        (gone == null ? counters.bridgeDeactivates : counters.bridgeRemovals).incrementAndGet();
        return own.tell(old, gone == null ? VdpTlvType.PRE_ASSOCIATE : VdpTlvType.DE_ASSOCIATE, told, why);
    }
}
