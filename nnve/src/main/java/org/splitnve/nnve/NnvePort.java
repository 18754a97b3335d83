package org.splitnve.nnve;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.ecptransport.clock.Scheduler;
import org.splitnve.ecptransport.vdp.VdpChannel;
import org.splitnve.ecptransport.vdp.VdpListener;
import org.splitnve.ecptransport.vdp.VdpTimers;
import org.splitnve.nnve.nva.NvaView;
import org.splitnve.nnve.nva.TsiMapping;
import org.splitnve.nnve.nva.VnContext;
import org.splitnve.nnve.policy.AuthorizationRequest;
import org.splitnve.nnve.policy.PolicyDecision;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.AssociationTlv;
import org.splitnve.vdpcore.vdp.FilterEntry;
import org.splitnve.vdpcore.vdp.FilterInfo;
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
 * The VDP bridge on one port of an {@link Nnve}: answers station requests, runs the TSI state
 * machine per (station, VSI) and the VAP state machine per VN, and de-associates VSIs whose
 * station stopped refreshing them. Everything here runs on the channel's scheduler thread; the
 * maps are concurrent only so that views can be read from other threads.
 *
 * <p>Filter formats with a GroupID (3, 4, 0x05, 0x06) name the VN in every entry; a TSI belongs to
 * one VN, so entries naming several VNs are refused with error 5. Formats without one (1, 2, 0x07)
 * must carry a non-null VID that is the tag of a VN already connected on this port (by an earlier
 * request with a GroupID); otherwise error 5. A known VSI asking for another VN is refused with
 * error 5 and keep: it must be de-associated first.
 */
public final class NnvePort {

    private static final Logger LOG = LoggerFactory.getLogger(NnvePort.class);

    private final Nnve nnve;
    private final VdpChannel channel;
    private final Supplier<VdpTimers> timers;
    private final String name;
    private final LocalTagPool pool;
    private final Scheduler scheduler;

    final ConcurrentHashMap<TsiKey, Tsi> tsis = new ConcurrentHashMap<>();
    final ConcurrentHashMap<VnId, VapView> vaps = new ConcurrentHashMap<>();
    final ConcurrentHashMap<Integer, VnId> vnByVid = new ConcurrentHashMap<>();
    private final AtomicInteger held = new AtomicInteger();
    /** VN context lookups in flight, shared by the requests that wait for the same VN_Connect. */
    private final Map<VnId, CompletableFuture<Optional<VnContext>>> lookups = new HashMap<>();
    private Scheduler.Timer sweep;

    NnvePort(Nnve nnve, VdpChannel channel, Supplier<VdpTimers> timers, LocalTagPool pool) {
        this.nnve = nnve;
        this.channel = channel;
        this.timers = timers;
        this.name = channel.portName();
        this.pool = pool;
        this.scheduler = channel.scheduler();
        channel.addListener(new VdpListener() {
            @Override
            public void onVdpdu(MacAddress peer, ParsedVdpdu pdu) {
                if (!nnve.isClosed()) {
                    received(peer, pdu);
                }
            }
        });
    }

    public String name() {
        return name;
    }

    public VdpChannel channel() {
        return channel;
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
            nnve.counters.unanswerableTlvs.incrementAndGet();
            LOG.warn("nnve {}: from {} {} cannot be answered ({}); dropped", name, peer, r,
                    r.answerable() ? "it is a response" : "too short to carry a VSI ID");
            return;
        }
        // An unreadable VSI ID format is named by its raw octets, so events and logs still tell requests apart.
        VsiId id = r.vsiId() != null ? r.vsiId() : new VsiId.Local(java.util.Arrays.copyOfRange(v, 6, 22));
        nnve.counters.rejectedTlvs.incrementAndGet();
        nnve.counters.response(r.error().value());
        LOG.warn("nnve {}: from {} {} {} refused with error {}: {}", name, peer, r.type(), id, r.error(), r.cause().reason());
        channel.sendRaw(peer, mgr, r.type(), r.responseValue()).whenComplete((ok, e) -> {
            if (e != null) {
                undelivered("answer to a rejected " + r.type() + " for " + id, peer, e);
            }
        });
        TsiKey key = new TsiKey(name, peer, id);
        nnve.fire(l -> l.onRefused(new RefusalEvent(name, key, r, r.error(), r.cause().reason())));
    }

    private void stationResponse(MacAddress peer, AssociationTlv t) {
        if (t.type() == VdpTlvType.DE_ASSOCIATE) {
            nnve.counters.stationAcks.incrementAndGet();
            LOG.debug("nnve {}: {} answered our De-Associate of {}: {}", name, peer, t.vsiId(), t.status());
        } else {
            // A response bit arriving at a bridge is an invalid request; nothing in it is ours to answer.
            nnve.counters.unexpectedResponses.incrementAndGet();
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
        nnve.counters.requests.incrementAndGet();
        enqueue(tsi, done -> handle(tsi, req, done));
    }

    void enqueue(Tsi tsi, Tsi.Work work) {
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
            VnId vn = vnOf(req);
            int vid = requestedVid(req);
            TsiView old = tsi.view;
            if (old != null) {
                if (!old.vn().equals(vn)) {
                    throw new Refusal(VdpErrorCode.INVALID_VID_GROUPID_OR_MAC, "the VSI is in " + old.vn()
                            + "; De-Associate it before asking for " + vn);
                }
                if (vid != FilterEntry.NULL_VID && vid != old.tag().vid()) {
                    throw new Refusal(VdpErrorCode.INVALID_VID_GROUPID_OR_MAC, "VID " + vid + " asked, but " + vn
                            + " has " + old.tag() + " on " + name);
                }
                if (tr.to() == from && sameAs(old, req)) {
                    nnve.counters.refreshes.incrementAndGet();
                    LOG.debug("nnve {}: keep-alive {} {} from {} ({})", name, req.type(), req.vsiId(), req.peer(), from);
                    respond(tsi.key, req, old.tag(), VdpErrorCode.SUCCESS, false);
                    done.run();
                    return;
                }
            }
            authorize(req, vn);
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

    /** The request repeats what is held: a keep-alive. */
    private static boolean sameAs(TsiView old, Request req) {
        AssociationTlv f = req.first();
        if (f.typeId() != old.typeId() || f.typeVersion() != old.typeVersion() || !req.managerId().equals(old.managerId())
                || req.format() != old.filter().format()) {
            return false;
        }
        List<FilterEntry> es = req.entries();
        List<FilterEntry> held = old.filter().entries();
        if (es.size() != held.size()) {
            return false;
        }
        int tag = old.tag().vid();
        for (int i = 0; i < es.size(); i++) {
            FilterEntry e = es.get(i);
            FilterEntry h = held.get(i);
            if (e.vid() == FilterEntry.NULL_VID ? !e.withVid(tag).equals(h) : !e.equals(h)) {
                return false;
            }
        }
        return true;
    }

    private VnId vnOf(Request req) throws Refusal {
        List<FilterEntry> es = req.entries();
        if (req.format().hasGroupId()) {
            long g = es.get(0).groupId();
            for (FilterEntry e : es) {
                if (e.groupId() != g) {
                    throw new Refusal(VdpErrorCode.INVALID_VID_GROUPID_OR_MAC, "entries name GroupIDs " + g + " and "
                            + e.groupId() + "; a TSI belongs to one VN");
                }
            }
            return VnId.ofGroupId(g);
        }
        int vid = es.get(0).vid();
        if (vid == FilterEntry.NULL_VID) {
            throw new Refusal(VdpErrorCode.INVALID_VID_GROUPID_OR_MAC, "filter format " + req.format()
                    + " has no GroupID, so its VID must be the tag of a VN connected on " + name + ", not null");
        }
        for (FilterEntry e : es) {
            if (e.vid() != vid) {
                throw new Refusal(VdpErrorCode.INVALID_VID_GROUPID_OR_MAC, "entries carry VIDs " + vid + " and " + e.vid()
                        + "; a TSI has one VN and one tag");
            }
        }
        VnId vn = vnByVid.get(vid);
        if (vn == null) {
            throw new Refusal(VdpErrorCode.INVALID_VID_GROUPID_OR_MAC, "VID " + vid + " is not the tag of any VN on " + name);
        }
        return vn;
    }

    /** The one non-null VID the entries ask for, or null VID when all leave it to the bridge. */
    private static int requestedVid(Request req) throws Refusal {
        int vid = FilterEntry.NULL_VID;
        for (FilterEntry e : req.entries()) {
            if (e.vid() == FilterEntry.NULL_VID) {
                continue;
            }
            if (vid != FilterEntry.NULL_VID && vid != e.vid()) {
                throw new Refusal(VdpErrorCode.INVALID_VID_GROUPID_OR_MAC, "entries ask for VIDs " + vid + " and " + e.vid()
                        + "; a VN has one tag on a port");
            }
            vid = e.vid();
        }
        return vid;
    }

    private void authorize(Request req, VnId vn) throws Refusal {
        List<MacAddress> macs = new ArrayList<>(2);
        List<InetAddress> ips = new ArrayList<>(2);
        for (FilterEntry e : req.entries()) {
            if (e.mac() != null && !macs.contains(e.mac())) {
                macs.add(e.mac());
            }
            if (e.ip() != null && !ips.contains(e.ip())) {
                ips.add(e.ip());
            }
        }
        PolicyDecision d;
        try {
            d = nnve.policy.authorize(new AuthorizationRequest(name, req.peer(), req.managerId(), vn, macs, ips));
        } catch (RuntimeException e) {
            LOG.error("nnve {}: authorization policy failed on {} from {}", name, req.vsiId(), req.peer(), e);
            throw new Refusal(VdpErrorCode.OTHER_FAILURE, "authorization policy failed: " + e);
        }
        switch (d.outcome()) {
            case ALLOW -> {
            }
            case DENY_VN -> throw new Refusal(VdpErrorCode.OTHER_FAILURE, "policy: " + d.detail() + " [" + d.rule() + "]");
            case DENY_ADDRESS -> throw new Refusal(VdpErrorCode.INVALID_VID_GROUPID_OR_MAC, "policy: " + d.detail() + " [" + d.rule() + "]");
        }
    }

    /** VN_Connect needs the VN's context from the NVA, within the port's resource wait. */
    private void resolveThenCommit(Tsi tsi, Request req, VnId vn, int vid, TsiMachine.Transition tr, Runnable done) {
        CompletableFuture<Optional<VnContext>> f = lookup(vn);
        if (f.isDone()) {
            afterLookup(tsi, req, vn, vid, tr, f, done);
            return;
        }
        Duration wait = timers.get().resourceWait();
        boolean[] settled = {false};
        Scheduler.Timer timer = scheduler.schedule(wait, () -> {
            if (settled[0]) {
                return;
            }
            settled[0] = true;
            nnve.counters.nvaTimeouts.incrementAndGet();
            // The next request for this VN asks the NVA again instead of joining a stuck lookup.
            lookups.remove(vn, f);
            refuse(tsi, req, new Refusal(VdpErrorCode.UNABLE_TO_CONTACT_VSI_MANAGER, "the NVA did not give the context of "
                    + vn + " within the resource wait of " + wait.toMillis() + " ms"));
            done.run();
        });
        f.whenComplete((ctx, err) -> nnve.onScheduler(() -> {
            if (settled[0]) {
                return;
            }
            settled[0] = true;
            timer.cancel();
            afterLookup(tsi, req, vn, vid, tr, f, done);
        }));
    }

    private CompletableFuture<Optional<VnContext>> lookup(VnId vn) {
        CompletableFuture<Optional<VnContext>> f = lookups.get(vn);
        if (f != null) {
            return f;
        }
        try {
            CompletionStage<Optional<VnContext>> s = nnve.nva.vnContext(vn);
            f = s == null ? CompletableFuture.failedFuture(new NullPointerException("the NVA returned no stage"))
                    : s.toCompletableFuture();
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        if (!f.isDone()) {
            CompletableFuture<Optional<VnContext>> mine = f;
            lookups.put(vn, mine);
            mine.whenComplete((c, e) -> nnve.onScheduler(() -> lookups.remove(vn, mine)));
        }
        return f;
    }

    private void afterLookup(Tsi tsi, Request req, VnId vn, int vid, TsiMachine.Transition tr,
                             CompletableFuture<Optional<VnContext>> f, Runnable done) {
        try {
            Optional<VnContext> ctx;
            try {
                ctx = f.join();
            } catch (RuntimeException e) {
                nnve.counters.nvaFailures.incrementAndGet();
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                throw new Refusal(VdpErrorCode.UNABLE_TO_CONTACT_VSI_MANAGER, "the NVA failed to give the context of " + vn + ": " + cause);
            }
            if (ctx == null || ctx.isEmpty()) {
                throw new Refusal(VdpErrorCode.INVALID_VID_GROUPID_OR_MAC, "the NVA does not know " + vn);
            }
            VapView vap = vaps.get(vn);
            commit(tsi, req, vn, vid, tr, vap != null ? vap.context() : ctx.get());
        } catch (Refusal r) {
            refuse(tsi, req, r);
        } finally {
            done.run();
        }
    }

    /** Applies an Associate/Pre-Associate whose VN context is known: no waiting from here on. */
    private void commit(Tsi tsi, Request req, VnId vn, int vid, TsiMachine.Transition tr, VnContext ctx) throws Refusal {
        TsiView old = tsi.view;
        TsiState from = old == null ? TsiState.INIT : old.state();
        if (old == null) {
            if (held.get() >= nnve.config.maxTsisPerPort()) {
                throw new Refusal(VdpErrorCode.INSUFFICIENT_RESOURCES, "port " + name + " holds its limit of "
                        + nnve.config.maxTsisPerPort() + " TSIs");
            }
            if (nnve.totalTsis() >= nnve.config.maxTsis()) {
                throw new Refusal(VdpErrorCode.INSUFFICIENT_RESOURCES, "the nNVE holds its limit of " + nnve.config.maxTsis() + " TSIs");
            }
        }
        VapView vap = vaps.get(vn);
        LocalTag tag;
        if (vap != null) {
            tag = vap.tag();
            if (vid != FilterEntry.NULL_VID && vid != tag.vid()) {
                throw new Refusal(VdpErrorCode.INVALID_VID_GROUPID_OR_MAC, "VID " + vid + " asked, but " + vn + " has " + tag + " on " + name);
            }
        } else {
            tag = connect(vn, vid, ctx, "first TSI " + tsi.key.vsiId() + " from " + tsi.key.station());
            vap = vaps.get(vn);
        }
        boolean migration = req.migrationIn();
        TsiView now = new TsiView(tsi.key, req.managerId(), req.first().typeId(), req.first().typeVersion(), vn, tag, tr.to(),
                resolve(req, tag), from == tr.to() && old != null ? old.migration() : migration, tsi.lastRefresh);
        tsi.view = now;
        if (old == null) {
            held.incrementAndGet();
            nnve.tsiAdded();
            vaps.put(vn, vap.withTsis(vap.associatedTsis() + 1));
            ensureSweep();
        }
        syncNva(old, now);
        boolean changedAddresses = old != null && !old.filter().equals(now.filter());
        String why = (from == tr.to() ? (changedAddresses ? "addresses updated" : "updated") : tr.meaning()) + " by " + req.type()
                + (migration ? " (migration)" : "") + (req.status().migrationIndicationValid() && req.status().s() ? " (migrating away or suspended)" : "");
        LOG.info("nnve {}: TSI {} from {} in {} {}: {} -> {} ({})", name, req.vsiId(), req.peer(), vn, tag, from, tr.to(), why);
        nnve.fire(l -> l.onTsi(new TsiEvent(tsi.key, vn, from, tr.to(), why, now)));
        dataPlane(old, now, why);
        if (from != TsiState.ACTIVATED && tr.to() == TsiState.ACTIVATED && migration && nnve.config.migrationHook()) {
            nnve.fireDataPlane(l -> l.onActivatedWithMigration(now));
        }
        respond(tsi.key, req, tag, VdpErrorCode.SUCCESS, false);
    }

    private void dataPlane(TsiView old, TsiView now, String why) {
        boolean wasActive = old != null && old.state() == TsiState.ACTIVATED;
        boolean isActive = now != null && now.state() == TsiState.ACTIVATED;
        if (wasActive && (!isActive || !old.filter().equals(now.filter()))) {
            nnve.fireDataPlane(l -> l.onTsiDeactivated(old, why));
        }
        if (isActive && (!wasActive || !old.filter().equals(now.filter()))) {
            nnve.fireDataPlane(l -> l.onTsiActivated(now));
        }
    }

    /** VN_Connect (RFC 8394 Figure 5): a tag for the VN on this port and its context. */
    private LocalTag connect(VnId vn, int vid, VnContext ctx, String why) throws Refusal {
        LocalTag tag;
        try {
            tag = pool.acquire(vn, vid);
        } catch (TagUnavailableException e) {
            throw new Refusal(e.error(), e.getMessage());
        }
        VnId clash = vnByVid.get(tag.vid());
        if (clash != null) {
            // Cannot happen with one pool per port or one shared pool; guard the data plane anyway.
            pool.release(vn);
            throw new Refusal(VdpErrorCode.INSUFFICIENT_RESOURCES, tag + " is already used by " + clash + " on " + name);
        }
        vaps.put(vn, new VapView(name, vn, VapState.VN_CONNECTED, tag, 0, ctx));
        vnByVid.put(tag.vid(), vn);
        LOG.info("nnve {}: VAP {} VN_DISCONNECTED -> VN_CONNECTED, {} ({}; {})", name, vn, tag, ctx.name(), why);
        nnve.fire(l -> l.onVap(new VapEvent(name, vn, VapState.VN_DISCONNECTED, VapState.VN_CONNECTED, tag, why)));
        nnve.fireDataPlane(l -> l.onVnMapped(name, vn, tag, ctx));
        return tag;
    }

    /** VN_Disconnect: the last TSI of the VN on this port went. */
    private void disconnect(VapView vap, String why) {
        vaps.remove(vap.vn());
        vnByVid.remove(vap.tag().vid(), vap.vn());
        pool.release(vap.vn());
        LOG.info("nnve {}: VAP {} VN_CONNECTED -> VN_DISCONNECTED, {} released ({})", name, vap.vn(), vap.tag(), why);
        nnve.fire(l -> l.onVap(new VapEvent(name, vap.vn(), VapState.VN_CONNECTED, VapState.VN_DISCONNECTED, vap.tag(), why)));
        nnve.fireDataPlane(l -> l.onVnUnmapped(name, vap.vn(), vap.tag()));
    }

    /** The request's entries as one filter, null VIDs answered with the tag. */
    private static FilterInfo resolve(Request req, LocalTag tag) {
        List<FilterEntry> es = req.entries();
        List<FilterEntry> out = new ArrayList<>(es.size());
        for (FilterEntry e : es) {
            out.add(e.vid() == tag.vid() ? e : e.withVid(tag.vid()));
        }
        return FilterInfo.of(req.format(), out);
    }

    private void stationDeassociate(Tsi tsi, Request req) {
        TsiView old = tsi.view;
        if (old == null) {
            nnve.counters.unknownDeassociates.incrementAndGet();
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
        nnve.tsiRemoved();
        syncNva(old, null);
        LOG.info("nnve {}: TSI {} from {} in {} {}: {} -> INIT ({})", name, old.key().vsiId(), old.key().station(), old.vn(),
                old.tag(), old.state(), why);
        nnve.fire(l -> l.onTsi(new TsiEvent(tsi.key, old.vn(), old.state(), TsiState.INIT, why, null)));
        dataPlane(old, null, why);
        VapView vap = vaps.get(old.vn());
        if (vap.associatedTsis() <= 1) {
            disconnect(vap, "last TSI " + old.key().vsiId() + " went: " + why);
        } else {
            vaps.put(old.vn(), vap.withTsis(vap.associatedTsis() - 1));
        }
    }

    /**
     * Req-6/Req-9 and the keep-alive timeout: free the TSI here and tell the station with an
     * unsolicited De-Associate (type 4, response bit clear) echoing the TSI's filter. Runs as work
     * on the TSI. The future fails with {@link NnveException.UnknownTsi} if the TSI is not held, or
     * {@link NnveException.Undelivered} if ECP could not deliver the De-Associate (it is freed anyway).
     */
    CompletableFuture<Void> bridgeDeassociate(Tsi tsi, String why) {
        try {
            TsiMachine.next(tsi.state(), TsiMachine.Event.BRIDGE_DE_ASSOCIATE);
        } catch (TsiMachine.IllegalTransition e) {
            return CompletableFuture.failedFuture(new NnveException.UnknownTsi(tsi.key));
        }
        TsiView old = tsi.view;
        free(tsi, why);
        nnve.counters.bridgeDeassociates.incrementAndGet();
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

    // ---------------------------------------------------------------- keep-alive sweep

    /** Called when a TSI is held: its deadline is a full timeout away, so an idle port sweeps then. */
    private void ensureSweep() {
        if (sweep == null && !nnve.isClosed()) {
            sweep = scheduler.schedule(atLeastFloor(timers.get().bridgeKeepAliveTimeout()), this::sweep);
        }
    }

    /**
     * The sweep runs at the earliest deadline of the port's TSIs, but never more often than every
     * 1/32 of the timeout: one timer per port instead of one per TSI, so 100,000 TSIs cost one scan
     * per sweep (at most 32 per timeout, about every 0.5 s at RKA 20), and a station that stops
     * refreshing is de-associated at most about 3 % after its deadline (PROTOCOL.md 3.3), which a
     * conformance suite timing the De-Associate can see.
     */
    private Duration atLeastFloor(Duration wait) {
        Duration floor = timers.get().bridgeKeepAliveTimeout().dividedBy(32);
        if (floor.compareTo(Duration.ofMillis(1)) < 0) {
            floor = Duration.ofMillis(1);
        }
        return wait.compareTo(floor) < 0 ? floor : wait;
    }

    private void sweep() {
        sweep = null;
        if (nnve.isClosed()) {
            return;
        }
        long timeout = timers.get().bridgeKeepAliveTimeout().toNanos();
        long now = scheduler.nanoTime();
        long earliest = Long.MAX_VALUE;
        for (Tsi tsi : tsis.values()) {
            if (tsi.view == null) {
                continue;
            }
            long idle = now - tsi.lastRefresh;
            if (tsi.busy) {
                // Its request in flight will refresh it; if it does not, its deadline still stands.
                earliest = Math.min(earliest, Math.max(0, timeout - idle));
            } else if (idle >= timeout) {
                nnve.counters.keepAliveTimeouts.incrementAndGet();
                LOG.warn("nnve {}: {} from {} not refreshed for {} ms: de-associating", name, tsi.key.vsiId(), tsi.key.station(),
                        idle / 1_000_000);
                enqueue(tsi, done -> {
                    bridgeDeassociate(tsi, "keep-alive timeout").exceptionally(e -> null);
                    done.run();
                });
            } else {
                earliest = Math.min(earliest, timeout - idle);
            }
        }
        if (held.get() > 0 && sweep == null) {
            long wait = earliest == Long.MAX_VALUE ? timeout : earliest;
            sweep = scheduler.schedule(atLeastFloor(Duration.ofNanos(wait)), this::sweep);
        }
    }

    void close() {
        if (sweep != null) {
            sweep.cancel();
            sweep = null;
        }
    }

    // ---------------------------------------------------------------- NVA

    /** Moves the NVA from what {@code old} published to what {@code now} needs (either may be null). */
    private void syncNva(TsiView old, TsiView now) {
        Set<TsiMapping> before = old == null ? Set.of() : mappings(old);
        Set<TsiMapping> after = now == null ? Set.of() : mappings(now);
        // Withdraw from forwarding before mapping, publish to mapping before forwarding, so that
        // the forwarding view is always a subset of the mapping view.
        for (NvaView view : new NvaView[] {NvaView.FORWARDING, NvaView.MAPPING}) {
            Set<TsiMapping> b = in(old, view) ? before : Set.of();
            Set<TsiMapping> a = in(now, view) ? after : Set.of();
            for (TsiMapping m : b) {
                if (!a.contains(m)) {
                    nvaCall("withdraw", m, view, () -> nnve.nva.withdraw(m, view));
                }
            }
        }
        for (NvaView view : new NvaView[] {NvaView.MAPPING, NvaView.FORWARDING}) {
            Set<TsiMapping> b = in(old, view) ? before : Set.of();
            Set<TsiMapping> a = in(now, view) ? after : Set.of();
            for (TsiMapping m : a) {
                if (!b.contains(m)) {
                    nvaCall("publish", m, view, () -> nnve.nva.publish(m, view));
                }
            }
        }
    }

    private static boolean in(TsiView v, NvaView view) {
        return v != null && (view == NvaView.MAPPING || v.state() == TsiState.ACTIVATED);
    }

    private Set<TsiMapping> mappings(TsiView v) {
        Set<TsiMapping> out = new LinkedHashSet<>();
        for (FilterEntry e : v.filter().entries()) {
            if (e.mac() != null || e.ip() != null) {
                out.add(new TsiMapping(v.vn(), e.mac(), e.ip(), nnve.config.nveName()));
            }
        }
        return out;
    }

    /** Publish/withdraw are not waited for: a failure is logged and counted, the TSI stays as decided. */
    private void nvaCall(String what, TsiMapping m, NvaView view, Supplier<CompletionStage<Void>> call) {
        try {
            call.get().whenComplete((ok, e) -> {
                if (e != null) {
                    nnve.counters.nvaFailures.incrementAndGet();
                    LOG.warn("nnve {}: NVA {} of {} in {} failed: {}", name, what, m, view, e.toString());
                }
            });
        } catch (RuntimeException e) {
            nnve.counters.nvaFailures.incrementAndGet();
            LOG.warn("nnve {}: NVA {} of {} in {} failed: {}", name, what, m, view, e.toString());
        }
    }

    // ---------------------------------------------------------------- answers

    private void refuse(Tsi tsi, Request req, Refusal r) {
        nnve.counters.refusals.incrementAndGet();
        LOG.warn("nnve {}: {} {} from {} refused with error {}, keep ({}); stays {}", name, req.type(), req.vsiId(), req.peer(),
                r.error, r.why, tsi.state());
        respond(tsi.key, req, null, r.error, true);
        nnve.fire(l -> l.onRefused(new RefusalEvent(name, tsi.key, null, r.error, r.why)));
    }

    /** Echoes every TLV of the request, null VIDs answered with {@code tag} (when given). */
    private void respond(TsiKey key, Request req, LocalTag tag, VdpErrorCode error, boolean keep) {
        boolean mi = req.status().migrationIndicationValid() && nnve.config.echoMigrationIndication();
        VsiStatus status = VsiStatus.response().migrationIndicationValid(mi).keep(keep).error(error).build();
        List<AssociationTlv> out = new ArrayList<>(req.tlvs().size());
        for (AssociationTlv t : req.tlvs()) {
            AssociationTlv.Builder b = t.toBuilder().status(status);
            if (tag != null) {
                List<FilterEntry> es = new ArrayList<>(t.filter().entries().size());
                for (FilterEntry e : t.filter().entries()) {
                    es.add(e.vid() == FilterEntry.NULL_VID ? e.withVid(tag.vid()) : e);
                }
                b.filter(FilterInfo.of(t.filter().format(), es));
            }
            out.add(b.build());
        }
        nnve.counters.response(error.value());
        try {
            channel.send(req.peer(), req.managerId(), out).whenComplete((ok, e) -> {
                if (e != null) {
                    undelivered("response to " + req.type() + " " + req.vsiId(), req.peer(), e);
                }
            });
        } catch (RuntimeException e) {
            undelivered("response to " + req.type() + " " + req.vsiId(), req.peer(), e);
        }
        nnve.fire(l -> l.onResponse(new ResponseEvent(key, req.type(), error, keep, out.size())));
    }

    private void undelivered(String what, MacAddress peer, Throwable e) {
        nnve.counters.undelivered.incrementAndGet();
        LOG.warn("nnve {}: {} to {} not delivered: {}", name, what, peer, e.toString());
    }
}
