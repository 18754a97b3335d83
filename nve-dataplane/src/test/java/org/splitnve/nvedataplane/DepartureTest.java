package org.splitnve.nvedataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitnve.nvedataplane.TestFrames.active;

import org.junit.jupiter.api.Test;
import org.splitnve.nvedataplane.DataPlaneCounters.Event;
import org.splitnve.vdpcore.MacAddress;

/** docs/PROTOCOL.md 4.2: frames of a TSI that left are held for its new location only when it may have moved. */
class DepartureTest {

    static final MacAddress B = MacAddress.valueOf("52:54:00:00:00:0b");
    static final int VNI = 5000;

    /** B on p2 is deactivated as {@code mayHaveMoved} says, then a frame for it arrives from the underlay. */
    private static DataPlaneTestBed departs(boolean mayHaveMoved) {
        DataPlaneTestBed bed = new DataPlaneTestBed();
        var t = active("p2", VNI, 300, B);
        bed.dp.onTsiActivated(t);
        bed.dp.onTsiDeactivated(t, mayHaveMoved ? "deactivate, S: migrating away" : "deactivate, 0x80 without S", mayHaveMoved);
        bed.fromUnderlay(DataPlaneTest.tunnelTo(B, VNI));
        return bed;
    }

    @Test
    void a_deactivate_marked_migration_away_holds_frames_for_the_new_location() {
        DataPlaneTestBed bed = departs(true);
        assertThat(bed.dp.counters().count(Event.MIGRATION_HELD)).isEqualTo(1);
        assertThat(bed.dp.movedTsis()).isEqualTo(1);
    }

    @Test
    void a_deactivate_marked_not_a_migration_holds_nothing_and_its_frames_are_dropped_at_once() {
        DataPlaneTestBed bed = departs(false);
        assertThat(bed.dp.counters().count(Event.MIGRATION_HELD)).isZero();
        assertThat(bed.dp.counters().drops(DropReason.UNKNOWN_DESTINATION)).isEqualTo(1);
        assertThat(bed.dp.movedTsis()).isZero();
    }
}
