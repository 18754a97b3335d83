package org.splitnve.vdpcore.vdp;

/**
 * A virtual network identifier: the 24-bit VNI that VDP carries as a GroupID (docs/PROTOCOL.md 3.2:
 * upper octet zero, 0 invalid) and VXLAN carries in its header.
 */
public record VnId(int value) implements Comparable<VnId> {

    public static final int MAX = 0xFFFFFF;

    public VnId {
        if (value < 1 || value > MAX) {
            throw new IllegalArgumentException("a VN ID is 1.." + MAX + ": " + value);
        }
    }

    public static VnId of(int value) {
        return new VnId(value);
    }

    /** The VN a GroupID names. */
    public static VnId ofGroupId(long groupId) {
        if (groupId < 1 || groupId > MAX) {
            throw new IllegalArgumentException("GroupID " + groupId + " is not a 24-bit VN ID");
        }
        return new VnId((int) groupId);
    }

    public long groupId() {
        return value;
    }

    // Written out: a record's generated equals goes through a method-handle chain that the JIT did not inline on the
    // NVA's and the quotas' map look-ups, where a VN ID is compared for every TSI change.
    @Override
    public boolean equals(Object o) {
        return o instanceof VnId v && v.value == value;
    }

    @Override
    public int hashCode() {
        return Integer.hashCode(value);
    }

    @Override
    public int compareTo(VnId o) {
        return Integer.compare(value, o.value);
    }

    @Override
    public String toString() {
        return "VN " + value;
    }
}
