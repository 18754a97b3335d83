package org.splitnve.vdpcore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.splitnve.vdpcore.CodecHarness.hex;

import java.nio.ByteBuffer;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.splitnve.vdpcore.CodecHarness.Rejection;
import org.splitnve.vdpcore.vdp.AssociationTlv;
import org.splitnve.vdpcore.vdp.FilterEntry;
import org.splitnve.vdpcore.vdp.FilterFormat;
import org.splitnve.vdpcore.vdp.ManagerId;
import org.splitnve.vdpcore.vdp.VdpDecoder;
import org.splitnve.vdpcore.vdp.VdpEncoder;
import org.splitnve.vdpcore.vdp.Vdpdu;
import org.splitnve.vdpcore.vdp.VsiId;
import org.splitnve.vdpcore.vdp.VsiStatus;

/**
 * The project's own code points live in one registry so that the real 802.1Qcy values can be
 * dropped in: a registry must change what goes on the wire, and nothing else.
 */
class CodePointsTest {

    private static final CodePoints OVERRIDDEN = CodePoints.builder().groupIdIpVid(0x85).groupIdMacIpVid(0x86).macIpVid(0x87).build();

    private static Vdpdu ipPdu(FilterFormat format) {
        FilterEntry.Builder e = FilterEntry.builder().ip(IpText.parse("10.0.0.1")).vid(100);
        if (format.hasGroupId()) {
            e.groupId(100);
        }
        if (format.hasMac()) {
            e.mac(MacAddress.valueOf("02:00:00:00:00:01"));
        }
        return Vdpdu.of(ManagerId.ofName("mgr1"), AssociationTlv.builder().vsiId(VsiId.local(new byte[16]))
                .filter(format, e.build()).build());
    }

    @Test
    void theDefaultsAreThoseOfTheWireReference() {
        assertThat(CodePoints.DEFAULT.code(FilterFormat.VID)).isEqualTo(1);
        assertThat(CodePoints.DEFAULT.code(FilterFormat.MAC_VID)).isEqualTo(2);
        assertThat(CodePoints.DEFAULT.code(FilterFormat.GROUPID_VID)).isEqualTo(3);
        assertThat(CodePoints.DEFAULT.code(FilterFormat.GROUPID_MAC_VID)).isEqualTo(4);
        assertThat(CodePoints.DEFAULT.code(FilterFormat.GROUPID_IP_VID)).isEqualTo(5);
        assertThat(CodePoints.DEFAULT.code(FilterFormat.GROUPID_MAC_IP_VID)).isEqualTo(6);
        assertThat(CodePoints.DEFAULT.code(FilterFormat.MAC_IP_VID)).isEqualTo(7);
        assertThat(CodePoints.DEFAULT.migrationIndicationValidBit()).isEqualTo(0x80);
        assertThat(CodePoints.DEFAULT).isEqualTo(CodePoints.builder().build()).hasSameHashCodeAs(CodePoints.builder().build());
    }

    @ParameterizedTest
    @EnumSource(FilterFormat.class)
    void codeAndFilterFormatAreInverses(FilterFormat f) {
        assertThat(CodePoints.DEFAULT.filterFormat(CodePoints.DEFAULT.code(f))).isSameAs(f);
        assertThat(OVERRIDDEN.filterFormat(OVERRIDDEN.code(f))).isSameAs(f);
    }

    @Test
    void unknownCodesNameNoFormat() {
        assertThat(CodePoints.DEFAULT.filterFormat(0)).isNull();
        assertThat(CodePoints.DEFAULT.filterFormat(8)).isNull();
        assertThat(CodePoints.DEFAULT.filterFormat(0x85)).isNull();
        assertThat(OVERRIDDEN.filterFormat(5)).isNull();
        assertThat(OVERRIDDEN.filterFormat(7)).isNull();
    }

    @ParameterizedTest
    @EnumSource(value = FilterFormat.class, names = {"GROUPID_IP_VID", "GROUPID_MAC_IP_VID", "MAC_IP_VID"})
    void anOverriddenRegistryPutsItsCodeOnTheWireAndReadsItBack(FilterFormat format) throws Exception {
        Vdpdu pdu = ipPdu(format);
        byte[] octets = Generators.encode(pdu, new VdpEncoder(OVERRIDDEN));
        // Filter format octet: Manager ID TLV (18), TLV header (2), 22 octets of the value.
        assertThat(octets[42] & 0xFF).isEqualTo(OVERRIDDEN.code(format)).isGreaterThanOrEqualTo(0x85);
        assertThat(CodecHarness.decodeAll(new VdpDecoder(OVERRIDDEN)::decode, octets)).isEqualTo(pdu);
        // A peer with the default registry does not know the code: invalid format, at that octet.
        Rejection r = CodecHarness.assertMalformed(new VdpDecoder()::decode, octets);
        assertThat(r.offset()).isEqualTo(42);
        assertThat(r.vdpError()).isEqualTo(1);
        // And the default codes mean nothing to the overridden registry.
        Rejection back = CodecHarness.assertMalformed(new VdpDecoder(OVERRIDDEN)::decode, Generators.encode(pdu));
        assertThat(back.offset()).isEqualTo(42);
    }

    @Test
    void theStandardFormatsKeepTheirCodesWhateverTheRegistry() throws Exception {
        Vdpdu pdu = Vdpdu.of(ManagerId.ofName("mgr1"), AssociationTlv.builder().vsiId(VsiId.local(new byte[16]))
                .filter(FilterFormat.VID, FilterEntry.builder().vid(1).build()).build());
        byte[] octets = Generators.encode(pdu, new VdpEncoder(OVERRIDDEN));
        assertThat(octets).isEqualTo(Generators.encode(pdu));
        assertThat(octets[42]).isEqualTo((byte) 1);
    }

    @Test
    void withTheMigrationIndicationDisabledBit0x80IsReservedAgain() {
        CodePoints legacy = CodePoints.builder().migrationIndicationValidBit(0).build();
        byte[] octets = hex("0a10 6d677231 00000000 00000000 00000000",
                "061b 80 001267 01 05 11223344556677889900aabbccddeeff 01 0001 0064", "0000");
        Rejection r = CodecHarness.assertMalformed(new VdpDecoder(legacy)::decode, octets);
        assertThat(r.offset()).isEqualTo(20);
        assertThat(r.vdpError()).isEqualTo(1);
        // M and S together are then legacy "both", not an error.
        byte[] both = hex("0a10 6d677231 00000000 00000000 00000000",
                "061b 30 001267 01 05 11223344556677889900aabbccddeeff 01 0001 0064", "0000");
        assertThat(CodecHarness.assertGolden(new VdpDecoder(legacy)::decode, new VdpEncoder(legacy)::encode, both)
                .associations().get(0).status().migrationIndicationValid()).isFalse();
        // And the encoder refuses a status it cannot express, before writing anything.
        Vdpdu mi = Vdpdu.of(ManagerId.ofName("mgr1"), AssociationTlv.builder().vsiId(VsiId.local(new byte[16]))
                .status(VsiStatus.request().migrationIndicationValid(true).build())
                .filter(FilterFormat.VID, FilterEntry.builder().vid(1).build()).build());
        ByteBuffer out = ByteBuffer.allocate(100);
        assertThatThrownBy(() -> new VdpEncoder(legacy).encode(mi, out)).isInstanceOf(IllegalArgumentException.class);
        assertThat(out.position()).isZero();
        assertThat(new VdpEncoder(legacy).statusOctet(VsiStatus.response().migrationIndicationValid(true).build())).isEqualTo(0x40);
    }

    @Test
    void fromPropertiesReadsItsKeysInHexOrDecimal() {
        Properties p = new Properties();
        p.setProperty("splitnve.codepoint.filter.groupIdIpVid", "0x85");
        p.setProperty("splitnve.codepoint.filter.groupIdMacIpVid", " 134 ");
        p.setProperty("splitnve.codepoint.filter.macIpVid", "0X87");
        p.setProperty("splitnve.codepoint.status.migrationIndicationValid", "0");
        p.setProperty("unrelated.key", "whatever");
        CodePoints cp = CodePoints.fromProperties(p);
        assertThat(cp.groupIdIpVid()).isEqualTo(0x85);
        assertThat(cp.groupIdMacIpVid()).isEqualTo(0x86);
        assertThat(cp.macIpVid()).isEqualTo(0x87);
        assertThat(cp.migrationIndicationValidBit()).isZero();
        assertThat(cp.toString()).contains("0x85").contains("0x86").contains("0x87");
        assertThat(CodePoints.fromProperties(new Properties())).isEqualTo(CodePoints.DEFAULT);
    }

    @Test
    void fromPropertiesRejectsUnknownKeysAndBadValues() {
        assertThatThrownBy(() -> CodePoints.fromProperties(props("splitnve.codepoint.filter.ipVid", "5")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("filter.ipVid");
        assertThatThrownBy(() -> CodePoints.fromProperties(props("splitnve.codepoint.filter.macIpVid", "seven")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("seven");
        assertThatThrownBy(() -> CodePoints.fromProperties(props("splitnve.codepoint.filter.macIpVid", "0x")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CodePoints.fromProperties(props("splitnve.codepoint.filter.macIpVid", "4")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fromSystemPropertiesReadsTheSameKeys() {
        String key = "splitnve.codepoint.filter.macIpVid";
        String before = System.getProperty(key);
        try {
            System.setProperty(key, "0x99");
            assertThat(CodePoints.fromSystemProperties().macIpVid()).isEqualTo(0x99);
        } finally {
            if (before == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, before);
            }
        }
    }

    @Test
    void theBuilderKeepsCodesDistinctAndClearOfTheStandardOnes() {
        assertThatThrownBy(() -> CodePoints.builder().groupIdIpVid(4).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CodePoints.builder().macIpVid(0).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CodePoints.builder().macIpVid(256).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CodePoints.builder().macIpVid(5).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CodePoints.builder().groupIdMacIpVid(5).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CodePoints.builder().migrationIndicationValidBit(0x40).build()).isInstanceOf(IllegalArgumentException.class);
        assertThat(CodePoints.builder().groupIdIpVid(0xFF).groupIdMacIpVid(0x80).macIpVid(0x7F).build().code(FilterFormat.GROUPID_IP_VID))
                .isEqualTo(0xFF);
    }

    private static Properties props(String key, String value) {
        Properties p = new Properties();
        p.setProperty(key, value);
        return p;
    }
}
