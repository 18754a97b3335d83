package org.splitnve.ecptransport.ecp;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.ecptransport.log.RateLimitedLog;
import org.splitnve.vdpcore.MacAddress;

/**
 * The peers one ECP port keeps state for, at most {@link EcpConfig#maxPeers} of them: a station can make a port hold
 * state only by a well-formed request for a registered subtype, never by a malformed frame or a stray ack, and a flood
 * of requests from new source MACs cannot grow the table. A peer may be forgotten to make room once it is idle (nothing
 * queued or outstanding, nothing heard or sent within the time a copy of its last PDU can still arrive, and addressed
 * the port's default way): forgetting it loses only its counters and its last sequence number, which by then no
 * duplicate can match. The peers' ECP timers, as EVB negotiated them with each, are kept here too, apart from the peers,
 * so that forgetting a peer does not forget what was negotiated with it.
 *
 * <p>Peers are created and forgotten on the engine's scheduler thread; lookups and counters may come from any thread.
 */
final class EcpPeerTable {

    private static final Logger LOG = LoggerFactory.getLogger(EcpEngine.class);

    private final String port;
    private final Supplier<EcpConfig> config;
    private final SplittableRandom random;
    private final RateLimitedLog log;
    private final Map<MacAddress, EcpPeer> peers = new ConcurrentHashMap<>();
    private final Map<MacAddress, EcpTimers> negotiated = new ConcurrentHashMap<>();
    private final AtomicLong evicted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    /** After a full table had no idle peer: no new scan before this, so a flood costs one scan per horizon. */
    private long noScanBefore = Long.MIN_VALUE;

    EcpPeerTable(String port, Supplier<EcpConfig> config, SplittableRandom random, RateLimitedLog log) {
        this.port = port;
        this.config = config;
        this.random = random;
        this.log = log;
    }

    /** The peer, or null when the port keeps no state for it. Any thread. */
    EcpPeer get(MacAddress mac) {
        return peers.get(mac);
    }

    /** Whether a request from {@code mac} would find a place now; a guess off the scheduler thread, exact on it. */
    boolean hasRoomFor(MacAddress mac) {
        return peers.containsKey(mac) || peers.size() < config.get().maxPeers();
    }

    /**
     * The peer, made now if there is room or an idle peer can be forgotten for it; null (counted and logged) when the
     * table is full of peers that are not idle. Scheduler thread.
     */
    EcpPeer getOrCreate(MacAddress mac, long now) {
        EcpPeer p = peers.get(mac);
        if (p != null) {
            return p;
        }
        EcpConfig c = config.get();
        if (peers.size() >= c.maxPeers() && (noScanBefore != Long.MIN_VALUE && now - noScanBefore < 0 || evictIdle(now) == 0)) {
            refused.incrementAndGet();
            log.warn("peer table full", "ecp {}: no room for new peer {}: {} peers, none idle; its request is dropped unacked", port,
                    mac, peers.size());
            return null;
        }
        int first = 1 + random.nextInt(0xFFFF);
        p = new EcpPeer(mac, c.addressing(), first);
        p.lastActive = now;
        peers.put(mac, p);
        LOG.debug("ecp {}: new peer {}, first sequence {}", port, mac, first);
        return p;
    }

    /** Forgets every idle peer; returns how many. Scheduler thread. */
    private int evictIdle(long now) {
        EcpAddressing defaultAddressing = config.get().addressing();
        int n = 0;
        long shortest = Long.MAX_VALUE;
        for (Iterator<EcpPeer> it = peers.values().iterator(); it.hasNext(); ) {
            EcpPeer p = it.next();
            long horizon = timers(p.mac).duplicateHorizonNanos();
            shortest = Math.min(shortest, horizon);
            if (p.outstanding == null && p.queue.isEmpty() && p.addressing.equals(defaultAddressing) && !p.downWithLink
                    && now - p.lastActive > horizon) {
                it.remove();
                n++;
            }
        }
        if (n > 0) {
            evicted.addAndGet(n);
            LOG.debug("ecp {}: forgot {} idle peers to make room; {} left", port, n, peers.size());
        } else {
            noScanBefore = now + (shortest == Long.MAX_VALUE ? 0 : shortest);
        }
        return n;
    }

    /** Every peer, a live view. */
    Iterable<EcpPeer> all() {
        return peers.values();
    }

    List<MacAddress> macs() {
        return new ArrayList<>(peers.keySet());
    }

    int size() {
        return peers.size();
    }

    long evicted() {
        return evicted.get();
    }

    long refused() {
        return refused.get();
    }

    // ---------------------------------------------------------------- timers per peer

    /** The timers with {@code mac}: those EVB negotiated with it, else the port's. Any thread. */
    EcpTimers timers(MacAddress mac) {
        EcpTimers t = negotiated.get(mac);
        if (t != null) {
            return t;
        }
        EcpConfig c = config.get();
        return new EcpTimers(c.maxRetries(), c.rte());
    }

    /** Timers negotiated with one peer; at most as many peers as the table holds have their own. */
    void negotiated(MacAddress mac, EcpTimers timers) {
        if (negotiated.containsKey(mac) || negotiated.size() < config.get().maxPeers()) {
            negotiated.put(mac, timers);
        }
    }

    /** The peer's negotiation ended (it is no longer an LLDP neighbour): the port's timers apply to it again. */
    void forgetNegotiated(MacAddress mac) {
        negotiated.remove(mac);
    }
}
