package org.splitnve.ecptransport.auth;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.ecptransport.auth.AuthorizationEvent.Reason;
import org.splitnve.ecptransport.auth.AuthorizationEvent.State;
import org.splitnve.vdpcore.MacAddress;

/**
 * The stations authorized on one port, fed by whatever authorizes them: the hostapd and wpa_supplicant clients, a
 * test, or later a MACsec key agreement's secure channels. Each change is logged and told to the listeners in the
 * order it was made; a change that changes nothing tells nobody. Bounded: past {@code maxStations} a station is not
 * authorized (fail closed), and that is counted and logged.
 *
 * <p>Thread-safe: changes are serialized, and listeners are told before the change that made them returns, so a
 * feeder on one thread gets its events delivered in order.
 */
public final class AuthorizationTable implements PortAuthorization {

    private static final Logger LOG = LoggerFactory.getLogger(AuthorizationTable.class);

    /** More stations than hostapd serves on one interface by default (2007). */
    public static final int DEFAULT_MAX_STATIONS = 4096;

    private final String port;
    private final int maxStations;
    private final Map<MacAddress, AuthorizedStation> stations = new ConcurrentHashMap<>();
    private final List<PortAuthorizationListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong overLimit = new AtomicLong();
    private volatile boolean attached = true;
    private volatile boolean closed;

    public AuthorizationTable(String port) {
        this(port, DEFAULT_MAX_STATIONS);
    }

    public AuthorizationTable(String port, int maxStations) {
        this.port = Objects.requireNonNull(port, "port");
        if (maxStations < 1) {
            throw new IllegalArgumentException("maxStations must be positive: " + maxStations);
        }
        this.maxStations = maxStations;
    }

    @Override
    public String port() {
        return port;
    }

    @Override
    public Optional<AuthorizedStation> authorized(MacAddress station) {
        return Optional.ofNullable(stations.get(station));
    }

    @Override
    public List<AuthorizedStation> stations() {
        List<AuthorizedStation> out = new ArrayList<>(stations.values());
        out.sort(Comparator.comparing(AuthorizedStation::station));
        return out;
    }

    @Override
    public boolean attached() {
        return attached;
    }

    /** Stations left unauthorized because the table was full. */
    public long overLimit() {
        return overLimit.get();
    }

    @Override
    public void addListener(PortAuthorizationListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void removeListener(PortAuthorizationListener listener) {
        listeners.remove(listener);
    }

    /**
     * The station is authorized with {@code identity}. Already authorized under another identity, it is first
     * unauthorized ({@link Reason#IDENTITY_CHANGED}): what the old identity was allowed does not carry over.
     *
     * @return whether anything changed
     */
    public synchronized boolean authorize(MacAddress station, String identity, Reason reason, String detail) {
        Objects.requireNonNull(station, "station");
        // Whatever fed it, what reaches logs, events and the policy is printable and bounded.
        String id = ControlText.printable(Objects.requireNonNull(identity, "identity"), ControlText.MAX_IDENTITY);
        if (closed) {
            return false;
        }
        AuthorizedStation had = stations.get(station);
        if (had != null && had.identity().equals(id)) {
            return false;
        }
        if (had != null) {
            unauthorize(station, Reason.IDENTITY_CHANGED, "identity '" + had.identity() + "' replaced by '" + id + "'");
        }
        if (stations.size() >= maxStations) {
            overLimit.incrementAndGet();
            LOG.warn("dot1x {}: {} ({}) stays unauthorized: the port holds its limit of {} authorized stations", port, station, id,
                    maxStations);
            return had != null;
        }
        stations.put(station, new AuthorizedStation(station, id));
        fire(new AuthorizationEvent(port, station, id, State.AUTHORIZED, reason, detail));
        return true;
    }

    /** The station is no longer authorized. @return whether it was */
    public synchronized boolean unauthorize(MacAddress station, Reason reason, String detail) {
        if (closed) {
            return false;
        }
        AuthorizedStation had = stations.remove(Objects.requireNonNull(station, "station"));
        if (had == null) {
            return false;
        }
        fire(new AuthorizationEvent(port, station, had.identity(), State.UNAUTHORIZED, reason, detail));
        return true;
    }

    /**
     * The source's whole state, read again (at attach, after a restart, or to heal a missed event): stations in
     * {@code now} are authorized with their identities ({@link Reason#FOUND_AUTHORIZED}), every other one is not
     * ({@code missing}).
     */
    public synchronized void replaceAll(Map<MacAddress, String> now, Reason missing, String detail) {
        for (MacAddress m : List.copyOf(stations.keySet())) {
            if (!now.containsKey(m)) {
                unauthorize(m, missing, detail);
            }
        }
        now.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> authorize(e.getKey(), e.getValue(), Reason.FOUND_AUTHORIZED, detail));
    }

    /** The source is attached (again). */
    public synchronized void sourceAttached(String detail) {
        if (!closed) {
            attached = true;
            LOG.info("dot1x {}: source attached ({})", port, detail);
            fireSource(new AuthorizationSourceEvent(port, true, detail));
        }
    }

    /** The source is gone: what is authorized stays so, nothing is added until it is attached again. */
    public synchronized void sourceLost(String why) {
        if (!closed && attached) {
            attached = false;
            LOG.warn("dot1x {}: source lost ({}); {} authorized stations stay authorized until it is back and read", port, why,
                    stations.size());
            fireSource(new AuthorizationSourceEvent(port, false, why));
        }
    }

    /** No more changes and no more events; what was authorized stays readable. */
    @Override
    public synchronized void close() {
        closed = true;
        listeners.clear();
    }

    private void fire(AuthorizationEvent e) {
        LOG.info("dot1x {}: {} ({}) {}: {} ({})", port, e.station(), e.identity().isEmpty() ? "no identity" : e.identity(), e.state(),
                e.reason(), e.detail());
        tell(l -> l.onAuthorization(e));
    }

    private void fireSource(AuthorizationSourceEvent e) {
        tell(l -> l.onSource(e));
    }

    private void tell(Consumer<PortAuthorizationListener> call) {
        for (PortAuthorizationListener l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException ex) {
                LOG.error("dot1x {}: listener {} failed", port, l, ex);
            }
        }
    }

    @Override
    public String toString() {
        return "AuthorizationTable[" + port + ", " + stations.size() + " authorized" + (attached ? "" : ", source lost") + "]";
    }
}
