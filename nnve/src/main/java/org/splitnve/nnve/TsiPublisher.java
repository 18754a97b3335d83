package org.splitnve.nnve;

import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.TsiStateChanges;
import org.splitnve.vdpcore.vdp.VnId;

/**
 * Tells everyone who follows a port's TSIs about one change, always in the same order: the NVA
 * first, then the log and the nNVE's listeners, then the data plane, which forwards for Activated
 * TSIs only. Keeping the order in one place is what keeps the NVA's forwarding view, the events
 * and the data plane telling the same story. Runs on the protocol thread.
 *
 * <p>The changes one received VDPDU makes are a batch ({@link #begin}, {@link #end}): the NVA gets them together
 * when the VDPDU is done, and the log has one line for the batch at INFO, with each change at DEBUG, instead of a
 * line per TSI. A change outside a batch (an answer of the NVA, a keep-alive timeout, an operator's action) is
 * logged at INFO on its own. Nothing builds the text of a change's reason unless someone reads it.
 */
final class TsiPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(TsiPublisher.class);

    private final String port;
    private final NvaSync nva;
    private final PortOwner owner;
    /** Changes of the batch running, by old and new state; null outside a batch. */
    private TsiStateChanges batch;

    TsiPublisher(String port, NvaSync nva, PortOwner owner) {
        this.port = port;
        this.nva = nva;
        this.owner = owner;
    }

    /** The changes from now until {@link #end} are those of one VDPDU. */
    void begin() {
        batch = new TsiStateChanges();
        nva.hold();
    }

    /** Hands the batch's changes to the NVA and logs their summary. */
    void end(MacAddress station) {
        TsiStateChanges done = batch;
        batch = null;
        nva.release();
        if (done != null && done.total() > 0) {
            LOG.info("nnve {}: {} TSIs of {} changed by one VDPDU: {}", port, done.total(), station, done);
        }
    }

    /** Like {@link #changed(TsiKey, TsiView, TsiView, Supplier, boolean)}, with a reason already written. */
    void changed(TsiKey key, TsiView old, TsiView now, String why, boolean mayHaveMoved) {
        changed(key, old, now, () -> why, mayHaveMoved);
    }

    /**
     * A TSI went from {@code old} to {@code now}; either is null for INIT (both never are).
     *
     * @param why          for the log and the listeners, e.g. "activate by associate"; asked for only when read
     * @param mayHaveMoved if this ends its activation: whether it may have moved away, so that the data plane holds its
     *                     frames for the new location (docs/PROTOCOL.md 4.2)
     */
    void changed(TsiKey key, TsiView old, TsiView now, Supplier<String> why, boolean mayHaveMoved) {
        TsiState from = old == null ? TsiState.INIT : old.state();
        TsiState to = now == null ? TsiState.INIT : now.state();
        VnId vn = now != null ? now.vn() : old.vn();
        LocalTag tag = now != null ? now.tag() : old.tag();
        Reason reason = new Reason(why);
        nva.sync(old, now);
        if (batch != null) {
            batch.count(from, to);
            if (LOG.isDebugEnabled()) {
                LOG.debug("nnve {}: TSI {} from {} in {} {}: {} -> {} ({})", port, key.vsiId(), key.station(), vn, tag, from, to, reason.get());
            }
        } else if (LOG.isInfoEnabled()) {
            LOG.info("nnve {}: TSI {} from {} in {} {}: {} -> {} ({})", port, key.vsiId(), key.station(), vn, tag, from, to, reason.get());
        }
        owner.publish(l -> l.onTsi(new TsiEvent(key, vn, from, to, reason.get(), now)));
        boolean wasActive = from == TsiState.ACTIVATED;
        boolean isActive = to == TsiState.ACTIVATED;
        if (wasActive && (!isActive || !old.filter().equals(now.filter()))) {
            // An address change of an Activated TSI is no departure: what it no longer has is not held.
            boolean departs = mayHaveMoved && !isActive;
            owner.publishToDataPlane(l -> l.onTsiDeactivated(old, reason.get(), departs));
        }
        if (isActive && (!wasActive || !old.filter().equals(now.filter()))) {
            owner.publishToDataPlane(l -> l.onTsiActivated(now));
        }
        // RFC 8394 3.3: multicast membership follows a VM that arrived by migration.
        if (!wasActive && isActive && now.migration() && owner.config().migrationHook()) {
            owner.publishToDataPlane(l -> l.onActivatedWithMigration(now));
        }
    }

    /** A change's reason, written the first time someone reads it. */
    private static final class Reason implements Supplier<String> {
        private final Supplier<String> text;
        private String written;

        Reason(Supplier<String> text) {
            this.text = text;
        }

        @Override
        public String get() {
            if (written == null) {
                written = text.get();
            }
            return written;
        }
    }
}
