package org.splitnve.vdpcore.vdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A VDPDU: one VSI Manager ID, one or more association TLVs, optional organizational TLVs, and the
 * End TLV that the encoder always writes (lldpad omits it; the decoder accepts both).
 */
public final class Vdpdu {

    /** The largest upper-layer PDU ECP carries on a 1500-octet MTU. */
    public static final int MAX_LENGTH_STANDARD_MTU = 1494;
    /** The largest MTU VDPDUs are sized for: jumbo frames; a port that reports more (loopback) is taken as this. */
    public static final int MAX_MTU = 9216;

    /**
     * The largest VDPDU a port of {@code mtu} octets carries (docs/PROTOCOL.md section 1): the MTU less 6, 1494 on a
     * 1500-octet MTU; the MTU is taken between 1500 and {@value #MAX_MTU}.
     */
    public static int maxLength(int mtu) {
        return Math.max(1500, Math.min(mtu, MAX_MTU)) - (1500 - MAX_LENGTH_STANDARD_MTU);
    }
    private static final int FIXED_LENGTH = 2 + ManagerId.LENGTH + 2;

    private final ManagerId managerId;
    private final List<AssociationTlv> associations;
    private final List<OrganizationalTlv> organizational;

    private Vdpdu(ManagerId managerId, List<AssociationTlv> associations, List<OrganizationalTlv> organizational) {
        this.managerId = managerId;
        this.associations = associations;
        this.organizational = organizational;
    }

    public static Vdpdu of(ManagerId managerId, List<AssociationTlv> associations, List<OrganizationalTlv> organizational) {
        Objects.requireNonNull(managerId, "managerId");
        List<AssociationTlv> a = List.copyOf(associations);
        if (a.isEmpty()) {
            throw new IllegalArgumentException("a VDPDU carries at least one association TLV");
        }
        return new Vdpdu(managerId, a, List.copyOf(organizational));
    }

    public static Vdpdu of(ManagerId managerId, AssociationTlv... associations) {
        return of(managerId, List.of(associations), List.of());
    }

    /**
     * Packs association TLVs for one manager into as few VDPDUs as fit {@code maxLength} octets
     * each, in order: how thousands of VSIs are (re-)associated in few ECP exchanges.
     */
    public static List<Vdpdu> pack(ManagerId managerId, List<AssociationTlv> associations, int maxLength) {
        List<Vdpdu> out = new ArrayList<>();
        List<AssociationTlv> chunk = new ArrayList<>();
        int len = FIXED_LENGTH;
        for (AssociationTlv t : associations) {
            int n = 2 + t.valueLength();
            if (FIXED_LENGTH + n > maxLength) {
                throw new IllegalArgumentException("one association TLV of " + n + " octets does not fit " + maxLength);
            }
            if (len + n > maxLength) {
                out.add(of(managerId, chunk, List.of()));
                chunk.clear();
                len = FIXED_LENGTH;
            }
            chunk.add(t);
            len += n;
        }
        if (!chunk.isEmpty()) {
            out.add(of(managerId, chunk, List.of()));
        }
        return out;
    }

    public ManagerId managerId() {
        return managerId;
    }

    public List<AssociationTlv> associations() {
        return associations;
    }

    public List<OrganizationalTlv> organizational() {
        return organizational;
    }

    /** Octets the encoder writes, End TLV included. */
    public int encodedLength() {
        int n = FIXED_LENGTH;
        for (AssociationTlv t : associations) {
            n += 2 + t.valueLength();
        }
        for (OrganizationalTlv t : organizational) {
            n += 2 + t.valueLength();
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Vdpdu v && v.managerId.equals(managerId) && v.associations.equals(associations)
                && v.organizational.equals(organizational);
    }

    @Override
    public int hashCode() {
        return Objects.hash(managerId, associations, organizational);
    }

    @Override
    public String toString() {
        return "Vdpdu[manager " + managerId + ", " + associations + (organizational.isEmpty() ? "" : ", " + organizational) + "]";
    }
}
