package org.splitnve.nvedataplane.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
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

    /** The RFC 1071 sum, 16 bits at a time, as the reference the fast sum must match. */
    private static int reference(ByteBuffer b, int off, int len) {
        long acc = 0;
        for (int i = 0; i < len; i += 2) {
            int hi = b.get(off + i) & 0xFF;
            int lo = i + 1 < len ? b.get(off + i + 1) & 0xFF : 0;
            acc += hi << 8 | lo;
        }
        while ((acc >>> 16) != 0) {
            acc = (acc & 0xFFFF) + (acc >>> 16);
        }
        return (int) (~acc & 0xFFFF);
    }

    static Stream<Long> seeds() {
        long seed = Long.getLong("seed", System.nanoTime());
        System.out.println("ChecksumTest seed " + seed + " (-Dseed=" + seed + " repeats it)");
        return LongStream.range(0, 200).mapToObj(i -> seed + i);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void the_sum_taken_eight_octets_at_a_time_is_the_rfc_1071_sum_at_any_offset_and_length(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        ByteBuffer b = ByteBuffer.allocate(9100);
        for (int i = 0; i < b.capacity(); i++) {
            b.put(i, (byte) (r.nextInt(8) == 0 ? 0xFF : r.nextInt(256)));
        }
        int off = r.nextInt(64);
        int len = r.nextInt(9000);
        assertThat(Checksum.finish(Checksum.add(b, off, len, 0))).as("offset %d, length %d", off, len).isEqualTo(reference(b, off, len));
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void an_ipv4_header_written_from_its_fields_has_the_checksum_of_its_octets(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        ByteBuffer b = ByteBuffer.allocate(20 + 9000);
        Ipv4.write(b, 0, r.nextInt(9000), r.nextInt(), r.nextInt(256), r.nextInt(256), r.nextInt(), r.nextInt());
        int written = b.getShort(10) & 0xFFFF;
        b.putShort(10, (short) 0);
        assertThat(written).isEqualTo(reference(b, 0, 20));
    }
}
