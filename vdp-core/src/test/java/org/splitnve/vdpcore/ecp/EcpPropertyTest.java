package org.splitnve.vdpcore.ecp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.splitnve.vdpcore.CodecHarness;
import org.splitnve.vdpcore.Generators;
import org.splitnve.vdpcore.Invariants;
import org.splitnve.vdpcore.Seeds;
import org.splitnve.vdpcore.Seeds.Case;

/** Seeded random ECPDUs: requests of every subtype with arbitrary payloads, and acks. */
class EcpPropertyTest {

    private static final EcpDecoder DECODER = new EcpDecoder();

    static Stream<Arguments> ecpdus() {
        return Seeds.cases("ecpdu", 300, Generators::ecpdu);
    }

    private static byte[] encode(Ecpdu pdu) {
        return CodecHarness.encode(new EcpEncoder()::encode, pdu);
    }

    @ParameterizedTest
    @MethodSource("ecpdus")
    void decodingAnEncodedEcpduGivesItBack(Case<Ecpdu> c) throws Exception {
        Ecpdu decoded = CodecHarness.decodeAll(DECODER::decode, encode(c.value()));
        assertThat(decoded).as(c::describe).isEqualTo(c.value()).hasSameHashCodeAs(c.value());
        assertThat(encode(decoded)).as(c::describe).isEqualTo(encode(c.value()));
    }

    @ParameterizedTest
    @MethodSource("ecpdus")
    void truncationsAndBitFlipsAreRejectedOrDecodeToValuesThatRoundTrip(Case<Ecpdu> c) {
        byte[] octets = encode(c.value());
        for (int n = 0; n < octets.length; n++) {
            byte[] prefix = Arrays.copyOf(octets, n);
            int len = n;
            Ecpdu v = Invariants.decodeOrReject(DECODER::decode, prefix, () -> c.describe() + ", prefix " + len);
            assertThat(v == null).as("prefix %d of %s", n, c).isEqualTo(n < Ecpdu.HEADER_LENGTH);
            if (v != null) {
                Invariants.ecpduRoundTrips(v, prefix, () -> c.describe() + ", prefix " + len);
            }
        }
        for (int bit = 0; bit < octets.length * 8; bit++) {
            byte[] flipped = octets.clone();
            flipped[bit >>> 3] ^= (byte) (0x80 >>> (bit & 7));
            int b = bit;
            Ecpdu v = Invariants.decodeOrReject(DECODER::decode, flipped, () -> c.describe() + ", bit " + b + " flipped");
            if (v != null) {
                Invariants.ecpduRoundTrips(v, flipped, () -> c.describe() + ", bit " + b + " flipped");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("ecpdus")
    void theHeaderWordHelpersAgreeWithTheDecoder(Case<Ecpdu> c) {
        byte[] octets = encode(c.value());
        int word = ByteBuffer.wrap(octets).getShort() & 0xFFFF;
        assertThat(EcpHeader.version(word)).isEqualTo(Ecpdu.VERSION);
        assertThat(EcpHeader.operation(word)).isEqualTo(c.value().operation().value());
        assertThat(EcpHeader.subtype(word)).isEqualTo(c.value().subtype().value());
    }
}
