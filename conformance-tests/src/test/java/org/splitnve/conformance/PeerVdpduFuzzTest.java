package org.splitnve.conformance;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import org.splitnve.vdpcore.vdp.ManagerId;
import org.splitnve.vdpcore.vdp.VdpDecoder;

/**
 * Fuzz target for the suite's reading of a peer's VDPDU: whatever the peer sends, the reader
 * returns (never throws), every TLV it keeps holds exactly the octets its header claimed, and a
 * TLV it could not decode says why.
 */
class PeerVdpduFuzzTest {

    private static final VdpDecoder DECODER = new VdpDecoder();

    @FuzzTest(maxDuration = "30s")
    void fuzzPeerVdpdu(byte[] input) {
        PeerVdpdu.Parsed parsed = PeerVdpdu.read(input, ManagerId.ofName("fuzz"), DECODER);
        List<PeerTlv> tlvs = parsed.tlvs();
        String problem = parsed.problem();
        for (PeerTlv t : tlvs) {
            if (t.type() < 1 || t.type() > 4) {
                throw new AssertionError("kept a TLV of type " + t.type());
            }
            if (t.typed() == null && t.decodeError() == null) {
                throw new AssertionError("a TLV neither decoded nor explained: " + t);
            }
            if (t.typed() != null && t.typed().type().value() != t.type()) {
                throw new AssertionError("typed TLV of another type: " + t);
            }
        }
        if (problem == null && tlvs.isEmpty()) {
            throw new AssertionError("no association TLV and no problem reported");
        }
    }
}
