package org.splitnve.vdpcore.lldp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.splitnve.vdpcore.CodecHarness.hex;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.splitnve.vdpcore.CodecHarness;
import org.splitnve.vdpcore.CodecHarness.Rejection;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.MalformedFrameException;

/** LLDPDUs as lldpad sends them, every mandatory-TLV rule, and the lengths' 9-bit edges. */
class LldpCodecTest {

    private static final LldpDecoder DECODER = new LldpDecoder();
    private static final LldpEncoder ENCODER = new LldpEncoder();

    private static final String CHASSIS = "0207 04 020000000001";   // type 1, length 7, subtype 4 (MAC)
    private static final String PORT = "0405 05 65746830";          // type 2, length 5, subtype 5 (ifname) "eth0"
    private static final String TTL = "0602 0078";                  // type 3, length 2, 120 s
    private static final String EVB_STATION_DEFAULTS = ""
            + "fe09"          // type 127, length 9
            + "0080c2 0d"     // OUI 00-80-C2, subtype 0x0D: EVB
            + "00"            // bridge status
            + "00"            // station status
            + "68"            // R 3, RTE 8
            + "94"            // mode 2 (station), ROL 0, RWD 20
            + "14";           // ROL 0, RKA 20
    private static final String END = "0000";

    private static Lldpdu golden(byte[] octets) {
        return CodecHarness.assertGolden(DECODER::decode, ENCODER::encode, octets);
    }

    @Test
    void lldpadStationLldpduWithEvbTlv() {
        Lldpdu pdu = golden(hex(CHASSIS, PORT, TTL, EVB_STATION_DEFAULTS, END));
        assertThat(pdu.chassisId()).isEqualTo(ChassisId.ofMac(MacAddress.valueOf("02:00:00:00:00:01")));
        assertThat(pdu.chassisId().subtype()).isEqualTo(ChassisId.SUBTYPE_MAC_ADDRESS);
        assertThat(pdu.chassisId()).hasToString("02:00:00:00:00:01");
        assertThat(pdu.portId()).isEqualTo(PortId.ofInterfaceName("eth0"));
        assertThat(pdu.portId()).hasToString("eth0");
        assertThat(pdu.ttl()).isEqualTo(120);
        assertThat(pdu.evb()).isEqualTo(EvbTlv.stationDefaults().build());
        assertThat(pdu.tlvs()).containsExactly(pdu.evb());
        assertThat(pdu.encodedLength()).isEqualTo(33);
    }

    @Test
    void otherBasicAndOrganizationallySpecificTlvsAreKeptInOrder() {
        Lldpdu pdu = golden(hex(
                CHASSIS, PORT, TTL,
                "0a06 686f73743031",         // type 5 (system name), length 6, "host01"
                "fe06 0080c2 01 0064",       // 802.1 port VLAN ID 100: not the EVB subtype
                EVB_STATION_DEFAULTS,
                "fe04 00120f 05",            // 802.3 OUI, subtype 5, no information
                END));
        assertThat(pdu.tlvs()).containsExactly(
                BasicTlv.of(5, "host01".getBytes(StandardCharsets.US_ASCII)),
                OrganizationallySpecificTlv.of(0x0080C2, 1, new byte[] {0, 100}),
                EvbTlv.stationDefaults().build(),
                OrganizationallySpecificTlv.of(0x00120F, 5, new byte[0]));
    }

    @Test
    void aChassisIdOf255OctetsNeedsTheNinthLengthBit() {
        byte[] id = new byte[255];
        Arrays.fill(id, (byte) 0x80);
        Lldpdu pdu = golden(hex(
                "0300 07", "80".repeat(255),   // type 1, length 256 (0x100: bit 8 of the header), subtype 7
                "0402 07 ff",                  // type 2, length 2: the shortest port ID
                TTL, END));
        assertThat(pdu.chassisId()).isEqualTo(new ChassisId(ChassisId.SUBTYPE_LOCAL, id));
        assertThat(pdu.portId().id()).containsExactly(0xFF);
    }

    @Test
    void aBasicTlvOf511OctetsHasTheLargestLength() {
        Lldpdu pdu = golden(hex(CHASSIS, PORT, TTL, "09ff", "7f".repeat(511), END));  // type 4, length 511
        assertThat(((BasicTlv) pdu.tlvs().get(0)).valueLength()).isEqualTo(511);
    }

    @ParameterizedTest(name = "TTL {0}")
    @CsvSource({"0000, 0", "0001, 1", "007f, 127", "0080, 128", "00ff, 255", "7fff, 32767", "8000, 32768", "ffff, 65535"})
    void ttlBoundariesSurviveTheRoundTrip(String ttl, int seconds) {
        assertThat(golden(hex(CHASSIS, PORT, "0602", ttl, END)).ttl()).isEqualTo(seconds);
    }

    @Test
    void anLldpduThatEndsWithTheFrameNeedsNoEndTlv() throws MalformedFrameException {
        Lldpdu canonical = golden(hex(CHASSIS, PORT, TTL, EVB_STATION_DEFAULTS, END));
        // Padding of every length, odd ones included, as a sender that omits the End TLV leaves it.
        for (int pad = 0; pad <= 13; pad++) {
            byte[] octets = hex(CHASSIS, PORT, TTL, EVB_STATION_DEFAULTS, "00".repeat(pad));
            assertThat(CodecHarness.decodeAll(DECODER::decode, octets)).as("padding %d", pad).isEqualTo(canonical);
        }
    }

    @Test
    void zeroPaddingAfterTheEndTlvIsConsumed() throws MalformedFrameException {
        Lldpdu canonical = golden(hex(CHASSIS, PORT, TTL, END));
        for (int pad = 0; pad <= 25; pad++) {
            byte[] octets = hex(CHASSIS, PORT, TTL, END, "00".repeat(pad));
            assertThat(CodecHarness.decodeAll(DECODER::decode, octets)).as("padding %d", pad).isEqualTo(canonical);
        }
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("missing TTL", hex(CHASSIS, PORT, END), 16),
                Arguments.of("missing TTL, nothing after the port ID", hex(CHASSIS, PORT), 16),
                Arguments.of("missing port ID", hex(CHASSIS, TTL, END), 9),
                Arguments.of("port ID first", hex(PORT, CHASSIS, TTL, END), 0),
                Arguments.of("TTL first", hex(TTL, CHASSIS, PORT, END), 0),
                Arguments.of("End first", hex(END), 0),
                Arguments.of("nothing at all", hex(""), 0),
                Arguments.of("one octet", hex("02"), 0),
                Arguments.of("TTL length 3", hex(CHASSIS, PORT, "0603 000078", END), 16),
                Arguments.of("TTL length 1", hex(CHASSIS, PORT, "0601 78", END), 16),
                Arguments.of("second chassis ID", hex(CHASSIS, PORT, TTL, CHASSIS, END), 20),
                Arguments.of("second port ID", hex(CHASSIS, PORT, TTL, PORT, END), 20),
                Arguments.of("second TTL", hex(CHASSIS, PORT, TTL, TTL, END), 20),
                Arguments.of("chassis ID with a subtype and no ID", hex("0201 04", PORT, TTL, END), 0),
                Arguments.of("chassis ID of length 0", hex("0200", PORT, TTL, END), 0),
                Arguments.of("port ID of 257 octets", hex(CHASSIS, "0501", "00".repeat(257), TTL, END), 9),
                Arguments.of("TLV longer than the PDU", hex(CHASSIS, PORT, TTL, "0a10 6869"), 20),
                Arguments.of("End TLV with a length", hex(CHASSIS, PORT, TTL, "0001 00"), 20),
                Arguments.of("non-zero padding after End", hex(CHASSIS, PORT, TTL, END, "0000 0100"), 24),
                Arguments.of("non-zero single octet after the TLVs", hex(CHASSIS, PORT, TTL, "fe"), 20),
                Arguments.of("organizationally specific TLV of 3 octets", hex(CHASSIS, PORT, TTL, "fe03 0080c2", END), 20),
                Arguments.of("EVB TLV of length 8", hex(CHASSIS, PORT, TTL, "fe08 0080c2 0d 00 00 68 94", END), 20),
                Arguments.of("EVB TLV of length 10", hex(CHASSIS, PORT, TTL, "fe0a 0080c2 0d 00 00 68 94 14 00", END), 20),
                Arguments.of("EVB RKA octet with reserved bit 0x40", hex(CHASSIS, PORT, TTL, "fe09 0080c2 0d 00 00 68 94 54", END), 30),
                Arguments.of("EVB RKA octet with reserved bit 0x80", hex(CHASSIS, PORT, TTL, "fe09 0080c2 0d 00 00 68 94 94", END), 30));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedLldpdusAreRejectedAtTheOffendingTlv(String why, byte[] octets, int offset) {
        Rejection r = CodecHarness.assertMalformed(DECODER::decode, octets);
        assertThat(r.offset()).as("%s: %s", why, r.exception().getMessage()).isEqualTo(offset);
        assertThat(r.vdpError()).isEqualTo(1);
    }

    @Test
    void moreTlvsThanTheDecoderAllowsAreRejected() {
        LldpDecoder decoder = new LldpDecoder(1500, 5);
        String sysName = "0a01 41";
        Rejection r = CodecHarness.assertMalformed(decoder::decode, hex(CHASSIS, PORT, TTL, sysName, sysName, sysName, END));
        assertThat(r.offset()).isEqualTo(20 + 3 + 3);
    }

    @Test
    void anLldpduLongerThanTheDecoderAllowsIsRejectedButItsPaddingIsNot() throws MalformedFrameException {
        LldpDecoder decoder = new LldpDecoder(20, 256);
        Rejection r = CodecHarness.assertMalformed(decoder::decode, hex(CHASSIS, PORT, TTL, "0a01 41", END));
        assertThat(r.offset()).isEqualTo(20);
        assertThat(CodecHarness.decodeAll(decoder::decode, hex(CHASSIS, PORT, TTL, "000000"))).isNotNull();
    }

    @Test
    void everyTruncatedPrefixIsRejectedOrDecodesToTheMandatoryPart() {
        byte[] full = hex(CHASSIS, PORT, TTL, EVB_STATION_DEFAULTS, END);
        for (int n = 0; n < full.length; n++) {
            byte[] prefix = Arrays.copyOf(full, n);
            try {
                Lldpdu pdu = CodecHarness.decodeAll(DECODER::decode, prefix);
                // Only prefixes that stop at a TLV boundary after the TTL can be whole LLDPDUs.
                assertThat(n).as("decoded prefix of %d octets", n).isIn(20, 31, 32);
                assertThat(pdu.ttl()).isEqualTo(120);
            } catch (MalformedFrameException e) {
                assertThat(e.offset() - CodecHarness.GUARD).isBetween(0, n);
            }
        }
    }

    @Test
    void encoderWritesNothingWhenTheBufferIsTooSmall() {
        Lldpdu pdu = golden(hex(CHASSIS, PORT, TTL, EVB_STATION_DEFAULTS, END));
        ByteBuffer out = ByteBuffer.allocate(pdu.encodedLength() - 1);
        assertThatThrownBy(() -> ENCODER.encode(pdu, out)).isInstanceOf(BufferOverflowException.class);
        assertThat(out.position()).isZero();
        assertThat(out.array()).containsOnly(0);
    }

    @Test
    void encoderReturnsTheOctetsWritten() {
        Lldpdu pdu = Lldpdu.of(ChassisId.ofMac(MacAddress.valueOf("02:00:00:00:00:01")), PortId.ofInterfaceName("eth0"), 120,
                List.of(EvbTlv.stationDefaults().build()));
        ByteBuffer out = ByteBuffer.allocate(100);
        assertThat(ENCODER.encode(pdu, out)).isEqualTo(33).isEqualTo(out.position()).isEqualTo(pdu.encodedLength());
    }

    @Test
    void valuesRejectWhatTheWireCannotCarry() {
        assertThatThrownBy(() -> new ChassisId(4, new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChassisId(4, new byte[256])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PortId(256, new byte[1])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PortId(-1, new byte[1])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BasicTlv.of(3, new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BasicTlv.of(127, new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BasicTlv.of(4, new byte[512])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OrganizationallySpecificTlv.of(0x0080C2, 0x0D, new byte[5]))
                .as("the EVB TLV has its own class").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OrganizationallySpecificTlv.of(0x1000000, 1, new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OrganizationallySpecificTlv.of(1, 256, new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OrganizationallySpecificTlv.of(1, 1, new byte[508])).isInstanceOf(IllegalArgumentException.class);
        ChassisId c = ChassisId.ofMac(MacAddress.BROADCAST);
        PortId p = PortId.ofMac(MacAddress.BROADCAST);
        assertThatThrownBy(() -> Lldpdu.of(c, p, -1, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Lldpdu.of(c, p, 0x10000, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Lldpdu.of(null, p, 1, List.of())).isInstanceOf(NullPointerException.class);
    }

    @Test
    void idsPrintAsMacTextOrHex() {
        assertThat(new PortId(PortId.SUBTYPE_LOCAL, new byte[] {0x01, (byte) 0xFF})).hasToString("01ff");
        assertThat(PortId.ofMac(MacAddress.valueOf("02:00:00:00:00:0a"))).hasToString("02:00:00:00:00:0a");
        assertThat(new ChassisId(ChassisId.SUBTYPE_LOCAL, "sw1".getBytes(StandardCharsets.US_ASCII))).hasToString("sw1");
        assertThat(new ChassisId(4, new byte[] {1, 2, 3})).as("a MAC subtype with a short ID").hasToString("010203");
    }

    @Test
    void anLldpduWithoutEvbTlvHasNone() {
        assertThat(golden(hex(CHASSIS, PORT, TTL, END)).evb()).isNull();
    }
}
