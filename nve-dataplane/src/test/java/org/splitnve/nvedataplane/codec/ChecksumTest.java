package org.splitnve.nvedataplane.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.splitnve.vdpcore.HexDump;

class ChecksumTest {

    @Test
    void the_ipv4_header_checksum_matches_the_rfc_1071_worked_example() {
        // A header from a real capture: 4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7.
        ByteBuffer b = ByteBuffer.wrap(HexDump.parse("450000730000400040110000c0a80001c0a800c7"));
        assertThat(Ipv4.computeChecksum(b, 0)).isEqualTo(0xb861);
    }

    @Test
    void a_written_ipv4_header_verifies_and_a_flipped_bit_does_not() {
        ByteBuffer b = ByteBuffer.allocate(60);
        Ipv4.write(b, 0, 40, 0x1234, 64, IpProtocol.UDP, 0xC0000201, 0xC0000202);
        assertThat(Ipv4.validate(b, 0, 60)).isNull();
        b.put(8, (byte) 63);
        assertThat(Ipv4.validate(b, 0, 60)).isEqualTo(Malformation.BAD_IP_CHECKSUM);
    }

    @Test
    void an_ipv6_udp_checksum_is_computed_and_verifies() {
        ByteBuffer b = ByteBuffer.allocate(100);
        Ipv6.write(b, 0, 60, IpProtocol.UDP, 64, 0, 0x20010db800000000L, 1, 0x20010db800000000L, 2);
        Udp.write(b, 40, 1000, 4789, 60);
        for (int i = 48; i < 100; i++) {
            b.put(i, (byte) i);
        }
        Udp.fillChecksumIpv6(b, 0, 40);
        assertThat(Udp.checksum(b, 40)).isNotZero();
        assertThat(Udp.verifyIpv6(b, 0, 40)).isTrue();
        b.put(99, (byte) 0);
        assertThat(Udp.verifyIpv6(b, 0, 40)).isFalse();
    }

    @Test
    void a_zero_udp_checksum_is_accepted_over_ipv4_and_a_computed_one_verifies() {
        ByteBuffer b = ByteBuffer.allocate(40);
        Ipv4.write(b, 0, 20, 1, 64, IpProtocol.UDP, 1, 2);
        Udp.write(b, 20, 1, 2, 20);
        assertThat(Udp.verifyIpv4(b, 0, 20)).isTrue();
        Udp.fillChecksumIpv4(b, 0, 20);
        assertThat(Udp.verifyIpv4(b, 0, 20)).isTrue();
        b.put(39, (byte) 1);
        assertThat(Udp.verifyIpv4(b, 0, 20)).isFalse();
    }
}
