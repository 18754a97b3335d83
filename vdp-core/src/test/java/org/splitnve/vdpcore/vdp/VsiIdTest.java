package org.splitnve.vdpcore.vdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.splitnve.vdpcore.Generators;
import org.splitnve.vdpcore.HexDump;
import org.splitnve.vdpcore.IpText;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.Seeds;
import org.splitnve.vdpcore.Seeds.Case;

/** VSI IDs: sixteen octets per format, and canonical text that parses back. */
class VsiIdTest {

    private static String octets(VsiId id) {
        ByteBuffer b = ByteBuffer.allocate(VsiId.LENGTH);
        id.writeTo(b);
        assertThat(b.remaining()).isZero();
        return HexDump.hex(b.array());
    }

    @Test
    void eachFormatWritesSixteenOctets() {
        assertThat(octets(VsiId.of((Inet4Address) IpText.parse("10.0.0.1")))).isEqualTo("00000000000000000000ffff0a000001");
        assertThat(octets(VsiId.of(IpText.ipv6(HexDump.parse("20010db8000000000000000000000001")))))
                .isEqualTo("20010db8000000000000000000000001");
        assertThat(octets(VsiId.of(MacAddress.valueOf("02:00:00:00:aa:01")))).isEqualTo("0000000000000000000002000000aa01");
        assertThat(octets(VsiId.local(HexDump.parse("000102030405060708090a0b0c0d0e0f")))).isEqualTo("000102030405060708090a0b0c0d0e0f");
        assertThat(octets(new VsiId.Local(-1L, 0x8000000000000000L))).isEqualTo("ffffffffffffffff8000000000000000");
        assertThat(octets(VsiId.of(UUID.fromString("11223344-5566-7788-9900-aabbccddeeff")))).isEqualTo("11223344556677889900aabbccddeeff");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "1, 192.0.2.1",
        "2, 2001:db8::1",
        "2, ::ffff:192.0.2.1",
        "3, 02:00:00:00:aa:01",
        "4, 00ff00ff00ff00ff00ff00ff00ff00ff",
        "5, 11223344-5566-7788-9900-aabbccddeeff",
    })
    void canonicalTextParsesBack(int format, String text) {
        VsiId id = VsiId.parse(VsiIdFormat.valueOf(format), text);
        assertThat(id.format().value()).isEqualTo(format);
        assertThat(id).hasToString(text);
    }

    @Test
    void anIpv4TextGivenAsIpv6IsMapped() {
        assertThat(VsiId.parse(VsiIdFormat.IPV6, "192.0.2.1")).isEqualTo(VsiId.parse(VsiIdFormat.IPV6, "::ffff:192.0.2.1"));
    }

    @Test
    void textOfTheWrongFormatIsRejected() {
        assertThatThrownBy(() -> VsiId.parse(VsiIdFormat.IPV4, "2001:db8::1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VsiId.parse(VsiIdFormat.IPV4, "::ffff:192.0.2.1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VsiId.parse(VsiIdFormat.MAC, "10.0.0.1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VsiId.parse(VsiIdFormat.LOCAL, "00ff")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VsiId.parse(VsiIdFormat.UUID, "not-a-uuid")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VsiId.local(new byte[15])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new VsiId.Mac(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void formatsAreTheWireValuesOneToFive() {
        assertThat(VsiIdFormat.valueOf(0)).isNull();
        assertThat(VsiIdFormat.valueOf(6)).isNull();
        assertThat(VsiIdFormat.valueOf(-1)).isNull();
        assertThat(VsiIdFormat.valueOf(1)).isSameAs(VsiIdFormat.IPV4).hasToString("ipv4");
        assertThat(VsiIdFormat.valueOf(5)).isSameAs(VsiIdFormat.UUID);
        assertThat(VsiIdFormat.LOCAL.name()).isEqualTo("local");
    }

    static Stream<Arguments> ids() {
        return Seeds.cases("vsi-id", 200, Generators::vsiId);
    }

    @ParameterizedTest
    @MethodSource("ids")
    void everyIdsTextParsesBackToIt(Case<VsiId> c) {
        VsiId id = c.value();
        assertThat(VsiId.parse(id.format(), id.toString())).as(c::describe).isEqualTo(id).hasSameHashCodeAs(id);
    }
}
