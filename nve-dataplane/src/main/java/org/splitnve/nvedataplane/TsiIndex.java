package org.splitnve.nvedataplane;

import java.net.Inet6Address;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.splitnve.nnve.TsiKey;
import org.splitnve.nnve.TsiView;
import org.splitnve.nvedataplane.table.Keys;
import org.splitnve.nvedataplane.table.LiveTable;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.FilterEntry;

/**
 * The Activated TSIs as the forwarding path looks them up, by (VNI, MAC) and by (VNI, IP address), kept entry by entry
 * in {@link LiveTable}s: a TSI that comes or goes changes its own entries, whatever the number of others. When several
 * TSIs hold one address (a moment of a migration between two ports of this NVE, a MAC learned and then registered),
 * the one activated last wins, and the one before it takes over when it goes: each address keeps its holders in
 * activation order. Changed only under the {@link ForwardingTables}' lock; read by any thread.
 */
final class TsiIndex {

    /** One MAC of one VN. */
    record VnMac(int vni, long mac) {
    }

    private record IpKey(long family, long high, long low) {
    }

    /** A TSI holding an IP address: the MAC that answers for it (null until an IP-only TSI shows one), and whether by IP alone. */
    private static final class IpHolder {
        final TsiKey key;
        MacAddress mac;
        final LocalTsi ipOnly;

        IpHolder(TsiKey key, MacAddress mac, LocalTsi ipOnly) {
            this.key = key;
            this.mac = mac;
            this.ipOnly = ipOnly;
        }
    }

    /** (VNI, MAC) of Activated TSIs, registered or learned. */
    final LiveTable<LocalTsi> tsis = new LiveTable<>();
    /** (VNI, IP) to the MAC answering ARP and ND for it. */
    final LiveTable<MacAddress> localIps = new LiveTable<>();
    /** (VNI, IP) of TSIs registered by IP addresses alone. */
    final LiveTable<LocalTsi> ipOnly = new LiveTable<>();
    private final Map<VnMac, ArrayList<LocalTsi>> macHolders = new HashMap<>();
    private final Map<IpKey, ArrayList<IpHolder>> ipHolders = new HashMap<>();
    /** Holders looked at by changes: with the tables' own work, what a change costs. */
    private long work;

    /** Indexes an Activated TSI on {@code trunk}, with the MACs learned for it so far, as the latest holder of each address. */
    void add(TsiView v, int trunk, List<MacAddress> learned) {
        int vni = v.vn().value();
        for (MacAddress mac : v.macs()) {
            addMac(vni, new LocalTsi(v, trunk, mac.toLong()));
        }
        for (MacAddress mac : learned) {
            addMac(vni, new LocalTsi(v, trunk, mac.toLong()));
        }
        LocalTsi byIp = null;
        for (FilterEntry e : v.filter().entries()) {
            if (e.ip() == null) {
                continue;
            }
            if (e.mac() == null && byIp == null) {
                byIp = new LocalTsi(v, trunk, -1);
            }
            MacAddress mac = e.mac() != null ? e.mac() : learned.isEmpty() ? null : learned.get(0);
            IpKey k = ipKey(vni, e);
            List<IpHolder> holders = ipHolders.computeIfAbsent(k, x -> new ArrayList<>(1));
            holders.add(new IpHolder(v.key(), mac, e.mac() == null ? byIp : null));
            settle(k, holders);
        }
    }

    /** Takes a TSI's entries out, with the MACs learned for it; each address falls back to its previous holder. */
    void remove(TsiView v, List<MacAddress> learned) {
        int vni = v.vn().value();
        for (MacAddress mac : v.macs()) {
            removeMac(vni, mac.toLong(), v.key());
        }
        for (MacAddress mac : learned) {
            removeMac(vni, mac.toLong(), v.key());
        }
        for (FilterEntry e : v.filter().entries()) {
            if (e.ip() == null) {
                continue;
            }
            IpKey k = ipKey(vni, e);
            ArrayList<IpHolder> holders = ipHolders.get(k);
            if (holders == null) {
                continue;
            }
            for (int i = holders.size() - 1; i >= 0; i--) {
                work++;
                if (holders.get(i).key.equals(v.key())) {
                    holders.remove(i);
                    break;
                }
            }
            if (holders.isEmpty()) {
                ipHolders.remove(k);
            }
            settle(k, holders);
        }
    }

    /**
     * A MAC shown by a TSI registered by IP addresses alone becomes one of its MACs; the first one also answers for
     * its addresses.
     */
    void learned(TsiView v, int trunk, MacAddress mac, boolean first) {
        int vni = v.vn().value();
        addMac(vni, new LocalTsi(v, trunk, mac.toLong()));
        if (!first) {
            return;
        }
        for (FilterEntry e : v.filter().entries()) {
            if (e.ip() == null || e.mac() != null) {
                continue;
            }
            IpKey k = ipKey(vni, e);
            ArrayList<IpHolder> holders = ipHolders.get(k);
            if (holders == null) {
                continue;
            }
            for (IpHolder h : holders) {
                work++;
                if (h.key.equals(v.key())) {
                    h.mac = mac;
                }
            }
            settle(k, holders);
        }
    }

    /** Whether an Activated TSI other than {@code except} holds the MAC in the VN. */
    boolean heldByOther(int vni, MacAddress mac, TsiKey except) {
        List<LocalTsi> holders = macHolders.get(new VnMac(vni, mac.toLong()));
        if (holders == null) {
            return false;
        }
        for (LocalTsi h : holders) {
            work++;
            if (!h.view.key().equals(except)) {
                return true;
            }
        }
        return false;
    }

    long work() {
        return work + tsis.work() + localIps.work() + ipOnly.work();
    }

    private void addMac(int vni, LocalTsi holder) {
        work++;
        macHolders.computeIfAbsent(new VnMac(vni, holder.mac), k -> new ArrayList<>(1)).add(holder);
        tsis.put(Keys.mac(vni), holder.mac, holder);
    }

    private void removeMac(int vni, long mac, TsiKey key) {
        VnMac k = new VnMac(vni, mac);
        ArrayList<LocalTsi> holders = macHolders.get(k);
        if (holders == null) {
            return;
        }
        for (int i = holders.size() - 1; i >= 0; i--) {
            work++;
            if (holders.get(i).view.key().equals(key)) {
                holders.remove(i);
                break;
            }
        }
        if (holders.isEmpty()) {
            macHolders.remove(k);
            tsis.remove(Keys.mac(vni), mac);
        } else {
            tsis.put(Keys.mac(vni), mac, holders.get(holders.size() - 1));
        }
    }

    /** The tables' entries of one IP address from its holders: the latest with a MAC answers, the latest by IP alone admits. */
    private void settle(IpKey k, List<IpHolder> holders) {
        MacAddress mac = null;
        LocalTsi byIp = null;
        for (int i = holders.size() - 1; i >= 0 && (mac == null || byIp == null); i--) {
            work++;
            IpHolder h = holders.get(i);
            mac = mac != null ? mac : h.mac;
            byIp = byIp != null ? byIp : h.ipOnly;
        }
        if (mac != null) {
            localIps.put(k.family, k.high, k.low, mac);
        } else {
            localIps.remove(k.family, k.high, k.low);
        }
        if (byIp != null) {
            ipOnly.put(k.family, k.high, k.low, byIp);
        } else {
            ipOnly.remove(k.family, k.high, k.low);
        }
    }

    private static IpKey ipKey(int vni, FilterEntry e) {
        ByteBuffer b = ByteBuffer.wrap(e.ip().getAddress());
        boolean v6 = e.ip() instanceof Inet6Address;
        return new IpKey(v6 ? Keys.ipv6(vni) : Keys.ipv4(vni), v6 ? b.getLong(0) : b.getInt(0) & 0xFFFFFFFFL, v6 ? b.getLong(8) : 0);
    }
}
