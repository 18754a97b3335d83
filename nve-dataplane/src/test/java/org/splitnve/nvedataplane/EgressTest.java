package org.splitnve.nvedataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitnve.nvedataplane.TestFrames.udp4;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.splitnve.nvedataplane.DataPlaneCounters.Event;
import org.splitnve.nvedataplane.codec.Ethernet;

class EgressTest {

    static final long A = 0x52540000000aL;
    static final long B = 0x52540000000bL;

    @Test
    void a_frame_sent_is_counted_as_its_event_and_its_buffer_is_cleared_for_the_next() {
        EgressTestBed bed = new EgressTestBed();
        ByteBuffer frame = ByteBuffer.allocate(200);
        frame.put(0, udp4(B, A, 100, 1, 2, 3, 4, 80), 0, 80);
        bed.egress.toTrunk(1, frame, 80, Event.DELIVERED_LOCAL);
        bed.egress.toUnderlay(frame, 64, Event.ENCAPSULATED);
        assertThat(bed.sta2.frames).hasSize(1);
        assertThat(bed.sta2.last().limit()).isEqualTo(80);
        assertThat(bed.router.last().limit()).isEqualTo(64);
        assertThat(bed.sta1.frames).isEmpty();
        assertThat(frame.position()).isZero();
        assertThat(frame.limit()).isEqualTo(frame.capacity());
        assertThat(bed.counters.count(Event.DELIVERED_LOCAL)).isEqualTo(1);
        assertThat(bed.counters.count(Event.ENCAPSULATED)).isEqualTo(1);
    }

    @Test
    void a_frame_the_port_refuses_is_counted_as_send_failed_and_not_as_its_event() {
        EgressTestBed bed = new EgressTestBed();
        bed.up[0].close();
        ByteBuffer frame = ByteBuffer.allocate(100);
        bed.egress.toUnderlay(frame, 64, Event.ENCAPSULATED);
        assertThat(bed.counters.drops(DropReason.SEND_FAILED)).isEqualTo(1);
        assertThat(bed.counters.count(Event.ENCAPSULATED)).isZero();
        assertThat(frame.limit()).isEqualTo(frame.capacity());
    }

    @Test
    void a_tagged_frame_is_retagged_and_an_untagged_one_gets_the_tag_pushed() {
        EgressTestBed bed = new EgressTestBed();
        ByteBuffer tagged = udp4(B, A, 100, 1, 2, 3, 4, 80);
        ByteBuffer untagged = ByteBuffer.allocate(76);
        Ethernet.popTag(tagged, 0, 80, untagged, 0);
        bed.withScratch(s -> {
            bed.egress.retagged(s, tagged, 0, 80, true, 0, 300, Event.DELIVERED_LOCAL);
            bed.egress.retagged(s, untagged, 0, 76, false, 0, 301, Event.DECAPSULATED);
        });
        assertThat(bed.sta1.frames).hasSize(2);
        ByteBuffer retagged = bed.sta1.frames.get(0);
        ByteBuffer pushed = bed.sta1.frames.get(1);
        assertThat(Ethernet.vid(retagged, 0)).isEqualTo(300);
        assertThat(Ethernet.vid(pushed, 0)).isEqualTo(301);
        assertThat(retagged.limit()).isEqualTo(80);
        assertThat(pushed.limit()).isEqualTo(80);
        // Apart from the VID, both are the original frame.
        Ethernet.setVid(retagged, 0, 100);
        Ethernet.setVid(pushed, 0, 100);
        assertThat(TestFrames.bytes(retagged)).isEqualTo(tagged.array());
        assertThat(TestFrames.bytes(pushed)).isEqualTo(tagged.array());
    }

    @Test
    void padding_zero_fills_a_short_frame_to_the_ethernet_minimum_and_leaves_a_long_one_alone() {
        ByteBuffer frame = ByteBuffer.allocate(100);
        for (int i = 0; i < 100; i++) {
            frame.put(i, (byte) 0x5A);
        }
        assertThat(Egress.pad(frame, 42)).isEqualTo(Ethernet.MIN_FRAME);
        for (int i = 42; i < Ethernet.MIN_FRAME; i++) {
            assertThat(frame.get(i)).as("octet %d", i).isZero();
        }
        assertThat(frame.get(41)).isEqualTo((byte) 0x5A);
        assertThat(Egress.pad(frame, 80)).isEqualTo(80);
        assertThat(frame.get(Ethernet.MIN_FRAME)).isEqualTo((byte) 0x5A);
    }
}
