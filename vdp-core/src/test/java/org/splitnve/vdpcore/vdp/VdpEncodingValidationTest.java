package org.splitnve.vdpcore.vdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.splitnve.vdpcore.Generators;
import org.splitnve.vdpcore.IpText;
import org.splitnve.vdpcore.MacAddress;

/**
 * What the wire cannot carry is refused when the value is built, with IllegalArgumentException,
 * so that a bad value never reaches a peer; what depends on the link is refused by the encoder.
 */
class VdpEncodingValidationTest {

    private static final VsiId VSI = VsiId.of(UUID.fromString("11223344-5566-7788-9900-aabbccddeeff"));

    private static AssociationTlv.Builder associate() {
        return AssociationTlv.builder().typeId(4711).typeVersion(1).vsiId(VSI);
    }

    @ParameterizedTest(name = "VID {0}")
    @ValueSource(ints = {-1, 4095, 4096, 0xFFFF})
    void vidsOutside0To4094AreRejected(int vid) {
        assertThatThrownBy(() -> FilterEntry.builder().vid(vid)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "VID {0}")
    @ValueSource(ints = {0, 1, 2, 0x7F, 0x80, 0xFF, 4094})
    void vidsFrom0To4094AreAccepted(int vid) {
        assertThat(FilterEntry.builder().vid(vid).build().vid()).isEqualTo(vid);
    }

    @ParameterizedTest(name = "GroupID {0}")
    @ValueSource(longs = {0, -1, 0x1000000, 0x80000000L, 0xFFFFFFFFL, Long.MIN_VALUE})
    void groupIdZeroAndGroupIdsWiderThanAVniAreRejected(long groupId) {
        assertThatThrownBy(() -> FilterEntry.builder().groupId(groupId)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "GroupID {0}")
    @ValueSource(longs = {1, 0x7F, 0x80, 0xFF, 0x7FFFFF, 0x800000, 0xFFFFFF})
    void groupIdsFrom1To0xFfffffAreAccepted(long groupId) {
        assertThat(FilterEntry.builder().groupId(groupId).build().groupId()).isEqualTo(groupId);
        assertThat(FilterEntry.builder().vn((int) groupId).build().groupId()).isEqualTo(groupId);
    }

    @Test
    void pcpIsThreeBits() {
        assertThatThrownBy(() -> FilterEntry.builder().pcp(8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FilterEntry.builder().pcp(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FilterEntry.builder().priority(8)).isInstanceOf(IllegalArgumentException.class);
        FilterEntry e = FilterEntry.builder().priority(7).vid(4094).build();
        assertThat(e.ps()).isTrue();
        assertThat(e.psPcpVid()).isEqualTo(0xFFFE);
        assertThat(FilterEntry.builder().psPcpVid(0xD064).build()).isEqualTo(FilterEntry.builder().priority(5).vid(100).build());
        assertThatThrownBy(() -> FilterEntry.builder().psPcpVid(0x0FFF)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void groupMacsAndTheZeroMacAreRejected() {
        for (String mac : List.of("00:00:00:00:00:00", "01:00:5e:00:00:01", "ff:ff:ff:ff:ff:ff", "01:80:c2:00:00:00", "33:33:00:00:00:01")) {
            assertThatThrownBy(() -> FilterEntry.builder().mac(MacAddress.valueOf(mac))).as(mac).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> FilterEntry.builder().mac(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void unspecifiedMulticastAndBroadcastAddressesAreRejected() {
        for (String ip : List.of("0.0.0.0", "224.0.0.1", "239.255.255.255", "255.255.255.255", "::", "ff02::1", "ff0e::1")) {
            InetAddress a = IpText.parse(ip);
            assertThatThrownBy(() -> FilterEntry.builder().ip(a)).as(ip).isInstanceOf(IllegalArgumentException.class);
        }
        for (String ip : List.of("223.255.255.255", "240.0.0.1", "255.255.255.254", "::1", "fe80::1", "::ffff:10.0.0.1")) {
            assertThat(FilterEntry.builder().ip(IpText.parse(ip)).build().ip()).as(ip).isEqualTo(IpText.parse(ip));
        }
    }

    @Test
    void entriesMustCarryExactlyTheirFormatsFields() {
        FilterEntry vidOnly = FilterEntry.builder().vid(1).build();
        FilterEntry withGroup = FilterEntry.builder().groupId(1).vid(1).build();
        assertThatThrownBy(() -> FilterInfo.of(FilterFormat.MAC_VID, vidOnly)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FilterInfo.of(FilterFormat.VID, withGroup)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FilterInfo.of(FilterFormat.GROUPID_IP_VID, withGroup)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FilterInfo.of(FilterFormat.VID)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FilterInfo.of(null, vidOnly)).isInstanceOf(NullPointerException.class);
        assertThat(FilterInfo.of(FilterFormat.GROUPID_VID, withGroup).encodedLength()).isEqualTo(3 + 6);
    }

    @Test
    void anAssociationTlvOver511OctetsIsRejectedByBuildButSplitByBuildSplit() {
        // 22 fixed octets, 3 of filter header, 244 VID entries of 2: 513 octets.
        FilterEntry[] entries = new FilterEntry[244];
        Arrays.fill(entries, FilterEntry.builder().vid(100).build());
        AssociationTlv.Builder b = associate().filter(FilterFormat.VID, entries);
        assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("buildSplit");
        List<AssociationTlv> split = b.buildSplit();
        assertThat(split).hasSize(2);
        assertThat(split.get(0).valueLength()).isEqualTo(511);
        assertThat(split.get(1).filter().entries()).hasSize(1);
        // 243 entries are exactly 511 octets: one TLV.
        assertThat(associate().filter(FilterFormat.VID, Arrays.copyOf(entries, 243)).build().valueLength()).isEqualTo(511);
    }

    @Test
    void aHundredIpv6EntriesSplitIntoFiveTlvsForTheSameVsi() throws Exception {
        List<FilterEntry> entries = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            entries.add(FilterEntry.builder().vn(0x800000 + i).ip(IpText.parse("2001:db8::" + Integer.toHexString(i))).build());
        }
        AssociationTlv.Builder b = associate().type(VdpTlvType.PRE_ASSOCIATE_RR).filter(FilterInfo.of(FilterFormat.GROUPID_IP_VID, entries));
        List<AssociationTlv> tlvs = b.buildSplit();
        // Each entry is 4 + 1 + 16 + 2 = 23 octets; (511 - 25) / 23 = 21 entries per TLV.
        assertThat(tlvs).extracting(t -> t.filter().entries().size()).containsExactly(21, 21, 21, 21, 16);
        assertThat(tlvs).allSatisfy(t -> {
            assertThat(t.valueLength()).isLessThanOrEqualTo(511);
            assertThat(t.vsiId()).isEqualTo(VSI);
            assertThat(t.type()).isEqualTo(VdpTlvType.PRE_ASSOCIATE_RR);
            assertThat(t.filter().format()).isEqualTo(FilterFormat.GROUPID_IP_VID);
        });
        assertThat(tlvs.stream().flatMap(t -> t.filter().entries().stream()).toList()).isEqualTo(entries);
        // 2,455 octets in all: two VDPDUs on a standard link, each of which round-trips.
        List<Vdpdu> pdus = Vdpdu.pack(ManagerId.ofName("mgr1"), tlvs, Vdpdu.MAX_LENGTH_STANDARD_MTU);
        assertThat(pdus).extracting(p -> p.associations().size()).containsExactly(2, 3);
        for (Vdpdu pdu : pdus) {
            assertThat(pdu.encodedLength()).isLessThanOrEqualTo(Vdpdu.MAX_LENGTH_STANDARD_MTU);
            assertThat(new VdpDecoder().decode(ByteBuffer.wrap(Generators.encode(pdu)))).isEqualTo(pdu);
        }
    }

    @Test
    void buildNeedsAVsiIdAndAFilter() {
        assertThatThrownBy(() -> AssociationTlv.builder().filter(FilterFormat.VID, FilterEntry.builder().build()).build())
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> associate().build()).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> associate().buildSplit()).isInstanceOf(NullPointerException.class);
    }

    @Test
    void typeIdTypeVersionAndTypeAreChecked() {
        assertThatThrownBy(() -> AssociationTlv.builder().typeId(0x1000000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AssociationTlv.builder().typeId(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AssociationTlv.builder().typeVersion(256)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AssociationTlv.builder().type(VdpTlvType.MANAGER_ID)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AssociationTlv.builder().type(VdpTlvType.END)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AssociationTlv.builder().type(VdpTlvType.ORGANIZATIONAL)).isInstanceOf(IllegalArgumentException.class);
        AssociationTlv t = associate().typeId(0xFFFFFF).typeVersion(0xFF).filter(FilterFormat.VID, FilterEntry.builder().build()).build();
        assertThat(t.toBuilder().build()).isEqualTo(t).hasSameHashCodeAs(t);
    }

    @Test
    void statusCombinationsThatTheOctetCannotCarryAreRejected() {
        assertThatThrownBy(() -> VsiStatus.response().m(true).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VsiStatus.response().s(true).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VsiStatus.request().keep(true).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VsiStatus.request().hardError(true).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VsiStatus.request().error(VdpErrorCode.INVALID_FORMAT).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VsiStatus.request().migrationIndicationValid(true).m(true).s(true).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(VsiStatus.request().m(true).s(true).build().m()).as("legacy M and S").isTrue();
        VsiStatus r = VsiStatus.response().keep(true).error(VdpErrorCode.INVALID_VID_GROUPID_OR_MAC).build();
        assertThat(r.toBuilder().build()).isEqualTo(r).hasSameHashCodeAs(r);
        assertThat(r.toString()).contains("response").contains("keep").contains("5");
    }

    @Test
    void organizationalTlvsAreLimitedTo511Octets() {
        assertThatThrownBy(() -> OrganizationalTlv.of(1, 1, new byte[508])).isInstanceOf(IllegalArgumentException.class);
        assertThat(OrganizationalTlv.of(1, 1, new byte[507]).valueLength()).isEqualTo(511);
        assertThatThrownBy(() -> OrganizationalTlv.of(0x1000000, 1, new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OrganizationalTlv.of(1, 256, new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aVdpduNeedsAnAssociationAndFitsItsLinkOrTheEncoderRefusesIt() {
        assertThatThrownBy(() -> Vdpdu.of(ManagerId.ofNumber(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Vdpdu.of(null, associate().filter(FilterFormat.VID, FilterEntry.builder().build()).build()))
                .isInstanceOf(NullPointerException.class);

        List<AssociationTlv> many = new ArrayList<>();
        FilterEntry[] entries = new FilterEntry[200];
        Arrays.fill(entries, FilterEntry.builder().vid(100).build());
        for (int i = 0; i < 4; i++) {
            many.add(associate().filter(FilterFormat.VID, entries).build());
        }
        Vdpdu big = Vdpdu.of(ManagerId.ofNumber(1), many, List.of());
        assertThat(big.encodedLength()).isGreaterThan(Vdpdu.MAX_LENGTH_STANDARD_MTU);
        ByteBuffer out = ByteBuffer.allocate(4000);
        assertThatThrownBy(() -> new VdpEncoder().encode(big, out)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pack");
        assertThat(out.position()).isZero();
        // A jumbo link takes it.
        assertThat(new VdpEncoder(org.splitnve.vdpcore.CodePoints.DEFAULT, 9000).encode(big, out)).isEqualTo(big.encodedLength());
        // Or pack splits it.
        List<Vdpdu> packed = Vdpdu.pack(ManagerId.ofNumber(1), many, Vdpdu.MAX_LENGTH_STANDARD_MTU);
        assertThat(packed).hasSize(2);
        assertThat(packed).allSatisfy(p -> assertThat(p.encodedLength()).isLessThanOrEqualTo(Vdpdu.MAX_LENGTH_STANDARD_MTU));
        assertThatThrownBy(() -> Vdpdu.pack(ManagerId.ofNumber(1), many, 100)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Vdpdu.pack(ManagerId.ofNumber(1), List.of(), 1494)).isEmpty();
    }

    @Test
    void aVdpduOfExactly1494OctetsIsAccepted() {
        // 20 fixed octets (Manager ID TLV and End) + 2 x 513 + an org TLV of 2 + 446.
        FilterEntry[] entries = new FilterEntry[243];
        Arrays.fill(entries, FilterEntry.builder().vid(1).build());
        AssociationTlv full = associate().filter(FilterFormat.VID, entries).build();
        Vdpdu pdu = Vdpdu.of(ManagerId.ofNumber(1), List.of(full, full), List.of(OrganizationalTlv.of(1, 1, new byte[442])));
        assertThat(pdu.encodedLength()).isEqualTo(1494);
        assertThat(Generators.encode(pdu)).hasSize(1494);
    }

    @Test
    void tooSmallABufferThrowsAndWritesNothing() {
        Vdpdu pdu = Vdpdu.of(ManagerId.ofName("mgr1"), associate().filter(FilterFormat.VID, FilterEntry.builder().build()).build());
        ByteBuffer out = ByteBuffer.allocate(pdu.encodedLength() + 3).position(4);
        Arrays.fill(out.array(), (byte) 0x5A);
        assertThatThrownBy(() -> new VdpEncoder().encode(pdu, out)).isInstanceOf(BufferOverflowException.class);
        assertThat(out.position()).isEqualTo(4);
        assertThat(out.array()).containsOnly(0x5A);
        ByteBuffer exact = ByteBuffer.allocate(pdu.encodedLength());
        assertThat(new VdpEncoder().encode(pdu, exact)).isEqualTo(pdu.encodedLength());
        assertThat(exact.hasRemaining()).isFalse();
    }

    @Test
    void tlvTypesAndErrorCodesCoverTheirWholeRanges() {
        for (int i = 0; i < 128; i++) {
            assertThat(VdpTlvType.valueOf(i).value()).isEqualTo(i);
            assertThat(VdpTlvType.valueOf(i).isAssociation()).isEqualTo(i >= 1 && i <= 4);
        }
        for (int i = 0; i < 16; i++) {
            assertThat(VdpErrorCode.valueOf(i).value()).isEqualTo(i);
        }
        assertThatThrownBy(() -> VdpTlvType.valueOf(128)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VdpErrorCode.valueOf(16)).isInstanceOf(IllegalArgumentException.class);
        assertThat(VdpTlvType.PRE_ASSOCIATE_RR).hasToString("pre-associate-rr");
        assertThat(VdpErrorCode.SUCCESS.isSuccess()).isTrue();
        assertThat(VdpErrorCode.valueOf(9).name()).isEqualTo("reserved");
    }

    @Test
    void withVidIsHowABridgeAnswersANullVid() {
        FilterEntry request = FilterEntry.builder().vn(100).mac(MacAddress.valueOf("02:00:00:00:00:01")).build();
        FilterEntry answer = request.withVid(42);
        assertThat(answer.vid()).isEqualTo(42);
        assertThat(answer.groupId()).isEqualTo(100);
        assertThat(answer.mac()).isEqualTo(request.mac());
        assertThat(request.vid()).isEqualTo(FilterEntry.NULL_VID);
        assertThat(answer.toString()).contains("groupId=100").contains("vid=42");
    }
}
