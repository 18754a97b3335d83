package org.splitnve.nnve;

import java.util.ArrayList;
import java.util.List;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.AssociationTlv;
import org.splitnve.vdpcore.vdp.FilterEntry;
import org.splitnve.vdpcore.vdp.FilterFormat;
import org.splitnve.vdpcore.vdp.FilterInfo;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.ManagerId;
import org.splitnve.vdpcore.vdp.VdpTlvType;
import org.splitnve.vdpcore.vdp.VsiId;
import org.splitnve.vdpcore.vdp.VsiStatus;

/**
 * One station request: the consecutive TLVs of one VDPDU with the same VSI ID, type and filter
 * format (an address set split over several TLVs, docs/PROTOCOL.md 4.1). Header fields come from the
 * first TLV.
 */
record Request(MacAddress peer, ManagerId managerId, List<AssociationTlv> tlvs) {

    AssociationTlv first() {
        return tlvs.get(0);
    }

    VdpTlvType type() {
        return first().type();
    }

    VsiId vsiId() {
        return first().vsiId();
    }

    FilterFormat format() {
        return first().filter().format();
    }

    VsiStatus status() {
        return first().status();
    }

    /**
     * M: this station is a migration destination. With the migration indication valid it says so for certain; without
     * (a legacy station) M alone still means a migration to this station, as 802.1Q has it (docs/PROTOCOL.md 4.2).
     */
    boolean migrationIn() {
        return status().m();
    }

    /**
     * Whether the TSI may have moved away when this request ends its activation: S (migrating away, or suspended), or
     * no migration indication at all; only 0x80 without S says for certain that it did not (docs/PROTOCOL.md 4.2).
     */
    boolean mayHaveMovedAway() {
        return !status().migrationIndicationValid() || status().s();
    }

    List<FilterEntry> entries() {
        if (tlvs.size() == 1) {
            return first().filter().entries();
        }
        List<FilterEntry> all = new ArrayList<>();
        for (AssociationTlv t : tlvs) {
            all.addAll(t.filter().entries());
        }
        return all;
    }

    /** The request's entries as one filter, {@code tag} in place of every null VID: what a held TSI keeps. */
    FilterInfo filterWith(LocalTag tag) {
        List<FilterEntry> es = entries();
        List<FilterEntry> out = new ArrayList<>(es.size());
        for (FilterEntry e : es) {
            out.add(e.vid() == FilterEntry.NULL_VID ? e.withVid(tag.vid()) : e);
        }
        return FilterInfo.of(format(), out);
    }

    /**
     * The answer: every TLV of the request echoed with {@code status}, its null VIDs replaced by the
     * VID of the same entry of {@code assigned} (the filter the bridge holds), when one is given.
     */
    List<AssociationTlv> answer(VsiStatus status, FilterInfo assigned) {
        List<AssociationTlv> out = new ArrayList<>(tlvs.size());
        int i = 0;
        for (AssociationTlv t : tlvs) {
            AssociationTlv.Builder b = t.toBuilder().status(status);
            if (assigned != null) {
                List<FilterEntry> es = new ArrayList<>(t.filter().entries().size());
                for (FilterEntry e : t.filter().entries()) {
                    int vid = assigned.entries().get(Math.min(i++, assigned.entries().size() - 1)).vid();
                    es.add(e.vid() == FilterEntry.NULL_VID ? e.withVid(vid) : e);
                }
                b.filter(FilterInfo.of(t.filter().format(), es));
            }
            out.add(b.build());
        }
        return out;
    }
}
