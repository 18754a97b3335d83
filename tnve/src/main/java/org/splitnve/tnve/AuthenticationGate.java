package org.splitnve.tnve;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.ecptransport.auth.AuthorizationEvent;
import org.splitnve.ecptransport.auth.AuthorizedStation;
import org.splitnve.ecptransport.auth.PortAuthorization;
import org.splitnve.ecptransport.auth.PortAuthorizationListener;
import org.splitnve.ecptransport.clock.Scheduler;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VsiId;

/**
 * RFC 8394 Req-11 at the station: no VDP unless the station's port is authenticated (IEEE 802.1X through
 * wpa_supplicant: with EAP-TLS, the supplicant has checked the bridge's certificate). While it is not, operations wait
 * in their TSI's queue, keep-alives stop and any request fails with {@link NotAuthenticatedException} unsent.
 *
 * <p>The bridge hears of the same authentication from its own authenticator, a moment before or after the station:
 * the gate opens {@code settle} after the port is authenticated, so that the bridge serves the first request. When
 * authentication is lost, the bridge de-associates the station's TSIs, often before the station itself notices (a
 * logoff raises no event at the supplicant); so each TSI the station holds, and each one a bridge de-associated in the
 * {@link #RECENT} before, gets an operation at the head of its queue that puts it back in its state. When
 * authentication comes back those run, then what was asked meanwhile; a restore the bridge leaves unanswered (it has
 * not heard of the authentication yet) is tried again a few times. Both changes are told through
 * {@link TnveListener#onAuthentication}. Without a {@link PortAuthorization} the gate is always open.
 *
 * <p>Authorization events arrive on the source's thread and are handled on the protocol thread, where everything
 * here runs; {@link #open()} is read from any thread.
 */
final class AuthenticationGate {

    private static final Logger LOG = LoggerFactory.getLogger(AuthenticationGate.class);

    /** How long before the loss of authentication a bridge's De-Associate counts as caused by it. */
    static final Duration RECENT = Duration.ofSeconds(10);

    /** How often a restore the bridge did not answer is tried, in all. */
    static final int RESTORE_ATTEMPTS = 4;

    /** Bridge De-Associates remembered for {@link #RECENT}, at most this many. */
    private static final int MAX_RECENT = 4096;

    /** What a TSI is to be put back to. */
    private record Wanted(TsiSpec spec, TsiState state, boolean anchor, long atNanos) {
    }

    private final PortAuthorization source;
    private final Duration settle;
    private final MacAddress localMac;
    private final String port;
    private final Listeners listeners;
    private final TsiTable tsis;
    private final Consumer<Tsi> runNext;
    private final Executor loop;
    private final Scheduler scheduler;
    private final ArrayDeque<Wanted> recent = new ArrayDeque<>();
    private final Map<VsiId, Integer> restoring = new HashMap<>();
    private final PortAuthorizationListener listener = new PortAuthorizationListener() {
        @Override
        public void onAuthorization(AuthorizationEvent e) {
            loop.execute(() -> changed(e));
        }
    };
    private final TnveListener deassociations = new TnveListener() {
        @Override
        public void onBridgeDeassociate(VsiId vsiId, MacAddress bridge) {
            remember(vsiId);
        }
    };
    private Scheduler.Timer opening;
    private boolean authenticated;
    private volatile boolean open;

    /**
     * @param source  the port's authentication; null: always open
     * @param settle  how long after authentication the gate opens
     * @param runNext starts the next operation of a TSI, if it may start
     * @param loop    runs a task on the protocol thread
     */
    AuthenticationGate(PortAuthorization source, Duration settle, MacAddress localMac, String port, Listeners listeners,
                       TsiTable tsis, Consumer<Tsi> runNext, Executor loop, Scheduler scheduler) {
        this.source = source;
        this.settle = settle;
        this.localMac = localMac;
        this.port = port;
        this.listeners = listeners;
        this.tsis = tsis;
        this.runNext = runNext;
        this.loop = loop;
        this.scheduler = scheduler;
        this.open = source == null;
    }

    /** Whether VDP may be sent now. Any thread. */
    boolean open() {
        return open;
    }

    /** On the loop: reads the port's state now and follows its changes. */
    void start() {
        if (source == null) {
            return;
        }
        listeners.add(deassociations);
        source.addListener(listener);
        for (AuthorizedStation s : source.stations()) {
            if (!s.station().equals(localMac)) {
                LOG.warn("tnve {}: the supplicant authenticates {}, not this port's {}: is it on another interface?", port,
                        s.station(), localMac);
            }
        }
        authenticated = source.isAuthorized(localMac);
        LOG.info("tnve {}: port {} by 802.1X ({}){}", port, authenticated ? "authenticated" : "not authenticated", source,
                authenticated ? "" : ": no VDP until it is");
        if (authenticated) {
            openAfterSettle(source.authorized(localMac).map(s -> new AuthorizationEvent(port, localMac, s.identity(),
                    AuthorizationEvent.State.AUTHORIZED, AuthorizationEvent.Reason.FOUND_AUTHORIZED, "authenticated at start")).get());
        }
    }

    void close() {
        if (source != null) {
            source.removeListener(listener);
            listeners.remove(deassociations);
        }
        if (opening != null) {
            opening.cancel();
        }
    }

    private void changed(AuthorizationEvent e) {
        if (!e.station().equals(localMac)) {
            LOG.warn("tnve {}: 802.1X {} of {}, not of this port's {}; ignored", port, e.state(), e.station(), localMac);
            return;
        }
        if (e.authorized() == authenticated) {
            return;
        }
        authenticated = e.authorized();
        if (authenticated) {
            LOG.info("tnve {}: port authenticated as '{}' ({}: {}); VDP in {} ms", port, e.identity(), e.reason(), e.detail(),
                    settle.toMillis());
            openAfterSettle(e);
            return;
        }
        if (opening != null) {
            opening.cancel();
            opening = null;
        }
        boolean wasOpen = open;
        open = false;
        LOG.warn("tnve {}: port authentication lost ({}: {}); no VDP until it is back", port, e.reason(), e.detail());
        holdForRestore();
        if (wasOpen) {
            listeners.fire(l -> l.onAuthentication(e));
        }
    }

    private void openAfterSettle(AuthorizationEvent e) {
        if (opening != null) {
            opening.cancel();
        }
        opening = scheduler.schedule(settle, () -> loop.execute(() -> {
            opening = null;
            if (!authenticated || open) {
                return;
            }
            open = true;
            LOG.info("tnve {}: VDP open; restoring what the station held, then the operations asked meanwhile", port);
            listeners.fire(l -> l.onAuthentication(e));
            for (Tsi tsi : tsis.all()) {
                runNext.accept(tsi);
            }
        }));
    }

    /** A bridge de-associated a VSI: what it was, in case the loss of authentication caused it. */
    private void remember(VsiId id) {
        Tsi tsi = tsis.get(id);
        if (tsi == null || tsi.committed == TsiState.INIT) {
            return;
        }
        if (recent.size() >= MAX_RECENT) {
            recent.pollFirst();
        }
        recent.addLast(new Wanted(tsi.spec, tsi.committed, tsi.anchor, scheduler.nanoTime()));
    }

    /** Puts an operation that restores each TSI held, heading somewhere, or de-associated just before, at the head of its queue. */
    private void holdForRestore() {
        long now = scheduler.nanoTime();
        Map<VsiId, Wanted> wanted = new LinkedHashMap<>();
        for (Wanted w : recent) {
            if (now - w.atNanos() <= RECENT.toNanos()) {
                wanted.put(w.spec().vsiId(), w);
            }
        }
        recent.clear();
        for (Tsi tsi : tsis.all()) {
            TsiState intended = tsi.current != null && tsi.current.target != null ? tsi.current.target : tsi.committed;
            if (intended != TsiState.INIT) {
                wanted.put(tsi.id(), new Wanted(tsi.spec, intended, tsi.anchor, now));
            } else if (tsi.current != null || !tsi.ops.isEmpty()) {
                // Asked to go, or to come, after the loss: what is queued decides, not what the bridge dropped.
                wanted.remove(tsi.id());
            }
        }
        LOG.info("tnve {}: {} VSIs to restore once authenticated again", port, wanted.size());
        wanted.values().forEach(w -> queueRestore(w, 1));
    }

    private void queueRestore(Wanted w, int attempt) {
        VsiId id = w.spec().vsiId();
        if (restoring.containsKey(id)) {
            return;
        }
        Tsi tsi = tsis.getOrAdd(w.spec(), w.anchor());
        StationTsiMachine.Event kind = w.state() == TsiState.ACTIVATED ? StationTsiMachine.Event.ACTIVATE : StationTsiMachine.Event.ASSOCIATE;
        CompletableFuture<TsiResult> done = new CompletableFuture<>();
        restoring.put(id, attempt);
        done.whenComplete((r, ex) -> loop.execute(() -> restored(w, attempt, r, ex)));
        // A null spec: the TSI's spec when the operation runs, with any address update made meanwhile.
        tsi.ops.addFirst(new Operation(kind, Migration.NONE, null, null, done));
        tsis.publish(tsi);
    }

    private void restored(Wanted w, int attempt, TsiResult r, Throwable ex) {
        VsiId id = w.spec().vsiId();
        restoring.remove(id);
        if (ex == null) {
            LOG.info("tnve {}: VSI {} restored to {} after re-authentication", port, id, r.state());
            return;
        }
        Throwable cause = ex instanceof CompletionException && ex.getCause() != null ? ex.getCause() : ex;
        Tsi tsi = tsis.get(id);
        boolean untouched = tsi == null || (tsi.current == null && tsi.ops.isEmpty());
        if (!open && untouched) {
            // Lost again before it was done: restore it at the next authentication.
            queueRestore(w, 1);
            return;
        }
        boolean unanswered = cause instanceof ResponseTimeoutException || cause instanceof UndeliverableException;
        if (open && untouched && unanswered && attempt < RESTORE_ATTEMPTS) {
            Duration wait = Duration.ofSeconds(1L << (attempt - 1));
            LOG.info("tnve {}: VSI {} not restored ({}); the bridge may not know of the authentication yet, trying again in {} s",
                    port, id, cause.getMessage(), wait.toSeconds());
            scheduler.schedule(wait, () -> loop.execute(() -> {
                Tsi now = tsis.get(id);
                if (open && (now == null || (now.current == null && now.ops.isEmpty() && now.committed == TsiState.INIT))) {
                    queueRestore(w, attempt + 1);
                    runNext.accept(tsis.get(id));
                }
            }));
            return;
        }
        LOG.warn("tnve {}: VSI {} not restored after re-authentication: {}", port, id, cause.getMessage());
    }
}
