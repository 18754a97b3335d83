package org.splitnve.vdpcore.lldp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.splitnve.vdpcore.CodecHarness.hex;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.splitnve.vdpcore.CodecHarness;

/** Every field of the EVB TLV's five octets, and the timer unit they share. */
class EvbTlvTest {

    private static final String MANDATORY = "0207 04 020000000001  0405 05 65746830  0602 0078";

    private static EvbTlv decodeEvb(String fiveOctets) {
        Lldpdu pdu = CodecHarness.assertGolden(new LldpDecoder()::decode, new LldpEncoder()::encode,
                hex(MANDATORY, "fe09 0080c2 0d", fiveOctets, "0000"));
        return pdu.evb();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // bridge st. R/RTE mode/ROL/RWD ROL/RKA | BGID  RRCAP  RRCTR  SGID   RRREQ  RRSTAT R  RTE mode ROL-RWD RWD ROL-RKA RKA
        "04 00 00 40 00,                           true,  false, false, false, false, 0,     0, 0,  1,   false,  0,  false,  0",
        "02 00 00 40 00,                           false, true,  false, false, false, 0,     0, 0,  1,   false,  0,  false,  0",
        "01 00 00 40 00,                           false, false, true,  false, false, 0,     0, 0,  1,   false,  0,  false,  0",
        "07 00 00 40 00,                           true,  true,  true,  false, false, 0,     0, 0,  1,   false,  0,  false,  0",
        "00 08 00 80 00,                           false, false, false, true,  false, 0,     0, 0,  2,   false,  0,  false,  0",
        "00 04 00 80 00,                           false, false, false, false, true,  0,     0, 0,  2,   false,  0,  false,  0",
        "00 01 00 80 00,                           false, false, false, false, false, 1,     0, 0,  2,   false,  0,  false,  0",
        "00 03 00 80 00,                           false, false, false, false, false, 3,     0, 0,  2,   false,  0,  false,  0",
        "00 0f 00 80 00,                           false, false, false, true,  true,  3,     0, 0,  2,   false,  0,  false,  0",
        "00 00 e0 80 00,                           false, false, false, false, false, 0,     7, 0,  2,   false,  0,  false,  0",
        "00 00 1f 80 00,                           false, false, false, false, false, 0,     0, 31, 2,   false,  0,  false,  0",
        "00 00 7f 80 00,                           false, false, false, false, false, 0,     3, 31, 2,   false,  0,  false,  0",
        "00 00 80 80 00,                           false, false, false, false, false, 0,     4, 0,  2,   false,  0,  false,  0",
        "00 00 ff 80 00,                           false, false, false, false, false, 0,     7, 31, 2,   false,  0,  false,  0",
        "00 00 00 a0 00,                           false, false, false, false, false, 0,     0, 0,  2,   true,   0,  false,  0",
        "00 00 00 9f 00,                           false, false, false, false, false, 0,     0, 0,  2,   false,  31, false,  0",
        "00 00 00 ff 00,                           false, false, false, false, false, 0,     0, 0,  3,   true,   31, false,  0",
        "00 00 00 00 00,                           false, false, false, false, false, 0,     0, 0,  0,   false,  0,  false,  0",
        "00 00 00 80 20,                           false, false, false, false, false, 0,     0, 0,  2,   false,  0,  true,   0",
        "00 00 00 80 1f,                           false, false, false, false, false, 0,     0, 0,  2,   false,  0,  false,  31",
        "00 00 00 80 3f,                           false, false, false, false, false, 0,     0, 0,  2,   false,  0,  true,   31",
        "00 00 68 94 14,                           false, false, false, false, false, 0,     3, 8,  2,   false,  20, false,  20",
        "ff ff ff ff 3f,                           true,  true,  true,  true,  true,  3,     7, 31, 3,   true,   31, true,   31",
    })
    void everyEvbFieldHasItsBits(String octets, boolean bgid, boolean rrcap, boolean rrctr, boolean sgid, boolean rrreq,
            int rrstat, int r, int rte, int mode, boolean rolRwd, int rwd, boolean rolRka, int rka) {
        EvbTlv evb = decodeEvb(octets);
        assertThat(evb.bgid()).as("BGID").isEqualTo(bgid);
        assertThat(evb.rrcap()).as("RRCAP").isEqualTo(rrcap);
        assertThat(evb.rrctr()).as("RRCTR").isEqualTo(rrctr);
        assertThat(evb.sgid()).as("SGID").isEqualTo(sgid);
        assertThat(evb.rrreq()).as("RRREQ").isEqualTo(rrreq);
        assertThat(evb.rrstat()).as("RRSTAT").isEqualTo(rrstat);
        assertThat(evb.r()).as("R").isEqualTo(r);
        assertThat(evb.rte()).as("RTE").isEqualTo(rte);
        assertThat(evb.mode().value()).as("mode").isEqualTo(mode);
        assertThat(evb.rolRwd()).as("ROL of RWD").isEqualTo(rolRwd);
        assertThat(evb.rwd()).as("RWD").isEqualTo(rwd);
        assertThat(evb.rolRka()).as("ROL of RKA").isEqualTo(rolRka);
        assertThat(evb.rka()).as("RKA").isEqualTo(rka);
        // The same value from the builder, so the accessors and the builder agree.
        EvbTlv built = EvbTlv.builder()
                .bridgeStatus(Integer.parseInt(octets.substring(0, 2), 16))
                .stationStatus(Integer.parseInt(octets.substring(3, 5), 16))
                .r(r).rte(rte).mode(EvbMode.valueOf(mode)).rolRwd(rolRwd).rwd(rwd).rolRka(rolRka).rka(rka)
                .build();
        assertThat(built).isEqualTo(evb).hasSameHashCodeAs(evb);
        assertThat(built.toBuilder().build()).isEqualTo(evb);
    }

    @Test
    void stationDefaultsAreLldpads() {
        EvbTlv evb = EvbTlv.stationDefaults().build();
        assertThat(evb.mode()).isEqualTo(EvbMode.STATION);
        assertThat(evb.r()).isEqualTo(3);
        assertThat(evb.rte()).isEqualTo(8);
        assertThat(evb.rwd()).isEqualTo(20);
        assertThat(evb.rka()).isEqualTo(20);
        assertThat(evb.type()).isEqualTo(127);
        assertThat(evb.valueLength()).isEqualTo(9);
        assertThat(evb.toString()).contains("station").contains("RTE=8");
    }

    @Test
    void groupIdBitsCanBeSetAndClearedAlone() {
        EvbTlv evb = EvbTlv.builder().bridgeStatus(0x03).stationStatus(0x07).bgid(true).sgid(true).build();
        assertThat(evb.bridgeStatus()).isEqualTo(0x07);
        assertThat(evb.stationStatus()).isEqualTo(0x0F);
        EvbTlv off = evb.toBuilder().bgid(false).sgid(false).build();
        assertThat(off.bridgeStatus()).isEqualTo(0x03);
        assertThat(off.stationStatus()).isEqualTo(0x07);
    }

    @Test
    void builderRejectsValuesWiderThanTheirFields() {
        assertThatThrownBy(() -> EvbTlv.builder().r(8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EvbTlv.builder().r(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EvbTlv.builder().rte(32)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EvbTlv.builder().rwd(32)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EvbTlv.builder().rka(32)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EvbTlv.builder().bridgeStatus(256)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EvbTlv.builder().stationStatus(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EvbTlv.builder().mode(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> EvbMode.valueOf(4)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyBridgeAndStationAreDefinedModes() {
        assertThat(EvbMode.valueOf(1)).isSameAs(EvbMode.BRIDGE).hasToString("bridge");
        assertThat(EvbMode.valueOf(2)).isSameAs(EvbMode.STATION).hasToString("station");
        assertThat(EvbMode.valueOf(0).isDefined()).isFalse();
        assertThat(EvbMode.valueOf(3).isDefined()).isFalse();
        assertThat(EvbMode.BRIDGE.isDefined()).isTrue();
    }

    @ParameterizedTest(name = "2^{0} x 10 us = {1} ns")
    @CsvSource({
        "0,  10000",
        "1,  20000",
        "8,  2560000",          // 2.56 ms: lldpad's RTE
        "14, 163840000",        // 0.16384 s
        "20, 10485760000",      // 10.48576 s: lldpad's RWD and RKA
        "31, 21474836480000",   // the largest 5-bit exponent must not overflow
    })
    void timerDurationIsTenMicrosecondsTimesTwoToTheExponent(int exponent, long nanos) {
        assertThat(EvbTlv.timerDuration(exponent)).isEqualTo(Duration.ofNanos(nanos));
    }

    @Test
    void timerDurationsReadAsTheReferenceGivesThem() {
        assertThat(EvbTlv.timerDuration(8)).isEqualTo(Duration.ofNanos(2_560_000));
        assertThat(EvbTlv.timerDuration(14).toNanos() / 1e9).isEqualTo(0.16384);
        assertThat(EvbTlv.timerDuration(20).toNanos() / 1e9).isEqualTo(10.48576);
    }

    @Test
    void timerExponentsOutsideFiveBitsAreRejected() {
        assertThatThrownBy(() -> EvbTlv.timerDuration(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EvbTlv.timerDuration(32)).isInstanceOf(IllegalArgumentException.class);
    }
}
