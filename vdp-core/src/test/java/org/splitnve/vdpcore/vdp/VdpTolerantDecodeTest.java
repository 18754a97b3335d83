package org.splitnve.vdpcore.vdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.splitnve.vdpcore.CodecHarness.hex;
import static org.splitnve.vdpcore.vdp.VdpMalformedTest.LLDPAD_ASSOCIATE;
import static org.splitnve.vdpcore.vdp.VdpMalformedTest.assocValue;
import static org.splitnve.vdpcore.vdp.VdpMalformedTest.associate;
import static org.splitnve.vdpcore.vdp.VdpMalformedTest.pdu;
import static org.splitnve.vdpcore.vdp.VdpMalformedTest.tlv;

import java.nio.ByteBuffer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.splitnve.vdpcore.MalformedFrameException;

/**
 * A bridge must answer a bad TLV with its error code and still serve the good TLVs beside it;
 * the tolerant decode gives it what it needs for both, and still refuses PDUs whose framing broke.
 */
class VdpTolerantDecodeTest {

    private static final String UUID_HEX = "11223344556677889900aabbccddeeff";
    private final VdpDecoder decoder = new VdpDecoder();

    private ParsedVdpdu decode(byte[] octets) throws MalformedFrameException {
        ByteBuffer buf = ByteBuffer.wrap(octets);
        ParsedVdpdu p = decoder.decodeTolerant(buf);
        assertThat(buf.remaining()).as("nothing left over").isZero();
        return p;
    }

    @Test
    void a_pdu_of_good_tlvs_decodes_tolerantly_to_what_the_strict_decode_gives() throws Exception {
        byte[] octets = pdu(LLDPAD_ASSOCIATE, LLDPAD_ASSOCIATE);
        ParsedVdpdu p = decode(octets);
        Vdpdu strict = new VdpDecoder().decode(ByteBuffer.wrap(octets));
        assertThat(p.associations()).isEqualTo(strict.associations());
        assertThat(p.managerId()).isEqualTo(strict.managerId());
        assertThat(p.rejected()).isEmpty();
        assertThat(p.skippedUnknown()).isZero();
    }

    @Test
    void a_bad_filter_becomes_a_rejected_tlv_with_its_error_code_and_the_good_tlv_beside_it_is_kept() throws Exception {
        String bad = associate("03", "0001", "00000000 0064"); // GroupID 0: error 5
        ParsedVdpdu p = decode(pdu(LLDPAD_ASSOCIATE, bad, LLDPAD_ASSOCIATE));
        assertThat(p.associations()).hasSize(2);
        assertThat(p.rejected()).singleElement().satisfies(r -> {
            assertThat(r.index()).isEqualTo(1);
            assertThat(r.type()).isEqualTo(VdpTlvType.ASSOCIATE);
            assertThat(r.error()).isEqualTo(VdpErrorCode.INVALID_VID_GROUPID_OR_MAC);
            assertThat(r.answerable()).isTrue();
            assertThat(r.vsiId()).isEqualTo(new VsiId.Uuid(java.util.UUID.fromString("11223344-5566-7788-9900-aabbccddeeff")));
        });
        assertThat(p.associationCount()).isEqualTo(3);
    }

    @Test
    void the_answer_to_a_rejected_tlv_echoes_it_with_response_keep_and_the_error_code() throws Exception {
        String badValue = assocValue("80", "05", UUID_HEX, "01", "0001", "0fff"); // VID 4095, 0x80 set
        ParsedVdpdu p = decode(pdu(tlv(1, badValue)));
        RejectedTlv r = p.rejected().get(0);
        byte[] answer = r.responseValue();
        byte[] request = hex(badValue);
        assertThat(answer[0] & 0xFF).isEqualTo(0x80 | 0x40 | 0x20 | 5);
        assertThat(java.util.Arrays.copyOfRange(answer, 1, answer.length)).isEqualTo(java.util.Arrays.copyOfRange(request, 1, request.length));
    }

    @Test
    void m_and_s_with_the_migration_indication_valid_is_rejected_with_error_1() throws Exception {
        ParsedVdpdu p = decode(pdu(tlv(3, assocValue("b0", "05", UUID_HEX, "04", "0001", "00000064 02000000aa01 0000"))));
        assertThat(p.rejected()).singleElement().extracting(RejectedTlv::error).isEqualTo(VdpErrorCode.INVALID_FORMAT);
    }

    @Test
    void a_tlv_whose_vsi_id_format_is_unknown_is_rejected_with_error_1_and_answered_with_its_raw_vsi_id() throws Exception {
        ParsedVdpdu p = decode(pdu(tlv(3, assocValue("00", "09", UUID_HEX, "04", "0001", "00000064 02000000aa01 0000")), LLDPAD_ASSOCIATE));
        assertThat(p.rejected()).singleElement().satisfies(r -> {
            assertThat(r.answerable()).isTrue();
            assertThat(r.vsiId()).isNull();
            assertThat(r.error()).isEqualTo(VdpErrorCode.INVALID_FORMAT);
            assertThat(r.responseValue()[0] & 0xFF).isEqualTo(0x40 | 0x20 | 1);
        });
        assertThat(p.associations()).hasSize(1);
    }

    @Test
    void a_tlv_too_short_for_a_vsi_id_is_rejected_unanswerable() throws Exception {
        ParsedVdpdu p = decode(pdu(tlv(1, "00 001267"), LLDPAD_ASSOCIATE));
        assertThat(p.rejected()).singleElement().satisfies(r -> assertThat(r.answerable()).isFalse());
    }

    @Test
    void unknown_tlv_types_are_skipped_and_counted_as_lldpad_does() throws Exception {
        ParsedVdpdu p = decode(pdu(LLDPAD_ASSOCIATE, "0c00", tlv(100, "0102")));
        assertThat(p.associations()).hasSize(1);
        assertThat(p.skippedUnknown()).isEqualTo(2);
    }

    @Test
    void a_pdu_of_only_bad_tlvs_still_parses_so_every_one_can_be_answered() throws Exception {
        ParsedVdpdu p = decode(pdu(associate("01", "0001", "0fff"), associate("08", "0001", "0064")));
        assertThat(p.associations()).isEmpty();
        assertThat(p.rejected()).extracting(RejectedTlv::error)
                .containsExactly(VdpErrorCode.INVALID_VID_GROUPID_OR_MAC, VdpErrorCode.INVALID_FORMAT);
    }

    static Stream<String> brokenFraming() {
        return Stream.of(
                "0a0f 6d677231 00000000 00000000 000000", // Manager ID of 15
                "", // nothing
                "0a10 6d677231 00000000 00000000 00000000 0000", // no association TLV
                "0a10 6d677231 00000000 00000000 00000000 06ff 00", // TLV overruns the PDU
                "0a10 6d677231 00000000 00000000 00000000 " + LLDPAD_ASSOCIATE + " 0a10 6d677231 00000000 00000000 00000000"); // second Manager ID
    }

    @ParameterizedTest
    @MethodSource("brokenFraming")
    void a_pdu_whose_framing_broke_is_refused_whole(String octets) {
        ByteBuffer buf = ByteBuffer.wrap(hex(octets));
        assertThatThrownBy(() -> decoder.decodeTolerant(buf)).isInstanceOf(MalformedFrameException.class);
        assertThat(buf.position()).isZero();
    }

    @Test
    void every_truncated_prefix_either_parses_or_throws_the_checked_exception() {
        byte[] full = pdu(LLDPAD_ASSOCIATE, associate("05", "0002", "00000064 01 0a000001 0064 00000064 02 20010db8000000000000000000000001 0064"));
        for (int n = 0; n <= full.length; n++) {
            ByteBuffer buf = ByteBuffer.wrap(java.util.Arrays.copyOf(full, n));
            try {
                decoder.decodeTolerant(buf);
            } catch (MalformedFrameException expected) {
                assertThat(expected.vdpError()).isNotNull();
            }
        }
    }
}
