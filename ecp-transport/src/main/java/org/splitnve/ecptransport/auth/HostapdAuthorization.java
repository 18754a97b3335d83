package org.splitnve.ecptransport.auth;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.ecptransport.auth.AuthorizationEvent.Reason;
import org.splitnve.vdpcore.MacAddress;

/**
 * The bridge's end of IEEE 802.1X: the stations hostapd (the authenticator, as switch operating systems run it on
 * their ports) has authorized on one interface, read from its control interface {@code ctrl_interface/IFACE}.
 *
 * <p>At attach, and after every restart of hostapd, the stations are read with {@code STA-FIRST}/{@code STA-NEXT}
 * (authorized: {@code flags=[AUTHORIZED]}, identity: {@code dot1xAuthSessionUserName}); from then on events keep it
 * current: {@code AP-STA-CONNECTED} (authorized; the identity is read with {@code STA}), {@code AP-STA-DISCONNECTED}
 * (unauthorized), and the {@code CTRL-EVENT-EAP-*} events before it, which tell why. hostapd does not name the cause
 * of a disconnection, so it is inferred: an EAP failure or timeout just before it; else, if hostapd still lists the
 * station, a logoff; if it dropped the station, the session ended (a session timeout). A {@code PING} every poll
 * interval notices a hostapd that died without saying so, and the whole list is read again every resync interval.
 *
 * <p>While hostapd is gone (a restart, a crash), stations authorized before stay authorized and nothing is newly
 * authorized; once it is back, its list is read and is the truth: a station it does not list as authorized (a
 * restarted hostapd knows no one until they authenticate again) is unauthorized with
 * {@link Reason#NOT_FOUND_AUTHORIZED}.
 */
public final class HostapdAuthorization extends ControlledAuthorization {

    private static final Logger LOG = LoggerFactory.getLogger(HostapdAuthorization.class);

    /** Never walk more stations than this in one read, whatever hostapd answers. */
    private static final int MAX_WALK = AuthorizationTable.DEFAULT_MAX_STATIONS;

    /** Recent EAP outcomes per station, to name the cause of the disconnection that follows; bounded. */
    private static final int MAX_RECENT = 1024;

    private enum Eap { FAILURE, TIMEOUT }

    private HostapdAuthorization(Path ctrlDir, String iface, ControlTimings timings) {
        super("hostapd", ctrlDir, iface, AuthorizationTable.DEFAULT_MAX_STATIONS, timings, Handler::new);
    }

    /**
     * Follows hostapd's control interface for {@code iface} in {@code ctrlDir} (hostapd's {@code ctrl_interface}).
     * Nothing is authorized until hostapd has been attached to and read; call {@link #start()}.
     */
    public static HostapdAuthorization of(Path ctrlDir, String iface) {
        return of(ctrlDir, iface, ControlTimings.DEFAULT);
    }

    public static HostapdAuthorization of(Path ctrlDir, String iface, ControlTimings timings) {
        return new HostapdAuthorization(ctrlDir, iface, timings);
    }

    /** Starts following hostapd on a thread of its own; returns at once. */
    public HostapdAuthorization start() {
        startFollowing();
        return this;
    }

    /** One station as {@code STA} describes it: whether hostapd has authorized it, and its identity. */
    private record Sta(MacAddress mac, boolean authorized, String identity) {
    }

    /** Parses a {@code STA}, {@code STA-FIRST} or {@code STA-NEXT} reply: the MAC, then {@code key=value} lines. */
    private static Optional<Sta> sta(String reply) {
        Optional<MacAddress> mac = ControlText.mac(ControlText.firstLine(reply));
        if (mac.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> kv = ControlText.keyValues(reply);
        boolean authorized = kv.getOrDefault("flags", "").contains("[AUTHORIZED]");
        return Optional.of(new Sta(mac.get(), authorized, ControlText.identity(kv.get("dot1xAuthSessionUserName"))));
    }

    /** What hostapd's events mean for the table; runs on the follower's thread only. */
    private static final class Handler implements ControlFollower.Handler {

        private final AuthorizationTable table;
        private final ControlTimings timings;
        private final Map<MacAddress, Eap> recentEap = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<MacAddress, Eap> eldest) {
                return size() > MAX_RECENT;
            }
        };

        Handler(AuthorizationTable table, ControlTimings timings) {
            this.table = table;
            this.timings = timings;
        }

        @Override
        public void attached(ControlInterface c) throws IOException {
            String pong = c.request("PING", timings.requestTimeout()).strip();
            if (!pong.equals("PONG")) {
                throw new IOException("PING answered '" + ControlText.printable(pong, 40) + "'");
            }
            readAll(c, "read at attach");
            table.sourceAttached("attached to " + c.daemon());
        }

        @Override
        public void event(ControlInterface c, String event) throws IOException {
            String name = ControlText.name(event);
            switch (name) {
                case "CTRL-EVENT-TERMINATING" -> throw new ControlInterface.Gone("hostapd is terminating");
                case "AP-DISABLED", "AP-ENABLED" -> readAll(c, "read after " + name);
                case "AP-STA-CONNECTED" -> {
                    Optional<MacAddress> m = ControlText.macArgument(event);
                    if (m.isPresent()) {
                        connected(c, m.get());
                    }
                }
                case "AP-STA-DISCONNECTED" -> {
                    Optional<MacAddress> m = ControlText.macArgument(event);
                    if (m.isPresent()) {
                        disconnected(c, m.get());
                    }
                }
                case "CTRL-EVENT-EAP-STARTED" -> ControlText.macArgument(event).ifPresent(recentEap::remove);
                case "CTRL-EVENT-EAP-FAILURE", "CTRL-EVENT-EAP-FAILURE2" ->
                        ControlText.macArgument(event).ifPresent(m -> recentEap.put(m, Eap.FAILURE));
                case "CTRL-EVENT-EAP-TIMEOUT-FAILURE", "CTRL-EVENT-EAP-TIMEOUT-FAILURE2" ->
                        ControlText.macArgument(event).ifPresent(m -> recentEap.put(m, Eap.TIMEOUT));
                case "CTRL-EVENT-EAP-SUCCESS", "CTRL-EVENT-EAP-SUCCESS2" -> {
                    // A re-authentication of an authorized station raises no AP-STA-CONNECTED; its identity may change.
                    Optional<MacAddress> m = ControlText.macArgument(event);
                    if (m.isPresent()) {
                        recentEap.remove(m.get());
                        if (table.isAuthorized(m.get())) {
                            connected(c, m.get());
                        }
                    }
                }
                default -> {
                    // Other events (EAP methods proposed, retransmissions, ...) change no authorization.
                }
            }
        }

        private void connected(ControlInterface c, MacAddress m) throws IOException {
            Optional<Sta> s = sta(c.request("STA " + m, timings.requestTimeout()));
            if (s.isPresent() && s.get().authorized()) {
                table.authorize(m, s.get().identity(), Reason.AUTHENTICATED, "hostapd authorized the port for the station");
            } else {
                LOG.debug("dot1x {}: {} connected, but hostapd no longer lists it as authorized", table.port(), m);
            }
        }

        private void disconnected(ControlInterface c, MacAddress m) throws IOException {
            Optional<Sta> s = sta(c.request("STA " + m, timings.requestTimeout()));
            if (s.isPresent() && s.get().authorized()) {
                // Authorized again already (the event is older than hostapd's state): the state is the truth.
                table.authorize(m, s.get().identity(), Reason.AUTHENTICATED, "hostapd authorized the station again");
                return;
            }
            Eap eap = recentEap.remove(m);
            if (eap == Eap.FAILURE) {
                table.unauthorize(m, Reason.AUTHENTICATION_FAILED, "EAP failure, then hostapd unauthorized the port");
            } else if (eap == Eap.TIMEOUT) {
                table.unauthorize(m, Reason.TIMEOUT, "EAP timed out, then hostapd unauthorized the port");
            } else if (s.isPresent()) {
                table.unauthorize(m, Reason.LOGOFF, "hostapd unauthorized the port without an EAP failure (EAPOL-Logoff)");
            } else {
                table.unauthorize(m, Reason.SESSION_ENDED, "hostapd dropped the station (session timeout, or the port went down)");
            }
        }

        @Override
        public void poll(ControlInterface c, boolean resync) throws IOException {
            String pong = c.request("PING", timings.requestTimeout()).strip();
            if (!pong.equals("PONG")) {
                throw new ControlInterface.Gone("PING answered '" + ControlText.printable(pong, 40) + "'");
            }
            if (resync) {
                readAll(c, "periodic read");
            }
        }

        @Override
        public void lost(String why) {
            table.sourceLost(why);
        }

        /** Every station hostapd lists, walked with STA-FIRST and STA-NEXT; the table becomes what it says. */
        private void readAll(ControlInterface c, String why) throws IOException {
            Map<MacAddress, String> now = new LinkedHashMap<>();
            Optional<Sta> s = sta(c.request("STA-FIRST", timings.requestTimeout()));
            int walked = 0;
            while (s.isPresent() && walked++ < MAX_WALK) {
                if (s.get().authorized()) {
                    now.put(s.get().mac(), s.get().identity());
                }
                s = sta(c.request("STA-NEXT " + s.get().mac(), timings.requestTimeout()));
            }
            LOG.debug("dot1x {}: hostapd lists {} stations, {} authorized ({})", table.port(), walked, now.size(), why);
            table.replaceAll(now, Reason.NOT_FOUND_AUTHORIZED, "hostapd does not list it as authorized (" + why + ")");
        }
    }
}
