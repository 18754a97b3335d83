package org.splitnve.vdpcore.ecp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.splitnve.vdpcore.CodecHarness.hex;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.splitnve.vdpcore.CodecHarness;
import org.splitnve.vdpcore.CodecHarness.Rejection;
import org.splitnve.vdpcore.MalformedFrameException;

/** The ECP header word, requests and acks, and what a receiver must drop. */
class EcpCodecTest {

    private static final EcpDecoder DECODER = new EcpDecoder();
    private static final EcpEncoder ENCODER = new EcpEncoder();

    private static Ecpdu golden(byte[] octets) {
        return CodecHarness.assertGolden(DECODER::decode, ENCODER::encode, octets);
    }

    @Test
    void requestCarriesItsUpperLayerPdu() {
        Ecpdu pdu = golden(hex(
                "1001",                      // version 1 (bits 15..12), operation 0 request, subtype 1 VDP
                "0001",                      // sequence 1
                "0a10 6d677231 0000"));      // the start of a VDPDU: ECP does not look inside
        assertThat(pdu.version()).isEqualTo(1);
        assertThat(pdu.operation()).isSameAs(EcpOperation.REQUEST);
        assertThat(pdu.isAck()).isFalse();
        assertThat(pdu.subtype()).isSameAs(EcpSubtype.VDP);
        assertThat(pdu.sequence()).isEqualTo(1);
        assertThat(pdu.payloadLength()).isEqualTo(8);
        assertThat(pdu.payload()).isEqualTo(ByteBuffer.wrap(hex("0a10 6d677231 0000")));
        assertThat(pdu.toString()).contains("request").contains("VDP").contains("seq 1").contains("8 octets");
    }

    @Test
    void ackIsTheHeaderWithOperationOneAndTheEchoedSequence() {
        Ecpdu pdu = golden(hex(
                "1401",                      // version 1, operation 1 ack, subtype 1 VDP
                "002a"));                    // sequence 42, echoed
        assertThat(pdu).isEqualTo(Ecpdu.ack(EcpSubtype.VDP, 42));
        assertThat(pdu.isAck()).isTrue();
        assertThat(pdu.operation()).isSameAs(EcpOperation.ACK).hasToString("ack");
        assertThat(pdu.payloadLength()).isZero();
    }

    @Test
    void ackPaddedToSixtyOctetFrameDecodesAsTheSameAck() throws MalformedFrameException {
        // A 60-octet frame leaves 46 octets after the Ethernet header: 4 of ECP, 42 of padding.
        Ecpdu pdu = CodecHarness.decodeAll(DECODER::decode, hex("1401 002a", "00".repeat(42)));
        assertThat(pdu).isEqualTo(Ecpdu.ack(EcpSubtype.VDP, 42));
    }

    @Test
    void peCspAndUnknownSubtypesDecodeSoTheTransportCanDropThem() {
        assertThat(golden(hex("1002 0005")).subtype()).isSameAs(EcpSubtype.PE_CSP);
        Ecpdu unknown = golden(hex("13ff 0005"));   // subtype 0x3FF, the largest
        assertThat(unknown.subtype().value()).isEqualTo(0x3FF);
        assertThat(unknown.subtype().isKnown()).isFalse();
        assertThat(unknown.subtype().name()).isEqualTo("unknown-1023");
        assertThat(golden(hex("1000 0005")).subtype().isKnown()).isFalse();
    }

    @ParameterizedTest(name = "subtype {0}")
    @CsvSource({"1001, 1", "107f, 127", "1080, 128", "10ff, 255", "1100, 256", "1200, 512", "13ff, 1023"})
    void subtypeBoundariesSurviveTheRoundTrip(String word, int subtype) {
        Ecpdu pdu = golden(hex(word, "0001"));
        assertThat(pdu.subtype().value()).isEqualTo(subtype);
        assertThat(pdu.isAck()).isFalse();
    }

    @ParameterizedTest(name = "sequence {0}")
    @CsvSource({"0000, 0", "0001, 1", "007f, 127", "0080, 128", "00ff, 255", "7fff, 32767", "8000, 32768", "fffe, 65534", "ffff, 65535"})
    void sequenceBoundariesSurviveTheRoundTrip(String sequence, int value) {
        assertThat(golden(hex("1001", sequence, "00")).sequence()).isEqualTo(value);
        assertThat(golden(hex("1401", sequence)).sequence()).isEqualTo(value);
    }

    @ParameterizedTest(name = "word {0}")
    @CsvSource({
        "0001, version 0",
        "2001, version 2",
        "7001, version 7",
        "8001, version 8: the sign bit of the word",
        "f001, version 15",
        "1801, operation 2",
        "1c01, operation 3",
        "9c01, version 9 and operation 3",
    })
    void otherVersionsAndUndefinedOperationsAreRejected(String word, String why) {
        Rejection r = CodecHarness.assertMalformed(DECODER::decode, hex(word, "0001 0a10"));
        assertThat(r.offset()).as(why).isZero();
        assertThat(r.vdpError()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0} octets")
    @ValueSource(ints = {0, 1, 2, 3})
    void anythingShorterThanTheHeaderIsRejected(int length) {
        Rejection r = CodecHarness.assertMalformed(DECODER::decode, Arrays.copyOf(hex("1001 0001"), length));
        assertThat(r.offset()).isZero();
    }

    @Test
    void everyPrefixOfARequestFromTheHeaderOnDecodes() throws MalformedFrameException {
        byte[] full = hex("1001 8000 0a10 6d677231 00000000 00000000 00000000");
        for (int n = 4; n <= full.length; n++) {
            Ecpdu pdu = CodecHarness.decodeAll(DECODER::decode, Arrays.copyOf(full, n));
            assertThat(pdu.payloadLength()).isEqualTo(n - 4);
            assertThat(pdu.sequence()).isEqualTo(0x8000);
        }
    }

    @Test
    void anAckWithNonZeroPaddingIsRejectedAtThatOctet() {
        Rejection r = CodecHarness.assertMalformed(DECODER::decode, hex("1401 002a", "00".repeat(20), "80", "00".repeat(21)));
        assertThat(r.offset()).isEqualTo(24);
    }

    @Test
    void anEcpduLongerThanTheDecoderAllowsIsRejected() throws MalformedFrameException {
        EcpDecoder small = new EcpDecoder(10);
        assertThat(CodecHarness.decodeAll(small::decode, new byte[] {0x10, 0x01, 0, 1, 0, 0, 0, 0, 0, 0}).payloadLength()).isEqualTo(6);
        Rejection r = CodecHarness.assertMalformed(small::decode, new byte[] {0x10, 0x01, 0, 1, 0, 0, 0, 0, 0, 0, 0});
        assertThat(r.offset()).isZero();
        assertThat(CodecHarness.assertMalformed(DECODER::decode, hex("1001 0001", "00".repeat(1497))).offset()).isZero();
        assertThatThrownBy(() -> new EcpDecoder(3)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aDecodedPayloadIsAReadOnlyViewThatLaterReadsDoNotDisturb() throws MalformedFrameException {
        Ecpdu pdu = CodecHarness.decodeAll(DECODER::decode, hex("1001 0001 aabbcc"));
        ByteBuffer first = pdu.payload();
        first.get();
        assertThat(pdu.payload().remaining()).isEqualTo(3);
        assertThat(first.isReadOnly()).isTrue();
        assertThatThrownBy(() -> pdu.payload().put((byte) 0)).isInstanceOf(ReadOnlyBufferException.class);
    }

    @Test
    void encoderWritesNothingWhenTheBufferIsTooSmall() {
        Ecpdu pdu = Ecpdu.request(EcpSubtype.VDP, 7, ByteBuffer.wrap(new byte[10]));
        ByteBuffer out = ByteBuffer.allocate(13);
        assertThatThrownBy(() -> ENCODER.encode(pdu, out)).isInstanceOf(BufferOverflowException.class);
        assertThat(out.position()).isZero();
        assertThat(out.array()).containsOnly(0);
        ByteBuffer exact = ByteBuffer.allocate(14);
        assertThat(ENCODER.encode(pdu, exact)).isEqualTo(14);
        assertThat(exact.remaining()).isZero();
    }

    @Test
    void aRequestTakesTheRemainingPayloadOctetsWithoutCopyingTheCallersPosition() {
        ByteBuffer payload = ByteBuffer.wrap(hex("00 11 22 33")).position(1);
        Ecpdu pdu = Ecpdu.request(EcpSubtype.VDP, 1, payload);
        assertThat(pdu.payloadLength()).isEqualTo(3);
        assertThat(payload.position()).isEqualTo(1);
        assertThat(CodecHarness.encode(ENCODER::encode, pdu)).isEqualTo(hex("1001 0001 112233"));
    }

    @Test
    void sequenceNumbersAreSixteenBits() {
        ByteBuffer none = ByteBuffer.allocate(0);
        assertThatThrownBy(() -> Ecpdu.ack(EcpSubtype.VDP, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ecpdu.ack(EcpSubtype.VDP, 0x10000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ecpdu.request(EcpSubtype.VDP, 0x10000, none)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ecpdu.request(null, 1, none)).isInstanceOf(NullPointerException.class);
        assertThat(Ecpdu.ack(EcpSubtype.VDP, 0xFFFF).sequence()).isEqualTo(0xFFFF);
    }

    @Test
    void headerWordHelpersSplitAndJoinTheThreeFields() {
        int word = EcpHeader.word(1, 1, 0x3FF);
        assertThat(word).isEqualTo(0x17FF);
        assertThat(EcpHeader.version(word)).isEqualTo(1);
        assertThat(EcpHeader.operation(word)).isEqualTo(1);
        assertThat(EcpHeader.subtype(word)).isEqualTo(0x3FF);
        assertThat(EcpHeader.version(0xF000)).as("no sign extension from a word read as a short").isEqualTo(15);
        ByteBuffer out = ByteBuffer.allocate(4);
        EcpHeader.write(out, 0, 1, 0xFFFF);
        assertThat(out.array()).isEqualTo(hex("1001 ffff"));
    }

    @Test
    void subtypesAndOperationsAreCanonicalInstances() {
        assertThat(EcpSubtype.valueOf(1)).isSameAs(EcpSubtype.VDP).hasToString("VDP");
        assertThat(EcpSubtype.valueOf(2)).isSameAs(EcpSubtype.PE_CSP);
        assertThat(EcpSubtype.valueOf(500)).isSameAs(EcpSubtype.valueOf(500));
        assertThatThrownBy(() -> EcpSubtype.valueOf(1024)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EcpSubtype.valueOf(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(EcpOperation.valueOf(0)).isSameAs(EcpOperation.REQUEST);
        assertThat(EcpOperation.valueOf(1)).isSameAs(EcpOperation.ACK);
        assertThat(EcpOperation.valueOf(2)).isNull();
        assertThat(EcpOperation.valueOf(3)).isNull();
    }

    @Test
    void equalEcpdusHaveEqualHashCodes() {
        Ecpdu a = Ecpdu.request(EcpSubtype.VDP, 9, ByteBuffer.wrap(hex("0102")));
        Ecpdu b = Ecpdu.request(EcpSubtype.VDP, 9, ByteBuffer.wrap(hex("0102")));
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(Ecpdu.request(EcpSubtype.VDP, 9, ByteBuffer.wrap(hex("0103"))));
        assertThat(a).isNotEqualTo(Ecpdu.request(EcpSubtype.PE_CSP, 9, ByteBuffer.wrap(hex("0102"))));
        assertThat(a).isNotEqualTo(Ecpdu.ack(EcpSubtype.VDP, 9));
    }
}
