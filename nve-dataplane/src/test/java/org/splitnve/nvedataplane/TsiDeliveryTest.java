package org.splitnve.nvedataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitnve.nvedataplane.TestFrames.active;
import static org.splitnve.nvedataplane.TestFrames.udp4;

import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.splitnve.nvedataplane.DataPlaneCounters.Event;
import org.splitnve.nvedataplane.codec.Ethernet;
import org.splitnve.vdpcore.MacAddress;

class TsiDeliveryTest {

    static final MacAddress A = MacAddress.valueOf("52:54:00:00:00:0a");
    static final MacAddress B = MacAddress.valueOf("52:54:00:00:00:0b");
    static final int VNI = 5000;
    static final ByteBuffer TO_B = udp4(B.toLong(), A.toLong(), 100, 1, 2, 3, 4, 80);

    final EgressTestBed bed = new EgressTestBed();
    final MigrationHold hold = bed.hold();
    final ForwardingTables tables = bed.tables(hold);
    final TsiDelivery delivery = bed.delivery(hold);

    private boolean deliverToB() {
        boolean[] delivered = new boolean[1];
        bed.withScratch(s -> delivered[0] = delivery.deliver(s, tables.snapshot(), VNI, B.toLong(), TO_B, 0, 80, true,
                Event.DELIVERED_LOCAL, null));
        return delivered[0];
    }

    @Test
    void a_frame_for_an_activated_tsi_goes_to_its_port_with_its_tag() {
        tables.onTsiActivated(active("p2", VNI, 200, B));
        assertThat(deliverToB()).isTrue();
        assertThat(Ethernet.vid(bed.sta2.last(), 0)).isEqualTo(200);
        assertThat(bed.counters.count(Event.DELIVERED_LOCAL)).isEqualTo(1);
    }

    @Test
    void a_frame_for_a_tsi_that_moved_away_goes_to_the_hold_until_its_timer_ends() {
        tables.onTsiActivated(active("p2", VNI, 200, B));
        tables.onTsiDeactivated(active("p2", VNI, 200, B), "moved");
        assertThat(deliverToB()).isTrue();
        assertThat(bed.counters.count(Event.MIGRATION_HELD)).isEqualTo(1);
        bed.scheduler.advance(Duration.ofSeconds(11));
        assertThat(deliverToB()).isFalse();
        assertThat(bed.sta2.frames).isEmpty();
    }

    @Test
    void a_moved_entry_whose_time_is_up_is_not_used_even_before_its_timer_task_runs() {
        tables.onTsiActivated(active("p2", VNI, 200, B));
        tables.onTsiDeactivated(active("p2", VNI, 200, B), "moved");
        Tables stale = tables.snapshot();
        bed.scheduler.advance(Duration.ofSeconds(11));
        boolean[] delivered = new boolean[1];
        bed.withScratch(s -> delivered[0] = delivery.deliver(s, stale, VNI, B.toLong(), TO_B, 0, 80, true, Event.DELIVERED_LOCAL, null));
        assertThat(delivered[0]).isFalse();
    }

    @Test
    void a_mac_no_tsi_of_this_nve_owns_is_left_to_the_caller() {
        assertThat(deliverToB()).isFalse();
        assertThat(bed.counters.totalDrops()).isZero();
    }
}
