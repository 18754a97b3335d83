package org.splitnve.vdpcore.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitnve.vdpcore.CodecHarness.hex;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.splitnve.vdpcore.CodePoints;
import org.splitnve.vdpcore.HexDump;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.MalformedFrameException;
import org.splitnve.vdpcore.ecp.EcpSubtype;
import org.splitnve.vdpcore.ecp.Ecpdu;
import org.splitnve.vdpcore.lldp.EvbTlv;
import org.splitnve.vdpcore.vdp.FilterFormat;
import org.splitnve.vdpcore.vdp.VdpTlvType;

/** Whole Ethernet frames: the EtherType picks the codec, and offsets stay frame offsets. */
class FrameDecoderTest {

    private static final FrameDecoder DECODER = new FrameDecoder();
    private static final FrameEncoder ENCODER = new FrameEncoder();

    static final String DST = "0180c2000000";   // nearest-customer-bridge group address
    static final String SRC = "020000000001";
    static final String VDPDU = ""
            + "0a10 6d677231 00000000 00000000 00000000"                 // Manager ID "mgr1"
            + "0625 00 001267 01 05 11223344556677889900aabbccddeeff"   // Associate, length 37
            + "04 0001 00000064 02000000aa01 0000"                       // GroupID 100, MAC, null VID
            + "0000";                                                    // End
    static final String LLDPDU = ""
            + "0207 04 020000000001"                  // chassis ID
            + "0405 05 65746830"                      // port ID "eth0"
            + "0602 0078"                             // TTL 120
            + "fe09 0080c2 0d 00 00 68 94 14"         // EVB TLV, lldpad station defaults
            + "0000";                                 // End

    static byte[] vdpRequestFrame() {
        return hex(DST, SRC, "8940", "1001 0001", VDPDU);
    }

    @Test
    void ecpRequestFrameCarriesTheVdpdu() throws MalformedFrameException {
        byte[] frame = vdpRequestFrame();
        DecodedFrame f = DECODER.decode(frame);
        assertThat(f.ethernet().dst()).isEqualTo(MacAddress.NEAREST_CUSTOMER_BRIDGE);
        assertThat(f.ethernet().src()).isEqualTo(MacAddress.valueOf("02:00:00:00:00:01"));
        assertThat(f.ethernet().etherType()).isEqualTo(EtherType.ECP);
        assertThat(f.ethernet().payloadOffset()).isEqualTo(14);
        assertThat(f.ethernet().isTagged()).isFalse();
        assertThat(f.ethernet().vlanId()).isEqualTo(EthernetHeader.NO_TAG);
        assertThat(f.isSplitNve()).isTrue();
        assertThat(f.ecp().sequence()).isEqualTo(1);
        assertThat(f.ecp().subtype()).isSameAs(EcpSubtype.VDP);
        assertThat(f.lldp()).isNull();
        assertThat(f.vdp().associations().get(0).type()).isEqualTo(VdpTlvType.ASSOCIATE);
        assertThat(f.vdp().associations().get(0).filter().format()).isEqualTo(FilterFormat.GROUPID_MAC_VID);

        ByteBuffer out = ByteBuffer.allocate(100);
        int n = ENCODER.ecpVdpRequest(f.ethernet().dst(), f.ethernet().src(), f.ecp().sequence(), f.vdp(), out);
        assertThat(Arrays.copyOf(out.array(), n)).isEqualTo(frame);
    }

    @Test
    void ackFrameIsEighteenOctetsOrPaddedToSixty() throws MalformedFrameException {
        byte[] ack = hex(SRC, "020000000002", "8940", "1401 002a");
        byte[] padded = hex(SRC, "020000000002", "8940", "1401 002a", "00".repeat(42));
        assertThat(ack).hasSize(Ecpdu.ACK_FRAME_LENGTH);
        assertThat(padded).hasSize(EthernetHeader.MIN_FRAME);
        for (byte[] frame : new byte[][] {ack, padded}) {
            DecodedFrame f = DECODER.decode(frame);
            assertThat(f.ecp()).isEqualTo(Ecpdu.ack(EcpSubtype.VDP, 42));
            assertThat(f.vdp()).isNull();
        }
        ByteBuffer out = ByteBuffer.allocate(60);
        assertThat(ENCODER.ecpAck(MacAddress.valueOf("02:00:00:00:00:01"), MacAddress.valueOf("02:00:00:00:00:02"),
                EcpSubtype.VDP, 42, out)).isEqualTo(18);
        assertThat(Arrays.copyOf(out.array(), 18)).isEqualTo(ack);
    }

    @Test
    void lldpFrameIsPaddedToSixtyOctets() throws MalformedFrameException {
        byte[] frame = hex(DST, SRC, "88cc", LLDPDU, "00".repeat(13));   // 14 + 33 + 13 = 60
        DecodedFrame f = DECODER.decode(frame);
        assertThat(f.lldp().evb()).isEqualTo(EvbTlv.stationDefaults().build());
        assertThat(f.ecp()).isNull();
        assertThat(f.vdp()).isNull();
        assertThat(f.isSplitNve()).isTrue();
        ByteBuffer out = ByteBuffer.allocate(100);
        int n = ENCODER.lldp(f.ethernet().dst(), f.ethernet().src(), f.lldp(), out);
        assertThat(Arrays.copyOf(out.array(), n)).isEqualTo(frame);
    }

    @Test
    void vlanTagsAreSteppedOverAndShiftTheOffsets() throws MalformedFrameException {
        byte[] tagged = hex(DST, SRC, "8100 e064", "8940", "1001 0001", VDPDU);   // PCP 7, VID 100
        DecodedFrame f = DECODER.decode(tagged);
        assertThat(f.ethernet().outerTci()).isEqualTo(0xE064);
        assertThat(f.ethernet().vlanId()).isEqualTo(100);
        assertThat(f.ethernet().innerTci()).isEqualTo(EthernetHeader.NO_TAG);
        assertThat(f.ethernet().payloadOffset()).isEqualTo(18);
        assertThat(f.vdp()).isEqualTo(DECODER.decode(vdpRequestFrame()).vdp());

        byte[] qinq = hex(DST, SRC, "88a8 0fff", "8100 0080", "8940", "1001 0001", VDPDU);
        DecodedFrame q = DECODER.decode(qinq);
        assertThat(q.ethernet().outerTci()).isEqualTo(0x0FFF);
        assertThat(q.ethernet().innerTci()).isEqualTo(0x0080);
        assertThat(q.ethernet().payloadOffset()).isEqualTo(22);
        assertThat(q.vdp()).isNotNull();
    }

    @Test
    void otherEtherTypesComeBackWithTheirHeaderOnly() throws MalformedFrameException {
        DecodedFrame f = DECODER.decode(hex("ffffffffffff", SRC, "0800", "45000014"));
        assertThat(f.ethernet().etherType()).isEqualTo(EtherType.IPV4);
        assertThat(f.ethernet().dst()).isEqualTo(MacAddress.BROADCAST);
        assertThat(f.isSplitNve()).isFalse();
        assertThat(f.ecp()).isNull();
        assertThat(f.lldp()).isNull();
        // An 802.3 length field is not an EtherType either.
        assertThat(DECODER.decode(hex(DST, SRC, "002e", "00".repeat(46))).isSplitNve()).isFalse();
        // A third tag is not stepped over.
        assertThat(DECODER.decode(hex(DST, SRC, "88a8 0001 8100 0002 8100 0003 8940 1001 0001")).ethernet().etherType())
                .isEqualTo(EtherType.VLAN);
    }

    @Test
    void ecpRequestsOfOtherSubtypesAreNotDecodedAsVdp() throws MalformedFrameException {
        DecodedFrame pe = DECODER.decode(hex(DST, SRC, "8940", "1002 0001", "ff".repeat(42)));
        assertThat(pe.ecp().subtype()).isSameAs(EcpSubtype.PE_CSP);
        assertThat(pe.vdp()).isNull();
        DecodedFrame unknown = DECODER.decode(hex(DST, SRC, "8940", "1155 0001", "ff".repeat(42)));
        assertThat(unknown.ecp().subtype().isKnown()).isFalse();
        assertThat(unknown.vdp()).isNull();
    }

    @ParameterizedTest(name = "{0} octets")
    @ValueSource(ints = {0, 1, 6, 12, 13})
    void framesShorterThanAnEthernetHeaderAreRejected(int length) {
        MalformedFrameException e = rejected(Arrays.copyOf(vdpRequestFrame(), length));
        assertThat(e.offset()).isZero();
    }

    @ParameterizedTest(name = "{0} octets")
    @ValueSource(ints = {14, 15, 16, 17})
    void aTruncatedVlanTagIsRejectedAtTheTag(int length) {
        byte[] tagged = hex(DST, SRC, "8100 0064 8940 1001 0001");
        assertThat(rejected(Arrays.copyOf(tagged, length)).offset()).isEqualTo(12);
    }

    @Test
    void offsetsInsideTheVdpduAreFrameOffsets() {
        byte[] frame = hex(DST, SRC, "8940", "1001 0001",
                "0a10 6d677231 00000000 00000000 00000000",
                "061b 00 001267 01 05 11223344556677889900aabbccddeeff",
                "01 0001 0fff",     // VID 4095 at VDPDU offset 45
                "0000");
        MalformedFrameException e = rejected(frame);
        assertThat(e.offset()).isEqualTo(18 + 45);
        assertThat(e.vdpError().value()).isEqualTo(5);
        assertThat(e.hexDump()).contains("[0f]");

        byte[] tagged = hex(DST, SRC, "8100 0064", HexDump.hex(frame).substring(24));
        assertThat(rejected(tagged).offset()).isEqualTo(4 + 18 + 45);
    }

    @Test
    void ecpFaultsAreFrameOffsetsToo() {
        assertThat(rejected(hex(DST, SRC, "8940", "2001 0001", VDPDU)).offset()).isEqualTo(14);
        assertThat(rejected(hex(DST, SRC, "8940", "1801 0001", VDPDU)).offset()).isEqualTo(14);
        assertThat(rejected(hex(DST, SRC, "8940", "1c01 0001", VDPDU)).offset()).isEqualTo(14);
        assertThat(rejected(hex(DST, SRC, "8940", "14")).offset()).isEqualTo(14);
        assertThat(rejected(hex(DST, SRC, "8940", "1401 0001 0000 01")).offset()).isEqualTo(20);
        assertThat(rejected(hex(DST, SRC, "8940", "1001 0001", VDPDU, "01")).offset()).isEqualTo(18 + 59);
        assertThat(rejected(hex(DST, SRC, "88cc", "0207 04 020000000001 0405 05 65746830 0000")).offset()).isEqualTo(14 + 16);
    }

    @Test
    void theDecoderReadsFromIndexZeroAndLeavesThePositionAlone() throws MalformedFrameException {
        ByteBuffer buf = ByteBuffer.wrap(vdpRequestFrame()).position(30);
        DecodedFrame f = DECODER.decode(buf);
        assertThat(f.vdp()).isNotNull();
        assertThat(buf.position()).isEqualTo(30);
    }

    @Test
    void aDecoderWithOverriddenCodePointsReadsOverriddenFormats() throws MalformedFrameException {
        CodePoints cp = CodePoints.builder().macIpVid(0x87).build();
        byte[] frame = hex(DST, SRC, "8940", "1001 0001",
                "0a10 6d677231 00000000 00000000 00000000",
                "0626 00 001267 01 05 11223344556677889900aabbccddeeff",
                "87 0001 020000000001 01 0a000001 0064",
                "0000");
        assertThat(new FrameDecoder(cp).decode(frame).vdp().associations().get(0).filter().format())
                .isEqualTo(FilterFormat.MAC_IP_VID);
        assertThat(rejected(frame).offset()).isEqualTo(18 + 42);
    }

    @Test
    void etherTypeNamesForTextOutput() {
        assertThat(EtherType.name(EtherType.ECP)).isEqualTo("ECP");
        assertThat(EtherType.name(EtherType.LLDP)).isEqualTo("LLDP");
        assertThat(EtherType.name(EtherType.VLAN)).isEqualTo("802.1Q");
        assertThat(EtherType.name(EtherType.QINQ)).isEqualTo("802.1ad");
        assertThat(EtherType.name(EtherType.IPV6)).isEqualTo("IPv6");
        assertThat(EtherType.name(EtherType.ARP)).isEqualTo("ARP");
        assertThat(EtherType.name(0x1234)).isEqualTo("0x1234");
        assertThat(EtherType.hex(EtherType.ECP)).isEqualTo("0x8940");
    }

    private static MalformedFrameException rejected(byte[] frame) {
        try {
            DecodedFrame f = DECODER.decode(frame);
            throw new AssertionError("expected MalformedFrameException, decoded " + f);
        } catch (MalformedFrameException e) {
            assertThat(e.getMessage()).contains(e.hexDump());
            return e;
        }
    }
}
