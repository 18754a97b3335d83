package org.splitnve.tnve;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.ecptransport.auth.AuthorizationEvent;
import org.splitnve.ecptransport.auth.AuthorizedStation;
import org.splitnve.ecptransport.auth.PortAuthorization;
import org.splitnve.ecptransport.auth.PortAuthorizationListener;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VsiId;

/**
 * RFC 8394 Req-11 at the station: no VDP unless the station's port is authenticated (IEEE 802.1X through
 * wpa_supplicant: with EAP-TLS, the supplicant has checked the bridge's certificate). While it is not, operations wait
 * in their TSI's queue, keep-alives stop and any request fails with {@link NotAuthenticatedException} unsent. When
 * authentication is lost, each TSI the station holds (or is bringing up) gets an operation at the head of its queue
 * that puts it back in that state (a bridge that authenticates will have de-associated it); when authentication comes
 * back, the queues run again, so the station re-associates what it held and then does what was asked meanwhile. Both
 * changes are told through {@link TnveListener#onAuthentication}. Without a {@link PortAuthorization} the gate is
 * always open.
 *
 * <p>Authorization events arrive on the source's thread and are handled on the protocol thread; {@link #open()} is read
 * there too.
 */
final class AuthenticationGate {

    private static final Logger LOG = LoggerFactory.getLogger(AuthenticationGate.class);

    private final PortAuthorization source;
    private final MacAddress localMac;
    private final String port;
    private final Listeners listeners;
    private final TsiTable tsis;
    private final Consumer<Tsi> runNext;
    private final Executor loop;
    private final Set<VsiId> restoring = new HashSet<>();
    private final PortAuthorizationListener listener = new PortAuthorizationListener() {
        @Override
        public void onAuthorization(AuthorizationEvent e) {
            loop.execute(() -> changed(e));
        }
    };
    private volatile boolean open;

    /**
     * @param source  the port's authentication; null: always open
     * @param runNext starts the next operation of a TSI, if it may start
     * @param loop    runs a task on the protocol thread
     */
    AuthenticationGate(PortAuthorization source, MacAddress localMac, String port, Listeners listeners, TsiTable tsis,
                       Consumer<Tsi> runNext, Executor loop) {
        this.source = source;
        this.localMac = localMac;
        this.port = port;
        this.listeners = listeners;
        this.tsis = tsis;
        this.runNext = runNext;
        this.loop = loop;
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
        source.addListener(listener);
        open = source.isAuthorized(localMac);
        LOG.info("tnve {}: port {} by 802.1X ({}){}", port, open ? "authenticated" : "not authenticated", source,
                open ? "" : ": no VDP until it is");
        for (AuthorizedStation s : source.stations()) {
            if (!s.station().equals(localMac)) {
                LOG.warn("tnve {}: the supplicant authenticates {}, not this port's {}: is it on another interface?", port,
                        s.station(), localMac);
            }
        }
        if (open) {
            // Operations asked before the start waited for it.
            tsis.all().forEach(runNext);
        }
    }

    void close() {
        if (source != null) {
            source.removeListener(listener);
        }
    }

    private void changed(AuthorizationEvent e) {
        if (!e.station().equals(localMac)) {
            LOG.warn("tnve {}: 802.1X {} of {}, not of this port's {}; ignored", port, e.state(), e.station(), localMac);
            return;
        }
        if (e.authorized() == open) {
            return;
        }
        open = e.authorized();
        if (open) {
            LOG.info("tnve {}: port authenticated again as '{}' ({}: {}); re-associating what it held, then the queued operations",
                    port, e.identity(), e.reason(), e.detail());
        } else {
            LOG.warn("tnve {}: port authentication lost ({}: {}); no VDP until it is back", port, e.reason(), e.detail());
            holdForRestore();
        }
        listeners.fire(l -> l.onAuthentication(e));
        if (open) {
            for (Tsi tsi : tsis.all()) {
                runNext.accept(tsi);
            }
        }
    }

    /** Puts an operation that restores the state each TSI holds (or is heading for) at the head of its queue. */
    private void holdForRestore() {
        for (Tsi tsi : tsis.all()) {
            TsiState intended = tsi.current != null && tsi.current.target != null ? tsi.current.target : tsi.committed;
            if (intended == TsiState.INIT || !restoring.add(tsi.id())) {
                continue;
            }
            StationTsiMachine.Event kind = intended == TsiState.ACTIVATED ? StationTsiMachine.Event.ACTIVATE : StationTsiMachine.Event.ASSOCIATE;
            CompletableFuture<TsiResult> done = new CompletableFuture<>();
            done.whenComplete((r, ex) -> loop.execute(() -> {
                restoring.remove(tsi.id());
                if (ex != null) {
                    LOG.warn("tnve {}: VSI {} not restored after re-authentication: {}", port, tsi.id(), ex.getMessage());
                } else {
                    LOG.info("tnve {}: VSI {} restored to {} after re-authentication", port, tsi.id(), r.state());
                }
            }));
            // A null spec: the TSI's spec when the operation runs, with any address update made meanwhile.
            tsi.ops.addFirst(new Operation(kind, Migration.NONE, null, null, done));
            tsis.publish(tsi);
        }
    }
}
