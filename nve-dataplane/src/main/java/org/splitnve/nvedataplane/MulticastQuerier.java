package org.splitnve.nvedataplane;

import java.net.Inet6Address;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.nnve.TsiView;
import org.splitnve.nvedataplane.DataPlaneCounters.Event;
import org.splitnve.nvedataplane.codec.EtherType;
import org.splitnve.nvedataplane.codec.Ethernet;
import org.splitnve.nvedataplane.codec.MulticastQuery;
import org.splitnve.vdpcore.MacAddress;

/**
 * The new NVE's side of a migration (RFC 8394 section 3.3): a TSI that arrived by migration gets
 * an IGMP general query (and an MLD one if it has IPv6 addresses), so that its multicast
 * memberships are reported here and follow it.
 */
final class MulticastQuerier {

    // The data plane's one log category, as operators configure it.
    private static final Logger LOG = LoggerFactory.getLogger(DataPlane.class);

    private final Egress egress;
    private final Scratch.PerThread scratches;
    private final long underlayMac;
    private final int maxResponseMillis;

    MulticastQuerier(Egress egress, Scratch.PerThread scratches, int maxResponseMillis) {
        this.egress = egress;
        this.scratches = scratches;
        this.underlayMac = egress.underlayMac();
        this.maxResponseMillis = maxResponseMillis;
    }

    /** Queries each MAC of {@code tsi}, which arrived by migration on {@code trunk}. */
    void queryArrived(TsiView tsi, int trunk) {
        boolean ipv6 = tsi.ips().stream().anyMatch(a -> a instanceof Inet6Address);
        int vid = tsi.tag().vid();
        Scratch scratch = scratches.acquire();
        try {
            for (MacAddress mac : tsi.macs()) {
                sendIgmpQuery(scratch, trunk, vid, mac.toLong());
                if (ipv6) {
                    sendMldQuery(scratch, trunk, vid, mac.toLong());
                }
            }
        } finally {
            scratches.release(scratch);
        }
        LOG.info("dataplane {}: TSI {} arrived by migration: sent IGMP{} general query to {}", tsi.key().port(), tsi.key(),
                ipv6 ? " and MLD" : "", tsi.macs());
    }

    private void sendIgmpQuery(Scratch scratch, int trunk, int vid, long tsiMac) {
        ByteBuffer out = scratch.out;
        // To the TSI's own MAC: the query is for it, not for its neighbours on the port.
        int at = Ethernet.writeTaggedHeader(out, 0, tsiMac, underlayMac, vid, EtherType.IPV4);
        int end = MulticastQuery.writeIgmp(out, at, 0, Math.min(127, maxResponseMillis / 100));
        egress.toTrunk(trunk, out, Egress.pad(out, end), Event.QUERIES_SENT);
    }

    private void sendMldQuery(Scratch scratch, int trunk, int vid, long tsiMac) {
        ByteBuffer out = scratch.out;
        int at = Ethernet.writeTaggedHeader(out, 0, tsiMac, underlayMac, vid, EtherType.IPV6);
        int end = MulticastQuery.writeMld(out, at, MulticastQuery.LINK_LOCAL_HIGH, MulticastQuery.linkLocalLow(underlayMac),
                maxResponseMillis);
        egress.toTrunk(trunk, out, end, Event.QUERIES_SENT);
    }
}
