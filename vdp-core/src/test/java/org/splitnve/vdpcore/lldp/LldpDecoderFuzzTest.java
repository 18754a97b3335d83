package org.splitnve.vdpcore.lldp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.splitnve.vdpcore.Invariants;

/**
 * Fuzz target for the LLDP decoder. A plain build replays the committed inputs in
 * {@code LldpDecoderFuzzTestInputs/} as regression tests; {@code -Djazzer.fuzz=1} fuzzes for real.
 */
class LldpDecoderFuzzTest {

    private static final LldpDecoder DECODER = new LldpDecoder();

    @FuzzTest(maxDuration = "30s")
    void fuzzLldpDecoder(byte[] input) {
        Lldpdu pdu = Invariants.decodeOrReject(DECODER::decode, input, () -> "LLDP decoder");
        if (pdu != null) {
            Invariants.lldpduRoundTrips(pdu, input, () -> "LLDP decoder");
        }
    }
}
