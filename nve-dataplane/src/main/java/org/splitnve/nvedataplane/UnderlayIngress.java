package org.splitnve.nvedataplane;

import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.nvedataplane.DataPlaneCounters.Event;
import org.splitnve.nvedataplane.codec.Encapsulation;
import org.splitnve.nvedataplane.codec.EtherType;
import org.splitnve.nvedataplane.codec.Ethernet;
import org.splitnve.nvedataplane.codec.Malformation;
import org.splitnve.nvedataplane.codec.Neighbor;
import org.splitnve.nvedataplane.codec.Tunnel;
import org.splitnve.nvedataplane.table.Keys;

/**
 * Frames from the underlay, on the underlay port's receive thread: ARP and neighbour discovery go
 * to {@link UnderlayNeighbors}; tunnel packets for this NVE are checked (outer headers, our
 * address, a VNI some port maps, an untagged inner frame) and their inner frame delivered with
 * the local tag of the port of the Activated TSI that owns its destination, flooded to the VN's
 * ports, or passed to the {@link MigrationHold} of a TSI that moved away ({@link TsiDelivery}).
 */
final class UnderlayIngress {

    // The data plane's one log category, as operators configure it.
    private static final Logger LOG = LoggerFactory.getLogger(DataPlane.class);

    private final ForwardingTables tables;
    private final Egress egress;
    private final TsiDelivery delivery;
    private final UnderlayNeighbors neighbors;
    private final Scratch.PerThread scratches;
    private final DataPlaneCounters counters;
    private final UnderlayAddress local;
    private final long underlayMac;
    private final Encapsulation encapsulation;
    private final boolean acceptZeroUdp6Checksum;
    private final boolean verifyUdpChecksums;
    private final int maxFrame;

    UnderlayIngress(ForwardingTables tables, Egress egress, TsiDelivery delivery, UnderlayNeighbors neighbors, Scratch.PerThread scratches,
                    DataPlaneCounters counters, UnderlayAddress local, Encapsulation encapsulation, boolean acceptZeroUdp6Checksum,
                    boolean verifyUdpChecksums, int maxFrame) {
        this.tables = tables;
        this.egress = egress;
        this.delivery = delivery;
        this.neighbors = neighbors;
        this.scratches = scratches;
        this.counters = counters;
        this.local = local;
        this.underlayMac = egress.underlayMac();
        this.encapsulation = encapsulation;
        this.acceptZeroUdp6Checksum = acceptZeroUdp6Checksum;
        this.verifyUdpChecksums = verifyUdpChecksums;
        this.maxFrame = maxFrame;
    }

    /** A frame received on the underlay port, valid only during the call. */
    void receive(ByteBuffer frame) {
        counters.increment(Event.RECEIVED_UNDERLAY);
        Scratch scratch = scratches.acquire();
        try {
            handle(scratch, frame, frame.position(), frame.remaining());
        } catch (RuntimeException e) {
            counters.drop(DropReason.OUTER_MALFORMED);
            LOG.warn("dataplane {}: underlay frame of {} octets could not be handled", egress.underlayName(), frame.remaining(), e);
        } finally {
            scratches.release(scratch);
        }
    }

    private void handle(Scratch scratch, ByteBuffer frame, int offset, int length) {
        if (length < Ethernet.HEADER) {
            counters.drop(DropReason.OUTER_MALFORMED);
            return;
        }
        long destination = Ethernet.destination(frame, offset);
        if (!Ethernet.isGroup(destination) && destination != underlayMac) {
            counters.drop(DropReason.NOT_FOR_US);
            return;
        }
        int type = Ethernet.outerType(frame, offset);
        if (type == EtherType.ARP) {
            neighbors.onArp(scratch, frame, offset + Ethernet.HEADER, length - Ethernet.HEADER);
            return;
        }
        if (type != EtherType.IPV4 && type != EtherType.IPV6) {
            counters.drop(EtherType.isControl(type) ? DropReason.CONTROL_FRAME : DropReason.NOT_TUNNEL);
            return;
        }
        Tunnel.Decoded outer = scratch.decoded;
        Malformation malformation = Tunnel.decapsulate(frame, offset, length, encapsulation, acceptZeroUdp6Checksum, verifyUdpChecksums,
                outer);
        if (malformation != null) {
            counters.drop(switch (malformation) {
                case BAD_IP_CHECKSUM -> DropReason.OUTER_IP_CHECKSUM;
                case BAD_FLAGS, OAM, CRITICAL_OPTION, BAD_PROTOCOL_TYPE -> DropReason.BAD_ENCAPSULATION;
                default -> DropReason.OUTER_MALFORMED;
            });
            return;
        }
        if (outer.ipv6 != local.isIpv6()) {
            counters.drop(DropReason.NOT_FOR_US);
            return;
        }
        int ip = offset + Ethernet.HEADER;
        int ipLength = length - Ethernet.HEADER;
        if (outer.ipv6 && (Neighbor.is(frame, ip, ipLength, Neighbor.SOLICITATION) || Neighbor.is(frame, ip, ipLength, Neighbor.ADVERTISEMENT))) {
            neighbors.onNd(scratch, frame, ip, ipLength);
            return;
        }
        if (outer.ipv6 ? outer.dstHigh != local.high() || outer.dstLow != local.low() : outer.dstIp4 != local.v4()) {
            counters.drop(DropReason.NOT_FOR_US);
            return;
        }
        if (!outer.tunnel) {
            counters.drop(DropReason.NOT_TUNNEL);
            return;
        }
        deliver(scratch, frame, outer);
    }

    /** Delivers the inner frame of a tunnel packet for this NVE. */
    private void deliver(Scratch scratch, ByteBuffer frame, Tunnel.Decoded outer) {
        Tables snapshot = tables.snapshot();
        int vni = outer.vni;
        if (snapshot.knownVnis().get(Keys.vn(vni), 0) == null) {
            counters.drop(DropReason.UNKNOWN_VNI);
            return;
        }
        int inner = outer.innerOffset;
        int innerLength = outer.innerLength;
        if (innerLength + Ethernet.TAG > maxFrame) {
            counters.drop(DropReason.TOO_LONG);
            return;
        }
        int innerType = Ethernet.outerType(frame, inner);
        if (innerType == EtherType.VLAN || innerType == EtherType.QINQ) {
            counters.drop(DropReason.INNER_TAGGED);
            return;
        }
        long destination = Ethernet.destination(frame, inner);
        if (Ethernet.isGroup(destination)) {
            int[] trunkVidPairs = snapshot.flood().get(Keys.vn(vni), 0);
            if (trunkVidPairs == null) {
                counters.drop(DropReason.NO_DESTINATION);
                return;
            }
            counters.increment(Event.DECAPSULATED);
            for (int i = 0; i < trunkVidPairs.length; i += 2) {
                egress.retagged(scratch, frame, inner, innerLength, false, trunkVidPairs[i], trunkVidPairs[i + 1], Event.FLOOD_COPIES_LOCAL);
            }
            return;
        }
        if (!delivery.deliver(scratch, snapshot, vni, destination, frame, inner, innerLength, false, Event.DECAPSULATED, outer)) {
            counters.drop(DropReason.UNKNOWN_DESTINATION);
        }
    }
}
