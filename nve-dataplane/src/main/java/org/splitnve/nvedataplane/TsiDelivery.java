package org.splitnve.nvedataplane;

import java.nio.ByteBuffer;
import org.splitnve.nvedataplane.DataPlaneCounters.Event;
import org.splitnve.nvedataplane.codec.Tunnel;
import org.splitnve.nvedataplane.table.Keys;

/**
 * Unicast to a MAC this NVE answers for, whether the frame came from a station or a tunnel: the
 * Activated TSI that owns it gets it on its port with its tag; a TSI that moved away gets it
 * through the {@link MigrationHold} while its timer runs.
 */
final class TsiDelivery {

    private final Egress egress;
    private final MigrationHold hold;

    TsiDelivery(Egress egress, MigrationHold hold) {
        this.egress = egress;
        this.hold = hold;
    }

    /**
     * Delivers {@code length} octets of {@code frame} at {@code offset} ({@code tagged} or not)
     * to the TSI of {@code vni} with MAC {@code destination}, counting {@code event} when it is
     * here; {@code from} is the tunnel the frame came in on, if any.
     *
     * @return false when no TSI of this NVE owns the MAC (the caller goes on)
     */
    boolean deliver(Scratch scratch, Tables tables, int vni, long destination, ByteBuffer frame, int offset, int length, boolean tagged,
                    Event event, Tunnel.Decoded from) {
        LocalTsi here = tables.tsis().get(Keys.mac(vni), destination);
        if (here != null) {
            // From a station, the same port too: reflective relay, as a VEPA's bridge must (802.1Q 40.1).
            egress.retagged(scratch, frame, offset, length, tagged, here.port, here.vid, event);
            return true;
        }
        MovedTsi moved = tables.moved().get(Keys.mac(vni), destination);
        if (moved != null && !hold.expired(moved)) {
            hold.forward(scratch, moved, frame, offset, length, tagged, from);
            return true;
        }
        return false;
    }
}
