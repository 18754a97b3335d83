package org.splitnve.vdpcore.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.splitnve.vdpcore.CodecHarness.hex;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.splitnve.vdpcore.CodePoints;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.ecp.EcpSubtype;
import org.splitnve.vdpcore.lldp.ChassisId;
import org.splitnve.vdpcore.lldp.EvbTlv;
import org.splitnve.vdpcore.lldp.Lldpdu;
import org.splitnve.vdpcore.lldp.PortId;
import org.splitnve.vdpcore.vdp.AssociationTlv;
import org.splitnve.vdpcore.vdp.FilterEntry;
import org.splitnve.vdpcore.vdp.FilterFormat;
import org.splitnve.vdpcore.vdp.ManagerId;
import org.splitnve.vdpcore.vdp.VdpEncoder;
import org.splitnve.vdpcore.vdp.Vdpdu;
import org.splitnve.vdpcore.vdp.VsiId;
import org.splitnve.vdpcore.vdp.VsiStatus;

/** Frames are written whole or not at all: a failed encode must leave the caller's buffer as it was. */
class FrameEncoderTest {

    private static final MacAddress DST = MacAddress.NEAREST_CUSTOMER_BRIDGE;
    private static final MacAddress SRC = MacAddress.valueOf("02:00:00:00:00:01");
    private static final FrameEncoder ENCODER = new FrameEncoder();

    private static AssociationTlv associate(int vni) {
        return AssociationTlv.builder()
                .typeId(4711).typeVersion(1)
                .vsiId(VsiId.of(UUID.fromString("11223344-5566-7788-9900-aabbccddeeff")))
                .filter(FilterFormat.GROUPID_MAC_VID, FilterEntry.builder().vn(vni).mac(MacAddress.valueOf("02:00:00:00:aa:01")).build())
                .build();
    }

    @Test
    void vdpRequestFrameIsHeaderEcpAndVdpdu() {
        ByteBuffer out = ByteBuffer.allocate(200);
        int n = ENCODER.ecpVdpRequest(DST, SRC, 1, Vdpdu.of(ManagerId.ofName("mgr1"), associate(100)), out);
        assertThat(n).isEqualTo(77).isEqualTo(out.position());
        assertThat(Arrays.copyOf(out.array(), n)).isEqualTo(FrameDecoderTest.vdpRequestFrame());
    }

    @Test
    void lldpFrameIsZeroPaddedToTheEthernetMinimum() {
        ByteBuffer out = ByteBuffer.allocate(100);
        Arrays.fill(out.array(), (byte) 0x55);
        Lldpdu pdu = Lldpdu.of(ChassisId.ofMac(SRC), PortId.ofInterfaceName("eth0"), 120, List.of(EvbTlv.stationDefaults().build()));
        int n = ENCODER.lldp(DST, SRC, pdu, out);
        assertThat(n).isEqualTo(60);
        assertThat(Arrays.copyOf(out.array(), n)).isEqualTo(hex(
                FrameDecoderTest.DST, FrameDecoderTest.SRC, "88cc", FrameDecoderTest.LLDPDU, "00".repeat(13)));
    }

    @Test
    void framesAreWrittenAtTheBuffersPosition() {
        ByteBuffer out = ByteBuffer.allocate(100).position(5);
        assertThat(ENCODER.ecpAck(DST, SRC, EcpSubtype.VDP, 0xFFFF, out)).isEqualTo(18);
        assertThat(out.position()).isEqualTo(23);
        assertThat(Arrays.copyOfRange(out.array(), 5, 23)).isEqualTo(hex("0180c2000000 020000000001 8940 1401 ffff"));
    }

    @Test
    void tooSmallABufferThrowsAndWritesNothing() {
        Vdpdu pdu = Vdpdu.of(ManagerId.ofName("mgr1"), associate(100));
        Lldpdu lldp = Lldpdu.of(ChassisId.ofMac(SRC), PortId.ofInterfaceName("eth0"), 120, List.of());
        assertUntouched(76, out -> ENCODER.ecpVdpRequest(DST, SRC, 1, pdu, out), BufferOverflowException.class);
        assertUntouched(17, out -> ENCODER.ecpAck(DST, SRC, EcpSubtype.VDP, 1, out), BufferOverflowException.class);
        // An LLDP frame is padded to 60 octets, so it needs 60 even when the LLDPDU is short.
        assertUntouched(59, out -> ENCODER.lldp(DST, SRC, lldp, out), BufferOverflowException.class);
    }

    @Test
    void aVdpduTooLongForTheLinkThrowsAndWritesNothing() {
        List<AssociationTlv> many = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            many.add(associate(i));
        }
        Vdpdu big = Vdpdu.of(ManagerId.ofName("mgr1"), many, List.of());
        assertThat(big.encodedLength()).isGreaterThan(Vdpdu.MAX_LENGTH_STANDARD_MTU);
        assertUntouched(3000, out -> ENCODER.ecpVdpRequest(DST, SRC, 1, big, out), IllegalArgumentException.class);
    }

    @Test
    void aStatusTheCodePointsCannotExpressThrowsAndWritesNothing() {
        FrameEncoder legacy = new FrameEncoder(new VdpEncoder(CodePoints.builder().migrationIndicationValidBit(0).build()));
        AssociationTlv t = associate(100).toBuilder().status(VsiStatus.request().migrationIndicationValid(true).m(true).build()).build();
        Vdpdu pdu = Vdpdu.of(ManagerId.ofName("mgr1"), t);
        assertUntouched(200, out -> legacy.ecpVdpRequest(DST, SRC, 1, pdu, out), IllegalArgumentException.class);
    }

    @Test
    void sequenceNumbersOutsideSixteenBitsAreRejectedNotTruncated() {
        Vdpdu pdu = Vdpdu.of(ManagerId.ofName("mgr1"), associate(100));
        assertUntouched(200, out -> ENCODER.ecpVdpRequest(DST, SRC, 0x10000, pdu, out), IllegalArgumentException.class);
        assertUntouched(200, out -> ENCODER.ecpVdpRequest(DST, SRC, -1, pdu, out), IllegalArgumentException.class);
        assertUntouched(200, out -> ENCODER.ecpAck(DST, SRC, EcpSubtype.VDP, 0x10000, out), IllegalArgumentException.class);
    }

    private interface Write {
        void to(ByteBuffer out);
    }

    private static void assertUntouched(int capacity, Write write, Class<? extends Throwable> expected) {
        ByteBuffer out = ByteBuffer.allocate(capacity + 8).position(4).limit(4 + capacity);
        Arrays.fill(out.array(), (byte) 0x5A);
        assertThatThrownBy(() -> write.to(out)).isInstanceOf(expected);
        assertThat(out.position()).as("position").isEqualTo(4);
        assertThat(out.array()).as("buffer content").containsOnly(0x5A);
    }
}
