/**
 * Port authorization for RFC 8394 Req-11: which stations an IEEE 802.1X authenticator (or, later, a MACsec key
 * agreement) has authorized on a port, with their identities, as {@link org.splitnve.ecptransport.auth.PortAuthorization}.
 * The sources are the control interfaces of hostapd (the bridge's end) and wpa_supplicant (the station's end), which
 * are Unix datagram sockets: {@link org.splitnve.ecptransport.auth.HostapdAuthorization} and
 * {@link org.splitnve.ecptransport.auth.SupplicantAuthorization} attach to them, follow their events, read their state
 * at start and after every restart of the daemon, and never block the caller's protocol thread.
 */
package org.splitnve.ecptransport.auth;
