package org.splitnve.nnve;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.ecptransport.auth.AuthorizationEvent;
import org.splitnve.ecptransport.auth.AuthorizationSourceEvent;
import org.splitnve.ecptransport.auth.AuthorizedStation;
import org.splitnve.ecptransport.auth.PortAuthorization;
import org.splitnve.ecptransport.auth.PortAuthorizationListener;
import org.splitnve.vdpcore.MacAddress;

/**
 * RFC 8394 Req-11 on one port of an {@link Nnve}: which stations the port serves VDP to. A port added with a
 * {@link PortAuthorization} (IEEE 802.1X through hostapd) serves only the stations it has authorized: a VDPDU from any
 * other station is dropped before it can create a TSI or a VAP (ECP below has acked it already: authorization is
 * VDP's concern, and an unacked ECPDU would only be sent again), counted, and logged at most once every ten seconds.
 * When a station's authorization ends, every TSI it holds on the port is de-associated (Req-9, with the reason), and
 * its EAP identity goes with each of its requests to the {@link org.splitnve.nnve.policy.AuthorizationPolicy}. Every
 * authorization event is told to the {@link NnveListener}s. A port added without one admits every station.
 *
 * <p>{@link #admits} and {@link #identity} run on the protocol thread; the authorization's events arrive on its own
 * thread and are handed to the protocol thread here.
 */
public final class PortAdmission {

    private static final Logger LOG = LoggerFactory.getLogger(PortAdmission.class);

    /** At most one line about dropped VDPDUs per port this often. */
    private static final long LOG_EVERY_NANOS = 10_000_000_000L;

    private final String port;
    private final PortAuthorization authorization;
    private final AtomicLong unauthorizedVdpdus = new AtomicLong();
    private final AtomicLong deassociations = new AtomicLong();
    private long lastLog = Long.MIN_VALUE;
    private long unlogged;

    private PortAdmission(String port, PortAuthorization authorization) {
        this.port = port;
        this.authorization = authorization;
    }

    /** Every station is served. */
    static PortAdmission open(String port) {
        return new PortAdmission(port, null);
    }

    /** Only stations {@code authorization} has authorized are served; call {@link #follow} once the port exists. */
    static PortAdmission authorized(String port, PortAuthorization authorization) {
        return new PortAdmission(port, authorization);
    }

    /** The port's authorization, empty when it serves every station. */
    public Optional<PortAuthorization> authorization() {
        return Optional.ofNullable(authorization);
    }

    /** VDPDUs dropped because their station was not authorized on the port. */
    public long unauthorizedVdpdus() {
        return unauthorizedVdpdus.get();
    }

    /** TSIs de-associated (freed here, the station told if ECP could) because their station's authorization ended. */
    public long deassociations() {
        return deassociations.get();
    }

    /** Whether the requests of a VDPDU from {@code station} are served (Req-11); see {@link #dropped}. */
    boolean admits(MacAddress station) {
        return authorization == null || authorization.isAuthorized(station);
    }

    /**
     * Counts (and logs, at most once per interval) a VDPDU whose requests were dropped because its station is not
     * authorized on the port; its responses to the nNVE's own requests were still taken, since they create nothing.
     */
    void dropped(MacAddress station, long nowNanos) {
        long n = unauthorizedVdpdus.incrementAndGet();
        if (lastLog == Long.MIN_VALUE || nowNanos - lastLog >= LOG_EVERY_NANOS) {
            LOG.warn("nnve {}: VDPDU from {} dropped: the station is not authorized on the port (802.1X){}; {} dropped so far",
                    port, station, unlogged == 0 ? "" : " (and " + unlogged + " more since the last line)", n);
            lastLog = nowNanos;
            unlogged = 0;
        } else {
            unlogged++;
        }
    }

    /** The EAP identity the station authenticated with on the port; empty on a port that does not authenticate. */
    Optional<String> identity(MacAddress station) {
        return authorization == null ? Optional.empty() : authorization.authorized(station).map(AuthorizedStation::identity);
    }

    /** Starts following the authorization for {@code p}: events to listeners, ended authorizations to de-associations. */
    void follow(NnvePort p, PortOwner owner) {
        if (authorization == null) {
            return;
        }
        authorization.addListener(new PortAuthorizationListener() {
            @Override
            public void onAuthorization(AuthorizationEvent e) {
                owner.onProtocolThread(() -> {
                    if (owner.closed()) {
                        return;
                    }
                    owner.publish(l -> l.onPortAuthorization(e));
                    if (!e.authorized()) {
                        deassociateAll(p, e);
                    }
                });
            }

            @Override
            public void onSource(AuthorizationSourceEvent e) {
                owner.onProtocolThread(() -> {
                    if (!owner.closed()) {
                        owner.publish(l -> l.onAuthorizationSource(e));
                    }
                });
            }
        });
        LOG.info("nnve {}: VDP served only to stations authorized by {}", port, authorization);
    }

    /** Every TSI of the station on the port, those with a request in progress included, after that request. */
    private void deassociateAll(NnvePort p, AuthorizationEvent e) {
        String why = "802.1X: " + e.reason() + " of " + e.station() + (e.identity().isEmpty() ? "" : " (identity '" + e.identity() + "')")
                + ": " + e.detail();
        List<Tsi> held = new ArrayList<>();
        for (Tsi t : p.instances()) {
            if (t.key.station().equals(e.station())) {
                held.add(t);
            }
        }
        LOG.info("nnve {}: {} lost its authorization ({}); de-associating its {} TSIs", port, e.station(), e.reason(), held.size());
        for (Tsi t : held) {
            // Not a migration: frames still arriving for the TSI are dropped at once, not held for a new location.
            p.deassociateInTurn(t, why, false, (ok, ex) -> {
                Throwable cause = ex instanceof java.util.concurrent.CompletionException && ex.getCause() != null ? ex.getCause() : ex;
                if (cause instanceof NnveException.UnknownTsi) {
                    return;
                }
                // Freed here either way; an undelivered De-Associate only means the station was not told.
                deassociations.incrementAndGet();
                if (cause != null) {
                    LOG.warn("nnve {}: De-Associate of {} after its station lost its authorization: {}", port, t.key, cause.toString());
                }
            });
        }
    }

    @Override
    public String toString() {
        return "PortAdmission[" + port + (authorization == null ? ", open" : ", " + authorization) + "]";
    }
}
