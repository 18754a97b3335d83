package org.splitnve.nnve.nva;

import java.net.InetAddress;
import java.util.Objects;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.VnId;

/**
 * One address of a TSI in a VN behind an NVE (RFC 8394 3.2: the NVE's underlay identity and the
 * tenant addresses). One filter entry gives one mapping; formats without a MAC give a {@code null}
 * MAC, formats without IP a {@code null} IP, never both.
 */
public record TsiMapping(VnId vn, MacAddress mac, InetAddress ip, String nve) {

    public TsiMapping {
        Objects.requireNonNull(vn, "vn");
        Objects.requireNonNull(nve, "nve");
        if (mac == null && ip == null) {
            throw new IllegalArgumentException("a TSI mapping names a MAC, an IP address or both");
        }
    }
}
