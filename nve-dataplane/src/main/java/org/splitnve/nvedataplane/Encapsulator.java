package org.splitnve.nvedataplane;

import java.nio.ByteBuffer;
import org.splitnve.nvedataplane.DataPlaneCounters.Event;
import org.splitnve.nvedataplane.codec.Encapsulation;
import org.splitnve.nvedataplane.codec.Tunnel;

/**
 * Wraps a frame for a remote NVE (VXLAN, RFC 7348, or Geneve, RFC 8926) from this NVE's underlay
 * address, and sends it to the next hop: a fixed MAC, or the one {@link UnderlayNeighbors}
 * resolved for the remote NVE or the gateway.
 */
final class Encapsulator {

    private final Egress egress;
    private final UnderlayNeighbors neighbors;
    private final DataPlaneCounters counters;
    private final UnderlayAddress local;
    private final long underlayMac;
    /** The MAC every outer frame goes to, or -1 to resolve one. */
    private final long fixedNextHop;
    /** Where every outer frame goes when resolving, or null for the remote NVE itself. */
    private final UnderlayAddress gateway;
    private final Encapsulation encapsulation;
    private final int ttl;

    Encapsulator(Egress egress, UnderlayNeighbors neighbors, DataPlaneCounters counters, UnderlayAddress local, long fixedNextHop,
                 UnderlayAddress gateway, Encapsulation encapsulation, int ttl) {
        this.egress = egress;
        this.neighbors = neighbors;
        this.counters = counters;
        this.local = local;
        this.underlayMac = egress.underlayMac();
        this.fixedNextHop = fixedNextHop;
        this.gateway = gateway;
        this.encapsulation = encapsulation;
        this.ttl = ttl;
    }

    /**
     * Encapsulates {@code length} octets of {@code frame} at {@code offset} (its tag removed if
     * {@code tagged}) in {@code vni} toward {@code remote}, counting {@code event} when sent.
     */
    void encapsulate(Scratch scratch, ByteBuffer frame, int offset, int length, boolean tagged, int vni, UnderlayAddress remote,
                     Event event) {
        if (remote.isIpv6() != local.isIpv6()) {
            counters.drop(DropReason.UNDERLAY_FAMILY_MISMATCH);
            return;
        }
        NeighborEntry nextHop = null;
        long nextHopMac = fixedNextHop;
        if (nextHopMac < 0) {
            nextHop = neighbors.entryFor(gateway != null ? gateway : remote);
            if (nextHop == null) {
                return; // no room for another next hop: counted and logged
            }
            nextHopMac = nextHop.mac;
            if (nextHopMac >= 0) {
                // Before the packet is built: a refreshing ARP request or solicitation is written into the same buffer.
                neighbors.refreshIfStale(scratch, nextHop);
            }
        }
        // In place in a transmit slot of the underlay port when it has them; never for a frame held for its next hop.
        ByteBuffer out = nextHopMac < 0 ? scratch.out : egress.underlayOut(scratch, length + Tunnel.OVERHEAD_V6);
        long outerDestination = Math.max(nextHopMac, 0);
        int packetLength = local.isIpv6()
                ? Tunnel.encapsulateV6(frame, offset, length, tagged, out, 0, outerDestination, underlayMac, local.high(), local.low(),
                        remote.high(), remote.low(), encapsulation, vni, ttl)
                : Tunnel.encapsulateV4(frame, offset, length, tagged, out, 0, outerDestination, underlayMac, local.v4(), remote.v4(),
                        encapsulation, vni, scratch.ipId++, ttl);
        out.limit(packetLength).position(0);
        if (nextHopMac < 0) {
            neighbors.holdUntilResolved(scratch, nextHop, out, event);
            out.clear();
            return;
        }
        egress.toUnderlay(scratch, out, packetLength, event);
    }
}
