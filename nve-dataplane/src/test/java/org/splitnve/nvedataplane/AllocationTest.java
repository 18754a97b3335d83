package org.splitnve.nvedataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitnve.nvedataplane.TestFrames.active;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.splitnve.nvedataplane.DataPlaneCounters.Event;
import org.splitnve.nvedataplane.codec.Encapsulation;
import org.splitnve.nvedataplane.codec.Tunnel;
import org.splitnve.vdpcore.MacAddress;

/**
 * The forwarding path allocates nothing per frame: a correctness property (garbage per frame is
 * GC pressure at line rate), measured with the thread's allocation counter, not with a clock.
 */
class AllocationTest {

    static final MacAddress A = MacAddress.valueOf("52:54:00:00:00:0a");
    static final MacAddress B = MacAddress.valueOf("52:54:00:00:00:0b");
    static final MacAddress R = MacAddress.valueOf("52:54:00:00:00:0f");
    static final int FRAMES = 100_000;
    static final long MAX_BYTES_PER_FRAME = 64;

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    /** With transmit slots, frames are built in place in the ports' slots (the ring port's path) instead of a scratch buffer. */
    @ParameterizedTest(name = "transmit slots: {0}")
    @ValueSource(booleans = {false, true})
    void encapsulating_decapsulating_and_local_forwarding_allocate_less_than_64_bytes_per_frame(boolean slots) {
        DataPlaneTestBed bed = new DataPlaneTestBed(Encapsulation.VXLAN, slots);
        long[] counted = new long[3];
        bed.p1[1].receiver((port, frame) -> counted[0]++);
        bed.p2[1].receiver((port, frame) -> counted[1]++);
        bed.up[1].receiver((port, frame) -> counted[2]++);
        bed.dp.onTsiActivated(active("p1", 5000, 100, A, TestFrames.ip("10.0.0.1")));
        bed.dp.onTsiActivated(active("p2", 5000, 200, B));
        bed.remote(5000, R, "10.0.0.9", DataPlaneTestBed.REMOTE);
        ByteBuffer toRemote = TestFrames.udp4(R.toLong(), A.toLong(), 100, TestFrames.v4("10.0.0.1"), 2, 3, 4, 1000);
        ByteBuffer toLocal = TestFrames.udp4(B.toLong(), A.toLong(), 100, TestFrames.v4("10.0.0.1"), 2, 3, 4, 200);
        ByteBuffer inner = TestFrames.udp6(A.toLong(), R.toLong(), 1, 2, 3, 4, 500);
        ByteBuffer fromRemote = ByteBuffer.allocate(700);
        int n = Tunnel.encapsulateV4(inner, 0, 500, false, fromRemote, 0, DataPlaneTestBed.UNDERLAY_MAC.toLong(), DataPlaneTestBed.ROUTER_MAC.toLong(),
                TestFrames.v4(DataPlaneTestBed.REMOTE), TestFrames.v4(DataPlaneTestBed.LOCAL), Encapsulation.VXLAN, 5000, 1, 64);
        fromRemote.limit(n);
        for (int i = 0; i < 30_000; i++) {
            send(bed, i, toRemote, toLocal, fromRemote);
        }
        long before = allocated();
        for (int i = 0; i < FRAMES; i++) {
            send(bed, i, toRemote, toLocal, fromRemote);
        }
        long perFrame = (allocated() - before) / FRAMES;
        System.out.printf("forwarding allocated %d bytes per frame on average over %d frames (%s)%n", perFrame, FRAMES, bed.dp.counters());
        DataPlaneCounters counters = bed.dp.counters();
        assertThat(counters.totalDrops()).isZero();
        assertThat(counted[0] + counted[1] + counted[2]).isEqualTo(30_000 + FRAMES);
        // Every path was taken as often as its frames were sent: station ingress to encapsulation,
        // station ingress to a local port, underlay ingress to a local port.
        assertThat(counters.count(Event.ENCAPSULATED)).isEqualTo(10_000 + (FRAMES + 2) / 3);
        assertThat(counters.count(Event.DELIVERED_LOCAL)).isEqualTo(10_000 + (FRAMES + 1) / 3);
        assertThat(counters.count(Event.DECAPSULATED)).isEqualTo(10_000 + FRAMES / 3);
        assertThat(perFrame).isLessThan(MAX_BYTES_PER_FRAME);
        long inPlace = bed.up[0].slotCommits() + bed.p1[0].slotCommits() + bed.p2[0].slotCommits();
        assertThat(inPlace).isEqualTo(slots ? 30_000 + FRAMES : 0);
    }

    private static void send(DataPlaneTestBed bed, int i, ByteBuffer toRemote, ByteBuffer toLocal, ByteBuffer fromRemote) {
        switch (i % 3) {
            case 0 -> bed.fromStation1(toRemote);
            case 1 -> bed.fromStation1(toLocal);
            default -> bed.fromUnderlay(fromRemote);
        }
    }
}
