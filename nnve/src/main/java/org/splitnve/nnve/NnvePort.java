package org.splitnve.nnve;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.ecptransport.clock.Scheduler;
import org.splitnve.ecptransport.vdp.VdpChannel;
import org.splitnve.ecptransport.vdp.VdpTimers;
import org.splitnve.nnve.nva.VnContext;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.AssociationTlv;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.ManagerId;
import org.splitnve.vdpcore.vdp.ParsedVdpdu;
import org.splitnve.vdpcore.vdp.RejectedTlv;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VdpErrorCode;
import org.splitnve.vdpcore.vdp.VdpTlvType;
import org.splitnve.vdpcore.vdp.VsiId;
import org.splitnve.vdpcore.vdp.VnId;
import org.splitnve.vdpcore.vdp.VsiStatus;

/**
 * The VDP bridge on one port of an {@link Nnve}: answers station requests and runs the TSI state
 * machine per (station, VSI), one request per VSI at a time. The rules a request must pass are
 * {@link RequestChecks}; the VAPs and tags of the port are its {@link VapTable}, the NVA its
 * {@link NvaSync}, the keep-alive timeout its {@link KeepAliveSweep}, and each TSI change goes out
 * through its {@link TsiPublisher}; the nNVE is reached through {@link PortOwner}. Everything here
 * runs on the channel's scheduler thread; the maps are concurrent only so that views can be read
 * from other threads.
 *
 * <p>Filter formats with a GroupID (3, 4, 0x05, 0x06) name the VN in every entry; a TSI belongs to
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
    private final Supplier<VdpTimers> timers;
    private final String name;
    private final Scheduler scheduler;
    private final ConcurrentHashMap<TsiKey, Tsi> tsis = new ConcurrentHashMap<>();
    private final AtomicInteger held = new AtomicInteger();
    private final VapTable vaps;
    private final NvaSync nva;
    private final TsiPublisher changes;
    private final KeepAliveSweep sweep;
    private final PortAdmission admission;

    NnvePort(PortOwner owner, VdpChannel channel, Supplier<VdpTimers> timers, LocalTagPool pool, PortAdmission admission) {
        this.owner = owner;
        this.counters = owner.counters();
        this.channel = channel;
        this.timers = timers;
        this.admission = admission;
        this.name = channel.portName();
        this.scheduler = channel.scheduler();
        this.vaps = new VapTable(name, pool, owner);
        this.nva = new NvaSync(name, owner.nva(), owner.config().nveName(), counters, scheduler, owner::onProtocolThread, timers);
        this.changes = new TsiPublisher(name, nva, owner);
        this.sweep = new KeepAliveSweep(name, scheduler, timers, tsis.values(), held::get, owner::closed, counters,
                tsi -> deassociateInTurn(tsi, "keep-alive timeout", (ok, e) -> { }));
        channel.addListener((peer, pdu) -> {
            if (!owner.closed() && admission.admits(peer, scheduler.nanoTime())) {
                received(peer, pdu);
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

    /** The port's VDP timers now (read at each use, since LLDP may renegotiate them). */
    public VdpTimers timers() {
        return timers.get();
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
        sweep.cancel();
    }

    // ---------------------------------------------------------------- receive

    private void received(MacAddress peer, ParsedVdpdu pdu) {
        ManagerId mgr = pdu.managerId();
        Map<Integer, RejectedTlv> bad = new HashMap<>();
        for (RejectedTlv r : pdu.rejected()) {
            bad.put(r.index(), r);
        }
        int good = 0;
        Request group = null;
        for (int i = 0; i < pdu.associationCount(); i++) {
            RejectedTlv r = bad.get(i);
            if (r != null) {
                group = flush(group);
                answerRejected(peer, mgr, r);
                continue;
            }
            AssociationTlv t = pdu.associations().get(good++);
            if (t.status().isResponse()) {
                group = flush(group);
                stationResponse(peer, t);
            } else if (group != null && group.continuedBy(t)) {
                group.tlvs().add(t);
            } else {
                flush(group);
                List<AssociationTlv> tlvs = new ArrayList<>(1);
                tlvs.add(t);
                group = new Request(peer, mgr, tlvs);
            }
        }
        flush(group);
    }

    private Request flush(Request group) {
        if (group != null) {
            submit(new Request(group.peer(), group.managerId(), List.copyOf(group.tlvs())));
        }
        return null;
    }

    private void answerRejected(MacAddress peer, ManagerId mgr, RejectedTlv r) {
        byte[] v = r.value();
        if (!r.answerable() || (v[0] & 0x40) != 0) {
            counters.unanswerableTlvs.incrementAndGet();
            LOG.warn("nnve {}: from {} {} cannot be answered ({}); dropped", name, peer, r,
                    r.answerable() ? "it is a response" : "too short to carry a VSI ID");
            return;
        }
        // An unreadable VSI ID format is named by its raw octets, so events and logs still tell requests apart.
        VsiId id = r.vsiId() != null ? r.vsiId() : new VsiId.Local(Arrays.copyOfRange(v, 6, 22));
        counters.rejectedTlvs.incrementAndGet();
        counters.response(r.error().value());
        LOG.warn("nnve {}: from {} {} {} refused with error {}: {}", name, peer, r.type(), id, r.error(), r.cause().reason());
        channel.sendRaw(peer, mgr, r.type(), r.responseValue()).whenComplete((ok, e) -> {
            if (e != null) {
                undelivered("answer to a rejected " + r.type() + " for " + id, peer, e);
            }
        });
        TsiKey key = new TsiKey(name, peer, id);
        owner.publish(l -> l.onRefused(new RefusalEvent(name, key, r, r.error(), r.cause().reason())));
    }

    private void stationResponse(MacAddress peer, AssociationTlv t) {
        if (t.type() == VdpTlvType.DE_ASSOCIATE) {
            counters.stationAcks.incrementAndGet();
            LOG.debug("nnve {}: {} answered our De-Associate of {}: {}", name, peer, t.vsiId(), t.status());
        } else {
            // A response bit arriving at a bridge is an invalid request; nothing in it is ours to answer.
            counters.unexpectedResponses.incrementAndGet();
            LOG.warn("nnve {}: from {} unexpected response-bit {} for {} ignored", name, peer, t.type(), t.vsiId());
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
        TsiMachine.Event event = req.type() == VdpTlvType.DE_ASSOCIATE ? TsiMachine.Event.DE_ASSOCIATE
                : req.type() == VdpTlvType.ASSOCIATE ? TsiMachine.Event.ASSOCIATE : TsiMachine.Event.PRE_ASSOCIATE;
        TsiState from = tsi.state();
        TsiMachine.Transition tr;
        try {
            tr = TsiMachine.next(from, event);
        } catch (TsiMachine.IllegalTransition e) {
            // Station events are legal in every state; only bridge events can be illegal.
            refuse(tsi, req, new Refusal(VdpErrorCode.OTHER_FAILURE, e.getMessage()));
            done.run();
            return;
        }
        if (event == TsiMachine.Event.DE_ASSOCIATE) {
            stationDeassociate(tsi, req);
            done.run();
            return;
        }
        try {
            VnId vn = RequestChecks.vn(req, name, vaps::vnOfTag);
            int vid = RequestChecks.requestedVid(req);
            TsiView old = tsi.view;
            if (old != null) {
                RequestChecks.sameVn(old, vn);
                RequestChecks.vidIsTag(vid, vn, old.tag(), name);
                if (tr.to() == from && RequestChecks.sameAs(old, req)) {
                    counters.refreshes.incrementAndGet();
                    LOG.debug("nnve {}: keep-alive {} {} from {} ({})", name, req.type(), req.vsiId(), req.peer(), from);
                    respond(tsi.key, req, old.tag(), VdpErrorCode.SUCCESS, false);
                    done.run();
                    return;
                }
            }
            RequestChecks.authorize(req, vn, name, owner.policy(), admission.identity(req.peer()));
            VapView vap = vaps.get(vn);
            if (vap != null) {
                commit(tsi, req, vn, vid, tr, vap.context());
                done.run();
                return;
            }
            resolveThenCommit(tsi, req, vn, vid, tr, done);
        } catch (Refusal r) {
            refuse(tsi, req, r);
            done.run();
        }
    }

    /** VN_Connect needs the VN's context from the NVA, within the port's resource wait. */
    private void resolveThenCommit(Tsi tsi, Request req, VnId vn, int vid, TsiMachine.Transition tr, Runnable done) {
        nva.vnContext(vn, (ctx, refusal) -> {
            try {
                if (refusal != null) {
                    refuse(tsi, req, refusal);
                    return;
                }
                // Another request may have connected the VN meanwhile; its context stands.
                VapView vap = vaps.get(vn);
                commit(tsi, req, vn, vid, tr, vap != null ? vap.context() : ctx);
            } catch (Refusal r) {
                refuse(tsi, req, r);
            } finally {
                done.run();
            }
        });
    }

    /** Applies an Associate/Pre-Associate whose VN context is known: no waiting from here on. */
    private void commit(Tsi tsi, Request req, VnId vn, int vid, TsiMachine.Transition tr, VnContext ctx) throws Refusal {
        TsiView old = tsi.view;
        TsiState from = old == null ? TsiState.INIT : old.state();
        if (old == null) {
            RequestChecks.withinLimits(held.get(), owner.totalTsis(), owner.config(), name);
        }
        LocalTag tag = vaps.tagFor(vn, vid, ctx, tsi.key);
        boolean migration = req.migrationIn();
        TsiView now = new TsiView(tsi.key, req.managerId(), req.first().typeId(), req.first().typeVersion(), vn, tag, tr.to(),
                req.filterWith(tag), from == tr.to() && old != null ? old.migration() : migration, tsi.lastRefresh);
        tsi.view = now;
        if (old == null) {
            held.incrementAndGet();
            owner.tsiAdded();
            vaps.tsiJoined(vn);
            sweep.tsiHeld();
        }
        boolean changedAddresses = old != null && !old.filter().equals(now.filter());
        String why = (from == tr.to() ? (changedAddresses ? "addresses updated" : "updated") : tr.meaning()) + " by " + req.type()
                + (migration ? " (migration)" : "") + (req.status().migrationIndicationValid() && req.status().s() ? " (migrating away or suspended)" : "");
        changes.changed(tsi.key, old, now, why);
        respond(tsi.key, req, tag, VdpErrorCode.SUCCESS, false);
    }

    // ---------------------------------------------------------------- De-Associate

    private void stationDeassociate(Tsi tsi, Request req) {
        TsiView old = tsi.view;
        if (old == null) {
            counters.unknownDeassociates.incrementAndGet();
            LOG.debug("nnve {}: De-Associate of unknown {} from {} answered success", name, req.vsiId(), req.peer());
            respond(tsi.key, req, null, VdpErrorCode.SUCCESS, false);
            return;
        }
        free(tsi, "De-Associate from the station");
        respond(tsi.key, req, old.tag(), VdpErrorCode.SUCCESS, false);
    }

    /** Back to INIT: withdraw everything, release the VN if this was its last TSI on the port. */
    private void free(Tsi tsi, String why) {
        TsiView old = tsi.view;
        tsi.view = null;
        held.decrementAndGet();
        owner.tsiRemoved();
        changes.changed(tsi.key, old, null, why);
        vaps.tsiLeft(old, why);
    }

    /**
     * Req-6, Req-9 and the keep-alive timeout: after any request for the TSI in progress, frees it
     * here and tells the station with an unsolicited De-Associate (type 4, response bit clear)
     * echoing the TSI's filter. {@code then} gets the outcome: {@link NnveException.UnknownTsi} if
     * the TSI is no longer held, {@link NnveException.Undelivered} if ECP could not deliver the
     * De-Associate (it is freed anyway).
     */
    void deassociateInTurn(Tsi tsi, String why, BiConsumer<? super Void, ? super Throwable> then) {
        enqueue(tsi, done -> {
            bridgeDeassociate(tsi, why).whenComplete(then);
            done.run();
        });
    }

    private CompletableFuture<Void> bridgeDeassociate(Tsi tsi, String why) {
        try {
            TsiMachine.next(tsi.state(), TsiMachine.Event.BRIDGE_DE_ASSOCIATE);
        } catch (TsiMachine.IllegalTransition e) {
            return CompletableFuture.failedFuture(new NnveException.UnknownTsi(tsi.key));
        }
        TsiView old = tsi.view;
        free(tsi, why);
        counters.bridgeDeassociates.incrementAndGet();
        List<AssociationTlv> tlvs = AssociationTlv.builder().type(VdpTlvType.DE_ASSOCIATE).status(VsiStatus.REQUEST)
                .typeId(old.typeId()).typeVersion(old.typeVersion()).vsiId(old.key().vsiId()).filter(old.filter()).buildSplit();
        LOG.info("nnve {}: unsolicited De-Associate of {} to {} ({})", name, old.key().vsiId(), old.key().station(), why);
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        try {
            sent.add(channel.send(old.key().station(), old.managerId(), tlvs));
        } catch (IllegalArgumentException tooBig) {
            for (AssociationTlv t : tlvs) {
                sent.add(channel.send(old.key().station(), old.managerId(), t));
            }
        }
        CompletableFuture<Void> result = new CompletableFuture<>();
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).whenComplete((ok, e) -> {
            if (e == null) {
                result.complete(null);
            } else {
                undelivered("De-Associate of " + old.key().vsiId(), old.key().station(), e);
                result.completeExceptionally(new NnveException.Undelivered("De-Associate of " + old.key()
                        + " applied locally but not delivered", e));
            }
        });
        return result;
    }

    // ---------------------------------------------------------------- answers

    private void refuse(Tsi tsi, Request req, Refusal r) {
        counters.refusals.incrementAndGet();
        LOG.warn("nnve {}: {} {} from {} refused with error {}, keep ({}); stays {}", name, req.type(), req.vsiId(), req.peer(),
                r.error, r.why, tsi.state());
        respond(tsi.key, req, null, r.error, true);
        owner.publish(l -> l.onRefused(new RefusalEvent(name, tsi.key, null, r.error, r.why)));
    }

    /** Echoes every TLV of the request, null VIDs answered with {@code tag} (when given). */
    private void respond(TsiKey key, Request req, LocalTag tag, VdpErrorCode error, boolean keep) {
        boolean mi = req.status().migrationIndicationValid() && owner.config().echoMigrationIndication();
        VsiStatus status = VsiStatus.response().migrationIndicationValid(mi).keep(keep).error(error).build();
        List<AssociationTlv> out = req.answer(status, tag);
        counters.response(error.value());
        try {
            channel.send(req.peer(), req.managerId(), out).whenComplete((ok, e) -> {
                if (e != null) {
                    undelivered("response to " + req.type() + " " + req.vsiId(), req.peer(), e);
                }
            });
        } catch (RuntimeException e) {
            undelivered("response to " + req.type() + " " + req.vsiId(), req.peer(), e);
        }
        owner.publish(l -> l.onResponse(new ResponseEvent(key, req.type(), error, keep, out.size())));
    }

    private void undelivered(String what, MacAddress peer, Throwable e) {
        counters.undelivered.incrementAndGet();
        LOG.warn("nnve {}: {} to {} not delivered: {}", name, what, peer, e.toString());
    }
}
