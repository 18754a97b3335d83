package org.splitnve.nvedataplane.directory;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import org.splitnve.nvedataplane.UnderlayAddress;
import org.splitnve.nvedataplane.table.Keys;
import org.splitnve.nvedataplane.table.LongKeyTable;
import org.splitnve.vdpcore.MacAddress;

/** One immutable state of an {@link OverlayDirectory}; every lookup is allocation-free. */
public final class DirectorySnapshot {

    private static final UnderlayAddress[] NONE = new UnderlayAddress[0];
    public static final DirectorySnapshot EMPTY = new DirectorySnapshot(LongKeyTable.empty(), LongKeyTable.empty(),
            LongKeyTable.empty());

    private final LongKeyTable<UnderlayAddress> byMac;
    private final LongKeyTable<UnderlayAddress[]> flood;
    private final LongKeyTable<MacAddress> byIp;

    public DirectorySnapshot(LongKeyTable<UnderlayAddress> byMac, LongKeyTable<UnderlayAddress[]> flood,
                             LongKeyTable<MacAddress> byIp) {
        this.byMac = byMac;
        this.flood = flood;
        this.byIp = byIp;
    }

    public UnderlayAddress remoteNve(int vni, long mac) {
        return byMac.get(Keys.mac(vni), mac);
    }

    /** Never null; do not modify. */
    public UnderlayAddress[] floodList(int vni) {
        UnderlayAddress[] f = flood.get(Keys.vn(vni), 0);
        return f == null ? NONE : f;
    }

    public MacAddress macOfIpv4(int vni, int ip) {
        return byIp.get(Keys.ipv4(vni), ip & 0xFFFFFFFFL);
    }

    public MacAddress macOfIpv6(int vni, long high, long low) {
        return byIp.get(Keys.ipv6(vni), high, low);
    }

    public MacAddress macOf(int vni, InetAddress ip) {
        ByteBuffer b = ByteBuffer.wrap(ip.getAddress());
        return ip instanceof Inet6Address ? macOfIpv6(vni, b.getLong(0), b.getLong(8)) : macOfIpv4(vni, b.getInt(0));
    }

    public int macEntries() {
        return byMac.size();
    }

    @Override
    public String toString() {
        return "DirectorySnapshot[" + byMac.size() + " MACs, " + flood.size() + " VNs, " + byIp.size() + " IPs]";
    }
}
