package org.splitnve.nvedataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitnve.nvedataplane.TestFrames.active;
import static org.splitnve.nvedataplane.TestFrames.udp4;
import static org.splitnve.nvedataplane.TestFrames.v4;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.splitnve.nnve.TsiView;
import org.splitnve.nvedataplane.DataPlaneCounters.Event;
import org.splitnve.nvedataplane.codec.Encapsulation;
import org.splitnve.nvedataplane.codec.Ethernet;
import org.splitnve.nvedataplane.codec.Tunnel;
import org.splitnve.vdpcore.MacAddress;

class MigrationHoldTest {

    static final MacAddress A = MacAddress.valueOf("52:54:00:00:00:0a");
    static final MacAddress B = MacAddress.valueOf("52:54:00:00:00:0b");
    static final int VNI = 5000;
    static final String NEW_NVE = "192.0.2.5";
    static final TsiView TSI_B = active("p2", VNI, 300, B);

    final EgressTestBed bed = new EgressTestBed();
    final MigrationHold hold = bed.hold();
    final List<MovedTsi> forgotten = new ArrayList<>();

    /** B left; one frame (sequence 0) is held for it. */
    private MovedTsi leftWithOneHeld() {
        MovedTsi moved = leave(hold, null);
        forward(hold, moved, frameForB(0), null);
        return moved;
    }

    private MovedTsi leave(MigrationHold from, MovedTsi earlier) {
        MovedTsi moved = from.left(TSI_B.key(), VNI, B.toLong(), from.expiryOfLeavingNow(), earlier);
        from.startTimers(List.of(moved), forgotten::add);
        return moved;
    }

    /** A station's tagged frame for B carrying {@code sequence}. */
    private static ByteBuffer frameForB(int sequence) {
        ByteBuffer f = udp4(B.toLong(), A.toLong(), 100, 1, 2, 3, 4, 80);
        f.putInt(Ethernet.TAGGED_HEADER + 28, sequence);
        return f;
    }

    private void forward(MigrationHold through, MovedTsi moved, ByteBuffer tagged, Tunnel.Decoded from) {
        bed.withScratch(s -> through.forward(s, moved, tagged, 0, tagged.limit(), true, from));
    }

    private static int sequenceInTunnel(ByteBuffer outer) throws Exception {
        Tunnel.Decoded d = Tunnel.decode(outer, 0, outer.limit(), Encapsulation.VXLAN);
        return outer.getInt(d.innerOffset + Ethernet.HEADER + 28);
    }

    @Test
    void frames_are_held_untagged_until_the_new_nve_is_known_then_tunnelled_there_in_order_before_the_next() throws Exception {
        MovedTsi moved = leftWithOneHeld();
        forward(hold, moved, frameForB(1), null);
        assertThat(bed.router.frames).isEmpty();
        assertThat(bed.counters.count(Event.MIGRATION_HELD)).isEqualTo(2);
        assertThat(moved.held.size()).isEqualTo(2);

        bed.remote(VNI, B, null, NEW_NVE);
        forward(hold, moved, frameForB(2), null);
        assertThat(bed.router.frames).hasSize(3);
        for (int i = 0; i < 3; i++) {
            ByteBuffer outer = bed.router.frames.get(i);
            assertThat(Tunnel.decode(outer, 0, outer.limit(), Encapsulation.VXLAN).dstIp4).isEqualTo(v4(NEW_NVE));
            assertThat(Tunnel.decode(outer, 0, outer.limit(), Encapsulation.VXLAN).innerLength).isEqualTo(76);
            assertThat(sequenceInTunnel(outer)).isEqualTo(i);
        }
        assertThat(bed.counters.count(Event.MIGRATION_TUNNELLED)).isEqualTo(3);
    }

    @Test
    void when_the_directory_names_the_new_nve_what_was_held_goes_there() {
        MovedTsi moved = leftWithOneHeld();
        hold.onNewNve(moved, UnderlayAddress.parse(NEW_NVE));
        assertThat(bed.router.frames).hasSize(1);
        assertThat(moved.held.size()).isZero();
    }

    @Test
    void a_full_hold_drops_and_counts_what_does_not_fit() {
        MigrationHold small = bed.hold(Duration.ofSeconds(10), 2);
        MovedTsi moved = leave(small, null);
        for (int i = 0; i < 3; i++) {
            forward(small, moved, frameForB(i), null);
        }
        assertThat(bed.counters.count(Event.MIGRATION_HELD)).isEqualTo(2);
        assertThat(bed.counters.drops(DropReason.MIGRATION_BUFFER_FULL)).isEqualTo(1);
    }

    @Test
    void a_frame_that_came_from_the_new_nve_is_not_tunnelled_back() {
        MovedTsi moved = leave(hold, null);
        bed.remote(VNI, B, null, NEW_NVE);
        Tunnel.Decoded fromNewNve = new Tunnel.Decoded();
        fromNewNve.srcIp4 = v4(NEW_NVE);
        forward(hold, moved, frameForB(0), fromNewNve);
        assertThat(bed.router.frames).isEmpty();
        assertThat(bed.counters.drops(DropReason.TUNNEL_LOOP)).isEqualTo(1);
    }

    @Test
    void when_the_timer_ends_the_tsi_is_forgotten_and_its_held_frames_are_counted_as_expired() {
        MovedTsi moved = leftWithOneHeld();
        bed.scheduler.advance(Duration.ofSeconds(10).minusNanos(1));
        assertThat(hold.expired(moved)).isFalse();
        assertThat(forgotten).isEmpty();
        bed.scheduler.advance(Duration.ofNanos(2));
        assertThat(hold.expired(moved)).isTrue();
        assertThat(forgotten).containsExactly(moved);
        assertThat(bed.counters.drops(DropReason.MIGRATION_EXPIRED)).isEqualTo(1);
        assertThat(moved.held.size()).isZero();
    }

    @Test
    void a_tsi_that_returns_gets_what_was_held_on_its_port_with_its_tag_and_its_timer_stops() {
        MovedTsi moved = leftWithOneHeld();
        hold.returned(moved, active("p1", VNI, 110, B), 0);
        assertThat(bed.sta1.frames).hasSize(1);
        assertThat(Ethernet.vid(bed.sta1.last(), 0)).isEqualTo(110);
        assertThat(bed.counters.count(Event.MIGRATION_DELIVERED_LOCAL)).isEqualTo(1);
        bed.scheduler.advance(Duration.ofSeconds(20));
        assertThat(forgotten).isEmpty();
    }

    @Test
    void leaving_again_keeps_what_was_held_and_only_the_new_timer_runs() {
        MovedTsi first = leave(hold, null);
        forward(hold, first, frameForB(0), null);
        bed.scheduler.advance(Duration.ofSeconds(5));
        MovedTsi second = leave(hold, first);
        assertThat(second.held).isSameAs(first.held);
        bed.scheduler.advance(Duration.ofSeconds(6));
        assertThat(forgotten).isEmpty();
        bed.scheduler.advance(Duration.ofSeconds(5));
        assertThat(forgotten).containsExactly(second);
    }

    @Test
    void discarding_stops_the_timer_and_drops_what_was_held_uncounted() {
        MovedTsi moved = leftWithOneHeld();
        hold.discard(moved);
        bed.scheduler.advance(Duration.ofSeconds(20));
        assertThat(forgotten).isEmpty();
        assertThat(moved.held.size()).isZero();
        assertThat(bed.counters.totalDrops()).isZero();
    }
}
