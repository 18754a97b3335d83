package org.splitnve.vdpcore.vdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A VSI association TLV (types 1..4): Pre-Associate, Pre-Associate with resource reservation,
 * Associate or De-Associate, for one VSI.
 */
public final class AssociationTlv {

    /** Octets of the value before the filter info: status, type ID, version, ID format, ID. */
    public static final int HEADER_LENGTH = 22;
    /** The largest value a 9-bit TLV length can describe. */
    public static final int MAX_VALUE_LENGTH = 511;

    private final VdpTlvType type;
    private final VsiStatus status;
    private final int typeId;
    private final int typeVersion;
    private final VsiId vsiId;
    private final FilterInfo filter;

    private AssociationTlv(Builder b) {
        this.type = b.type;
        this.status = b.status;
        this.typeId = b.typeId;
        this.typeVersion = b.typeVersion;
        this.vsiId = b.vsiId;
        this.filter = b.filter;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().type(type).status(status).typeId(typeId).typeVersion(typeVersion).vsiId(vsiId).filter(filter);
    }

    public VdpTlvType type() {
        return type;
    }

    public VsiStatus status() {
        return status;
    }

    /** The 24-bit VSI Type ID. */
    public int typeId() {
        return typeId;
    }

    /** The 8-bit VSI Type Version. */
    public int typeVersion() {
        return typeVersion;
    }

    public VsiId vsiId() {
        return vsiId;
    }

    public FilterInfo filter() {
        return filter;
    }

    /** Octets of the TLV value (without the 2-octet TLV header). */
    public int valueLength() {
        return HEADER_LENGTH + filter.encodedLength();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AssociationTlv a && a.type == type && a.status.equals(status) && a.typeId == typeId
                && a.typeVersion == typeVersion && a.vsiId.equals(vsiId) && a.filter.equals(filter);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type.value(), status, typeId, typeVersion, vsiId, filter);
    }

    @Override
    public String toString() {
        return type + "[" + status + ", type " + typeId + " v" + typeVersion + ", " + vsiId.format() + " " + vsiId + ", " + filter + "]";
    }

    public static final class Builder {
        private VdpTlvType type = VdpTlvType.ASSOCIATE;
        private VsiStatus status = VsiStatus.REQUEST;
        private int typeId;
        private int typeVersion;
        private VsiId vsiId;
        private FilterInfo filter;

        private Builder() {
        }

        public Builder type(VdpTlvType v) {
            if (!v.isAssociation()) {
                throw new IllegalArgumentException("an association TLV has type 1..4, not " + v.value());
            }
            type = v;
            return this;
        }

        public Builder status(VsiStatus v) {
            status = Objects.requireNonNull(v, "status");
            return this;
        }

        public Builder typeId(int v) {
            if (v < 0 || v > 0xFFFFFF) {
                throw new IllegalArgumentException("the VSI Type ID is 24 bits: " + v);
            }
            typeId = v;
            return this;
        }

        public Builder typeVersion(int v) {
            if (v < 0 || v > 0xFF) {
                throw new IllegalArgumentException("the VSI Type Version is 8 bits: " + v);
            }
            typeVersion = v;
            return this;
        }

        public Builder vsiId(VsiId v) {
            vsiId = Objects.requireNonNull(v, "vsiId");
            return this;
        }

        public Builder filter(FilterInfo v) {
            filter = Objects.requireNonNull(v, "filter");
            return this;
        }

        public Builder filter(FilterFormat format, FilterEntry... entries) {
            return filter(FilterInfo.of(format, entries));
        }

        /** Builds one TLV; fails if its value would exceed 511 octets (use {@link #buildSplit}). */
        public AssociationTlv build() {
            Objects.requireNonNull(vsiId, "vsiId is required");
            Objects.requireNonNull(filter, "filter is required");
            int len = HEADER_LENGTH + filter.encodedLength();
            if (len > MAX_VALUE_LENGTH) {
                throw new IllegalArgumentException("association TLV value of " + len + " octets exceeds " + MAX_VALUE_LENGTH
                        + "; split the entries with buildSplit()");
            }
            return new AssociationTlv(this);
        }

        /**
         * Builds as many TLVs for this VSI and filter format as the entries need, each within 511
         * octets, keeping the entries in order (docs/PROTOCOL.md 4.1: large address sets are split
         * over several TLVs for the same VSI ID and format).
         */
        public List<AssociationTlv> buildSplit() {
            Objects.requireNonNull(vsiId, "vsiId is required");
            Objects.requireNonNull(filter, "filter is required");
            List<AssociationTlv> out = new ArrayList<>();
            List<FilterEntry> chunk = new ArrayList<>();
            int len = HEADER_LENGTH + 3;
            FilterInfo all = filter;
            for (FilterEntry e : all.entries()) {
                if (len + e.encodedLength() > MAX_VALUE_LENGTH && !chunk.isEmpty()) {
                    out.add(filter(FilterInfo.of(all.format(), chunk)).build());
                    chunk.clear();
                    len = HEADER_LENGTH + 3;
                }
                chunk.add(e);
                len += e.encodedLength();
            }
            out.add(filter(FilterInfo.of(all.format(), chunk)).build());
            filter = all;
            return out;
        }
    }
}
