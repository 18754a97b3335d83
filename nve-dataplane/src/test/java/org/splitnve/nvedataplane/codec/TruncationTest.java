package org.splitnve.nvedataplane.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.splitnve.nvedataplane.TestFrames;

/** Every proper prefix of a valid input is refused with the checked exception, never anything else. */
class TruncationTest {

    interface Decoder {
        void decode(ByteBuffer b, int off, int len) throws MalformedPacketException;
    }

    static Stream<Arguments> decoders() {
        ByteBuffer vxlan = tunnel(Encapsulation.VXLAN, false);
        ByteBuffer geneve = tunnel(Encapsulation.GENEVE, false);
        ByteBuffer vxlan6 = tunnel(Encapsulation.VXLAN, true);
        ByteBuffer frame = TestFrames.udp4(1, 2, 10, 3, 4, 5, 6, 64);
        ByteBuffer ip4 = ByteBuffer.allocate(46);
        ip4.put(0, frame, 18, 46);
        ByteBuffer ip6 = ByteBuffer.allocate(80);
        ip6.put(0, TestFrames.udp6(1, 2, 3, 4, 5, 6, 94), 14, 80);
        ByteBuffer udp = ByteBuffer.allocate(26);
        udp.put(0, frame, 38, 26);
        ByteBuffer arp = ByteBuffer.allocate(28);
        arp.put(0, TestFrames.arpRequest(1, 2, 3, 4), 18, 28);
        ByteBuffer ns = ByteBuffer.allocate(72);
        Neighbor.write(ns, 0, Neighbor.SOLICITATION, 0, 0xfe80L << 48, 1, Neighbor.SOLICITED_NODE_HIGH, Neighbor.solicitedNodeLow(2),
                0x20010db8L << 32, 2, 0x020000000001L);
        ByteBuffer vx = ByteBuffer.allocate(8);
        Encapsulation.VXLAN.write(vx, 0, 0x800000);
        ByteBuffer gn = ByteBuffer.allocate(8);
        Encapsulation.GENEVE.write(gn, 0, 0x800000);
        return Stream.of(
                Arguments.of("ethernet (tagged)", ByteBuffer.wrap(TestFrames.bytes(frame.duplicate().limit(18))), (Decoder) Ethernet::check),
                Arguments.of("ipv4", ip4, (Decoder) Ipv4::check),
                Arguments.of("ipv6", ip6, (Decoder) Ipv6::check),
                Arguments.of("udp", udp, (Decoder) Udp::check),
                Arguments.of("arp", arp, (Decoder) Arp::check),
                Arguments.of("neighbor solicitation", ns, (Decoder) Neighbor::check),
                Arguments.of("vxlan header", vx, (Decoder) Encapsulation.VXLAN::decode),
                Arguments.of("geneve header", gn, (Decoder) Encapsulation.GENEVE::decode),
                Arguments.of("vxlan/ipv4 tunnel", vxlan, (Decoder) (b, o, l) -> Tunnel.decode(b, o, l, Encapsulation.VXLAN)),
                Arguments.of("vxlan/ipv6 tunnel", vxlan6, (Decoder) (b, o, l) -> Tunnel.decode(b, o, l, Encapsulation.VXLAN)),
                Arguments.of("geneve/ipv4 tunnel", geneve, (Decoder) (b, o, l) -> Tunnel.decode(b, o, l, Encapsulation.GENEVE)));
    }

    static ByteBuffer tunnel(Encapsulation enc, boolean v6) {
        ByteBuffer inner = TestFrames.udp6(1, 2, 3, 4, 5, 6, 70);
        ByteBuffer out = ByteBuffer.allocate(200);
        int n = v6 ? Tunnel.encapsulateV6(inner, 0, 70, false, out, 0, 1, 2, 3, 4, 5, 6, enc, 0x800000, 64)
                : Tunnel.encapsulateV4(inner, 0, 70, false, out, 0, 1, 2, 3, 4, enc, 0x800000, 1, 64);
        ByteBuffer exact = ByteBuffer.allocate(n);
        exact.put(0, out, 0, n);
        return exact;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decoders")
    void every_truncated_prefix_is_refused_with_a_malformed_packet_exception(String name, ByteBuffer whole, Decoder decoder)
            throws Exception {
        decoder.decode(whole, 0, whole.limit());
        for (int n = 0; n < whole.limit(); n++) {
            ByteBuffer prefix = ByteBuffer.allocate(n);
            prefix.put(0, whole, 0, n);
            int len = n;
            assertThatThrownBy(() -> decoder.decode(prefix, 0, len)).as("%s cut to %d octets", name, n)
                    .isInstanceOf(MalformedPacketException.class)
                    .satisfies(e -> assertThat(((MalformedPacketException) e).hexDump()).isNotNull());
        }
    }
}
