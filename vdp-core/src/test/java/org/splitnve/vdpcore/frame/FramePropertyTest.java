package org.splitnve.vdpcore.frame;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.splitnve.vdpcore.CodePoints;
import org.splitnve.vdpcore.Generators;
import org.splitnve.vdpcore.HexDump;
import org.splitnve.vdpcore.Invariants;
import org.splitnve.vdpcore.Seeds;
import org.splitnve.vdpcore.Seeds.Case;

/** Seeded random whole frames as the frame encoder writes them: VDP requests, acks and LLDP. */
class FramePropertyTest {

    private static final FrameDecoder DECODER = new FrameDecoder();
    private static final FrameEncoder ENCODER = new FrameEncoder();

    static Stream<Arguments> frames() {
        return Seeds.cases("frame", 300, Generators::frame);
    }

    static Stream<Arguments> framesToMutate() {
        return Seeds.cases("frame-mutations", 40, Generators::frame);
    }

    @ParameterizedTest
    @MethodSource("frames")
    void reEncodingADecodedFrameIsByteIdentical(Case<byte[]> c) throws Exception {
        byte[] frame = c.value();
        DecodedFrame f = DECODER.decode(frame);
        ByteBuffer out = ByteBuffer.allocate(1600);
        EthernetHeader eth = f.ethernet();
        int n;
        if (f.lldp() != null) {
            n = ENCODER.lldp(eth.dst(), eth.src(), f.lldp(), out);
        } else if (f.ecp().isAck()) {
            n = ENCODER.ecpAck(eth.dst(), eth.src(), f.ecp().subtype(), f.ecp().sequence(), out);
        } else {
            n = ENCODER.ecpVdpRequest(eth.dst(), eth.src(), f.ecp().sequence(), f.vdp(), out);
        }
        assertThat(HexDump.hex(Arrays.copyOf(out.array(), n))).as(() -> Seeds.replay() + "\n" + HexDump.format(frame))
                .isEqualTo(HexDump.hex(frame));
        assertThat(n).isGreaterThanOrEqualTo(f.ecp() != null && f.ecp().isAck() ? 18 : EthernetHeader.MIN_FRAME);
    }

    @ParameterizedTest
    @MethodSource("framesToMutate")
    void everyTruncatedPrefixIsRejectedOrDecodesToPartsThatRoundTrip(Case<byte[]> c) {
        byte[] frame = c.value();
        for (int n = 0; n < frame.length; n++) {
            byte[] prefix = Arrays.copyOf(frame, n);
            int len = n;
            DecodedFrame f = Invariants.decodeFrameOrReject(DECODER, prefix, () -> c + ", prefix " + len);
            if (f != null) {
                Invariants.frameRoundTrips(f, CodePoints.DEFAULT, prefix, () -> c + ", prefix " + len);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("framesToMutate")
    void everySingleBitFlipIsRejectedOrDecodesToPartsThatRoundTrip(Case<byte[]> c) {
        byte[] frame = c.value();
        for (int bit = 0; bit < frame.length * 8; bit++) {
            byte[] flipped = frame.clone();
            flipped[bit >>> 3] ^= (byte) (0x80 >>> (bit & 7));
            int b = bit;
            DecodedFrame f = Invariants.decodeFrameOrReject(DECODER, flipped, () -> c + ", bit " + b + " flipped");
            if (f != null) {
                Invariants.frameRoundTrips(f, CodePoints.DEFAULT, flipped, () -> c + ", bit " + b + " flipped");
            }
        }
    }
}
