package org.splitnve.nvedataplane;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.ecptransport.clock.Scheduler;
import org.splitnve.ecptransport.log.RateLimitedLog;
import org.splitnve.nvedataplane.DataPlaneCounters.Event;
import org.splitnve.nvedataplane.codec.Arp;
import org.splitnve.nvedataplane.codec.EtherType;
import org.splitnve.nvedataplane.codec.Ethernet;
import org.splitnve.nvedataplane.codec.Ipv6;
import org.splitnve.nvedataplane.codec.MulticastQuery;
import org.splitnve.nvedataplane.codec.Neighbor;
import org.splitnve.nvedataplane.port.BufferPool;
import org.splitnve.nvedataplane.table.Keys;
import org.splitnve.vdpcore.MacAddress;

/**
 * The NVE as a host on the underlay: it resolves the MAC of each next hop by ARP (RFC 826) or
 * neighbour discovery (RFC 4861), holds tunnel packets for a next hop until it answers, retries,
 * and answers the underlay's ARP requests and neighbour solicitations for its own address.
 *
 * <p>The neighbours are the next hops the data plane needs, and no others: an entry is made only for
 * an address a tunnel packet goes to, filled in from the answers to our own requests (or any ARP or
 * ND that speaks for an address we hold), so a host on the underlay that asks for our address, or
 * announces itself, adds nothing. The {@link NeighborTable} holds a bounded number, read without locks
 * by the forwarding threads and changed in place; an entry with nothing waiting that has had no news
 * for four reachable times is forgotten by a sweep every reachable time while any is held. Each
 * entry's resolution state is guarded by the entry itself; retries and sweeps run on the scheduler.
 */
final class UnderlayNeighbors {

    // The data plane's one log category, as operators configure it.
    private static final Logger LOG = LoggerFactory.getLogger(DataPlane.class);
    private static final long RESOLUTION_INTERVAL_NANOS = 1_000_000_000L;
    private static final int RESOLUTION_TRIES = 3;
    /** An entry with no news for this many reachable times is forgotten. */
    private static final int AGE_IN_REACHABLE_TIMES = 4;

    private final Egress egress;
    private final Scratch.PerThread scratches;
    private final Scheduler scheduler;
    private final UnderlayAddress local;
    private final long underlayMac;
    private final BufferPool heldPool;
    private final int maxHeldPerNeighbor;
    private final long reachableNanos;
    private final DataPlaneCounters counters;

    private final NeighborTable neighbors;
    private final RateLimitedLog dropped;
    /** The sweep that forgets aged entries; guarded by the table. */
    private Scheduler.Timer sweep;
    private volatile boolean closed;

    UnderlayNeighbors(Egress egress, Scratch.PerThread scratches, Scheduler scheduler, UnderlayAddress local, BufferPool heldPool,
                      int maxHeldPerNeighbor, int maxNeighbors, Duration reachable, DataPlaneCounters counters) {
        this.egress = egress;
        this.scratches = scratches;
        this.scheduler = scheduler;
        this.local = local;
        this.underlayMac = egress.underlayMac();
        this.heldPool = heldPool;
        this.maxHeldPerNeighbor = maxHeldPerNeighbor;
        this.reachableNanos = reachable.toNanos();
        this.counters = counters;
        this.neighbors = new NeighborTable(maxNeighbors);
        this.dropped = RateLimitedLog.of(LOG, "dataplane " + egress.underlayName(), scheduler::nanoTime);
    }

    /** The MAC resolved for an underlay neighbour, if any. */
    Optional<MacAddress> macOf(InetAddress ip) {
        UnderlayAddress address = UnderlayAddress.of(ip);
        NeighborEntry entry = neighbors.get(familyKey(address), highKey(address), address.low());
        return entry == null || entry.mac < 0 ? Optional.empty() : Optional.of(MacAddress.valueOf(entry.mac));
    }

    /**
     * The entry of a next hop, made (unresolved) on first use; null, counted and logged, when the table holds as many
     * neighbours as it may and none of them is old enough to forget.
     */
    NeighborEntry entryFor(UnderlayAddress address) {
        long family = familyKey(address);
        long high = highKey(address);
        NeighborEntry entry = neighbors.get(family, high, address.low());
        if (entry != null) {
            return entry;
        }
        synchronized (neighbors) {
            entry = neighbors.get(family, high, address.low());
            if (entry != null) {
                return entry;
            }
            entry = new NeighborEntry(address, new HeldFrames(heldPool, maxHeldPerNeighbor));
            entry.createdNanos = scheduler.nanoTime();
            if (!neighbors.add(entry) && (forgetAged(entry.createdNanos) == 0 || !neighbors.add(entry))) {
                counters.drop(DropReason.UNDERLAY_NEIGHBORS_FULL);
                dropped.warn("neighbour table full", "dataplane {}: {} underlay neighbours held, none aged; no room for {}",
                        egress.underlayName(), neighbors.size(), address);
                return null;
            }
            if (sweep == null && !closed) {
                sweep = scheduler.schedule(Duration.ofNanos(reachableNanos), this::sweep);
            }
            return entry;
        }
    }

    /** Forgets every aged entry, and sweeps again in one reachable time while entries are held. */
    private void sweep() {
        synchronized (neighbors) {
            sweep = null;
            if (closed) {
                return;
            }
            int n = forgetAged(scheduler.nanoTime());
            if (n > 0) {
                LOG.debug("dataplane {}: forgot {} underlay neighbours with no news; {} held", egress.underlayName(), n, neighbors.size());
            }
            if (neighbors.size() > 0) {
                sweep = scheduler.schedule(Duration.ofNanos(reachableNanos), this::sweep);
            }
        }
    }

    /**
     * Removes the entries with nothing waiting and nothing under way that have had no news (an answer, or their making)
     * for {@value #AGE_IN_REACHABLE_TIMES} reachable times; returns how many. Called with the table's lock held.
     */
    private int forgetAged(long now) {
        long age = AGE_IN_REACHABLE_TIMES * reachableNanos;
        int[] n = {0};
        neighbors.forEach(e -> {
            synchronized (e) {
                long news = e.mac >= 0 ? e.confirmedNanos : e.createdNanos;
                if (e.retry == null && e.waiting.size() == 0 && now - news > age) {
                    neighbors.remove(e);
                    n[0]++;
                }
            }
        });
        return n[0];
    }

    /** Underlay neighbours held now. */
    int size() {
        return neighbors.size();
    }

    /**
     * Sends a tunnel packet whose next hop was unresolved when it was built: at once if the
     * answer came meanwhile, else held until it comes (resolution starts if it has not).
     */
    void holdUntilResolved(Scratch scratch, NeighborEntry nextHop, ByteBuffer frame, Event event) {
        synchronized (nextHop) {
            long mac = nextHop.mac;
            if (mac >= 0) {
                Ethernet.putMac(frame, 0, mac);
                egress.toUnderlay(frame, frame.limit(), event);
                return;
            }
            if (nextHop.waiting.hold(frame, event) != HeldFrames.Held.HELD) {
                counters.drop(DropReason.NEXT_HOP_UNRESOLVED);
                return;
            }
            if (nextHop.retry == null && !closed) {
                nextHop.tries = 0;
                solicit(scratch, nextHop);
                nextHop.retry = scheduler.schedule(Duration.ofNanos(RESOLUTION_INTERVAL_NANOS), () -> retry(nextHop));
            }
        }
    }

    /** Asks again for a next hop not confirmed within the reachable time; uses (and clobbers) the scratch. */
    void refreshIfStale(Scratch scratch, NeighborEntry nextHop) {
        long now = scheduler.nanoTime();
        if (now - nextHop.confirmedNanos <= reachableNanos) {
            return;
        }
        synchronized (nextHop) {
            if (now - nextHop.lastRequestNanos >= RESOLUTION_INTERVAL_NANOS || nextHop.lastRequestNanos == Long.MIN_VALUE) {
                // Keep using the old MAC meanwhile: a changed one is learned from the answer.
                solicit(scratch, nextHop);
            }
        }
    }

    /** An ARP packet at {@code arp} in an underlay frame: learn the sender, answer a request for our address. */
    void onArp(Scratch scratch, ByteBuffer frame, int arp, int arpLength) {
        if (Arp.validate(frame, arp, arpLength) != null) {
            counters.drop(DropReason.OUTER_MALFORMED);
            return;
        }
        if (local.isIpv6()) {
            counters.drop(DropReason.NOT_FOR_US);
            return;
        }
        int senderIp = Arp.senderIp(frame, arp);
        long senderMac = Arp.senderMac(frame, arp);
        boolean forUs = Arp.targetIp(frame, arp) == local.v4();
        boolean learned = senderIp != 0 && !Ethernet.isGroup(senderMac) && learn(Keys.ipv4(0), senderIp & 0xFFFFFFFFL, 0, senderMac);
        if (forUs && Arp.operation(frame, arp) == Arp.REQUEST) {
            ByteBuffer out = scratch.out;
            int at = Ethernet.writeHeader(out, 0, senderMac, underlayMac, EtherType.ARP);
            int end = Arp.write(out, at, Arp.REPLY, underlayMac, local.v4(), senderMac, senderIp);
            egress.toUnderlay(out, Egress.pad(out, end), Event.UNDERLAY_RESOLUTIONS_ANSWERED);
        } else if (!forUs && !learned) {
            counters.drop(DropReason.NOT_FOR_US);
        }
    }

    /**
     * A neighbour solicitation or advertisement at {@code ip6} in an underlay frame: answer a
     * solicitation for our address (learning the solicitor), learn from an advertisement.
     */
    void onNd(Scratch scratch, ByteBuffer frame, int ip6, int length) {
        if (Neighbor.validate(frame, ip6, length) != null) {
            counters.drop(DropReason.OUTER_MALFORMED);
            return;
        }
        long targetHigh = Neighbor.targetHigh(frame, ip6);
        long targetLow = Neighbor.targetLow(frame, ip6);
        long linkSource = Ethernet.source(frame, ip6 - Ethernet.HEADER);
        if (Neighbor.type(frame, ip6) != Neighbor.SOLICITATION) {
            long targetLinkLayer = Neighbor.linkLayerOption(frame, ip6, Neighbor.OPTION_TARGET_LL);
            long mac = targetLinkLayer >= 0 ? targetLinkLayer : linkSource;
            if (!learn(Keys.ipv6(0), targetHigh, targetLow, mac)) {
                counters.drop(DropReason.NOT_FOR_US);
            }
            return;
        }
        if (targetHigh != local.high() || targetLow != local.low()) {
            counters.drop(DropReason.NOT_FOR_US);
            return;
        }
        long sourceHigh = Ipv6.sourceHigh(frame, ip6);
        long sourceLow = Ipv6.sourceLow(frame, ip6);
        long sourceLinkLayer = Neighbor.linkLayerOption(frame, ip6, Neighbor.OPTION_SOURCE_LL);
        ByteBuffer out = scratch.out;
        int end;
        if (sourceHigh == 0 && sourceLow == 0) {
            // Someone's DAD for our address: answer to all nodes (RFC 4861 7.2.4).
            int at = Ethernet.writeHeader(out, 0, MulticastQuery.ALL_NODES_MAC, underlayMac, EtherType.IPV6);
            end = Neighbor.write(out, at, Neighbor.ADVERTISEMENT, Neighbor.FLAG_OVERRIDE, local.high(), local.low(),
                    MulticastQuery.ALL_NODES_HIGH, MulticastQuery.ALL_NODES_LOW, targetHigh, targetLow, underlayMac);
        } else {
            long mac = sourceLinkLayer >= 0 ? sourceLinkLayer : linkSource;
            learn(Keys.ipv6(0), sourceHigh, sourceLow, mac);
            int at = Ethernet.writeHeader(out, 0, mac, underlayMac, EtherType.IPV6);
            end = Neighbor.write(out, at, Neighbor.ADVERTISEMENT, Neighbor.FLAG_SOLICITED | Neighbor.FLAG_OVERRIDE, local.high(),
                    local.low(), sourceHigh, sourceLow, targetHigh, targetLow, underlayMac);
        }
        egress.toUnderlay(out, end, Event.UNDERLAY_RESOLUTIONS_ANSWERED);
    }

    /**
     * Records the MAC of an underlay neighbour we hold (RFC 826's merge, for entries only: the table holds the next hops
     * we need, so a host that asks for our address or announces itself makes none) and sends what waited for it.
     *
     * @return whether it was recorded
     */
    private boolean learn(long family, long high, long low, long mac) {
        NeighborEntry entry = neighbors.get(family, high, low);
        if (entry == null) {
            return false;
        }
        long old;
        synchronized (entry) {
            old = entry.mac;
            entry.mac = mac;
            entry.confirmedNanos = scheduler.nanoTime();
            entry.tries = 0;
            if (entry.retry != null) {
                entry.retry.cancel();
                entry.retry = null;
            }
        }
        if (old != mac) {
            counters.increment(Event.UNDERLAY_NEIGHBORS_LEARNED);
            LOG.info("dataplane {}: underlay neighbour {} is at {} (was {})", egress.underlayName(), entry.ip, MacAddress.valueOf(mac),
                    old < 0 ? "unresolved" : MacAddress.valueOf(old));
        }
        if (entry.waiting.size() > 0) {
            entry.waiting.drain((waiting, event) -> {
                Ethernet.putMac(waiting, 0, mac);
                egress.toUnderlay(waiting, waiting.limit(), event);
            });
        }
        return true;
    }

    private void retry(NeighborEntry nextHop) {
        synchronized (nextHop) {
            nextHop.retry = null;
            if (nextHop.mac >= 0 || closed) {
                return;
            }
            if (++nextHop.tries >= RESOLUTION_TRIES) {
                int dropped = nextHop.waiting.clear();
                counters.drop(DropReason.NEXT_HOP_UNRESOLVED, dropped);
                LOG.warn("dataplane {}: underlay neighbour {} did not answer {} {} requests; dropped {} frames", egress.underlayName(),
                        nextHop.ip, RESOLUTION_TRIES, local.isIpv6() ? "ND" : "ARP", dropped);
                return;
            }
            Scratch scratch = scratches.acquire();
            try {
                solicit(scratch, nextHop);
            } finally {
                scratches.release(scratch);
            }
            nextHop.retry = scheduler.schedule(Duration.ofNanos(RESOLUTION_INTERVAL_NANOS), () -> retry(nextHop));
        }
    }

    /** Sends an ARP request or neighbour solicitation for {@code nextHop}; uses (and clobbers) the scratch. */
    private void solicit(Scratch scratch, NeighborEntry nextHop) {
        nextHop.lastRequestNanos = scheduler.nanoTime();
        ByteBuffer out = scratch.out;
        UnderlayAddress target = nextHop.ip;
        int end;
        if (target.isIpv6()) {
            long groupLow = Neighbor.solicitedNodeLow(target.low());
            int at = Ethernet.writeHeader(out, 0, Neighbor.multicastMac(groupLow), underlayMac, EtherType.IPV6);
            end = Neighbor.write(out, at, Neighbor.SOLICITATION, 0, local.high(), local.low(), Neighbor.SOLICITED_NODE_HIGH, groupLow,
                    target.high(), target.low(), underlayMac);
        } else {
            int at = Ethernet.writeHeader(out, 0, Ethernet.BROADCAST, underlayMac, EtherType.ARP);
            end = Egress.pad(out, Arp.write(out, at, Arp.REQUEST, underlayMac, local.v4(), 0, target.v4()));
        }
        LOG.debug("dataplane {}: resolving underlay neighbour {}", egress.underlayName(), target);
        egress.toUnderlay(out, end, Event.UNDERLAY_RESOLUTIONS_SENT);
    }

    /**
     * Stops resolving (the data plane is closing): every retry timer is cancelled and every frame that waited for a
     * next hop is dropped, its pooled buffer returned, and nothing more is held.
     */
    void close() {
        synchronized (neighbors) {
            closed = true;
            if (sweep != null) {
                sweep.cancel();
                sweep = null;
            }
        }
        neighbors.forEach(entry -> {
            synchronized (entry) {
                if (entry.retry != null) {
                    entry.retry.cancel();
                    entry.retry = null;
                }
                entry.waiting.close();
            }
        });
    }

    private static long familyKey(UnderlayAddress address) {
        return address.isIpv6() ? Keys.ipv6(0) : Keys.ipv4(0);
    }

    private static long highKey(UnderlayAddress address) {
        return address.isIpv6() ? address.high() : address.v4() & 0xFFFFFFFFL;
    }
}
