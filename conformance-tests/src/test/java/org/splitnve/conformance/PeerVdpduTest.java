package org.splitnve.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.splitnve.vdpcore.Seeds;
import org.splitnve.vdpcore.vdp.ManagerId;
import org.splitnve.vdpcore.vdp.VdpDecoder;

/** How the suite reads what a peer sends: never throws, and says what is wrong. */
class PeerVdpduTest {

    private static final VdpDecoder DECODER = new VdpDecoder();
    private static final ManagerId FALLBACK = ManagerId.ofName("conformance");

    /** lldpad's station as captured: Manager ID "snvmgr", one Associate, GroupID 100 VID 0, no End TLV. */
    static final byte[] LLDPAD_ASSOCIATE = HexFormat.of().parseHex(
            "0a10" + "736e766d677200000000000000000000"
            + "061f" + "00" + "001267" + "01" + "05" + "5a3b0c1d000040008000000000000001" + "03" + "0001" + "00000064" + "0000");

    private static PeerVdpdu.Parsed read(byte[] p) {
        return PeerVdpdu.read(p, FALLBACK, DECODER);
    }

    @Test
    void an_lldpad_pdu_without_an_end_tlv_reads_as_one_associate_request() {
        PeerVdpdu.Parsed r = read(LLDPAD_ASSOCIATE);
        assertThat(r.problem()).isNull();
        assertThat(r.managerId()).isEqualTo(ManagerId.ofName("snvmgr"));
        assertThat(r.tlvs()).singleElement().satisfies(t -> {
            assertThat(t.typeName()).isEqualTo("Associate");
            assertThat(t.isResponse()).isFalse();
            assertThat(t.decodeError()).isNull();
            assertThat(t.filterFormat()).isEqualTo(3);
            assertThat(t.firstVid()).contains(0);
        });
    }

    @Test
    void zero_padding_after_the_pdu_reads_as_the_end() {
        byte[] padded = Arrays.copyOf(LLDPAD_ASSOCIATE, LLDPAD_ASSOCIATE.length + 40);
        assertThat(read(padded).tlvs()).hasSize(1);
        assertThat(read(padded).problem()).isNull();
    }

    @Test
    void every_truncated_prefix_is_read_without_throwing_and_short_ones_say_what_is_missing() {
        for (int n = 0; n < LLDPAD_ASSOCIATE.length; n++) {
            PeerVdpdu.Parsed r = read(Arrays.copyOf(LLDPAD_ASSOCIATE, n));
            assertThat(r.problem()).as("prefix of %d octets", n).isNotNull();
            assertThat(r.tlvs()).as("prefix of %d octets", n).isEmpty();
        }
    }

    @Test
    void a_second_manager_id_is_reported() {
        byte[] p = HexFormat.of().parseHex("0a10" + "00".repeat(16) + "0a10" + "00".repeat(16));
        assertThat(read(p).problem()).contains("second Manager ID");
    }

    @Test
    void a_manager_id_of_the_wrong_length_is_reported() {
        assertThat(read(HexFormat.of().parseHex("0a0f" + "00".repeat(15))).problem()).contains("Manager ID TLV of 15 octets");
    }

    @ParameterizedTest(name = "status 0x{0}")
    @ValueSource(strings = {"7f", "80", "ff", "40", "4f", "c0"})
    void status_octets_at_the_sign_boundaries_read_as_unsigned(String hex) {
        byte[] p = LLDPAD_ASSOCIATE.clone();
        p[20] = (byte) Integer.parseInt(hex, 16);
        PeerTlv t = read(p).tlvs().get(0);
        int status = Integer.parseInt(hex, 16);
        assertThat(t.status()).isEqualTo(status);
        assertThat(t.isResponse()).isEqualTo((status & 0x40) != 0);
        assertThat(t.bit80()).isEqualTo((status & 0x80) != 0);
        assertThat(t.errorCode()).isEqualTo(status & 0x0F);
    }

    @ParameterizedTest(name = "VID word 0x{0}")
    @ValueSource(strings = {"007f", "0080", "00ff", "0fff", "8064", "ffff"})
    void vid_words_at_the_boundaries_decode_or_explain(String hex) {
        byte[] p = LLDPAD_ASSOCIATE.clone();
        int w = Integer.parseInt(hex, 16);
        p[p.length - 2] = (byte) (w >> 8);
        p[p.length - 1] = (byte) w;
        PeerTlv t = read(p).tlvs().get(0);
        if (t.decodeError() == null) {
            assertThat(t.firstVid()).contains(w & 0x0FFF);
        } else {
            assertThat(w & 0x0FFF).isEqualTo(0x0FFF);
        }
    }

    @Test
    void a_tlv_claiming_more_than_remains_is_reported_with_its_offset() {
        byte[] p = LLDPAD_ASSOCIATE.clone();
        p[18] = (byte) 0x07; // Associate header: type 3, length 0x1FF
        p[19] = (byte) 0xFF;
        assertThat(read(p).problem()).contains("at offset 18 claims 511 octets");
    }

    static Stream<Arguments> mutants() {
        return Seeds.cases("peer-vdpdu-mutants", 400, PeerVdpduTest::mutate);
    }

    private static byte[] mutate(SplittableRandom r) {
        byte[] p = Arrays.copyOf(LLDPAD_ASSOCIATE, LLDPAD_ASSOCIATE.length + r.nextInt(8));
        int flips = 1 + r.nextInt(6);
        for (int i = 0; i < flips; i++) {
            p[r.nextInt(p.length)] = (byte) r.nextInt(256);
        }
        return r.nextInt(4) == 0 ? Arrays.copyOf(p, r.nextInt(p.length + 1)) : p;
    }

    @ParameterizedTest
    @MethodSource("mutants")
    void mutated_pdus_never_throw_and_every_kept_tlv_is_decoded_or_explained(Seeds.Case<byte[]> c) {
        PeerVdpdu.Parsed r = read(c.value());
        assertThat(r.tlvs()).as(c.describe()).allSatisfy(t -> assertThat(t.typed() != null || t.decodeError() != null).isTrue());
        assertThat(r.problem() != null || !r.tlvs().isEmpty()).as(c.describe()).isTrue();
    }
}
