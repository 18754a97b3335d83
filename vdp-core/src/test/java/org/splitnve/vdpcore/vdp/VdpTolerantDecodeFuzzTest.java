package org.splitnve.vdpcore.vdp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import org.splitnve.vdpcore.Invariants;
import org.splitnve.vdpcore.MalformedFrameException;

/**
 * Fuzz target for the tolerant VDP decode a bridge runs on every received PDU: it never throws
 * anything but the checked exception, agrees with the strict decode whenever that succeeds, and
 * every rejected TLV carries an error code and, when answerable, an answer of the request's length.
 */
class VdpTolerantDecodeFuzzTest {

    private static final VdpDecoder DECODER = new VdpDecoder();

    @FuzzTest(maxDuration = "30s")
    void fuzzTolerantDecode(byte[] input) {
        ParsedVdpdu parsed = Invariants.decodeOrReject(DECODER::decodeTolerant, input, () -> "tolerant VDP decoder");
        Vdpdu strict;
        try {
            strict = DECODER.decode(ByteBuffer.wrap(input));
        } catch (MalformedFrameException e) {
            strict = null;
        }
        if (strict != null) {
            if (parsed == null || !parsed.associations().equals(strict.associations()) || !parsed.rejected().isEmpty()) {
                throw new AssertionError("tolerant decode disagrees with the strict decode on " + strict);
            }
        }
        if (parsed != null) {
            if (parsed.rejected().isEmpty() && parsed.skippedUnknown() == 0 && strict == null) {
                throw new AssertionError("tolerant decode found nothing wrong in a PDU the strict decode refuses");
            }
            for (RejectedTlv r : parsed.rejected()) {
                if (r.error() == null || r.cause().getMessage() == null) {
                    throw new AssertionError("rejected TLV without an error: " + r);
                }
                if (r.answerable() && r.responseValue().length != r.value().length) {
                    throw new AssertionError("answer of another length: " + r);
                }
            }
        }
    }
}
