package org.splitnve.nvedataplane;

import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.nvedataplane.DataPlaneCounters.Event;
import org.splitnve.nvedataplane.codec.Arp;
import org.splitnve.nvedataplane.codec.EtherType;
import org.splitnve.nvedataplane.codec.Ethernet;
import org.splitnve.nvedataplane.codec.Ipv6;
import org.splitnve.nvedataplane.codec.Neighbor;
import org.splitnve.nvedataplane.directory.OverlayDirectory;
import org.splitnve.nvedataplane.table.Keys;
import org.splitnve.vdpcore.MacAddress;

/**
 * Frames from stations, on the receive thread of their trunk port: admitted by the
 * {@link SourceGuard}, ARP requests and neighbour solicitations for known addresses answered on
 * the port, then delivered to a TSI of this NVE ({@link TsiDelivery}), encapsulated toward the remote NVE, or replicated head-end to the VN's other local ports and
 * remote NVEs.
 */
final class StationIngress {

    // The data plane's one log category, as operators configure it.
    private static final Logger LOG = LoggerFactory.getLogger(DataPlane.class);

    private final ForwardingTables tables;
    private final SourceGuard guard;
    private final Egress egress;
    private final Encapsulator encapsulator;
    private final TsiDelivery delivery;
    private final OverlayDirectory directory;
    private final Scratch.PerThread scratches;
    private final DataPlaneCounters counters;
    private final boolean answerAddressResolution;

    StationIngress(ForwardingTables tables, SourceGuard guard, Egress egress, Encapsulator encapsulator, TsiDelivery delivery,
                   OverlayDirectory directory, Scratch.PerThread scratches, DataPlaneCounters counters, boolean answerAddressResolution) {
        this.tables = tables;
        this.guard = guard;
        this.egress = egress;
        this.encapsulator = encapsulator;
        this.delivery = delivery;
        this.directory = directory;
        this.scratches = scratches;
        this.counters = counters;
        this.answerAddressResolution = answerAddressResolution;
    }

    /** A frame received on {@code trunk}, valid only during the call. */
    void receive(int trunk, ByteBuffer frame) {
        counters.increment(Event.RECEIVED_TRUNK);
        Scratch scratch = scratches.acquire();
        try {
            forward(scratch, trunk, frame, frame.position(), frame.remaining());
        } catch (RuntimeException e) {
            counters.drop(DropReason.MALFORMED);
            LOG.warn("dataplane {}: frame of {} octets could not be forwarded", egress.trunkName(trunk), frame.remaining(), e);
        } finally {
            scratches.release(scratch);
        }
    }

    private void forward(Scratch scratch, int trunk, ByteBuffer frame, int offset, int length) {
        Tables snapshot = tables.snapshot();
        DropReason refused = guard.admit(snapshot, trunk, frame, offset, length);
        if (refused != SourceGuard.ADMITTED) {
            counters.drop(refused);
            return;
        }
        int vni = snapshot.vniByVid()[trunk][Ethernet.vid(frame, offset)];
        long source = Ethernet.source(frame, offset);
        if (snapshot.tsis().get(Keys.mac(vni), source) == null) {
            // Admitted by the IP address of a TSI registered by IP alone: its MAC from now on (once per MAC).
            LocalTsi owner = SourceGuard.ipOwner(snapshot, vni, frame, offset, length);
            if (owner != null) {
                tables.learn(owner, source);
            }
        }
        if (answerAddressResolution && answered(scratch, snapshot, trunk, vni, frame, offset, length)) {
            return;
        }
        long destination = Ethernet.destination(frame, offset);
        if (!Ethernet.isGroup(destination)) {
            if (delivery.deliver(scratch, snapshot, vni, destination, frame, offset, length, true, Event.DELIVERED_LOCAL, null)) {
                return;
            }
            UnderlayAddress remote = directory.snapshot().remoteNve(vni, destination);
            if (remote != null) {
                encapsulator.encapsulate(scratch, frame, offset, length, true, vni, remote, Event.ENCAPSULATED);
                return;
            }
        }
        int copies = 0;
        int[] trunkVidPairs = snapshot.flood().get(Keys.vn(vni), 0);
        // Unknown unicast stays off local ports: every local Activated TSI is known, and the
        // port may hold an Associated TSI with that MAC, which must receive nothing (RFC 8394 3.2).
        if (trunkVidPairs != null && Ethernet.isGroup(destination)) {
            for (int i = 0; i < trunkVidPairs.length; i += 2) {
                if (trunkVidPairs[i] != trunk) {
                    egress.retagged(scratch, frame, offset, length, true, trunkVidPairs[i], trunkVidPairs[i + 1], Event.FLOOD_COPIES_LOCAL);
                    copies++;
                }
            }
        }
        for (UnderlayAddress remote : directory.snapshot().floodList(vni)) {
            encapsulator.encapsulate(scratch, frame, offset, length, true, vni, remote, Event.FLOOD_COPIES_REMOTE);
            copies++;
        }
        if (copies == 0) {
            counters.drop(DropReason.NO_DESTINATION);
        }
    }

    /**
     * Answers an admitted ARP request or neighbour solicitation for an address of the VN whose
     * MAC is known (a local TSI's or the directory's) on the port it came from, instead of
     * flooding it.
     *
     * @return whether it was answered (and must not be forwarded)
     */
    private boolean answered(Scratch scratch, Tables snapshot, int trunk, int vni, ByteBuffer frame, int offset, int length) {
        long requester = Ethernet.source(frame, offset);
        int vid = Ethernet.vid(frame, offset);
        int l3 = offset + Ethernet.TAGGED_HEADER;
        int type = Ethernet.payloadType(frame, offset);
        if (type == EtherType.ARP && Arp.operation(frame, l3) == Arp.REQUEST) {
            int requesterIp = Arp.senderIp(frame, l3);
            int targetIp = Arp.targetIp(frame, l3);
            long targetMac = macOfIpv4(snapshot, vni, targetIp);
            // Not the requester's own address, nor a gratuitous ARP (sender IP = target IP).
            if (targetMac >= 0 && targetMac != requester && targetIp != requesterIp) {
                answerArp(scratch, trunk, vid, requester, requesterIp, targetIp, targetMac);
                return true;
            }
        } else if (type == EtherType.IPV6
                && SourceGuard.neighborDiscoveryType(frame, l3, length - Ethernet.TAGGED_HEADER) == Neighbor.SOLICITATION) {
            long requesterHigh = Ipv6.sourceHigh(frame, l3);
            long requesterLow = Ipv6.sourceLow(frame, l3);
            if (requesterHigh == 0 && requesterLow == 0) {
                // A duplicate address detection probe (RFC 4862 5.4) is forwarded, not answered.
                return false;
            }
            long targetHigh = Neighbor.targetHigh(frame, l3);
            long targetLow = Neighbor.targetLow(frame, l3);
            long targetMac = macOfIpv6(snapshot, vni, targetHigh, targetLow);
            if (targetMac >= 0 && targetMac != requester) {
                answerNeighborSolicitation(scratch, trunk, vid, requester, requesterHigh, requesterLow, targetHigh, targetLow, targetMac);
                return true;
            }
        }
        return false;
    }

    private void answerArp(Scratch scratch, int trunk, int vid, long requester, int requesterIp, int targetIp, long targetMac) {
        ByteBuffer out = scratch.out;
        int at = Ethernet.writeTaggedHeader(out, 0, requester, targetMac, vid, EtherType.ARP);
        int end = Arp.write(out, at, Arp.REPLY, targetMac, targetIp, requester, requesterIp);
        egress.toTrunk(trunk, out, Egress.pad(out, end), Event.ARP_ANSWERED);
    }

    private void answerNeighborSolicitation(Scratch scratch, int trunk, int vid, long requester, long requesterHigh, long requesterLow,
                                            long targetHigh, long targetLow, long targetMac) {
        ByteBuffer out = scratch.out;
        int at = Ethernet.writeTaggedHeader(out, 0, requester, targetMac, vid, EtherType.IPV6);
        int end = Neighbor.write(out, at, Neighbor.ADVERTISEMENT, Neighbor.FLAG_SOLICITED | Neighbor.FLAG_OVERRIDE, targetHigh, targetLow,
                requesterHigh, requesterLow, targetHigh, targetLow, targetMac);
        egress.toTrunk(trunk, out, end, Event.ND_ANSWERED);
    }

    private long macOfIpv4(Tables snapshot, int vni, int ip) {
        MacAddress mac = snapshot.localIps().get(Keys.ipv4(vni), ip & 0xFFFFFFFFL, 0);
        if (mac == null) {
            mac = directory.snapshot().macOfIpv4(vni, ip);
        }
        return mac == null ? -1 : mac.toLong();
    }

    private long macOfIpv6(Tables snapshot, int vni, long high, long low) {
        MacAddress mac = snapshot.localIps().get(Keys.ipv6(vni), high, low);
        if (mac == null) {
            mac = directory.snapshot().macOfIpv6(vni, high, low);
        }
        return mac == null ? -1 : mac.toLong();
    }
}
