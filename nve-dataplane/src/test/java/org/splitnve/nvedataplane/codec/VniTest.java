package org.splitnve.nvedataplane.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VniTest {

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x7FFFFF, 0x800000, 0xFFFFFE, 0xFFFFFF})
    void a_vxlan_vni_at_a_byte_or_sign_boundary_decodes_to_itself(int vni) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(8);
        Encapsulation.VXLAN.write(b, 0, vni);
        assertThat(b.get(0)).isEqualTo((byte) 0x08);
        assertThat(b.get(7)).isZero();
        assertThat(Encapsulation.VXLAN.decode(b, 0, 8)).isEqualTo(vni);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0x800000, 0xFFFFFF})
    void a_geneve_vni_at_a_byte_or_sign_boundary_decodes_to_itself(int vni) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(8);
        Encapsulation.GENEVE.write(b, 0, vni);
        assertThat(b.getShort(2) & 0xFFFF).isEqualTo(0x6558);
        assertThat(Encapsulation.GENEVE.decode(b, 0, 8)).isEqualTo(vni);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x80, 0xFF})
    void reserved_vxlan_octets_are_ignored_on_receipt(int junk) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(8);
        Encapsulation.VXLAN.write(b, 0, 0xFFFFFF);
        b.put(0, (byte) (0x08 | junk & 0xF7)).put(1, (byte) junk).put(7, (byte) junk);
        assertThat(Encapsulation.VXLAN.decode(b, 0, 8)).isEqualTo(0xFFFFFF);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x00, 0xF7})
    void a_vxlan_header_without_the_i_flag_is_refused(int flags) {
        ByteBuffer b = ByteBuffer.allocate(8);
        Encapsulation.VXLAN.write(b, 0, 5);
        b.put(0, (byte) flags);
        assertThatThrownBy(() -> Encapsulation.VXLAN.decode(b, 0, 8)).isInstanceOf(MalformedPacketException.class)
                .hasMessageContaining("BAD_FLAGS");
    }

    @ParameterizedTest
    @ValueSource(ints = {0x40, 0x80})
    void geneve_version_one_or_more_is_refused(int firstOctet) {
        ByteBuffer b = ByteBuffer.allocate(8);
        Encapsulation.GENEVE.write(b, 0, 5);
        b.put(0, (byte) firstOctet);
        assertThatThrownBy(() -> Encapsulation.GENEVE.decode(b, 0, 8)).isInstanceOf(MalformedPacketException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x80, 0x40})
    void geneve_oam_and_critical_option_frames_are_refused(int flags) {
        ByteBuffer b = ByteBuffer.allocate(12);
        Encapsulation.GENEVE.write(b, 0, 5);
        b.put(0, (byte) 1).put(1, (byte) flags);
        assertThatThrownBy(() -> Encapsulation.GENEVE.decode(b, 0, 12)).isInstanceOf(MalformedPacketException.class);
    }

    @org.junit.jupiter.api.Test
    void geneve_non_critical_options_are_skipped() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(16);
        Encapsulation.GENEVE.write(b, 0, 77);
        b.put(0, (byte) 2);
        assertThat(Encapsulation.GENEVE.decode(b, 0, 16)).isEqualTo(77);
        assertThat(Encapsulation.GENEVE.length(b, 0)).isEqualTo(16);
    }
}
