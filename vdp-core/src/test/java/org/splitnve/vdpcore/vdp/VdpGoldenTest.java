package org.splitnve.vdpcore.vdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitnve.vdpcore.CodecHarness.hex;

import java.net.InetAddress;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.splitnve.vdpcore.CodecHarness;
import org.splitnve.vdpcore.IpText;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.MalformedFrameException;

/**
 * Every VDP TLV, status octet, VSI ID format and filter format as octets written by hand from the
 * wire reference, so that the codec is checked against the document and not against itself.
 */
class VdpGoldenTest {

    private static final VdpDecoder DECODER = new VdpDecoder();
    private static final VdpEncoder ENCODER = new VdpEncoder();

    /** lldpad's mgrid2 "mgr1": ASCII, left-justified, zero-filled. */
    private static final String MANAGER_ID_TLV = ""
            + "0a10"                                  // type 5 (Manager ID), length 16
            + "6d677231 00000000 00000000 00000000";  // "mgr1" and twelve zero octets
    private static final String END = "0000";
    private static final String UUID_HEX = "11223344556677889900aabbccddeeff";
    private static final VsiId UUID_ID = VsiId.of(UUID.fromString("11223344-5566-7788-9900-aabbccddeeff"));

    private static Vdpdu golden(byte[] octets) {
        return CodecHarness.assertGolden(DECODER::decode, ENCODER::encode, octets);
    }

    /** The value of an Associate as lldpad sends it, with the status octet left to the caller. */
    private static String lldpadAssociateValue(String status) {
        return status
                + "001267"                   // VSI Type ID 4711
                + "01"                       // VSI Type Version 1
                + "05"                       // VSI ID format: UUID
                + UUID_HEX                   // VSI ID
                + "04"                       // filter format 4: GroupID/MAC/VID
                + "0001"                     // one entry
                + "00000064"                 //   GroupID 100
                + "02000000aa01"             //   MAC 02:00:00:00:aa:01
                + "0000";                    //   PS 0, PCP 0, VID 0 (null: the bridge chooses)
    }

    @Test
    void lldpadStyleAssociateWithGroupIdAndNullVidAsksTheBridgeToChoose() {
        Vdpdu pdu = golden(hex(
                MANAGER_ID_TLV,
                "0625",                      // type 3 (Associate), length 37
                lldpadAssociateValue("00"),  // status: request, no migration information
                END));

        assertThat(pdu.managerId()).isEqualTo(ManagerId.ofName("mgr1"));
        assertThat(pdu.associations()).hasSize(1);
        assertThat(pdu.organizational()).isEmpty();
        AssociationTlv t = pdu.associations().get(0);
        assertThat(t.type()).isEqualTo(VdpTlvType.ASSOCIATE);
        assertThat(t.status()).isEqualTo(VsiStatus.REQUEST);
        assertThat(t.typeId()).isEqualTo(4711);
        assertThat(t.typeVersion()).isEqualTo(1);
        assertThat(t.vsiId()).isEqualTo(UUID_ID);
        assertThat(t.filter().format()).isEqualTo(FilterFormat.GROUPID_MAC_VID);
        FilterEntry e = t.filter().entries().get(0);
        assertThat(e.groupId()).isEqualTo(100);
        assertThat(e.mac()).isEqualTo(MacAddress.valueOf("02:00:00:00:aa:01"));
        assertThat(e.ip()).isNull();
        assertThat(e.vid()).isEqualTo(FilterEntry.NULL_VID);
        assertThat(e.ps()).isFalse();
        assertThat(e.pcp()).isZero();
        assertThat(t.valueLength()).isEqualTo(37);
        assertThat(pdu.encodedLength()).isEqualTo(59);
    }

    @Test
    void theSameAssociateBuiltFromValuesEncodesToTheLldpadOctets() {
        AssociationTlv t = AssociationTlv.builder()
                .type(VdpTlvType.ASSOCIATE)
                .typeId(4711)
                .typeVersion(1)
                .vsiId(UUID_ID)
                .filter(FilterFormat.GROUPID_MAC_VID,
                        FilterEntry.builder().vn(100).mac(MacAddress.valueOf("02:00:00:00:aa:01")).vid(0).build())
                .build();
        byte[] encoded = CodecHarness.encode(ENCODER::encode, Vdpdu.of(ManagerId.ofName("mgr1"), t));
        assertThat(encoded).isEqualTo(hex(MANAGER_ID_TLV, "0625", lldpadAssociateValue("00"), END));
    }

    @Test
    void managerIdTlvCarriesItsSixteenOctetsVerbatim() {
        Vdpdu pdu = golden(hex(
                "0a10",                                 // Manager ID, length 16
                "00112233445566778899aabbccddeeff",     // an opaque ID, high bits set in most octets
                "0625", lldpadAssociateValue("00"),
                END));
        assertThat(pdu.managerId()).isEqualTo(ManagerId.ofHex("00112233445566778899aabbccddeeff"));
        assertThat(pdu.managerId().toHex()).isEqualTo("00112233445566778899aabbccddeeff");
    }

    @ParameterizedTest(name = "type {0} header {1}")
    @CsvSource({
        "1, 0225",   // Pre-Associate: 1 << 9 | 37
        "2, 0425",   // Pre-Associate with resource reservation: 2 << 9 | 37
        "3, 0625",   // Associate
        "4, 0825",   // De-Associate
    })
    void eachAssociationTlvTypeSitsInTheTopSevenBitsOfTheHeader(int type, String header) {
        Vdpdu pdu = golden(hex(MANAGER_ID_TLV, header, lldpadAssociateValue("00"), END));
        assertThat(pdu.associations().get(0).type()).isEqualTo(VdpTlvType.valueOf(type));
        assertThat(pdu.associations().get(0).type().isAssociation()).isTrue();
    }

    @ParameterizedTest(name = "request status {0}")
    @CsvSource({
        // octet, 0x80 migration indication valid, M, S
        "00, false, false, false",   // legacy: no information
        "10, false, true,  false",   // M: migrating to this station
        "20, false, false, true",    // S: migrating away, or suspended
        "30, false, true,  true",    // legacy peers may set both; only with 0x80 is that an error
        "80, true,  false, false",   // explicitly not a migration
        "90, true,  true,  false",   // migration, this station is the destination
        "a0, true,  false, true",    // migration, this station is the source
    })
    void requestStatusOctetCarriesMSAndTheMigrationIndication(String octet, boolean mi, boolean m, boolean s) {
        Vdpdu pdu = golden(hex(MANAGER_ID_TLV, "0625", lldpadAssociateValue(octet), END));
        VsiStatus status = pdu.associations().get(0).status();
        assertThat(status.isResponse()).isFalse();
        assertThat(status.migrationIndicationValid()).isEqualTo(mi);
        assertThat(status.m()).isEqualTo(m);
        assertThat(status.s()).isEqualTo(s);
        assertThat(status.keep()).isFalse();
        assertThat(status.hardError()).isFalse();
        assertThat(status.error()).isEqualTo(VdpErrorCode.SUCCESS);
        assertThat(ENCODER.statusOctet(status)).isEqualTo(Integer.parseInt(octet, 16));
    }

    @ParameterizedTest(name = "response status {0}")
    @CsvSource({
        // octet, echoed 0x80, keep, hard error, error code
        "40, false, false, false, 0",   // success
        "60, false, true,  false, 0",   // keep: refused, previous state kept
        "50, false, false, true,  0",   // hard error
        "41, false, false, false, 1",   // invalid format
        "42, false, false, false, 2",   // insufficient resources
        "43, false, false, false, 3",   // unable to contact the VSI manager
        "44, false, false, false, 4",   // other failure
        "45, false, false, false, 5",   // invalid VID, GroupID or MAC
        "65, false, true,  false, 5",   // keep with a reason
        "75, false, true,  true,  5",
        "c0, true,  false, false, 0",   // a bridge that supports the migration indication echoes 0x80
        "cf, true,  false, false, 15",  // reserved codes still decode, for logs
    })
    void responseStatusOctetCarriesKeepHardErrorAndTheErrorCode(String octet, boolean mi, boolean keep, boolean hard, int code) {
        Vdpdu pdu = golden(hex(MANAGER_ID_TLV, "0625", lldpadAssociateValue(octet), END));
        VsiStatus status = pdu.associations().get(0).status();
        assertThat(status.isResponse()).isTrue();
        assertThat(status.migrationIndicationValid()).isEqualTo(mi);
        assertThat(status.keep()).isEqualTo(keep);
        assertThat(status.hardError()).isEqualTo(hard);
        assertThat(status.error().value()).isEqualTo(code);
        assertThat(status.m()).isFalse();
        assertThat(status.s()).isFalse();
        assertThat(ENCODER.statusOctet(status)).isEqualTo(Integer.parseInt(octet, 16));
    }

    @Test
    void aBridgeInitiatedDeAssociateIsTypeFourWithTheResponseBitClear() {
        Vdpdu pdu = golden(hex(MANAGER_ID_TLV, "0825", lldpadAssociateValue("00"), END));
        AssociationTlv t = pdu.associations().get(0);
        assertThat(t.type()).isEqualTo(VdpTlvType.DE_ASSOCIATE);
        assertThat(t.status().isResponse()).isFalse();
    }

    @ParameterizedTest(name = "VSI ID format {0}: {2}")
    @CsvSource({
        "01, 00000000000000000000ffff0a000001, 10.0.0.1",                  // IPv4 as ::ffff:a.b.c.d
        "01, 00000000000000000000ffff80ff7f01, 128.255.127.1",             // octets that sign-extend
        "02, 20010db8000000000000000000000001, 2001:db8::1",
        "02, fe800000000000000000000000ff0080, fe80::ff:80",
        "03, 0000000000000000000002000000aa01, 02:00:00:00:aa:01",         // MAC in the last six octets
        "03, 00000000000000000000ffffffffffff, ff:ff:ff:ff:ff:ff",
        "04, 000102030405060708090a0b0c0d0e0f, 000102030405060708090a0b0c0d0e0f",
        "05, 11223344556677889900aabbccddeeff, 11223344-5566-7788-9900-aabbccddeeff",
        "05, 80000000000000008000000000000000, 80000000-0000-0000-8000-000000000000",
    })
    void everyVsiIdFormatHasItsSixteenOctetLayout(String format, String id, String text) {
        Vdpdu pdu = golden(hex(
                MANAGER_ID_TLV,
                "0625",
                "00 001267 01",
                format,                     // VSI ID format
                id,                         // VSI ID
                "04 0001 00000064 02000000aa01 0000",
                END));
        VsiId vsiId = pdu.associations().get(0).vsiId();
        VsiIdFormat f = VsiIdFormat.valueOf(Integer.parseInt(format, 16));
        assertThat(vsiId.format()).isEqualTo(f);
        assertThat(vsiId).hasToString(text);
        assertThat(vsiId).isEqualTo(VsiId.parse(f, text));
    }

    @Test
    void vidFormatEntryWithPsAndPcpFiveAndVid100IsD064() {
        Vdpdu pdu = golden(hex(
                MANAGER_ID_TLV,
                "061b",                      // Associate, length 27
                "00 001267 01 05", UUID_HEX,
                "01",                        // filter format 1: VID
                "0001",                      // one entry
                "d064",                      // PS 1, PCP 5, VID 100
                END));
        FilterEntry e = pdu.associations().get(0).filter().entries().get(0);
        assertThat(e.ps()).isTrue();
        assertThat(e.pcp()).isEqualTo(5);
        assertThat(e.vid()).isEqualTo(100);
        assertThat(e.psPcpVid()).isEqualTo(0xD064);
        assertThat(FilterEntry.builder().priority(5).vid(100).build()).isEqualTo(e);
    }

    @Test
    void macVidFormatWithTwoEntriesInOneTlv() {
        Vdpdu pdu = golden(hex(
                MANAGER_ID_TLV,
                "0629",                      // Associate, length 41
                "00 001267 01 05", UUID_HEX,
                "02",                        // filter format 2: MAC/VID
                "0002",                      // two entries
                "020000000001 0064",         //   MAC, VID 100
                "020000000002 8065",         //   MAC, PS 1 PCP 0, VID 101
                END));
        FilterInfo f = pdu.associations().get(0).filter();
        assertThat(f.format()).isEqualTo(FilterFormat.MAC_VID);
        assertThat(f.entries()).containsExactly(
                FilterEntry.builder().mac(MacAddress.valueOf("02:00:00:00:00:01")).vid(100).build(),
                FilterEntry.builder().mac(MacAddress.valueOf("02:00:00:00:00:02")).ps(true).vid(101).build());
    }

    @Test
    void groupIdVidFormat() {
        Vdpdu pdu = golden(hex(
                MANAGER_ID_TLV,
                "061f",                      // Associate, length 31
                "00 001267 01 05", UUID_HEX,
                "03",                        // filter format 3: GroupID/VID
                "0001",
                "00000064 0064",             // GroupID 100, VID 100
                END));
        assertThat(pdu.associations().get(0).filter()).isEqualTo(
                FilterInfo.of(FilterFormat.GROUPID_VID, FilterEntry.builder().groupId(100).vid(100).build()));
    }

    @Test
    void groupIdIpVidFormatMixesIpv4AndIpv6EntriesInOneTlv() {
        Vdpdu pdu = golden(hex(
                MANAGER_ID_TLV,
                "063b",                      // Associate, length 59
                "00 001267 01 05", UUID_HEX,
                "05",                        // [project] filter format 0x05: GroupID/IP/VID
                "0002",
                "00000064 01 0a000001 0064",                           // GroupID 100, AF 1, 10.0.0.1, VID 100
                "00000064 02 20010db8000000000000000000000001 0064",   // GroupID 100, AF 2, 2001:db8::1, VID 100
                END));
        FilterInfo f = pdu.associations().get(0).filter();
        assertThat(f.format()).isEqualTo(FilterFormat.GROUPID_IP_VID);
        assertThat(f.entries()).extracting(FilterEntry::ip)
                .containsExactly(IpText.parse("10.0.0.1"), IpText.parse("2001:db8::1"));
        assertThat(f.entries()).extracting(FilterEntry::addressFamily).containsExactly(1, 2);
        assertThat(f.entries()).extracting(FilterEntry::encodedLength).containsExactly(11, 23);
    }

    @Test
    void groupIdMacIpVidFormatMixesIpv4AndIpv6EntriesInOneTlv() {
        Vdpdu pdu = golden(hex(
                MANAGER_ID_TLV,
                "0647",                      // Associate, length 71
                "00 001267 01 05", UUID_HEX,
                "06",                        // [project] filter format 0x06: GroupID/MAC/IP/VID
                "0002",
                "00000064 020000000001 01 c0000201 0064",                          // 192.0.2.1
                "00abcdef 020000000002 02 fe800000000000000000000000000001 8ffe",  // fe80::1, PS, VID 4094
                END));
        FilterInfo f = pdu.associations().get(0).filter();
        assertThat(f.format()).isEqualTo(FilterFormat.GROUPID_MAC_IP_VID);
        FilterEntry second = f.entries().get(1);
        assertThat(second.groupId()).isEqualTo(0xABCDEF);
        assertThat(second.mac()).isEqualTo(MacAddress.valueOf("02:00:00:00:00:02"));
        assertThat(second.ip()).isEqualTo(IpText.parse("fe80::1"));
        assertThat(second.ps()).isTrue();
        assertThat(second.vid()).isEqualTo(4094);
    }

    @Test
    void macIpVidFormatMixesIpv6AndIpv4EntriesInOneTlv() {
        Vdpdu pdu = golden(hex(
                MANAGER_ID_TLV,
                "063f",                      // Associate, length 63
                "00 001267 01 05", UUID_HEX,
                "07",                        // [project] filter format 0x07: MAC/IP/VID
                "0002",
                "020000000001 02 20010db8000000000000000000000002 0064",   // 2001:db8::2
                "020000000001 01 c0a80001 0064",                           // 192.168.0.1, same MAC: dual stack
                END));
        FilterInfo f = pdu.associations().get(0).filter();
        assertThat(f.format()).isEqualTo(FilterFormat.MAC_IP_VID);
        assertThat(f.entries()).extracting(FilterEntry::ip)
                .containsExactly(IpText.parse("2001:db8::2"), IpText.parse("192.168.0.1"));
    }

    @Test
    void anIpv4MappedFilterAddressStaysIpv6OnTheWire() {
        Vdpdu pdu = golden(hex(
                MANAGER_ID_TLV,
                "0632",                      // Associate, length 50
                "00 001267 01 05", UUID_HEX,
                "07", "0001",
                "020000000001 02 00000000000000000000ffffc0000201 0064",   // AF 2, ::ffff:192.0.2.1
                END));
        FilterEntry e = pdu.associations().get(0).filter().entries().get(0);
        assertThat(e.addressFamily()).isEqualTo(FilterEntry.AF_IPV6);
        assertThat(e.ip().getAddress()).hasSize(16);
    }

    @Test
    void organizationalTlvsFollowTheAssociations() {
        Vdpdu pdu = golden(hex(
                MANAGER_ID_TLV,
                "0625", lldpadAssociateValue("00"),
                "fe06",                      // type 127 (organizational), length 6
                "001b21",                    //   OUI
                "01",                        //   subtype
                "cafe",                      //   data
                "fe04 0080c2 ff",            // one with no data at all
                END));
        assertThat(pdu.organizational()).containsExactly(
                OrganizationalTlv.of(0x001B21, 1, new byte[] {(byte) 0xCA, (byte) 0xFE}),
                OrganizationalTlv.of(0x0080C2, 0xFF, new byte[0]));
    }

    @Test
    void severalAssociationTlvsAfterOneManagerId() {
        Vdpdu pdu = golden(hex(
                MANAGER_ID_TLV,
                "0225",                      // Pre-Associate, length 37
                "00 001267 01 05 11111111111111111111111111111111 04 0001 00000064 02000000aa01 0000",
                "0625",                      // Associate, length 37
                "90 001267 01 05 22222222222222222222222222222222 04 0001 00000065 02000000aa02 0000",
                "0825",                      // De-Associate, length 37
                "00 001267 01 05 33333333333333333333333333333333 04 0001 00000066 02000000aa03 0000",
                END));
        assertThat(pdu.associations()).extracting(AssociationTlv::type)
                .containsExactly(VdpTlvType.PRE_ASSOCIATE, VdpTlvType.ASSOCIATE, VdpTlvType.DE_ASSOCIATE);
        assertThat(pdu.associations()).extracting(t -> t.filter().entries().get(0).groupId())
                .containsExactly(100L, 101L, 102L);
        assertThat(pdu.associations().get(1).status().m()).isTrue();
    }

    @Test
    void anLldpadStyleVdpduWithoutEndTlvAndWithZeroPaddingDecodes() throws MalformedFrameException {
        Vdpdu canonical = golden(hex(MANAGER_ID_TLV, "0625", lldpadAssociateValue("00"), END));
        // No End TLV, then zero padding of every length, odd ones included: ECP pads the frame, and
        // the frame length says nothing about where the VDPDU ends.
        for (int pad = 0; pad <= 20; pad++) {
            byte[] octets = hex(MANAGER_ID_TLV, "0625", lldpadAssociateValue("00"), "00".repeat(pad));
            assertThat(CodecHarness.decodeAll(DECODER::decode, octets)).as("padding %d", pad).isEqualTo(canonical);
        }
    }

    @Test
    void zeroPaddingAfterTheEndTlvIsConsumed() throws MalformedFrameException {
        Vdpdu canonical = golden(hex(MANAGER_ID_TLV, "0625", lldpadAssociateValue("00"), END));
        for (int pad = 0; pad <= 20; pad++) {
            byte[] octets = hex(MANAGER_ID_TLV, "0625", lldpadAssociateValue("00"), END, "00".repeat(pad));
            assertThat(CodecHarness.decodeAll(DECODER::decode, octets)).as("padding %d", pad).isEqualTo(canonical);
        }
    }

    @ParameterizedTest(name = "GroupID {0}")
    @CsvSource({
        "00000001, 1",
        "0000007f, 127",
        "00000080, 128",             // the low octet's sign bit
        "000000ff, 255",
        "00007fff, 32767",
        "00008000, 32768",
        "007fffff, 8388607",
        "00800000, 8388608",         // the VNI's top bit: sign extension of a 24-bit field shows here
        "00ffffff, 16777215",        // the largest VNI
    })
    void groupIdAndVniBoundariesSurviveTheRoundTrip(String groupId, long expected) {
        Vdpdu pdu = golden(hex(
                MANAGER_ID_TLV, "061f",
                "00 001267 01 05", UUID_HEX,
                "03 0001", groupId, "0064",
                END));
        assertThat(pdu.associations().get(0).filter().entries().get(0).groupId()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "type ID {0}, version {2}")
    @CsvSource({
        "000000, 0,        00, 0",
        "00007f, 127,      7f, 127",
        "000080, 128,      80, 128",
        "0000ff, 255,      ff, 255",
        "7fffff, 8388607,  01, 1",
        "800000, 8388608,  80, 128",
        "ffffff, 16777215, ff, 255",
    })
    void typeIdAndTypeVersionBoundariesSurviveTheRoundTrip(String typeId, int id, String version, int v) {
        Vdpdu pdu = golden(hex(
                MANAGER_ID_TLV, "0625",
                "00", typeId, version, "05", UUID_HEX,
                "04 0001 00000064 02000000aa01 0000",
                END));
        AssociationTlv t = pdu.associations().get(0);
        assertThat(t.typeId()).isEqualTo(id);
        assertThat(t.typeVersion()).isEqualTo(v);
    }

    @ParameterizedTest(name = "PS/PCP/VID {0}")
    @CsvSource({
        "0000, false, 0, 0",
        "0001, false, 0, 1",
        "007f, false, 0, 127",
        "0080, false, 0, 128",
        "00ff, false, 0, 255",
        "0800, false, 0, 2048",
        "0ffe, false, 0, 4094",      // the largest VID
        "8000, true,  0, 0",         // PS alone: the word's sign bit
        "7ffe, false, 7, 4094",
        "fffe, true,  7, 4094",
        "d064, true,  5, 100",
    })
    void psPcpVidWordBoundariesSurviveTheRoundTrip(String word, boolean ps, int pcp, int vid) {
        Vdpdu pdu = golden(hex(
                MANAGER_ID_TLV, "061b",
                "00 001267 01 05", UUID_HEX,
                "01 0001", word,
                END));
        FilterEntry e = pdu.associations().get(0).filter().entries().get(0);
        assertThat(e.ps()).isEqualTo(ps);
        assertThat(e.pcp()).isEqualTo(pcp);
        assertThat(e.vid()).isEqualTo(vid);
        assertThat(e.psPcpVid()).isEqualTo(Integer.parseInt(word, 16));
    }

    @Test
    void aMacWithTheTopBitSetIsStillUnicast() {
        // 0x80 in the first octet is not the I/G bit (0x01): such addresses must pass.
        Vdpdu pdu = golden(hex(
                MANAGER_ID_TLV, "0621",      // Associate, length 33
                "00 001267 01 05", UUID_HEX,
                "02 0001", "fefffffffffe 0064",
                END));
        assertThat(pdu.associations().get(0).filter().entries().get(0).mac()).isEqualTo(MacAddress.valueOf("fe:ff:ff:ff:ff:fe"));
    }

    @Test
    void filterAddressesNextToTheForbiddenRangesAreAccepted() throws Exception {
        // 223.x and 240.x flank the IPv4 multicast block; 255.255.255.254 is next to broadcast.
        Vdpdu pdu = golden(hex(
                MANAGER_ID_TLV, "0640",      // Associate, length 64
                "00 001267 01 05", UUID_HEX,
                "07 0003",
                "020000000001 01 dfffffff 0064",
                "020000000001 01 f0000000 0064",
                "020000000001 01 fffffffe 0064",
                END));
        assertThat(pdu.associations().get(0).filter().entries()).extracting(FilterEntry::ip).containsExactly(
                InetAddress.getByName("223.255.255.255"), InetAddress.getByName("240.0.0.0"),
                InetAddress.getByName("255.255.255.254"));
    }
}
