package org.splitnve.tnve;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.splitnve.vdpcore.vdp.FilterEntry;
import org.splitnve.vdpcore.vdp.FilterFormat;
import org.splitnve.vdpcore.vdp.FilterInfo;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.ManagerId;
import org.splitnve.vdpcore.vdp.VnId;
import org.splitnve.vdpcore.vdp.VsiId;

/**
 * What the station asks the bridge for one TSI: its VSI identity, type, VN and complete address set. The filter
 * format follows from the addresses: none gives GroupID/VID, MACs give GroupID/MAC/VID, IPs give GroupID/IP/VID and
 * MAC+IP pairs give GroupID/MAC/IP/VID. All addresses of one TSI are of one kind, since one TLV has one format.
 */
public final class TsiSpec {

    private final VsiId vsiId;
    private final ManagerId managerId;
    private final int typeId;
    private final int typeVersion;
    private final VnId vn;
    private final List<TsiAddress> addresses;
    private final boolean ps;
    private final int pcp;
    private final FilterFormat format;
    private final List<Integer> vids;

    private TsiSpec(Builder b) {
        this.vsiId = Objects.requireNonNull(b.vsiId, "vsiId is required");
        this.managerId = Objects.requireNonNull(b.managerId, "managerId is required");
        this.vn = Objects.requireNonNull(b.vn, "vn is required");
        if (b.typeId < 0 || b.typeId > 0xFFFFFF) {
            throw new IllegalArgumentException("the VSI Type ID is 24 bits: " + b.typeId);
        }
        if (b.typeVersion < 0 || b.typeVersion > 0xFF) {
            throw new IllegalArgumentException("the VSI Type Version is 8 bits: " + b.typeVersion);
        }
        if (b.pcp < 0 || b.pcp > 7) {
            throw new IllegalArgumentException("PCP is 0..7: " + b.pcp);
        }
        this.typeId = b.typeId;
        this.typeVersion = b.typeVersion;
        this.addresses = List.copyOf(b.addresses);
        this.ps = b.ps;
        this.pcp = b.pcp;
        this.format = formatOf(addresses);
        this.vids = List.copyOf(b.vids);
        for (int v : vids) {
            if (v < 1 || v > FilterEntry.MAX_VID) {
                throw new IllegalArgumentException("a VID the TSI asks for is 1..4094: " + v);
            }
        }
        if (new java.util.HashSet<>(vids).size() != vids.size()) {
            throw new IllegalArgumentException("a VID is asked for twice: " + vids);
        }
        entries(null); // validates every address against the filter entry rules now, not at send time
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder().vsiId(vsiId).managerId(managerId).typeId(typeId).typeVersion(typeVersion).vn(vn)
                .addresses(addresses);
        b.ps = ps;
        b.pcp = pcp;
        b.vids = vids;
        return b;
    }

    /** The same TSI with a complete new address set (Req-10). */
    public TsiSpec withAddresses(List<TsiAddress> newAddresses) {
        return toBuilder().addresses(newAddresses).build();
    }

    private static FilterFormat formatOf(List<TsiAddress> addresses) {
        if (addresses.isEmpty()) {
            return FilterFormat.GROUPID_VID;
        }
        Class<?> kind = addresses.get(0).getClass();
        for (TsiAddress a : addresses) {
            if (a.getClass() != kind) {
                throw new IllegalArgumentException("all addresses of a TSI are of one kind (MAC, IP or MAC+IP), not "
                        + addresses);
            }
        }
        TsiAddress first = addresses.get(0);
        if (first instanceof TsiAddress.Mac) {
            return FilterFormat.GROUPID_MAC_VID;
        }
        if (first instanceof TsiAddress.Ip) {
            return FilterFormat.GROUPID_IP_VID;
        }
        return FilterFormat.GROUPID_MAC_IP_VID;
    }

    /**
     * The filter entries, GroupID = VN, VID = the tag or the null VID when it is not known yet; a TSI that asks for
     * {@linkplain #vids() VIDs of its own} has every address once per VID instead, whatever {@code tag} is.
     */
    public List<FilterEntry> entries(LocalTag tag) {
        List<Integer> each = vids.isEmpty() ? List.of(tag == null ? FilterEntry.NULL_VID : tag.vid()) : vids;
        List<FilterEntry> out = new ArrayList<>(Math.max(1, addresses.size()) * each.size());
        for (int vid : each) {
            if (addresses.isEmpty()) {
                out.add(entry().vid(vid).build());
                continue;
            }
            for (TsiAddress a : addresses) {
                FilterEntry.Builder e = entry().vid(vid);
                if (a instanceof TsiAddress.Mac m) {
                    e.mac(m.mac());
                } else if (a instanceof TsiAddress.Ip i) {
                    e.ip(i.ip());
                } else if (a instanceof TsiAddress.MacIp mi) {
                    e.mac(mi.mac()).ip(mi.ip());
                }
                out.add(e.build());
            }
        }
        return out;
    }

    /**
     * The filter of the TSI without a GroupID, for a bridge with which EVB did not negotiate GroupID formats
     * (docs/PROTOCOL.md section 2): VID for none, MAC/VID for MACs, MAC/IP/VID for MAC and IP pairs; the VN is then
     * named by {@code tag} alone, so a bridge serves it only when that is the VN's tag there. IP addresses alone have
     * no such format.
     *
     * @return the filter, or null for IP addresses alone
     */
    public FilterInfo filterWithoutGroupId(LocalTag tag) {
        FilterFormat without = switch (format) {
            case GROUPID_VID -> FilterFormat.VID;
            case GROUPID_MAC_VID -> FilterFormat.MAC_VID;
            case GROUPID_MAC_IP_VID -> FilterFormat.MAC_IP_VID;
            default -> null;
        };
        if (without == null) {
            return null;
        }
        List<FilterEntry> out = new ArrayList<>();
        for (FilterEntry e : entries(tag)) {
            FilterEntry.Builder b = FilterEntry.builder().ps(e.ps()).pcp(e.pcp()).vid(e.vid());
            if (e.mac() != null) {
                b.mac(e.mac());
            }
            if (e.ip() != null) {
                b.ip(e.ip());
            }
            out.add(b.build());
        }
        return FilterInfo.of(without, out);
    }

    private FilterEntry.Builder entry() {
        return FilterEntry.builder().groupId(vn.groupId()).ps(ps).pcp(pcp);
    }

    public VsiId vsiId() {
        return vsiId;
    }

    public ManagerId managerId() {
        return managerId;
    }

    public int typeId() {
        return typeId;
    }

    public int typeVersion() {
        return typeVersion;
    }

    public VnId vn() {
        return vn;
    }

    public List<TsiAddress> addresses() {
        return addresses;
    }

    public boolean ps() {
        return ps;
    }

    public int pcp() {
        return pcp;
    }

    public FilterFormat filterFormat() {
        return format;
    }

    /**
     * The VLAN tags the TSI asks for in its VN, in order (Req-7: one or more tags per VN); empty (the default) to ask
     * with the null VID for the one tag the bridge chooses.
     */
    public List<Integer> vids() {
        return vids;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TsiSpec s && s.vsiId.equals(vsiId) && s.managerId.equals(managerId) && s.typeId == typeId
                && s.typeVersion == typeVersion && s.vn.equals(vn) && s.addresses.equals(addresses) && s.ps == ps && s.pcp == pcp
                && s.vids.equals(vids);
    }

    @Override
    public int hashCode() {
        return Objects.hash(vsiId, managerId, typeId, typeVersion, vn, addresses, ps, pcp, vids);
    }

    @Override
    public String toString() {
        return "TsiSpec[" + vsiId + " " + vn + " type " + typeId + " v" + typeVersion + " " + format + " " + addresses
                + (vids.isEmpty() ? "" : " VIDs " + vids) + "]";
    }

    /** Builds a {@link TsiSpec}; VSI ID, Manager ID and VN are required. */
    public static final class Builder {
        private VsiId vsiId;
        private ManagerId managerId;
        private int typeId;
        private int typeVersion;
        private VnId vn;
        private List<TsiAddress> addresses = List.of();
        private boolean ps;
        private int pcp;
        private List<Integer> vids = List.of();

        private Builder() {
        }

        public Builder vsiId(VsiId v) {
            vsiId = v;
            return this;
        }

        public Builder managerId(ManagerId v) {
            managerId = v;
            return this;
        }

        public Builder typeId(int v) {
            typeId = v;
            return this;
        }

        public Builder typeVersion(int v) {
            typeVersion = v;
            return this;
        }

        public Builder vn(VnId v) {
            vn = v;
            return this;
        }

        public Builder addresses(List<TsiAddress> v) {
            addresses = List.copyOf(v);
            return this;
        }

        public Builder address(TsiAddress a) {
            List<TsiAddress> l = new ArrayList<>(addresses);
            l.add(Objects.requireNonNull(a));
            addresses = l;
            return this;
        }

        /**
         * Asks for these VLAN tags in the VN (Req-7), each address once per VID, instead of the null VID that lets
         * the bridge choose one; each must be a tag of the VN on the bridge's port, or free there.
         */
        public Builder vids(int... v) {
            List<Integer> l = new ArrayList<>(v.length);
            for (int x : v) {
                l.add(x);
            }
            vids = l;
            return this;
        }

        /** PS set and this PCP for every entry. */
        public Builder priority(int v) {
            pcp = v;
            ps = true;
            return this;
        }

        public Builder pcp(int v) {
            pcp = v;
            return this;
        }

        public Builder ps(boolean v) {
            ps = v;
            return this;
        }

        /** @throws IllegalArgumentException on a missing field, a mix of address kinds, or an unusable address */
        public TsiSpec build() {
            return new TsiSpec(this);
        }
    }
}
