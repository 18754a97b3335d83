package org.splitnve.nvedataplane.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * The outer UDP checksum is checked only when asked: captures on offloading ports see unfinished
 * sums, and RFC 7348 lets a tunnel endpoint accept without checking. The IPv4 header checksum is
 * checked either way.
 */
class UdpChecksumPolicyTest {

    private static ByteBuffer tunnel(boolean v6) {
        ByteBuffer in = ByteBuffer.allocate(64);
        Ethernet.writeHeader(in, 0, 0x020000000009L, 0x02000000000aL, EtherType.IPV4);
        ByteBuffer out = ByteBuffer.allocate(256);
        int n = v6 ? Tunnel.encapsulateV6(in, 0, 64, false, out, 0, 0x020000000001L, 0x020000000002L, 1, 2, 3, 4, Encapsulation.VXLAN, 5000, 64)
                : Tunnel.encapsulateV4(in, 0, 64, false, out, 0, 0x020000000001L, 0x020000000002L, 0x0a000001, 0x0a000002,
                        Encapsulation.VXLAN, 5000, 77, 64);
        return out.limit(n);
    }

    private static void corruptUdpChecksum(ByteBuffer b, boolean v6) {
        int udp = 14 + (v6 ? 40 : 20);
        b.putShort(udp + 6, (short) 0x1234);
    }

    @Test
    void a_wrong_udp_checksum_is_refused_when_verifying_and_accepted_when_not() {
        for (boolean v6 : new boolean[] {false, true}) {
            ByteBuffer b = tunnel(v6);
            corruptUdpChecksum(b, v6);
            Tunnel.Decoded d = new Tunnel.Decoded();
            assertThat(Tunnel.decapsulate(b, 0, b.limit(), Encapsulation.VXLAN, false, true, d)).as("v6 %s", v6)
                    .isEqualTo(Malformation.BAD_UDP_CHECKSUM);
            assertThat(Tunnel.decapsulate(b, 0, b.limit(), Encapsulation.VXLAN, false, false, d)).as("v6 %s", v6).isNull();
            assertThat(d.vni).isEqualTo(5000);
        }
    }

    @Test
    void a_wrong_ipv4_header_checksum_is_refused_even_without_udp_verification() {
        ByteBuffer b = tunnel(false);
        b.putShort(14 + 10, (short) (b.getShort(14 + 10) ^ 0x0101));
        assertThat(Tunnel.decapsulate(b, 0, b.limit(), Encapsulation.VXLAN, false, false, new Tunnel.Decoded())).isNotNull();
    }
}
