package org.splitnve.vdpcore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.splitnve.vdpcore.Seeds.Case;

class MacAddressTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "02:00:00:00:00:01, 0x020000000001",
        "FF-FF-FF-FF-FF-FF, 0xffffffffffff",
        "80:7f:ff:00:80:7f, 0x807fff00807f",   // octets that sign-extend when read as bytes
        "00:00:00:00:00:00, 0",
    })
    void textBytesAndLongAgree(String text, String bits) {
        MacAddress m = MacAddress.valueOf(text);
        long v = Long.decode(bits);
        assertThat(m.toLong()).isEqualTo(v);
        assertThat(m).isEqualTo(MacAddress.valueOf(v)).hasSameHashCodeAs(MacAddress.valueOf(v));
        assertThat(m).isEqualTo(MacAddress.valueOf(m.toBytes()));
        assertThat(m).hasToString(text.toLowerCase().replace('-', ':'));
    }

    @Test
    void readAndWriteUseSixOctetsAtTheGivenPlace() {
        ByteBuffer b = ByteBuffer.wrap(HexDump.parse("aa 80ffff0000fe bb"));
        MacAddress m = MacAddress.read(b, 1);
        assertThat(m).isEqualTo(MacAddress.valueOf("80:ff:ff:00:00:fe"));
        assertThat(b.position()).isZero();
        ByteBuffer out = ByteBuffer.allocate(8).position(1);
        m.writeTo(out);
        assertThat(out.position()).isEqualTo(7);
        assertThat(out.array()).isEqualTo(HexDump.parse("00 80ffff0000fe 00"));
    }

    @Test
    void groupAddressesAreNotUsableAsAVsisOwn() {
        assertThat(MacAddress.NEAREST_CUSTOMER_BRIDGE.isMulticast()).isTrue();
        assertThat(MacAddress.NEAREST_BRIDGE).hasToString("01:80:c2:00:00:0e");
        assertThat(MacAddress.BROADCAST.isBroadcast()).isTrue();
        assertThat(MacAddress.BROADCAST.isUsableUnicast()).isFalse();
        assertThat(MacAddress.ZERO.isZero()).isTrue();
        assertThat(MacAddress.ZERO.isUsableUnicast()).isFalse();
        assertThat(MacAddress.valueOf("01:00:5e:00:00:01").isUsableUnicast()).isFalse();
        assertThat(MacAddress.valueOf("03:00:00:00:00:00").isMulticast()).isTrue();
        assertThat(MacAddress.valueOf("02:00:00:00:00:01").isUsableUnicast()).isTrue();
        assertThat(MacAddress.valueOf("fe:ff:ff:ff:ff:ff").isUsableUnicast()).as("0x80 is not the I/G bit").isTrue();
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", "02:00:00:00:00", "02:00:00:00:00:01:02", "02:00-00:00:00:01", "02.00.00.00.00.01",
        "0g:00:00:00:00:01", "020000000001", "02:00:00:00:00:0\u0661"})
    void malformedTextIsRejected(String text) {
        assertThatThrownBy(() -> MacAddress.valueOf(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void outOfRangeValuesAreRejected() {
        assertThatThrownBy(() -> MacAddress.valueOf(1L << 48)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MacAddress.valueOf(-1L)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MacAddress.valueOf(new byte[5])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void orderIsNumeric() {
        assertThat(MacAddress.valueOf("7f:ff:ff:ff:ff:ff")).isLessThan(MacAddress.valueOf("80:00:00:00:00:00"));
        assertThat(MacAddress.ZERO).isLessThan(MacAddress.BROADCAST);
    }

    static Stream<Arguments> macs() {
        return Seeds.cases("mac", 200, Generators::anyMac);
    }

    @ParameterizedTest
    @MethodSource("macs")
    void everyRepresentationRoundTrips(Case<MacAddress> c) {
        MacAddress m = c.value();
        assertThat(MacAddress.valueOf(m.toString())).as(c::describe).isEqualTo(m);
        assertThat(MacAddress.valueOf(m.toString().toUpperCase().replace(':', '-'))).isEqualTo(m);
        assertThat(MacAddress.valueOf(m.toBytes())).isEqualTo(m);
        assertThat(MacAddress.valueOf(m.toLong())).isEqualTo(m);
    }
}
