package org.splitnve.ecptransport.lldp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.splitnve.ecptransport.clock.Scheduler;
import org.splitnve.ecptransport.log.RateLimitedLog;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.lldp.EvbTlv;
import org.splitnve.vdpcore.lldp.Lldpdu;

/**
 * The LLDP neighbours of one agent, at most {@link LldpAgentConfig#maxNeighbors} of them (a new one beyond is ignored
 * and counted until one ages out), each until its TTL expires, with its EVB TLV lowered to the
 * {@link LldpAgentConfig#ceilings ceilings} and the operating values negotiated with it alone (Req-2: on a port with
 * several stations, each station's values are its own). Written on the agent's scheduler thread; read from any thread.
 */
final class LldpNeighbors {

    /** What one LLDPDU changed: whether its sender is new, says something new, or sends another EVB TLV. */
    record Heard(LldpNeighbor neighbor, boolean isNew, boolean changed, boolean evbChanged) {
    }

    private static final class Entry {
        LldpNeighbor neighbor;
        /** Its EVB TLV within the ceilings, or null. */
        EvbTlv evb;
        /** What EVB operates at with it, or null without an EVB TLV or a policy of ours. */
        EvbOperating operating;
        Scheduler.Timer expiry;
    }

    private final String port;
    private final Scheduler scheduler;
    private final LldpAgentConfig config;
    private final RateLimitedLog dropped;
    private final BiConsumer<MacAddress, String> expired;
    /** In the order first heard; guarded by itself. */
    private final Map<MacAddress, Entry> entries = new LinkedHashMap<>();
    private final AtomicLong refused = new AtomicLong();

    /** @param expired told, on the scheduler thread, of a neighbour whose TTL ran out (still in the table) */
    LldpNeighbors(String port, Scheduler scheduler, LldpAgentConfig config, RateLimitedLog dropped, BiConsumer<MacAddress, String> expired) {
        this.port = port;
        this.scheduler = scheduler;
        this.config = config;
        this.dropped = dropped;
        this.expired = expired;
    }

    /** Records an LLDPDU with a TTL from {@code from}; null (counted, logged) when it is new and the table is full. */
    Heard heard(MacAddress from, Lldpdu pdu) {
        EvbTlv evb = pdu.evb() == null ? null : config.ceilings().clamp(pdu.evb());
        LldpNeighbor n = new LldpNeighbor(from, pdu.chassisId(), pdu.portId(), pdu.ttl(), pdu.evb());
        Entry e;
        boolean isNew;
        synchronized (entries) {
            e = entries.get(from);
            isNew = e == null;
            if (isNew) {
                if (entries.size() >= config.maxNeighbors()) {
                    refused.incrementAndGet();
                    dropped.warn("neighbour table full", "lldp {}: {} neighbours already; new neighbour {} ignored until one ages out",
                            port, entries.size(), from);
                    return null;
                }
                e = new Entry();
                entries.put(from, e);
            }
        }
        boolean changed = isNew || !e.neighbor.equals(n);
        boolean evbChanged = isNew ? evb != null : !java.util.Objects.equals(e.evb, evb);
        EvbOperating op = evb == null || config.evbPolicy() == null ? null
                : EvbNegotiation.operating(EvbNegotiation.outgoing(config.evbPolicy(), evb), evb);
        synchronized (entries) {
            e.neighbor = n;
            e.evb = evb;
            e.operating = op;
        }
        if (e.expiry != null) {
            e.expiry.cancel();
        }
        Entry mine = e;
        e.expiry = scheduler.schedule(Duration.ofSeconds(pdu.ttl()), () -> {
            boolean current;
            synchronized (entries) {
                current = entries.get(from) == mine;
            }
            if (current) {
                expired.accept(from, "TTL of " + n.ttlSeconds() + " s expired");
            }
        });
        return new Heard(n, isNew, changed, evbChanged);
    }

    /** Forgets a neighbour; returns what it last said, or null if it was not one. */
    LldpNeighbor remove(MacAddress mac) {
        Entry e;
        synchronized (entries) {
            e = entries.remove(mac);
        }
        if (e == null) {
            return null;
        }
        if (e.expiry != null) {
            e.expiry.cancel();
        }
        return e.neighbor;
    }

    /** The neighbour's EVB TLV within the ceilings, or null. Any thread. */
    EvbTlv evb(MacAddress mac) {
        synchronized (entries) {
            Entry e = entries.get(mac);
            return e == null ? null : e.evb;
        }
    }

    /** What EVB operates at with this neighbour, or null when it sent no EVB TLV or is not a neighbour. Any thread. */
    EvbOperating operating(MacAddress mac) {
        synchronized (entries) {
            Entry e = entries.get(mac);
            return e == null ? null : e.operating;
        }
    }

    /** How many neighbours send an EVB TLV. */
    int withEvb() {
        synchronized (entries) {
            int n = 0;
            for (Entry e : entries.values()) {
                if (e.evb != null) {
                    n++;
                }
            }
            return n;
        }
    }

    /** Every neighbour, in the order first heard. Any thread. */
    List<LldpNeighbor> all() {
        synchronized (entries) {
            List<LldpNeighbor> out = new ArrayList<>(entries.size());
            entries.values().forEach(e -> out.add(e.neighbor));
            return out;
        }
    }

    /** New neighbours ignored because the table was full. */
    long refused() {
        return refused.get();
    }

    /** Stops every TTL timer (the agent closed). */
    void close() {
        synchronized (entries) {
            for (Entry e : entries.values()) {
                if (e.expiry != null) {
                    e.expiry.cancel();
                }
            }
        }
    }
}
