package org.splitnve.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.splitnve.vdpcore.CodePoints;
import org.splitnve.vdpcore.MacAddress;

/** The hand-written formats of the output agree with the JDK's. */
class FormatsTest {

    @Test
    void jsonTimesReadLikeInstantToStringWhateverTheFraction() throws IOException {
        JsonFrameWriter w = new JsonFrameWriter(new StringWriter(), CodePoints.DEFAULT);
        long[][] cases = {{0, 0}, {1_735_689_600L, 0}, {1_735_689_600L, 10_000_000}, {1_735_689_600L, 400_050_000},
            {1_735_689_612L, 123_456_789}, {1_735_689_612L, 1}, {4_294_967_295L, 999_999_000}};
        for (long[] c : cases) {
            assertThat(w.time(c[0], (int) c[1])).isEqualTo(Instant.ofEpochSecond(c[0], c[1]).toString());
        }
    }

    @Test
    void macsAreLowerCaseWithColons() {
        assertThat(MacAddress.valueOf("AA:BB:CC:0D:0E:FF").toString()).isEqualTo("aa:bb:cc:0d:0e:ff");
        assertThat(MacAddress.NEAREST_CUSTOMER_BRIDGE.toString()).isEqualTo("01:80:c2:00:00:00");
        assertThat(MacAddress.NEAREST_CUSTOMER_BRIDGE.appendTo(new StringBuilder("at ")).toString()).isEqualTo("at 01:80:c2:00:00:00");
    }

    @Test
    void relativeSecondsHaveSixFractionDigits() {
        assertThat(Names.seconds(new StringBuilder(), 0).toString()).isEqualTo("0.000000");
        assertThat(Names.seconds(new StringBuilder(), 12_400_050_000L).toString()).isEqualTo("12.400050");
        assertThat(Names.seconds(new StringBuilder(), -1_500_000L).toString()).isEqualTo("-0.001500");
    }

    @Test
    void etherTypesOuisAndTimersReadAsPeopleWriteThem() {
        assertThat(org.splitnve.vdpcore.frame.EtherType.hex(0x8940)).isEqualTo("0x8940");
        assertThat(org.splitnve.vdpcore.frame.EtherType.hex(0x0806)).isEqualTo("0x0806");
        assertThat(org.splitnve.vdpcore.frame.EtherType.hex(0x86DD)).isEqualTo("0x86dd");
        assertThat(Names.oui(0x0080C2)).isEqualTo("0080c2");
        assertThat(Names.hex2(0xD0)).isEqualTo("0xd0");
        assertThat(Names.timer(8)).isEqualTo("2.56 ms");
        assertThat(Names.timer(14)).isEqualTo("163.84 ms");
        assertThat(Names.timer(20)).isEqualTo("10.49 s");
        assertThat(Names.timer(0)).isEqualTo("10 us");
    }
}
