package org.splitnve.vdpcore.vdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.splitnve.vdpcore.HexDump;
import org.splitnve.vdpcore.IpText;
import org.splitnve.vdpcore.MalformedFrameException;

/** An address that cannot identify a TSI is refused in every spelling, IPv4-mapped included. */
class FilterEntryAddressTest {

    @ParameterizedTest
    @ValueSource(strings = {"::ffff:224.0.0.1", "::ffff:239.255.255.255", "::ffff:255.255.255.255", "::ffff:0.0.0.0"})
    void anIpv4MappedAddressThatIsNotUnicastIsRefusedByTheBuilder(String text) {
        assertThatThrownBy(() -> FilterEntry.builder().ip(IpText.parse(text)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("IPv4-mapped");
    }

    @ParameterizedTest
    @ValueSource(strings = {"e0000001", "ffffffff", "00000000"})
    void anIpv4MappedAddressThatIsNotUnicastIsErrorFiveOnTheWire(String v4) {
        byte[] pdu = HexDump.parse("0a10" + "00".repeat(16)
                + "0632 00 001267 01 05 " + "11".repeat(16) + " 07 0001 02000000aa01 02 00000000000000000000ffff" + v4 + " 0064"
                + "0000");
        assertThatThrownBy(() -> new VdpDecoder().decode(ByteBuffer.wrap(pdu)))
                .isInstanceOfSatisfying(MalformedFrameException.class, e -> {
                    assertThat(e.vdpError()).isEqualTo(VdpErrorCode.INVALID_VID_GROUPID_OR_MAC);
                    assertThat(e.offset()).isEqualTo(2 + 16 + 2 + 25 + 6 + 1);
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"::ffff:192.0.2.1", "2001:db8::1"})
    void aUnicastIpv6EntryIsAccepted(String text) {
        FilterEntry e = FilterEntry.builder().mac(org.splitnve.vdpcore.MacAddress.valueOf("02:00:00:00:aa:01")).ip(IpText.parse(text)).vid(100).build();
        AssociationTlv t = AssociationTlv.builder().vsiId(VsiId.of(UUID.randomUUID())).filter(FilterFormat.MAC_IP_VID, e).build();
        assertThat(t.filter().entries()).containsExactly(e);
    }
}
