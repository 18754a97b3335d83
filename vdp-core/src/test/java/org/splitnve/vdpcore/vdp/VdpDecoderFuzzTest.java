package org.splitnve.vdpcore.vdp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.splitnve.vdpcore.CodePoints;
import org.splitnve.vdpcore.Invariants;

/**
 * Fuzz target for the VDP decoder. A plain build replays the committed inputs in
 * {@code VdpDecoderFuzzTestInputs/} as regression tests; {@code -Djazzer.fuzz=1} fuzzes for real.
 */
class VdpDecoderFuzzTest {

    private static final VdpDecoder DECODER = new VdpDecoder();

    @FuzzTest(maxDuration = "30s")
    void fuzzVdpDecoder(byte[] input) {
        Vdpdu pdu = Invariants.decodeOrReject(DECODER::decode, input, () -> "VDP decoder");
        if (pdu != null) {
            Invariants.vdpduRoundTrips(pdu, CodePoints.DEFAULT, input, () -> "VDP decoder");
        }
    }
}
