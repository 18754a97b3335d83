package org.splitnve.vdpcore.vdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.splitnve.vdpcore.CodePoints;
import org.splitnve.vdpcore.CodecHarness;
import org.splitnve.vdpcore.Generators;
import org.splitnve.vdpcore.HexDump;
import org.splitnve.vdpcore.Invariants;
import org.splitnve.vdpcore.Seeds;
import org.splitnve.vdpcore.Seeds.Case;

/**
 * Seeded random VDPDUs (every TLV type, status, VSI ID format and filter format, IPv4 and IPv6
 * entries mixed, optional organizational TLVs): they round-trip, and no truncation or bit flip of
 * their octets makes the decoder throw anything but its checked exception.
 */
class VdpPropertyTest {

    private static final VdpDecoder DECODER = new VdpDecoder();

    static Stream<Arguments> vdpdus() {
        return Seeds.cases("vdpdu", 400, Generators::vdpdu);
    }

    static Stream<Arguments> vdpdusToMutate() {
        return Seeds.cases("vdpdu-mutations", 40, Generators::vdpdu);
    }

    @ParameterizedTest
    @MethodSource("vdpdus")
    void decodingAnEncodedVdpduGivesItBack(Case<Vdpdu> c) throws Exception {
        byte[] octets = Generators.encode(c.value());
        assertThat(octets).as(c::describe).hasSize(c.value().encodedLength());
        Vdpdu decoded = CodecHarness.decodeAll(DECODER::decode, octets);
        assertThat(decoded).as(c::describe).isEqualTo(c.value()).hasSameHashCodeAs(c.value());
    }

    @ParameterizedTest
    @MethodSource("vdpdus")
    void reEncodingADecodedVdpduIsByteIdentical(Case<Vdpdu> c) throws Exception {
        byte[] octets = Generators.encode(c.value());
        Vdpdu decoded = DECODER.decode(ByteBuffer.wrap(octets));
        assertThat(HexDump.hex(Generators.encode(decoded))).as(c::describe).isEqualTo(HexDump.hex(octets));
    }

    @ParameterizedTest
    @MethodSource("vdpdusToMutate")
    void everyTruncatedPrefixIsRejectedOrDecodesToAValueThatRoundTrips(Case<Vdpdu> c) {
        byte[] octets = Generators.encode(c.value());
        for (int n = 0; n < octets.length; n++) {
            byte[] prefix = Arrays.copyOf(octets, n);
            int len = n;
            Vdpdu v = Invariants.decodeOrReject(DECODER::decode, prefix, () -> c.describe() + ", prefix " + len);
            if (v != null) {
                Invariants.vdpduRoundTrips(v, CodePoints.DEFAULT, prefix, () -> c.describe() + ", prefix " + len);
            }
        }
        // Dropping only the End TLV is what lldpad sends; that must decode to the same VDPDU.
        byte[] noEnd = Arrays.copyOf(octets, octets.length - 2);
        assertThat(Invariants.decodeOrReject(DECODER::decode, noEnd, c::describe)).as(c::describe).isEqualTo(c.value());
    }

    @ParameterizedTest
    @MethodSource("vdpdusToMutate")
    void everySingleBitFlipIsRejectedOrDecodesToAValueThatRoundTrips(Case<Vdpdu> c) {
        byte[] octets = Generators.encode(c.value());
        int decoded = 0;
        for (int bit = 0; bit < octets.length * 8; bit++) {
            byte[] flipped = octets.clone();
            flipped[bit >>> 3] ^= (byte) (0x80 >>> (bit & 7));
            int b = bit;
            Vdpdu v = Invariants.decodeOrReject(DECODER::decode, flipped, () -> c.describe() + ", bit " + b + " flipped");
            if (v != null) {
                decoded++;
                Invariants.vdpduRoundTrips(v, CodePoints.DEFAULT, flipped, () -> c.describe() + ", bit " + b + " flipped");
            }
        }
        // Most flips land in IDs, addresses and VIDs, which take any value: the valid path is exercised.
        assertThat(decoded).as(c::describe).isPositive();
    }

    static Stream<Arguments> registries() {
        return Seeds.cases("code-points", 100, r -> {
            int[] codes = r.ints(5, 256).distinct().limit(3).toArray();
            CodePoints cp = CodePoints.builder().groupIdIpVid(codes[0]).groupIdMacIpVid(codes[1]).macIpVid(codes[2])
                    .migrationIndicationValidBit(r.nextBoolean() ? 0x80 : 0).build();
            Vdpdu pdu = Generators.vdpdu(r);
            if (cp.migrationIndicationValidBit() == 0) {
                pdu = withoutMigrationIndication(pdu);
            }
            return new Object[] {cp, pdu};
        });
    }

    @ParameterizedTest
    @MethodSource("registries")
    void anyRegistryRoundTripsWithItself(Case<Object[]> c) throws Exception {
        CodePoints cp = (CodePoints) c.value()[0];
        Vdpdu pdu = (Vdpdu) c.value()[1];
        byte[] octets = Generators.encode(pdu, new VdpEncoder(cp));
        assertThat(new VdpDecoder(cp).decode(ByteBuffer.wrap(octets))).as(c::describe).isEqualTo(pdu);
    }

    static Stream<Arguments> largeAddressSets() {
        return Seeds.cases("split", 100, r -> {
            FilterFormat format = Generators.filterFormat(r);
            List<FilterEntry> entries = new ArrayList<>();
            for (int i = 1 + r.nextInt(300); i > 0; i--) {
                entries.add(Generators.filterEntry(r, format));
            }
            FilterInfo all = FilterInfo.of(format, entries);
            return new SplitCase(AssociationTlv.builder().type(Generators.associationType(r)).status(Generators.status(r))
                    .typeId(r.nextInt(0x1000000)).typeVersion(r.nextInt(256)).vsiId(Generators.vsiId(r))
                    .filter(all), all);
        });
    }

    record SplitCase(AssociationTlv.Builder builder, FilterInfo all) {
        @Override
        public String toString() {
            return all.entries().size() + " " + all.format() + " entries";
        }
    }

    @ParameterizedTest
    @MethodSource("largeAddressSets")
    void buildSplitKeepsEveryEntryInOrderInTlvsOfAtMost511Octets(Case<SplitCase> c) throws Exception {
        AssociationTlv.Builder b = c.value().builder();
        FilterInfo all = c.value().all();
        List<AssociationTlv> tlvs = b.buildSplit();
        List<FilterEntry> joined = new ArrayList<>();
        for (int i = 0; i < tlvs.size(); i++) {
            AssociationTlv t = tlvs.get(i);
            assertThat(t.valueLength()).as(c::describe).isLessThanOrEqualTo(AssociationTlv.MAX_VALUE_LENGTH);
            assertThat(t.filter().format()).isEqualTo(all.format());
            assertThat(t.vsiId()).isEqualTo(tlvs.get(0).vsiId());
            assertThat(t.type()).isEqualTo(tlvs.get(0).type());
            assertThat(t.status()).isEqualTo(tlvs.get(0).status());
            assertThat(t.typeId()).isEqualTo(tlvs.get(0).typeId());
            assertThat(t.typeVersion()).isEqualTo(tlvs.get(0).typeVersion());
            if (i + 1 < tlvs.size()) {
                // Greedy: the next TLV's first entry would not have fitted in this one.
                int next = tlvs.get(i + 1).filter().entries().get(0).encodedLength();
                assertThat(t.valueLength() + next).as(c::describe).isGreaterThan(AssociationTlv.MAX_VALUE_LENGTH);
            }
            joined.addAll(t.filter().entries());
            Vdpdu one = Vdpdu.of(ManagerId.ofNumber(1), t);
            assertThat(DECODER.decode(ByteBuffer.wrap(Generators.encode(one)))).isEqualTo(one);
        }
        assertThat(joined).as(c::describe).isEqualTo(all.entries());
        // The builder is left as it was: building again gives the same split.
        assertThat(b.buildSplit()).isEqualTo(tlvs);
    }

    static Stream<Arguments> manyAssociations() {
        return Seeds.cases("pack", 60, r -> {
            List<AssociationTlv> tlvs = new ArrayList<>();
            for (int i = 1 + r.nextInt(200); i > 0; i--) {
                tlvs.add(Generators.associationTlv(r, 1 + r.nextInt(12)));
            }
            return tlvs;
        });
    }

    @ParameterizedTest
    @MethodSource("manyAssociations")
    void packFillsVdpdusOfAtMost1494OctetsInOrder(Case<List<AssociationTlv>> c) throws Exception {
        ManagerId mgr = ManagerId.ofName("mgr1");
        List<Vdpdu> pdus = Vdpdu.pack(mgr, c.value(), Vdpdu.MAX_LENGTH_STANDARD_MTU);
        List<AssociationTlv> joined = new ArrayList<>();
        for (int i = 0; i < pdus.size(); i++) {
            Vdpdu p = pdus.get(i);
            assertThat(p.encodedLength()).as(c::describe).isLessThanOrEqualTo(Vdpdu.MAX_LENGTH_STANDARD_MTU);
            assertThat(p.managerId()).isEqualTo(mgr);
            byte[] octets = Generators.encode(p);
            assertThat(DECODER.decode(ByteBuffer.wrap(octets))).isEqualTo(p);
            if (i + 1 < pdus.size()) {
                int next = 2 + pdus.get(i + 1).associations().get(0).valueLength();
                assertThat(p.encodedLength() + next).as(c::describe).isGreaterThan(Vdpdu.MAX_LENGTH_STANDARD_MTU);
            }
            joined.addAll(p.associations());
        }
        assertThat(joined).as(c::describe).isEqualTo(c.value());
    }

    private static Vdpdu withoutMigrationIndication(Vdpdu pdu) {
        List<AssociationTlv> a = new ArrayList<>();
        for (AssociationTlv t : pdu.associations()) {
            VsiStatus s = t.status();
            VsiStatus.Builder sb = s.toBuilder().migrationIndicationValid(false);
            a.add(t.toBuilder().status(sb.build()).build());
        }
        return Vdpdu.of(pdu.managerId(), a, pdu.organizational());
    }
}
