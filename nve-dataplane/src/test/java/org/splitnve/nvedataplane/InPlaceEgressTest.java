package org.splitnve.nvedataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitnve.nvedataplane.TestFrames.active;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.splitnve.nvedataplane.codec.Encapsulation;
import org.splitnve.nvedataplane.codec.Tunnel;
import org.splitnve.vdpcore.MacAddress;

/**
 * Frames built in place in a port's transmit slots are, octet for octet, the frames the copy path sends through
 * {@code DataPort.send}: the same input through two data planes, one whose ports offer slots, gives the same output
 * on every port, and the slot path was the one taken.
 */
class InPlaceEgressTest {

    static final MacAddress A = MacAddress.valueOf("52:54:00:00:00:0a");
    static final MacAddress B = MacAddress.valueOf("52:54:00:00:00:0b");
    static final MacAddress R = MacAddress.valueOf("52:54:00:00:00:0f");

    private static void traffic(DataPlaneTestBed bed) {
        bed.dp.onTsiActivated(active("p1", 5000, 100, A, TestFrames.ip("10.0.0.1")));
        bed.dp.onTsiActivated(active("p2", 5000, 200, B));
        bed.remote(5000, R, "10.0.0.9", DataPlaneTestBed.REMOTE);
        List<Consumer<DataPlaneTestBed>> frames = List.of(
                b -> b.fromStation1(TestFrames.udp4(R.toLong(), A.toLong(), 100, TestFrames.v4("10.0.0.1"), 2, 3, 4, 1000)),
                b -> b.fromStation1(TestFrames.udp4(R.toLong(), A.toLong(), 100, TestFrames.v4("10.0.0.1"), 2, 7, 9, 64)),
                b -> b.fromStation1(TestFrames.udp4(B.toLong(), A.toLong(), 100, TestFrames.v4("10.0.0.1"), 2, 3, 4, 200)),
                // Broadcast: the other local port and the remote NVE.
                b -> b.fromStation1(TestFrames.udp4(0xFFFF_FFFF_FFFFL, A.toLong(), 100, TestFrames.v4("10.0.0.1"), 2, 3, 4, 90)),
                b -> b.fromUnderlay(tunnel(b, TestFrames.udp6(A.toLong(), R.toLong(), 1, 2, 3, 4, 500))),
                b -> b.fromUnderlay(tunnel(b, TestFrames.udp6(0xFFFF_FFFF_FFFFL, R.toLong(), 1, 2, 3, 4, 80))));
        for (int round = 0; round < 3; round++) {
            frames.forEach(f -> f.accept(bed));
        }
    }

    private static ByteBuffer tunnel(DataPlaneTestBed bed, ByteBuffer inner) {
        ByteBuffer out = ByteBuffer.allocate(inner.remaining() + 128);
        int n = Tunnel.encapsulateV4(inner, 0, inner.remaining(), false, out, 0, bed.underlayMac(), DataPlaneTestBed.ROUTER_MAC.toLong(),
                TestFrames.v4(DataPlaneTestBed.REMOTE), TestFrames.v4(DataPlaneTestBed.LOCAL), bed.dp.encapsulation(), 5000, 1, 64);
        return out.limit(n);
    }

    @ParameterizedTest
    @EnumSource(names = {"VXLAN", "GENEVE"}, value = EncapsulationName.class)
    void frames_built_in_transmit_slots_are_the_frames_the_copy_path_sends(EncapsulationName name) {
        DataPlaneTestBed copied = new DataPlaneTestBed(name.encapsulation, false);
        DataPlaneTestBed inPlace = new DataPlaneTestBed(name.encapsulation, true);

        traffic(copied);
        traffic(inPlace);

        assertThat(inPlace.dp.counters().totalDrops()).isZero();
        assertThat(copied.router.size()).isEqualTo(9);
        assertThat(copied.sta1.size()).isEqualTo(6);
        assertThat(copied.sta2.size()).isEqualTo(9);
        assertThat(inPlace.router.frames).containsExactlyElementsOf(copied.router.frames);
        assertThat(inPlace.sta1.frames).containsExactlyElementsOf(copied.sta1.frames);
        assertThat(inPlace.sta2.frames).containsExactlyElementsOf(copied.sta2.frames);
        assertThat(inPlace.up[0].slotCommits()).isEqualTo(9);
        assertThat(inPlace.p1[0].slotCommits() + inPlace.p2[0].slotCommits()).isEqualTo(15);
        assertThat(copied.up[0].slotCommits()).isZero();
    }

    /** The encapsulations, by name for the parameter. */
    enum EncapsulationName {
        VXLAN(Encapsulation.VXLAN), GENEVE(Encapsulation.GENEVE);

        final Encapsulation encapsulation;

        EncapsulationName(Encapsulation e) {
            this.encapsulation = e;
        }
    }
}
