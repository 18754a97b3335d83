package org.splitnve.nnve;

import org.splitnve.nnve.nva.VnContext;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.VnId;

/**
 * What the data plane must follow, called on the nNVE's protocol thread; exceptions are caught and
 * logged. Do not block: hand the work to the data plane's own thread.
 */
public interface DataPlaneListener {

    /** Frames tagged {@code tag} on {@code port} now belong to {@code vn}. */
    default void onVnMapped(String port, VnId vn, LocalTag tag, VnContext context) {
    }

    /** {@code tag} on {@code port} no longer means anything: drop such frames. */
    default void onVnUnmapped(String port, VnId vn, LocalTag tag) {
    }

    /** The TSI may forward; its filter addresses are the ones it may use. */
    default void onTsiActivated(TsiView tsi) {
    }

    /** The TSI may no longer forward (deactivated, de-associated or its addresses changed away). */
    default void onTsiDeactivated(TsiView tsi, String why) {
    }

    /**
     * The TSI may no longer forward. {@code mayHaveMoved}: the request that ended its activation carried S (migrating
     * away, or suspended) or said nothing about migration (no 0x80), so frames still arriving for it may be held for
     * its new location (docs/PROTOCOL.md 4.2); false when it said explicitly that this is not a migration (0x80 without
     * S) or the nNVE ended it on its own, and frames for it are dropped at once. The nNVE calls this one; by default it
     * calls {@link #onTsiDeactivated(TsiView, String)}.
     */
    default void onTsiDeactivated(TsiView tsi, String why, boolean mayHaveMoved) {
        onTsiDeactivated(tsi, why);
    }

    /**
     * An Associate with M and the migration indication valid activated the TSI (RFC 8394 3.3):
     * the data plane should send an IGMP/MLD query to it so multicast membership follows the move.
     */
    default void onActivatedWithMigration(TsiView tsi) {
    }
}
