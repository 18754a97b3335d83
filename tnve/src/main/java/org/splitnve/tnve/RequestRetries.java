package org.splitnve.tnve;

import java.time.Duration;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.ecptransport.clock.Scheduler;
import org.splitnve.ecptransport.vdp.VdpTimers;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VdpTlvType;

/**
 * Sends a request again after a back-off when it failed for a reason that may pass ({@link RetryPolicy}): it stays the
 * binding's outstanding request meanwhile, so the requests behind it keep waiting and an answer that comes late still
 * completes it, and its sender hears of the failure only when the retries run out. Keep-alives are not retried (the
 * next one comes anyway), nor the De-Associates owed to a bridge the station left (they have a schedule of their own),
 * nor a refused deactivate (a bridge that refuses Associate to Pre-Associate may not support it, docs/PROTOCOL.md 4.4:
 * the station's fallback deals with that). Runs on the protocol thread.
 */
final class RequestRetries {

    private static final Logger LOG = LoggerFactory.getLogger(RequestSender.class);

    private final String port;
    private final Scheduler scheduler;
    private final RetryPolicy policy;
    private final Set<StationFault> faults;
    private final Supplier<VdpTimers> timers;
    private final StationCounters counters;
    private final BooleanSupplier closed;
    private final BiConsumer<Binding, PendingRequest> transmit;

    /** @param transmit sends the request again (it is the binding's outstanding one) */
    RequestRetries(String port, Scheduler scheduler, TnveConfig config, Supplier<VdpTimers> timers, StationCounters counters,
                   BooleanSupplier closed, BiConsumer<Binding, PendingRequest> transmit) {
        this.port = port;
        this.scheduler = scheduler;
        this.policy = config.retry();
        this.faults = config.faults();
        this.timers = timers;
        this.counters = counters;
        this.closed = closed;
        this.transmit = transmit;
    }

    /**
     * Whether the request {@code p} of {@code b}, which ended as {@code o}, goes again later: then it stays outstanding
     * and nothing else is to be done with the outcome now.
     */
    boolean later(Binding b, PendingRequest p, Outcome o) {
        if (!(o instanceof Outcome.Failed f)) {
            return false;
        }
        if (f.error() instanceof VdpRefusedException && faults.contains(StationFault.RETRY_REFUSALS_FOREVER)) {
            again(b, p, timers.get().keepAlive());
            return true;
        }
        if (p.kind == PendingRequest.Kind.KEEP_ALIVE || p.kind == PendingRequest.Kind.RELEASE || !RetryPolicy.mayPass(f.error())
                || f.error() instanceof VdpRefusedException && deactivates(b, p) || closed.getAsBoolean()) {
            return false;
        }
        if (p.retries >= policy.attempts()) {
            if (p.retries > 0) {
                LOG.warn("tnve {}: VSI {}: {} to {} gave up after {} retries: {}", port, b.tsi.id(), p.purpose, b.bridge, p.retries,
                        f.error().getMessage());
            }
            return false;
        }
        p.retries++;
        counters.retries.incrementAndGet();
        Duration wait = policy.delay(p.retries);
        LOG.info("tnve {}: VSI {}: {} to {} failed ({}); retry {} of {} in {} ms", port, b.tsi.id(), p.purpose, b.bridge,
                f.error().getMessage(), p.retries, policy.attempts(), wait.toMillis());
        again(b, p, wait);
        return true;
    }

    /** Whether {@code p} asks to move the VSI from Associate to Pre-Associate on {@code b}'s bridge. */
    private static boolean deactivates(Binding b, PendingRequest p) {
        return b.state == TsiState.ACTIVATED && (p.type == VdpTlvType.PRE_ASSOCIATE || p.type == VdpTlvType.PRE_ASSOCIATE_RR);
    }

    private void again(Binding b, PendingRequest p, Duration wait) {
        p.timer = scheduler.schedule(wait, () -> {
            if (b.outstanding == p && !closed.getAsBoolean()) {
                transmit.accept(b, p);
            }
        });
    }
}
