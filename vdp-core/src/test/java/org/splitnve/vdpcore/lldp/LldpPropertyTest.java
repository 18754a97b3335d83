package org.splitnve.vdpcore.lldp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.splitnve.vdpcore.CodecHarness;
import org.splitnve.vdpcore.Generators;
import org.splitnve.vdpcore.HexDump;
import org.splitnve.vdpcore.Invariants;
import org.splitnve.vdpcore.Seeds;
import org.splitnve.vdpcore.Seeds.Case;

/** Seeded random LLDPDUs with EVB, basic and organizationally specific TLVs. */
class LldpPropertyTest {

    private static final LldpDecoder DECODER = new LldpDecoder();

    static Stream<Arguments> lldpdus() {
        return Seeds.cases("lldpdu", 300, Generators::lldpdu);
    }

    static Stream<Arguments> lldpdusToMutate() {
        return Seeds.cases("lldpdu-mutations", 30, Generators::lldpdu);
    }

    private static byte[] encode(Lldpdu pdu) {
        ByteBuffer out = ByteBuffer.allocate(pdu.encodedLength());
        new LldpEncoder().encode(pdu, out);
        return out.array();
    }

    @ParameterizedTest
    @MethodSource("lldpdus")
    void decodingAnEncodedLldpduGivesItBack(Case<Lldpdu> c) throws Exception {
        Lldpdu decoded = CodecHarness.decodeAll(DECODER::decode, encode(c.value()));
        assertThat(decoded).as(c::describe).isEqualTo(c.value()).hasSameHashCodeAs(c.value());
        assertThat(decoded.evb()).isEqualTo(c.value().evb());
    }

    @ParameterizedTest
    @MethodSource("lldpdus")
    void reEncodingADecodedLldpduIsByteIdentical(Case<Lldpdu> c) throws Exception {
        byte[] octets = encode(c.value());
        assertThat(HexDump.hex(encode(DECODER.decode(ByteBuffer.wrap(octets))))).as(c::describe).isEqualTo(HexDump.hex(octets));
    }

    @ParameterizedTest
    @MethodSource("lldpdusToMutate")
    void everyTruncatedPrefixIsRejectedOrDecodesToAValueThatRoundTrips(Case<Lldpdu> c) {
        byte[] octets = encode(c.value());
        for (int n = 0; n < octets.length; n++) {
            byte[] prefix = Arrays.copyOf(octets, n);
            int len = n;
            Lldpdu v = Invariants.decodeOrReject(DECODER::decode, prefix, () -> c.describe() + ", prefix " + len);
            if (v != null) {
                Invariants.lldpduRoundTrips(v, prefix, () -> c.describe() + ", prefix " + len);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("lldpdusToMutate")
    void everySingleBitFlipIsRejectedOrDecodesToAValueThatRoundTrips(Case<Lldpdu> c) {
        byte[] octets = encode(c.value());
        for (int bit = 0; bit < octets.length * 8; bit++) {
            byte[] flipped = octets.clone();
            flipped[bit >>> 3] ^= (byte) (0x80 >>> (bit & 7));
            int b = bit;
            Lldpdu v = Invariants.decodeOrReject(DECODER::decode, flipped, () -> c.describe() + ", bit " + b + " flipped");
            if (v != null) {
                Invariants.lldpduRoundTrips(v, flipped, () -> c.describe() + ", bit " + b + " flipped");
            }
        }
    }

    static Stream<Arguments> evbTlvs() {
        return Seeds.cases("evb", 200, Generators::evbTlv);
    }

    @ParameterizedTest
    @MethodSource("evbTlvs")
    void everyEvbTlvSurvivesTheRoundTrip(Case<EvbTlv> c) throws Exception {
        Lldpdu pdu = Lldpdu.of(new ChassisId(7, new byte[] {1}), new PortId(7, new byte[] {2}), 120, java.util.List.of(c.value()));
        assertThat(CodecHarness.decodeAll(DECODER::decode, encode(pdu)).evb()).as(c::describe).isEqualTo(c.value());
    }
}
