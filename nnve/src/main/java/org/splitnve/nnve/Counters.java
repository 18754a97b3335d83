package org.splitnve.nnve;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/** The live counts behind {@link NnveCounters}; written on the protocol thread, read anywhere. */
final class Counters {
    final AtomicLong requests = new AtomicLong();
    final AtomicLong refreshes = new AtomicLong();
    final AtomicLong responses = new AtomicLong();
    final AtomicLongArray byError = new AtomicLongArray(16);
    final AtomicLong refusals = new AtomicLong();
    final AtomicLong rejectedTlvs = new AtomicLong();
    final AtomicLong unanswerableTlvs = new AtomicLong();
    final AtomicLong unexpectedResponses = new AtomicLong();
    final AtomicLong stationAcks = new AtomicLong();
    final AtomicLong unknownDeassociates = new AtomicLong();
    final AtomicLong keepAliveTimeouts = new AtomicLong();
    final AtomicLong bridgeDeassociates = new AtomicLong();
    final AtomicLong undelivered = new AtomicLong();
    final AtomicLong nvaTimeouts = new AtomicLong();
    final AtomicLong nvaFailures = new AtomicLong();
    final AtomicLong listenerFailures = new AtomicLong();
    final AtomicLong crossedRequests = new AtomicLong();
    final AtomicLong bridgeDeactivates = new AtomicLong();
    final AtomicLong bridgeRemovals = new AtomicLong();

    void response(int error) {
        responses.incrementAndGet();
        byError.incrementAndGet(error & 0x0F);
    }

    NnveCounters snapshot() {
        Map<Integer, Long> m = new HashMap<>();
        for (int i = 0; i < 16; i++) {
            long v = byError.get(i);
            if (v != 0) {
                m.put(i, v);
            }
        }
        return new NnveCounters(requests.get(), refreshes.get(), responses.get(), m, refusals.get(), rejectedTlvs.get(),
                unanswerableTlvs.get(), unexpectedResponses.get(), stationAcks.get(), unknownDeassociates.get(),
                keepAliveTimeouts.get(), bridgeDeassociates.get(), undelivered.get(), nvaTimeouts.get(), nvaFailures.get(),
                listenerFailures.get(), crossedRequests.get(),
                bridgeDeactivates.get(), bridgeRemovals.get());
    }
}
