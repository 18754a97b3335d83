package org.splitnve.vdpcore.vdp;

import java.util.List;
import java.util.Objects;

/**
 * A received VDPDU as an engine that must answer sees it ({@link VdpDecoder#decodeTolerant}):
 * the association TLVs that decoded, the ones that did not (each with the error code to answer),
 * the organizational TLVs and how many TLVs of unknown type were skipped.
 *
 * @param managerId      the VSI Manager ID every TLV in the PDU belongs to
 * @param associations   the good association TLVs, in PDU order
 * @param rejected       the bad ones, with their positions among all association TLVs
 * @param organizational organizational TLVs
 * @param skippedUnknown TLVs of an unknown type, skipped
 */
public record ParsedVdpdu(ManagerId managerId, List<AssociationTlv> associations, List<RejectedTlv> rejected,
                          List<OrganizationalTlv> organizational, int skippedUnknown) {

    public ParsedVdpdu {
        Objects.requireNonNull(managerId, "managerId");
        associations = List.copyOf(associations);
        rejected = List.copyOf(rejected);
        organizational = List.copyOf(organizational);
    }

    /** Association TLVs in the PDU, good and bad. */
    public int associationCount() {
        return associations.size() + rejected.size();
    }
}
