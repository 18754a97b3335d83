package org.splitnve.vdpcore.ecp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.splitnve.vdpcore.Invariants;

/**
 * Fuzz target for the ECP decoder. A plain build replays the committed inputs in
 * {@code EcpDecoderFuzzTestInputs/} as regression tests; {@code -Djazzer.fuzz=1} fuzzes for real.
 */
class EcpDecoderFuzzTest {

    private static final EcpDecoder DECODER = new EcpDecoder();

    @FuzzTest(maxDuration = "30s")
    void fuzzEcpDecoder(byte[] input) {
        Ecpdu pdu = Invariants.decodeOrReject(DECODER::decode, input, () -> "ECP decoder");
        if (pdu != null) {
            Invariants.ecpduRoundTrips(pdu, input, () -> "ECP decoder");
        }
    }
}
