package org.splitnve.vdpcore.frame;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.splitnve.vdpcore.CodePoints;
import org.splitnve.vdpcore.Invariants;

/**
 * Fuzz target for whole-frame decoding: Ethernet header and VLAN tags, then ECP (with the VDPDU
 * inside a VDP request) or LLDP. A plain build replays the committed inputs in
 * {@code FrameDecoderFuzzTestInputs/}; {@code -Djazzer.fuzz=1} fuzzes for real.
 */
class FrameDecoderFuzzTest {

    private static final FrameDecoder DECODER = new FrameDecoder();

    @FuzzTest(maxDuration = "30s")
    void fuzzFrameDecoder(byte[] input) {
        DecodedFrame frame = Invariants.decodeFrameOrReject(DECODER, input, () -> "frame decoder");
        if (frame != null) {
            Invariants.frameRoundTrips(frame, CodePoints.DEFAULT, input, () -> "frame decoder");
        }
    }
}
