package org.splitnve.tnve;

import java.util.concurrent.atomic.AtomicLong;

/** The live counts behind {@link TnveCounters}; written on the protocol thread, read anywhere. */
final class StationCounters {
    final AtomicLong requests = new AtomicLong();
    final AtomicLong keepAlives = new AtomicLong();
    final AtomicLong responses = new AtomicLong();
    final AtomicLong unmatched = new AtomicLong();
    final AtomicLong timeouts = new AtomicLong();
    final AtomicLong undeliverable = new AtomicLong();
    final AtomicLong bridgeDeassociates = new AtomicLong();
    final AtomicLong badInput = new AtomicLong();
    final AtomicLong bridgeDeactivates = new AtomicLong();
    final AtomicLong bridgeRemovals = new AtomicLong();
    final AtomicLong retries = new AtomicLong();

    TnveCounters snapshot() {
        return new TnveCounters(requests.get(), keepAlives.get(), responses.get(), unmatched.get(), timeouts.get(),
                undeliverable.get(), bridgeDeassociates.get(), badInput.get(), bridgeDeactivates.get(), bridgeRemovals.get(), retries.get());
    }
}
