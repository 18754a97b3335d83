package org.splitnve.nnve;

import java.util.ArrayList;
import java.util.List;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.AssociationTlv;
import org.splitnve.vdpcore.vdp.FilterEntry;
import org.splitnve.vdpcore.vdp.FilterFormat;
import org.splitnve.vdpcore.vdp.ManagerId;
import org.splitnve.vdpcore.vdp.VdpTlvType;
import org.splitnve.vdpcore.vdp.VsiId;
import org.splitnve.vdpcore.vdp.VsiStatus;

/**
 * One station request: the consecutive TLVs of one VDPDU with the same VSI ID, type and filter
 * format (an address set split over several TLVs, PROTOCOL.md 4.1). Header fields come from the
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

    /** M with the migration indication valid: this station is a migration destination. */
    boolean migrationIn() {
        return status().migrationIndicationValid() && status().m();
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

    /** Whether {@code next}, following this request's TLVs in the same VDPDU, belongs to it. */
    boolean continuedBy(AssociationTlv next) {
        AssociationTlv f = first();
        return next.type() == f.type() && next.vsiId().equals(f.vsiId()) && next.filter().format() == f.filter().format();
    }
}
