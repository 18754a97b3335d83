package org.splitnve.vdpcore.vdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.splitnve.vdpcore.HexDump;
import org.splitnve.vdpcore.MacAddress;

class SmokeGoldenTest {

    @Test
    void lldpadStyleAssociateWithGroupIdAndNullVidRoundTrips() throws Exception {
        byte[] golden = HexDump.parse(
                "0a10 6d677231 00000000 00000000 00000000"
                + "0625 00 001267 01 05 11223344556677889900aabbccddeeff 04 0001 00000064 02000000aa01 0000"
                + "0000");
        Vdpdu pdu = new VdpDecoder().decode(ByteBuffer.wrap(golden));
        AssociationTlv t = pdu.associations().get(0);
        assertThat(t.type()).isEqualTo(VdpTlvType.ASSOCIATE);
        assertThat(t.typeId()).isEqualTo(4711);
        assertThat(t.vsiId()).isEqualTo(VsiId.of(UUID.fromString("11223344-5566-7788-9900-aabbccddeeff")));
        FilterEntry e = t.filter().entries().get(0);
        assertThat(e.groupId()).isEqualTo(100);
        assertThat(e.mac()).isEqualTo(MacAddress.valueOf("02:00:00:00:aa:01"));
        assertThat(e.vid()).isZero();
        assertThat(pdu.managerId()).isEqualTo(ManagerId.ofName("mgr1"));
        ByteBuffer out = ByteBuffer.allocate(200);
        new VdpEncoder().encode(pdu, out);
        assertThat(HexDump.hex(java.util.Arrays.copyOf(out.array(), out.position()))).isEqualTo(HexDump.hex(golden));
    }
}
