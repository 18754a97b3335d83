package org.splitnve.vdpcore.vdp;

/**
 * The filter info formats: 1..4 from 802.1Q 41.2.8 and the project's NVO3 IP formats
 * (docs/PROTOCOL.md 4.1). The wire code of each lives in {@link org.splitnve.vdpcore.CodePoints}, so
 * this closed set names what an entry holds, not the number on the wire.
 */
public enum FilterFormat {
    VID(false, false, false),
    MAC_VID(false, true, false),
    GROUPID_VID(true, false, false),
    GROUPID_MAC_VID(true, true, false),
    GROUPID_IP_VID(true, false, true),
    GROUPID_MAC_IP_VID(true, true, true),
    MAC_IP_VID(false, true, true);

    private final boolean groupId;
    private final boolean mac;
    private final boolean ip;

    FilterFormat(boolean groupId, boolean mac, boolean ip) {
        this.groupId = groupId;
        this.mac = mac;
        this.ip = ip;
    }

    public boolean hasGroupId() {
        return groupId;
    }

    public boolean hasMac() {
        return mac;
    }

    public boolean hasIp() {
        return ip;
    }

    /** Octets of one entry before the IP address and without it (IP entries add AF and address). */
    public int fixedEntryLength() {
        return (groupId ? 4 : 0) + (mac ? 6 : 0) + (ip ? 1 : 0) + 2;
    }
}
