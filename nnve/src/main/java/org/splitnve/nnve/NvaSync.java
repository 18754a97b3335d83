package org.splitnve.nnve;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.ecptransport.clock.Scheduler;
import org.splitnve.nnve.nva.Nva;
import org.splitnve.nnve.nva.NvaChange;
import org.splitnve.nnve.nva.NvaView;
import org.splitnve.nnve.nva.TsiMapping;
import org.splitnve.nnve.nva.VnContext;
import org.splitnve.vdpcore.vdp.FilterEntry;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VdpErrorCode;
import org.splitnve.vdpcore.vdp.VnId;

/**
 * One port's conversation with the NVA (RFC 8394 3.2): VN contexts asked for VN_Connect within the
 * port's resource wait, and the TSIs' addresses kept in the mapping view while Associated and in
 * the forwarding view as well while Activated. The NVA is remote and may be slow or fail; this is
 * where that is bounded, counted and logged, so the bridge engine never waits on it unbounded.
 * Runs on the protocol thread.
 */
final class NvaSync {

    private static final Logger LOG = LoggerFactory.getLogger(NvaSync.class);
    private static final String PUBLISH = "publish";
    private static final String WITHDRAW = "withdraw";

    /** What became of a VN context lookup: exactly one of the two is non-null. */
    @FunctionalInterface
    interface ContextAnswer {
        void answered(VnContext context, Refusal refusal);
    }

    private final String port;
    private final Nva nva;
    private final String nveName;
    private final Counters counters;
    private final Scheduler scheduler;
    private final Executor protocolThread;
    private final BooleanSupplier closed;
    /** Resource-wait timers running, cancelled when the nNVE closes. */
    private final Set<Scheduler.Timer> waits = new HashSet<>();
    /** VN context lookups in flight, shared by the requests that wait for the same VN_Connect. */
    private final Map<VnId, CompletableFuture<Optional<VnContext>>> lookups = new HashMap<>();
    /** While a VDPDU's requests run ({@link #hold}): the changes they make, handed to the NVA together. */
    private List<NvaChange> batch;

    /** {@code closed}: after the nNVE closed, no answer of the NVA, nor its silence, reaches a station or a TSI. */
    NvaSync(String port, Nva nva, String nveName, Counters counters, Scheduler scheduler, Executor protocolThread,
            BooleanSupplier closed) {
        this.port = port;
        this.nva = nva;
        this.nveName = nveName;
        this.counters = counters;
        this.scheduler = scheduler;
        this.protocolThread = protocolThread;
        this.closed = closed;
    }

    /** Stops every resource wait (the nNVE closed): what the NVA answers later is dropped. */
    void close() {
        waits.forEach(Scheduler.Timer::cancel);
        waits.clear();
    }

    // ---------------------------------------------------------------- VN context

    /**
     * The context of {@code vn}, answered at once when the NVA has it ready, else on the protocol
     * thread when it arrives or the resource wait {@code wait} (the requesting station's) runs out
     * (error 3), whichever is first. A VN the NVA does not know is error 5, a failing NVA error 3.
     */
    void vnContext(VnId vn, Duration wait, ContextAnswer answer) {
        CompletableFuture<Optional<VnContext>> f = lookup(vn);
        if (f.isDone()) {
            settle(vn, f, answer);
            return;
        }
        boolean[] settled = {false};
        Scheduler.Timer[] timer = new Scheduler.Timer[1];
        timer[0] = scheduler.schedule(wait, () -> {
            waits.remove(timer[0]);
            if (settled[0] || closed.getAsBoolean()) {
                return;
            }
            settled[0] = true;
            counters.nvaTimeouts.incrementAndGet();
            // The next request for this VN asks the NVA again instead of joining a stuck lookup.
            lookups.remove(vn, f);
            answer.answered(null, new Refusal(VdpErrorCode.UNABLE_TO_CONTACT_VSI_MANAGER, "the NVA did not give the context of "
                    + vn + " within the resource wait of " + wait.toMillis() + " ms"));
        });
        waits.add(timer[0]);
        f.whenComplete((ctx, err) -> protocolThread.execute(() -> {
            if (settled[0] || closed.getAsBoolean()) {
                return;
            }
            settled[0] = true;
            timer[0].cancel();
            waits.remove(timer[0]);
            settle(vn, f, answer);
        }));
    }

    private CompletableFuture<Optional<VnContext>> lookup(VnId vn) {
        CompletableFuture<Optional<VnContext>> f = lookups.get(vn);
        if (f != null) {
            return f;
        }
        try {
            CompletionStage<Optional<VnContext>> s = nva.vnContext(vn);
            f = s == null ? CompletableFuture.failedFuture(new NullPointerException("the NVA returned no stage"))
                    : s.toCompletableFuture();
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        if (!f.isDone()) {
            CompletableFuture<Optional<VnContext>> mine = f;
            lookups.put(vn, mine);
            mine.whenComplete((c, e) -> protocolThread.execute(() -> lookups.remove(vn, mine)));
        }
        return f;
    }

    private void settle(VnId vn, CompletableFuture<Optional<VnContext>> f, ContextAnswer answer) {
        Optional<VnContext> ctx;
        try {
            ctx = f.join();
        } catch (RuntimeException e) {
            counters.nvaFailures.incrementAndGet();
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            answer.answered(null, new Refusal(VdpErrorCode.UNABLE_TO_CONTACT_VSI_MANAGER, "the NVA failed to give the context of "
                    + vn + ": " + cause));
            return;
        }
        if (ctx == null || ctx.isEmpty()) {
            answer.answered(null, new Refusal(VdpErrorCode.INVALID_VID_GROUPID_OR_MAC, "the NVA does not know " + vn));
            return;
        }
        answer.answered(ctx.get(), null);
    }

    // ---------------------------------------------------------------- mapping and forwarding views

    /**
     * From now until {@link #release}, changes are collected and then handed to the NVA in one {@link Nva#apply} call:
     * a VDPDU of 37 requests costs the NVA one batch, not 74 calls.
     */
    void hold() {
        if (batch == null) {
            batch = new ArrayList<>();
        }
    }

    /** Hands what was collected since {@link #hold} to the NVA. */
    void release() {
        List<NvaChange> b = batch;
        batch = null;
        if (b == null || b.isEmpty()) {
            return;
        }
        try {
            nva.apply(b).whenComplete((ok, e) -> {
                if (e != null) {
                    failed(b, e);
                }
            });
        } catch (RuntimeException e) {
            failed(b, e);
        }
    }

    private void failed(List<NvaChange> changes, Throwable e) {
        counters.nvaFailures.incrementAndGet();
        LOG.warn("nnve {}: NVA failed to apply {} changes (first {}): {}", port, changes.size(), changes.get(0), e.toString());
    }

    /** Moves the NVA from what {@code old} published to what {@code now} needs (either may be null). */
    void sync(TsiView old, TsiView now) {
        Set<TsiMapping> before = old == null ? Set.of() : mappings(old);
        Set<TsiMapping> after = now == null ? Set.of() : mappings(now);
        // Withdraw from forwarding before mapping, publish to mapping before forwarding, so that
        // the forwarding view is always a subset of the mapping view.
        for (NvaView view : new NvaView[] {NvaView.FORWARDING, NvaView.MAPPING}) {
            Set<TsiMapping> b = in(old, view) ? before : Set.of();
            Set<TsiMapping> a = in(now, view) ? after : Set.of();
            for (TsiMapping m : b) {
                if (!a.contains(m)) {
                    call(WITHDRAW, m, view, () -> nva.withdraw(m, view));
                }
            }
        }
        for (NvaView view : new NvaView[] {NvaView.MAPPING, NvaView.FORWARDING}) {
            Set<TsiMapping> b = in(old, view) ? before : Set.of();
            Set<TsiMapping> a = in(now, view) ? after : Set.of();
            for (TsiMapping m : a) {
                if (!b.contains(m)) {
                    call(PUBLISH, m, view, () -> nva.publish(m, view));
                }
            }
        }
    }

    private static boolean in(TsiView v, NvaView view) {
        return v != null && (view == NvaView.MAPPING || v.state() == TsiState.ACTIVATED);
    }

    private Set<TsiMapping> mappings(TsiView v) {
        Set<TsiMapping> out = new LinkedHashSet<>();
        for (FilterEntry e : v.filter().entries()) {
            if (e.mac() != null || e.ip() != null) {
                out.add(new TsiMapping(v.vn(), e.mac(), e.ip(), nveName));
            }
        }
        return out;
    }

    /** Publish/withdraw are not waited for: a failure is logged and counted, the TSI stays as decided. */
    private void call(String what, TsiMapping m, NvaView view, Supplier<CompletionStage<Void>> call) {
        if (batch != null) {
            batch.add(new NvaChange(m, view, what.equals(PUBLISH)));
            return;
        }
        try {
            call.get().whenComplete((ok, e) -> {
                if (e != null) {
                    failed(what, m, view, e);
                }
            });
        } catch (RuntimeException e) {
            failed(what, m, view, e);
        }
    }

    private void failed(String what, TsiMapping m, NvaView view, Throwable e) {
        counters.nvaFailures.incrementAndGet();
        LOG.warn("nnve {}: NVA {} of {} in {} failed: {}", port, what, m, view, e.toString());
    }
}
