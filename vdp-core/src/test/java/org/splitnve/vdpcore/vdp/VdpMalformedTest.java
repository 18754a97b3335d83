package org.splitnve.vdpcore.vdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitnve.vdpcore.CodecHarness.hex;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.splitnve.vdpcore.CodecHarness;
import org.splitnve.vdpcore.CodecHarness.Rejection;
import org.splitnve.vdpcore.CodePoints;

/**
 * Every way a VDPDU can be malformed must give the one checked exception, pointing at the
 * offending octet and carrying the VDP error code a bridge answers with (1 invalid format,
 * 5 invalid VID, GroupID or MAC), with a hex dump for the log.
 */
class VdpMalformedTest {

    private static final String MANAGER_ID_TLV = "0a10 6d677231 00000000 00000000 00000000";
    private static final String END = "0000";
    private static final String UUID_HEX = "11223344556677889900aabbccddeeff";
    private static final String LLDPAD_ENTRY = "00000064 02000000aa01 0000";

    // Offsets in a VDPDU whose first association TLV follows the 18-octet Manager ID TLV.
    private static final int ASSOC = 18;
    private static final int STATUS = 20;
    private static final int ID_FORMAT = 25;
    private static final int ID = 26;
    private static final int FILTER_FORMAT = 42;
    private static final int COUNT = 43;
    private static final int ENTRIES = 45;
    /** Where the End TLV of a VDPDU with one lldpad-style Associate starts. */
    private static final int AFTER_LLDPAD_ASSOC = 57;

    private static final int INVALID_FORMAT = 1;
    private static final int INSUFFICIENT_RESOURCES = 2;
    private static final int INVALID_VID_GROUPID_MAC = 5;

    /** A TLV with its header computed, so a case only spells out what it breaks. */
    static String tlv(int type, String value) {
        int len = value.replaceAll("\\s", "").length() / 2;
        return String.format("%04x", (type << 9) | len) + value;
    }

    static String assocValue(String status, String idFormat, String id, String filterFormat, String count, String entries) {
        return status + "001267 01" + idFormat + id + filterFormat + count + entries;
    }

    /** An Associate that differs from lldpad's only in its filter. */
    static String associate(String filterFormat, String count, String entries) {
        return tlv(3, assocValue("00", "05", UUID_HEX, filterFormat, count, entries));
    }

    static final String LLDPAD_ASSOCIATE = associate("04", "0001", LLDPAD_ENTRY);

    static byte[] pdu(String... tlvs) {
        return hex(MANAGER_ID_TLV, String.join("", tlvs), END);
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                // --- error 1: invalid format
                Arguments.of("VSI ID format 0", pdu(tlv(3, assocValue("00", "00", UUID_HEX, "04", "0001", LLDPAD_ENTRY))), ID_FORMAT, INVALID_FORMAT),
                Arguments.of("VSI ID format 6", pdu(tlv(3, assocValue("00", "06", UUID_HEX, "04", "0001", LLDPAD_ENTRY))), ID_FORMAT, INVALID_FORMAT),
                Arguments.of("VSI ID format 0xff", pdu(tlv(3, assocValue("00", "ff", UUID_HEX, "04", "0001", LLDPAD_ENTRY))), ID_FORMAT, INVALID_FORMAT),
                Arguments.of("IPv4 VSI ID not IPv4-mapped", pdu(tlv(3, assocValue("00", "01", "000000000000000000000000 0a000001", "04", "0001", LLDPAD_ENTRY))), ID, INVALID_FORMAT),
                Arguments.of("IPv4 VSI ID with 0000 instead of ffff", pdu(tlv(3, assocValue("00", "01", "00000000000000000000fffe 0a000001", "04", "0001", LLDPAD_ENTRY))), ID, INVALID_FORMAT),
                Arguments.of("MAC VSI ID with a non-zero prefix", pdu(tlv(3, assocValue("00", "03", "80000000000000000000 02000000aa01", "04", "0001", LLDPAD_ENTRY))), ID, INVALID_FORMAT),
                Arguments.of("filter format 0", pdu(associate("00", "0001", "0064")), FILTER_FORMAT, INVALID_FORMAT),
                Arguments.of("filter format 8", pdu(associate("08", "0001", "0064")), FILTER_FORMAT, INVALID_FORMAT),
                Arguments.of("filter format 0x80", pdu(associate("80", "0001", "0064")), FILTER_FORMAT, INVALID_FORMAT),
                Arguments.of("filter format 0xff", pdu(associate("ff", "0001", "0064")), FILTER_FORMAT, INVALID_FORMAT),
                Arguments.of("address family 0", pdu(associate("05", "0001", "00000064 00 0a000001 0064")), ENTRIES + 4, INVALID_FORMAT),
                Arguments.of("address family 3", pdu(associate("05", "0001", "00000064 03 0a000001 0064")), ENTRIES + 4, INVALID_FORMAT),
                Arguments.of("address family 0x81", pdu(associate("07", "0001", "020000000001 81 0a000001 0064")), ENTRIES + 6, INVALID_FORMAT),
                Arguments.of("unknown address family in the second entry", pdu(associate("05", "0002", "00000064 01 0a000001 0064 00000064 ff 0a000001 0064")), ENTRIES + 11 + 4, INVALID_FORMAT),
                Arguments.of("M and S with the migration indication valid", pdu(tlv(3, assocValue("b0", "05", UUID_HEX, "04", "0001", LLDPAD_ENTRY))), STATUS, INVALID_FORMAT),
                Arguments.of("a request carrying an error code", pdu(tlv(3, assocValue("05", "05", UUID_HEX, "04", "0001", LLDPAD_ENTRY))), STATUS, INVALID_FORMAT),
                Arguments.of("entry count 2 with one entry", pdu(associate("01", "0002", "0064")), COUNT, INVALID_FORMAT),
                Arguments.of("entry count 0xffff with one entry", pdu(associate("01", "ffff", "0064")), COUNT, INVALID_FORMAT),
                Arguments.of("entry count 1 with two entries", pdu(associate("01", "0001", "0064 0065")), ENTRIES + 2, INVALID_FORMAT),
                Arguments.of("entry count 0", pdu(associate("01", "0000", "")), COUNT, INVALID_FORMAT),
                Arguments.of("entry cut short by the TLV length", pdu(associate("04", "0001", "00000064 02000000aa01")), ENTRIES + 10, INVALID_FORMAT),
                Arguments.of("IPv6 entry cut short by the TLV length", pdu(associate("05", "0001", "00000064 02 20010db8000000000000 0064")), ENTRIES + 5, INVALID_FORMAT),
                Arguments.of("association TLV shorter than 25 octets", pdu(tlv(3, "00 001267 01 05" + UUID_HEX + "01 00")), ASSOC, INVALID_FORMAT),
                Arguments.of("empty association TLV", pdu(tlv(1, "")), ASSOC, INVALID_FORMAT),
                Arguments.of("second Manager ID", pdu(LLDPAD_ASSOCIATE, MANAGER_ID_TLV), AFTER_LLDPAD_ASSOC, INVALID_FORMAT),
                Arguments.of("second Manager ID before any association", pdu(MANAGER_ID_TLV, LLDPAD_ASSOCIATE), ASSOC, INVALID_FORMAT),
                Arguments.of("missing Manager ID", hex(LLDPAD_ASSOCIATE, END), 0, INVALID_FORMAT),
                Arguments.of("Manager ID of 15 octets", hex("0a0f 6d677231 00000000 00000000 000000", LLDPAD_ASSOCIATE, END), 0, INVALID_FORMAT),
                Arguments.of("Manager ID of 17 octets", hex("0a11 6d677231 00000000 00000000 00000000 00", LLDPAD_ASSOCIATE, END), 0, INVALID_FORMAT),
                Arguments.of("Manager ID cut short", hex("0a10 6d677231"), 0, INVALID_FORMAT),
                Arguments.of("nothing at all", hex(""), 0, INVALID_FORMAT),
                Arguments.of("one octet", hex("0a"), 0, INVALID_FORMAT),
                Arguments.of("no association TLV", pdu(), ASSOC + 2, INVALID_FORMAT),
                Arguments.of("no association TLV and no End", hex(MANAGER_ID_TLV), ASSOC, INVALID_FORMAT),
                Arguments.of("non-zero padding after the End TLV", hex(MANAGER_ID_TLV, LLDPAD_ASSOCIATE, END, "0000 01"), AFTER_LLDPAD_ASSOC + 4, INVALID_FORMAT),
                Arguments.of("non-zero last octet without End TLV", hex(MANAGER_ID_TLV, LLDPAD_ASSOCIATE, "80"), AFTER_LLDPAD_ASSOC, INVALID_FORMAT),
                Arguments.of("End TLV with a length", hex(MANAGER_ID_TLV, LLDPAD_ASSOCIATE, "0001 00"), AFTER_LLDPAD_ASSOC, INVALID_FORMAT),
                Arguments.of("TLV length past the end", hex(MANAGER_ID_TLV, "06ff", assocValue("00", "05", UUID_HEX, "04", "0001", LLDPAD_ENTRY), END), ASSOC, INVALID_FORMAT),
                Arguments.of("unknown TLV type 6", pdu(LLDPAD_ASSOCIATE, "0c00"), AFTER_LLDPAD_ASSOC, INVALID_FORMAT),
                Arguments.of("unknown TLV type 126", pdu(LLDPAD_ASSOCIATE, "fc00"), AFTER_LLDPAD_ASSOC, INVALID_FORMAT),
                Arguments.of("organizational TLV before any association", pdu(tlv(127, "001b21 01"), LLDPAD_ASSOCIATE), ASSOC, INVALID_FORMAT),
                Arguments.of("association after an organizational TLV", pdu(LLDPAD_ASSOCIATE, tlv(127, "001b21 01"), LLDPAD_ASSOCIATE), AFTER_LLDPAD_ASSOC + 6, INVALID_FORMAT),
                Arguments.of("organizational TLV too short for OUI and subtype", pdu(LLDPAD_ASSOCIATE, tlv(127, "001b21")), AFTER_LLDPAD_ASSOC, INVALID_FORMAT),

                // --- error 5: invalid VID, GroupID or MAC address
                Arguments.of("GroupID 0", pdu(associate("03", "0001", "00000000 0064")), ENTRIES, INVALID_VID_GROUPID_MAC),
                Arguments.of("GroupID 0 in a GroupID/MAC/VID entry", pdu(associate("04", "0001", "00000000 02000000aa01 0000")), ENTRIES, INVALID_VID_GROUPID_MAC),
                Arguments.of("GroupID 0x01000064: upper octet set", pdu(associate("03", "0001", "01000064 0064")), ENTRIES, INVALID_VID_GROUPID_MAC),
                Arguments.of("GroupID 0x80000000: the sign bit", pdu(associate("03", "0001", "80000000 0064")), ENTRIES, INVALID_VID_GROUPID_MAC),
                Arguments.of("GroupID 0xffffffff", pdu(associate("03", "0001", "ffffffff 0064")), ENTRIES, INVALID_VID_GROUPID_MAC),
                Arguments.of("GroupID 0x01000000: no VNI at all", pdu(associate("05", "0001", "01000000 01 0a000001 0064")), ENTRIES, INVALID_VID_GROUPID_MAC),
                Arguments.of("VID 4095", pdu(associate("01", "0001", "0fff")), ENTRIES, INVALID_VID_GROUPID_MAC),
                Arguments.of("VID 4095 with PS and PCP 7", pdu(associate("01", "0001", "ffff")), ENTRIES, INVALID_VID_GROUPID_MAC),
                Arguments.of("VID 4095 in the second entry", pdu(associate("01", "0002", "0064 8fff")), ENTRIES + 2, INVALID_VID_GROUPID_MAC),
                Arguments.of("VID 4095 after GroupID and MAC", pdu(associate("04", "0001", "00000064 02000000aa01 0fff")), ENTRIES + 10, INVALID_VID_GROUPID_MAC),
                Arguments.of("multicast MAC", pdu(associate("02", "0001", "01005e000001 0064")), ENTRIES, INVALID_VID_GROUPID_MAC),
                Arguments.of("zero MAC", pdu(associate("02", "0001", "000000000000 0064")), ENTRIES, INVALID_VID_GROUPID_MAC),
                Arguments.of("broadcast MAC", pdu(associate("02", "0001", "ffffffffffff 0064")), ENTRIES, INVALID_VID_GROUPID_MAC),
                Arguments.of("group MAC after a GroupID", pdu(associate("04", "0001", "00000064 030000000001 0000")), ENTRIES + 4, INVALID_VID_GROUPID_MAC),
                Arguments.of("unspecified IPv4", pdu(associate("07", "0001", "020000000001 01 00000000 0064")), ENTRIES + 7, INVALID_VID_GROUPID_MAC),
                Arguments.of("IPv4 multicast 224.0.0.1", pdu(associate("07", "0001", "020000000001 01 e0000001 0064")), ENTRIES + 7, INVALID_VID_GROUPID_MAC),
                Arguments.of("IPv4 multicast 239.255.255.255", pdu(associate("05", "0001", "00000064 01 efffffff 0064")), ENTRIES + 5, INVALID_VID_GROUPID_MAC),
                Arguments.of("IPv4 broadcast", pdu(associate("06", "0001", "00000064 020000000001 01 ffffffff 0064")), ENTRIES + 11, INVALID_VID_GROUPID_MAC),
                Arguments.of("unspecified IPv6", pdu(associate("07", "0001", "020000000001 02 00000000000000000000000000000000 0064")), ENTRIES + 7, INVALID_VID_GROUPID_MAC),
                Arguments.of("IPv6 multicast ff02::1", pdu(associate("05", "0001", "00000064 02 ff020000000000000000000000000001 0064")), ENTRIES + 5, INVALID_VID_GROUPID_MAC),
                Arguments.of("IPv6 multicast in the second, mixed entry", pdu(associate("05", "0002", "00000064 01 0a000001 0064 00000064 02 ff0e0000000000000000000000000001 0064")), ENTRIES + 11 + 5, INVALID_VID_GROUPID_MAC));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedVdpdusAreRejectedAtTheOffendingOctetWithTheirVdpErrorCode(String why, byte[] octets, int offset, int vdpError) {
        Rejection r = CodecHarness.assertMalformed(new VdpDecoder()::decode, octets);
        assertThat(r.offset()).as("offset of: %s\n%s", why, r.exception().getMessage()).isEqualTo(offset);
        assertThat(r.vdpError()).as("VDP error of: %s\n%s", why, r.exception().getMessage()).isEqualTo(vdpError);
    }

    @Test
    void moreAssociationTlvsThanTheDecoderAllowsAsksForResources() {
        VdpDecoder decoder = new VdpDecoder(CodePoints.DEFAULT, Vdpdu.MAX_LENGTH_STANDARD_MTU, 2);
        Rejection r = CodecHarness.assertMalformed(decoder::decode, pdu(LLDPAD_ASSOCIATE, LLDPAD_ASSOCIATE, LLDPAD_ASSOCIATE));
        assertThat(r.offset()).isEqualTo(ASSOC + 2 * 39);
        assertThat(r.vdpError()).isEqualTo(INSUFFICIENT_RESOURCES);
    }

    @Test
    void aVdpduLongerThanTheDecoderAllowsIsRejected() {
        VdpDecoder decoder = new VdpDecoder(CodePoints.DEFAULT, 60, 10);
        // Two lldpad Associates are 18 + 39 + 39 octets; the second overruns the 60-octet limit.
        Rejection r = CodecHarness.assertMalformed(decoder::decode, pdu(LLDPAD_ASSOCIATE, LLDPAD_ASSOCIATE));
        assertThat(r.offset()).isEqualTo(AFTER_LLDPAD_ASSOC);
        assertThat(r.vdpError()).isEqualTo(INVALID_FORMAT);
        // Without an End TLV, a PDU that reaches the limit and goes on is too long...
        VdpDecoder exact = new VdpDecoder(CodePoints.DEFAULT, AFTER_LLDPAD_ASSOC, 10);
        Rejection r2 = CodecHarness.assertMalformed(exact::decode, hex(MANAGER_ID_TLV, LLDPAD_ASSOCIATE, "fe04 001b2101"));
        assertThat(r2.offset()).isEqualTo(AFTER_LLDPAD_ASSOC);
        assertThat(r2.vdpError()).isEqualTo(INVALID_FORMAT);
    }

    @Test
    void aVdpduOfExactlyTheLargestLengthMayBeFollowedByPaddingWithoutAnEndTlv() throws Exception {
        // ...but zero padding after it is padding, which the limit does not count.
        VdpDecoder exact = new VdpDecoder(CodePoints.DEFAULT, AFTER_LLDPAD_ASSOC, 10);
        for (int pad = 1; pad <= 5; pad++) {
            Vdpdu pdu = CodecHarness.decodeAll(exact::decode, hex(MANAGER_ID_TLV, LLDPAD_ASSOCIATE, "00".repeat(pad)));
            assertThat(pdu.associations()).hasSize(1);
        }
    }

    @Test
    void theHexDumpMarksTheOffendingOctet() {
        Rejection r = CodecHarness.assertMalformed(new VdpDecoder()::decode, pdu(associate("01", "0001", "0fff")));
        String dump = r.exception().hexDump();
        assertThat(dump).contains("[0f]");
        assertThat(r.exception().getMessage())
                .contains("VID 4095")
                .contains("at offset " + (ENTRIES + CodecHarness.GUARD))
                .contains("VDP error 5")
                .endsWith(dump);
        assertThat(r.exception().reason()).doesNotContain("\n");
    }

    @Test
    void aFailedDecodeLeavesTheBufferPositionWhereItWas() {
        // Checked by the harness for every case above; this one just makes the contract visible.
        Rejection r = CodecHarness.assertMalformed(new VdpDecoder()::decode, hex("0000"));
        assertThat(r.exception()).isNotNull();
    }
}
