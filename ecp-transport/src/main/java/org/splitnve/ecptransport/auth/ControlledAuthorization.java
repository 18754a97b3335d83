package org.splitnve.ecptransport.auth;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import org.splitnve.vdpcore.MacAddress;

/**
 * A {@link PortAuthorization} whose table a daemon's control interface feeds: the table, the {@link ControlFollower}
 * that keeps the client attached, and what every such source answers the same way. The daemon-specific part is the
 * follower's handler.
 */
abstract class ControlledAuthorization implements PortAuthorization {

    private final AuthorizationTable table;
    private final ControlFollower follower;

    /**
     * @param name    for logs, e.g. {@code "hostapd vbr0"}
     * @param handler makes the daemon's handler, which feeds the table
     */
    ControlledAuthorization(String name, Path ctrlDir, String iface, int maxStations, ControlTimings timings,
                            BiFunction<AuthorizationTable, ControlTimings, ControlFollower.Handler> handler) {
        Objects.requireNonNull(ctrlDir, "ctrlDir");
        Objects.requireNonNull(iface, "iface");
        Objects.requireNonNull(timings, "timings");
        this.table = new AuthorizationTable(iface, maxStations);
        this.follower = new ControlFollower(name + " " + iface, ctrlDir.resolve(iface), timings, handler.apply(table, timings));
    }

    /** Starts following the daemon on a thread of its own; nothing is authorized until it has been read. */
    void startFollowing() {
        table.sourceLost("not attached yet");
        follower.start();
    }

    /** Waits until the daemon has been attached to and read; false if {@code timeout} passed first. */
    public boolean awaitAttached(Duration timeout) throws InterruptedException {
        return follower.awaitAttached(timeout);
    }

    /** How many times the daemon was attached to, the first time included. */
    public long attaches() {
        return follower.attaches();
    }

    @Override
    public String port() {
        return table.port();
    }

    @Override
    public Optional<AuthorizedStation> authorized(MacAddress station) {
        return table.authorized(station);
    }

    @Override
    public List<AuthorizedStation> stations() {
        return table.stations();
    }

    @Override
    public boolean attached() {
        return follower.attached();
    }

    @Override
    public void addListener(PortAuthorizationListener listener) {
        table.addListener(listener);
    }

    @Override
    public void removeListener(PortAuthorizationListener listener) {
        table.removeListener(listener);
    }

    @Override
    public void close() {
        follower.close();
        table.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + table + "]";
    }
}
