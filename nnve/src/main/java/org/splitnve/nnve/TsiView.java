package org.splitnve.nnve;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.FilterEntry;
import org.splitnve.vdpcore.vdp.FilterInfo;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.ManagerId;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VnId;

/**
 * A TSI instance as the nNVE holds it (RFC 8394 Figure 6). Immutable. The addresses are derived
 * from the filter on demand, so that a held TSI costs its filter and nothing more.
 *
 * @param tag              its first tag (that of its first entry)
 * @param filter           the filter with an assigned VID in every entry
 * @param migration        the last Associate that activated it carried M with the migration
 *                         indication valid (docs/PROTOCOL.md 4.2)
 * @param lastRefreshNanos scheduler time of the last request for it
 */
public record TsiView(TsiKey key, ManagerId managerId, int typeId, int typeVersion, VnId vn, LocalTag tag, TsiState state,
                      FilterInfo filter, boolean migration, long lastRefreshNanos) {

    public TsiView {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(managerId, "managerId");
        Objects.requireNonNull(vn, "vn");
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(filter, "filter");
    }

    /** The tags its entries carry, in entry order, without repeats: one, or several (Req-7); {@link #tag()} is the first. */
    public List<LocalTag> tags() {
        List<LocalTag> out = new ArrayList<>(1);
        for (FilterEntry e : filter.entries()) {
            LocalTag t = LocalTag.of(e.vid());
            if (!out.contains(t)) {
                out.add(t);
            }
        }
        return out;
    }

    /** The tag of the first entry with {@code mac}: the tag frames to that MAC carry; null when no entry has it. */
    public LocalTag tagOf(MacAddress mac) {
        for (FilterEntry e : filter.entries()) {
            if (mac.equals(e.mac())) {
                return LocalTag.of(e.vid());
            }
        }
        return null;
    }

    /** MAC addresses in the filter, in entry order, without repeats. */
    public List<MacAddress> macs() {
        List<MacAddress> out = new ArrayList<>(2);
        for (FilterEntry e : filter.entries()) {
            if (e.mac() != null && !out.contains(e.mac())) {
                out.add(e.mac());
            }
        }
        return out;
    }

    /** IP addresses in the filter, in entry order, without repeats. */
    public List<InetAddress> ips() {
        List<InetAddress> out = new ArrayList<>(2);
        for (FilterEntry e : filter.entries()) {
            if (e.ip() != null && !out.contains(e.ip())) {
                out.add(e.ip());
            }
        }
        return out;
    }

    TsiView withLastRefresh(long nanos) {
        return nanos == lastRefreshNanos ? this
                : new TsiView(key, managerId, typeId, typeVersion, vn, tag, state, filter, migration, nanos);
    }
}
