package org.splitnve.nvedataplane.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.splitnve.vdpcore.Generators;
import org.splitnve.vdpcore.Seeds;

/** A frame encapsulated and decapsulated is the original: VXLAN and Geneve, IPv4 and IPv6 underlay, 64..1514 octets. */
class EncapsulationRoundTripPropertyTest {

    record Case(boolean geneve, boolean v6, int vni, byte[] frame, boolean tagged, long[] addrs) {
        @Override
        public String toString() {
            return (geneve ? "Geneve" : "VXLAN") + "/" + (v6 ? "IPv6" : "IPv4") + " VNI " + vni + " " + frame.length + " octets"
                    + (tagged ? " tagged" : "");
        }
    }

    static Stream<Arguments> cases() {
        return Seeds.cases("encapsulation round trip", 400, EncapsulationRoundTripPropertyTest::generate);
    }

    static Case generate(SplittableRandom r) {
        int len = Generators.intWithEdges(r, 1515 - 64, 0, 1514 - 64) + 64;
        boolean tagged = r.nextBoolean();
        byte[] f = Generators.bytes(r, len);
        ByteBuffer b = ByteBuffer.wrap(f);
        Ethernet.writeHeader(b, 0, Generators.anyMac(r).toLong(), Generators.unicastMac(r).toLong(), tagged ? EtherType.VLAN
                : r.nextInt(0x600, 0x10000));
        if (tagged && ((b.getShort(16) & 0xFFFF) == EtherType.VLAN || (b.getShort(16) & 0xFFFF) == EtherType.QINQ)) {
            b.putShort(16, (short) EtherType.IPV4);
        }
        int vni = Generators.intWithEdges(r, 0x1000000, 0, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0x800000, 0xFFFFFF);
        long[] addrs = {r.nextLong(), r.nextLong(), r.nextLong(), r.nextLong(), r.nextInt()};
        return new Case(r.nextBoolean(), r.nextBoolean(), vni, f, tagged, addrs);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void a_frame_encapsulated_and_decapsulated_is_the_original(Seeds.Case<Case> c) throws Exception {
        Case k = c.value();
        Encapsulation enc = k.geneve() ? Encapsulation.GENEVE : Encapsulation.VXLAN;
        ByteBuffer in = ByteBuffer.wrap(k.frame());
        ByteBuffer out = ByteBuffer.allocate(2000);
        long[] a = k.addrs();
        int n = k.v6() ? Tunnel.encapsulateV6(in, 0, in.limit(), k.tagged(), out, 0, 0x020000000001L, 0x020000000002L, a[0], a[1], a[2],
                a[3], enc, k.vni(), 64)
                : Tunnel.encapsulateV4(in, 0, in.limit(), k.tagged(), out, 0, 0x020000000001L, 0x020000000002L, (int) a[0], (int) a[1],
                        enc, k.vni(), (int) a[4], 64);
        Tunnel.Decoded d = Tunnel.decode(out, 0, n, enc);
        assertThat(d.vni).as(c.describe()).isEqualTo(k.vni());
        assertThat(d.ipv6).isEqualTo(k.v6());
        ByteBuffer expected = in;
        if (k.tagged()) {
            expected = ByteBuffer.allocate(in.limit() - 4);
            Ethernet.popTag(in, 0, in.limit(), expected, 0);
        }
        assertThat(d.innerLength).as(c.describe()).isEqualTo(expected.limit());
        byte[] inner = new byte[d.innerLength];
        out.get(d.innerOffset, inner);
        assertThat(inner).as(c.describe()).isEqualTo(expected.array());
        if (k.tagged()) {
            ByteBuffer back = ByteBuffer.allocate(in.limit());
            Ethernet.pushTag(out, d.innerOffset, d.innerLength, back, 0, in.getShort(14) & 0xFFFF);
            assertThat(back.array()).as("tag pushed back: " + c.describe()).isEqualTo(k.frame());
        }
    }
}
