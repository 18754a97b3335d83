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

    /**
     * Mixes the fields instead of a record's {@code 31 * h + next}: with VN numbers and MACs both counting up (VNs
     * handed out in turn, MACs numbered per VM), 31 x 31 x the VN and 31 x the MAC's hash overlap, and 50,000 mappings
     * over eight VNs fell into some 6,000 hash buckets, up to 24 deep, which the NVA paid for on every change.
     */
    @Override
    public int hashCode() {
        long h = (vn.value() + 1L) * 0x9E3779B97F4A7C15L;
        h = (h ^ Objects.hashCode(mac)) * 0xBF58476D1CE4E5B9L;
        h = (h ^ Objects.hashCode(ip)) * 0x94D049BB133111EBL;
        h ^= nve.hashCode();
        return (int) (h ^ (h >>> 29));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TsiMapping m && vn.value() == m.vn.value() && Objects.equals(mac, m.mac) && Objects.equals(ip, m.ip)
                && nve.equals(m.nve);
    }
}
