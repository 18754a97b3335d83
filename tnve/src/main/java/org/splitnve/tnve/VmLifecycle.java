package org.splitnve.tnve;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.vdpcore.vdp.VsiId;

/**
 * Maps VM events of the hypervisor onto TSI operations (RFC 8394 section 2, docs/PROTOCOL.md 4.5).
 *
 * <ul>
 *   <li>create: associate, then activate, before the VM runs; if either fails the future fails and the caller must
 *       fail the VM start, since a VM without its network would run dark;</li>
 *   <li>live migration, destination: associate, then activate, both with M and 0x80;</li>
 *   <li>live migration, source: deactivate with S and 0x80, and de-associate once the hypervisor reports the
 *       migration done ({@link #migrationCompleted});</li>
 *   <li>pause: nothing on the wire (the TSI stays Activated, RFC 8394 section 2);</li>
 *   <li>suspend: deactivate with S; resume: activate; shutdown: de-associate.</li>
 * </ul>
 *
 * <p>Ordering across hosts is the orchestrator's job: it must call {@link #migrateIn} on the destination only after
 * {@link #migrateOut} completed on the source. A TSI must never be Activated on two NVEs at once: both would announce
 * its addresses to the NVA, the overlay would deliver its traffic to either at random and, with the VM still running
 * on the source, the two copies would answer with the same addresses.
 */
public final class VmLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(VmLifecycle.class);

    private final Tnve tnve;

    public VmLifecycle(Tnve tnve) {
        this.tnve = Objects.requireNonNull(tnve);
    }

    /** The VM is being created: its interface must be Activated before it runs. */
    public CompletableFuture<Void> created(TsiSpec spec) {
        LOG.info("vm: created, VSI {}", spec.vsiId());
        return tnve.associate(spec, Migration.NONE).thenCompose(r -> tnve.activate(spec.vsiId(), Migration.NONE)).thenApply(r -> null);
    }

    /** This host is the destination of a live migration. */
    public CompletableFuture<Void> migrateIn(TsiSpec spec) {
        LOG.info("vm: migrating in, VSI {}", spec.vsiId());
        return tnve.associate(spec, Migration.TO_THIS_STATION)
                .thenCompose(r -> tnve.activate(spec.vsiId(), Migration.TO_THIS_STATION)).thenApply(r -> null);
    }

    /** This host is the source of a live migration: stop forwarding, keep the association until it is done. */
    public CompletableFuture<Void> migrateOut(VsiId vsiId) {
        LOG.info("vm: migrating out, VSI {}", vsiId);
        return tnve.deactivate(vsiId, Migration.FROM_THIS_STATION).thenApply(r -> null);
    }

    /** The hypervisor reports the outgoing migration done: release the source side. */
    public CompletableFuture<Void> migrationCompleted(VsiId vsiId) {
        LOG.info("vm: migration out completed, VSI {}", vsiId);
        return tnve.deassociate(vsiId).thenApply(r -> null);
    }

    /** The outgoing migration was abandoned: the VM goes on running here. */
    public CompletableFuture<Void> migrationAborted(VsiId vsiId) {
        LOG.info("vm: migration out aborted, VSI {}", vsiId);
        return tnve.activate(vsiId, Migration.NONE).thenApply(r -> null);
    }

    /** Paused: no protocol change; the TSI stays Activated. */
    public CompletableFuture<Void> paused(VsiId vsiId) {
        LOG.info("vm: paused, VSI {} (no change on the wire)", vsiId);
        return CompletableFuture.completedFuture(null);
    }

    /** Suspended: deactivate with S. */
    public CompletableFuture<Void> suspended(VsiId vsiId) {
        LOG.info("vm: suspended, VSI {}", vsiId);
        return tnve.deactivate(vsiId, Migration.FROM_THIS_STATION).thenApply(r -> null);
    }

    /** Resumed after suspend: activate again. */
    public CompletableFuture<Void> resumed(VsiId vsiId) {
        LOG.info("vm: resumed, VSI {}", vsiId);
        return tnve.activate(vsiId, Migration.NONE).thenApply(r -> null);
    }

    /** Shut down or destroyed: de-associate. */
    public CompletableFuture<Void> shutdown(VsiId vsiId) {
        LOG.info("vm: shut down, VSI {}", vsiId);
        return tnve.deassociate(vsiId).thenApply(r -> null);
    }
}
