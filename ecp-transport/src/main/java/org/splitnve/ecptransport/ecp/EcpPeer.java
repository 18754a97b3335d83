package org.splitnve.ecptransport.ecp;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.concurrent.CompletableFuture;
import org.splitnve.ecptransport.clock.Scheduler;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.ecp.EcpSubtype;

/**
 * ECP state for one (local port, peer MAC): the transmit FIFO with its one outstanding PDU, the
 * receive side's last delivered sequence number, and the counters. Touched only on the engine's
 * scheduler thread.
 */
final class EcpPeer {

    /** Whether the peer answers: a PDU that runs out of retries makes it unreachable until it is heard again. */
    enum State { REACHABLE, UNREACHABLE }

    final MacAddress mac;
    EcpAddressing addressing;
    State state = State.REACHABLE;
    /** Made unreachable by the link going down, so that the link coming up makes it reachable again. */
    boolean downWithLink;

    final ArrayDeque<Pending> queue = new ArrayDeque<>();
    Pending outstanding;
    Scheduler.Timer ackTimer;
    int nextSequence;

    /** When something last went to or came from the peer (scheduler nanoseconds): a peer idle long enough may be forgotten. */
    long lastActive;

    /** -1 until the first PDU is delivered: any first sequence number is new. */
    int lastDelivered = -1;

    /**
     * Sequence numbers delivered recently, oldest first, with when. The standard's rule (equal to
     * the last delivered: duplicate) misses a late copy of PDU N that a reordering path delivers
     * after N + 1; such a copy can only arrive while N's retransmissions can still be in flight, so
     * a number delivered within that horizon is a duplicate too, however many PDUs followed it.
     * Past the horizon only the standard's rule applies, so a restarted peer reusing old numbers is
     * not swallowed. At most 65535 numbers exist, which bounds the map.
     */
    private final LinkedHashMap<Integer, Long> recent = new LinkedHashMap<>();

    long sent;
    long retransmitted;
    long acked;
    long failed;
    long delivered;
    long duplicates;
    long malformed;
    long unknownSubtype;
    long unexpectedAcks;

    EcpPeer(MacAddress mac, EcpAddressing addressing, int firstSequence) {
        this.mac = mac;
        this.addressing = addressing;
        this.nextSequence = firstSequence;
    }

    /** The next sequence number: +1 per new PDU, skipping 0 on wrap. */
    int takeSequence() {
        int s = nextSequence;
        nextSequence = s == 0xFFFF ? 1 : s + 1;
        return s;
    }

    boolean isDuplicate(int sequence, long now, long horizonNanos) {
        if (sequence == lastDelivered) {
            return true;
        }
        Long at = recent.get(sequence);
        return at != null && now - at <= horizonNanos;
    }

    void markDelivered(int sequence, long now, long horizonNanos) {
        lastDelivered = sequence;
        recent.remove(sequence);
        recent.put(sequence, now);
        Iterator<Long> oldest = recent.values().iterator();
        while (oldest.hasNext() && now - oldest.next() > horizonNanos) {
            oldest.remove();
        }
    }

    EcpCounters counters() {
        return new EcpCounters(sent, retransmitted, acked, failed, delivered, duplicates, malformed, unknownSubtype, unexpectedAcks);
    }

    /** An upper-layer PDU waiting for, or in, its exchange. */
    static final class Pending {
        final EcpSubtype subtype;
        final ByteBuffer payload;
        final CompletableFuture<Void> result;
        /** Sent to the peer's own MAC whatever its addressing (a reply, docs/PROTOCOL.md 4.3). */
        final boolean toPeerMac;
        int sequence = -1;
        int attempts;

        Pending(EcpSubtype subtype, ByteBuffer payload, CompletableFuture<Void> result, boolean toPeerMac) {
            this.subtype = subtype;
            this.payload = payload;
            this.result = result;
            this.toPeerMac = toPeerMac;
        }
    }
}
