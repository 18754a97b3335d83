package org.splitnve.nnve;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VnId;

/**
 * Tells everyone who follows a port's TSIs about one change, always in the same order: the NVA
 * first, then the log and the nNVE's listeners, then the data plane, which forwards for Activated
 * TSIs only. Keeping the order in one place is what keeps the NVA's forwarding view, the events
 * and the data plane telling the same story. Runs on the protocol thread.
 */
final class TsiPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(TsiPublisher.class);

    private final String port;
    private final NvaSync nva;
    private final PortOwner owner;

    TsiPublisher(String port, NvaSync nva, PortOwner owner) {
        this.port = port;
        this.nva = nva;
        this.owner = owner;
    }

    /**
     * A TSI went from {@code old} to {@code now}; either is null for INIT (both never are).
     *
     * @param why          for the log and the listeners, e.g. "activate by associate"
     * @param mayHaveMoved if this ends its activation: whether it may have moved away, so that the data plane holds its
     *                     frames for the new location (docs/PROTOCOL.md 4.2)
     */
    void changed(TsiKey key, TsiView old, TsiView now, String why, boolean mayHaveMoved) {
        TsiState from = old == null ? TsiState.INIT : old.state();
        TsiState to = now == null ? TsiState.INIT : now.state();
        VnId vn = now != null ? now.vn() : old.vn();
        LocalTag tag = now != null ? now.tag() : old.tag();
        nva.sync(old, now);
        LOG.info("nnve {}: TSI {} from {} in {} {}: {} -> {} ({})", port, key.vsiId(), key.station(), vn, tag, from, to, why);
        owner.publish(l -> l.onTsi(new TsiEvent(key, vn, from, to, why, now)));
        boolean wasActive = from == TsiState.ACTIVATED;
        boolean isActive = to == TsiState.ACTIVATED;
        if (wasActive && (!isActive || !old.filter().equals(now.filter()))) {
            // An address change of an Activated TSI is no departure: what it no longer has is not held.
            boolean departs = mayHaveMoved && !isActive;
            owner.publishToDataPlane(l -> l.onTsiDeactivated(old, why, departs));
        }
        if (isActive && (!wasActive || !old.filter().equals(now.filter()))) {
            owner.publishToDataPlane(l -> l.onTsiActivated(now));
        }
        // RFC 8394 3.3: multicast membership follows a VM that arrived by migration.
        if (!wasActive && isActive && now.migration() && owner.config().migrationHook()) {
            owner.publishToDataPlane(l -> l.onActivatedWithMigration(now));
        }
    }
}
