package org.splitnve.ecptransport.auth;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.ecptransport.auth.AuthorizationEvent.Reason;
import org.splitnve.vdpcore.MacAddress;

/**
 * The station's end of IEEE 802.1X: whether wpa_supplicant has authenticated this host's port, read from its control
 * interface {@code ctrl_interface/IFACE}. The one station it may list is the supplicant's own address
 * ({@code address=} of {@code STATUS}), authorized while {@code suppPortStatus=Authorized}, with the identity of the
 * network in use. With EAP-TLS that means the supplicant has checked the bridge's certificate against its CA: the
 * station's half of mutual authentication. A network without {@code ca_cert} or {@code ca_path} checks nothing, which
 * is logged as a warning at every attach.
 *
 * <p>wpa_supplicant raises no event when it logs off, so besides its events ({@code CTRL-EVENT-EAP-SUCCESS},
 * {@code -FAILURE}, {@code -TLS-CERT-ERROR}, {@code CTRL-EVENT-DISCONNECTED}) its {@code STATUS} is read every poll
 * interval; that read also notices a supplicant that died. While the supplicant is gone the port's last state stands
 * (the authenticator has not been told anything either) and is read again once it is back.
 */
public final class SupplicantAuthorization extends ControlledAuthorization {

    private static final Logger LOG = LoggerFactory.getLogger(SupplicantAuthorization.class);

    private SupplicantAuthorization(Path ctrlDir, String iface, ControlTimings timings) {
        super("wpa_supplicant", ctrlDir, iface, 1, timings, Handler::new);
    }

    /** Follows wpa_supplicant's control interface for {@code iface} in {@code ctrlDir}; call {@link #start()}. */
    public static SupplicantAuthorization of(Path ctrlDir, String iface) {
        return of(ctrlDir, iface, ControlTimings.DEFAULT);
    }

    public static SupplicantAuthorization of(Path ctrlDir, String iface, ControlTimings timings) {
        return new SupplicantAuthorization(ctrlDir, iface, timings);
    }

    /** Starts following wpa_supplicant on a thread of its own; returns at once. */
    public SupplicantAuthorization start() {
        startFollowing();
        return this;
    }

    /** What wpa_supplicant's state and events mean for the table; runs on the follower's thread only. */
    private static final class Handler implements ControlFollower.Handler {

        private final AuthorizationTable table;
        private final ControlTimings timings;
        private MacAddress own;
        private String identity = "";
        /** Why the last authentication failed, when an event said more than EAP-FAILURE does. */
        private String failure = "";

        Handler(AuthorizationTable table, ControlTimings timings) {
            this.table = table;
            this.timings = timings;
        }

        @Override
        public void attached(ControlInterface c) throws IOException {
            Map<String, String> status = status(c);
            String id = readIdentity(c, status);
            if (id != null && network(c, id, "ca_cert").isEmpty() && network(c, id, "ca_path").isEmpty()) {
                LOG.warn("dot1x {}: wpa_supplicant's network {} has neither ca_cert nor ca_path: it does not check the bridge's "
                        + "certificate, so the authentication is not mutual", table.port(), id);
            }
            apply(status, Reason.FOUND_AUTHORIZED, Reason.NOT_FOUND_AUTHORIZED, "read at attach");
            table.sourceAttached("attached to " + c.daemon());
        }

        @Override
        public void event(ControlInterface c, String event) throws IOException {
            switch (ControlText.name(event)) {
                case "CTRL-EVENT-TERMINATING" -> throw new ControlInterface.Gone("wpa_supplicant is terminating");
                case "CTRL-EVENT-EAP-SUCCESS" -> {
                    Map<String, String> status = status(c);
                    readIdentity(c, status);
                    apply(status, Reason.AUTHENTICATED, Reason.AUTHENTICATION_FAILED, "EAP succeeded");
                }
                case "CTRL-EVENT-EAP-TLS-CERT-ERROR" ->
                        failure = "the bridge's certificate was rejected: " + ControlText.printable(event, 200);
                case "CTRL-EVENT-EAP-FAILURE" -> {
                    MacAddress m = own;
                    if (m != null) {
                        table.unauthorize(m, Reason.AUTHENTICATION_FAILED, failure.isEmpty() ? "EAP failed" : failure);
                    }
                    failure = "";
                }
                case "CTRL-EVENT-EAP-STARTED" -> failure = "";
                case "CTRL-EVENT-DISCONNECTED", "CTRL-EVENT-CONNECTED" ->
                        apply(status(c), Reason.AUTHENTICATED, Reason.SESSION_ENDED, ControlText.name(event));
                default -> {
                    // Method proposals, peer certificates, EAP status lines: no change of authorization on their own.
                }
            }
        }

        @Override
        public void poll(ControlInterface c, boolean resync) throws IOException {
            Map<String, String> status = status(c);
            Optional<MacAddress> address = ControlText.mac(status.get("address"));
            if ("Authorized".equals(status.get("suppPortStatus")) && address.isPresent() && !table.isAuthorized(address.get())) {
                // Authorized since the last read, maybe under an identity configured meanwhile.
                readIdentity(c, status);
            }
            apply(status, Reason.AUTHENTICATED, null, "status read");
        }

        @Override
        public void lost(String why) {
            table.sourceLost(why);
        }

        private Map<String, String> status(ControlInterface c) throws IOException {
            String reply = c.request("STATUS", timings.requestTimeout());
            Map<String, String> kv = ControlText.keyValues(reply);
            if (!kv.containsKey("suppPortStatus") && !kv.containsKey("wpa_state")) {
                throw new ControlInterface.Gone("STATUS answered '" + ControlText.printable(ControlText.firstLine(reply), 40) + "'");
            }
            return kv;
        }

        /** The identity of the network in use (it may have been changed since the last read); returns the network's id. */
        private String readIdentity(ControlInterface c, Map<String, String> status) throws IOException {
            String id = status.get("id");
            if (id != null && !id.matches("\\d{1,9}")) {
                id = null;
            }
            identity = id == null ? "" : ControlText.identity(network(c, id, "identity"));
            return id;
        }

        private String network(ControlInterface c, String id, String field) throws IOException {
            String v = c.request("GET_NETWORK " + id + " " + field, timings.requestTimeout()).strip();
            return v.equals("FAIL") ? "" : v;
        }

        /**
         * Makes the table what {@code STATUS} says: authorized for {@code authorizedReason}, or not for
         * {@code unauthorizedReason} (null: as the PAE state names it).
         */
        private void apply(Map<String, String> status, Reason authorizedReason, Reason unauthorizedReason, String why) {
            Optional<MacAddress> address = ControlText.mac(status.get("address"));
            if (own != null && (address.isEmpty() || !address.get().equals(own))) {
                table.unauthorize(own, Reason.SESSION_ENDED, "the supplicant's address is now " + status.get("address"));
            }
            own = address.orElse(null);
            if (own == null) {
                return;
            }
            String pae = status.getOrDefault("Supplicant PAE state", "?");
            if ("Authorized".equals(status.get("suppPortStatus"))) {
                table.authorize(own, identity, authorizedReason, why + ": PAE " + pae);
                return;
            }
            Reason r = unauthorizedReason != null ? unauthorizedReason : switch (pae) {
                case "LOGOFF" -> Reason.LOGOFF;
                case "HELD" -> Reason.AUTHENTICATION_FAILED;
                default -> Reason.SESSION_ENDED;
            };
            table.unauthorize(own, r, why + ": suppPortStatus " + status.getOrDefault("suppPortStatus", "?") + ", PAE " + pae);
        }
    }
}
