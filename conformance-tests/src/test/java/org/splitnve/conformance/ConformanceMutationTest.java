package org.splitnve.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.splitnve.ecptransport.ecp.TransportFault;
import org.splitnve.nnve.BridgeFault;
import org.splitnve.tnve.StationFault;

/**
 * Mutation tests of the suite: it runs against our own nNVE and tNVE with one deliberate defect switched
 * on at a time ({@link TransportFault}, {@link BridgeFault}, {@link StationFault}), and the check meant
 * for the defect must fail on evidence (not as "not tested"). Against a bridge only the meant checks run
 * ({@code --only}); against a station the whole suite runs, as it must. The runs are in real time and
 * mostly wait, so they run four at a time. The table of (defect, check that caught it) is printed at the
 * end; every check of both roles has a defect meant for it, except the station's filter formats without a
 * GroupID, which our tNVE does not send while GroupID is negotiated.
 */
@Execution(ExecutionMode.CONCURRENT)
class ConformanceMutationTest {

    /** Station checks no defect of our tNVE can reach: it never sends these formats while GroupID is negotiated. */
    static final Set<String> STATION_CHECKS_OUR_STATION_GIVES_NO_OCCASION = Set.of("vdp.filter.vid", "vdp.filter.mac-vid", "vdp.filter.mac-ip-vid");

    private static final List<String> ERRORS = List.of("vdp.error.unknown-filter-format", "vdp.error.unknown-vsi-id-format", "vdp.error.entry-count",
            "vdp.error.groupid-zero", "vdp.error.vid-4095", "vdp.error.multicast-mac", "vdp.error.m-and-s", "vdp.error.unknown-address-family",
            "vdp.error.multicast-ip");
    private static final List<String> REFUSALS = List.of("vdp.refused-keep", "vdp.refused-invalid", "vdp.refused-hard-error");

    /** "bridge NO_ACK" -> the checks that caught it, for the closing table. */
    private static final Map<String, String> CAUGHT = new ConcurrentSkipListMap<>();

    /**
     * One deliberate defect and the checks meant to catch it.
     *
     * @param fault the {@link TransportFault}, {@link BridgeFault} or {@link StationFault} switched on
     */
    record Defect(Enum<?> fault, List<String> meant) {

        static Defect of(Enum<?> fault, String... meant) {
            return new Defect(fault, List.of(meant));
        }

        static Defect of(Enum<?> fault, List<String> meant) {
            return new Defect(fault, meant);
        }

        <E extends Enum<E>> Set<E> only(Class<E> kind) {
            return kind.isInstance(fault) ? Set.of(kind.cast(fault)) : Set.of();
        }

        @Override
        public String toString() {
            return fault.name();
        }
    }

    /** The ECP and EVB defects, which the checks of the same names catch against either role. */
    static Stream<Defect> ecpAndEvbDefects() {
        return Stream.of(
                Defect.of(TransportFault.NO_EVB_TLV, "evb.tlv"),
                Defect.of(TransportFault.EVB_IGNORES_PEER, "evb.negotiation"),
                Defect.of(TransportFault.NO_GROUPID_ECHO, "evb.groupid"),
                Defect.of(TransportFault.NO_ACK, "ecp.ack"),
                Defect.of(TransportFault.WRONG_ACK_SEQUENCE, "ecp.ack"),
                Defect.of(TransportFault.DELIVER_DUPLICATES, "ecp.duplicate-suppressed"),
                Defect.of(TransportFault.NO_RETRANSMISSION, "ecp.retransmission"),
                Defect.of(TransportFault.NO_SEQUENCE_WRAP, "ecp.sequence-wrap"),
                Defect.of(TransportFault.ACCEPT_ANY_VERSION, "ecp.bad-version-ignored"),
                Defect.of(TransportFault.ACK_UNKNOWN_SUBTYPE, "ecp.unknown-subtype-ignored"),
                Defect.of(TransportFault.ACCEPT_OPERATION_2, "ecp.bad-operation-ignored"));
    }

    static Stream<Defect> bridgeDefects() {
        return Stream.concat(ecpAndEvbDefects(), Stream.of(
                // A station acks before its second copy can come (the suite holds its ack), so only a bridge shows an extra one.
                Defect.of(TransportFault.EXTRA_RETRANSMISSION, "ecp.retransmission"),
                Defect.of(TransportFault.RESPONSES_TO_GROUP_ADDRESS, "ecp.answers-to-requester"),
                Defect.of(TransportFault.WRONG_ENTRY_COUNT, "vdp.pre-associate", "vdp.associate"),
                Defect.of(BridgeFault.REFUSE_PRE_ASSOCIATE, "vdp.pre-associate", "vdp.pre-associate-rr", "vdp.associate-to-pre-associate", "vdp.migration-s"),
                Defect.of(BridgeFault.REQUIRE_PRE_ASSOCIATE, "vdp.associate"),
                Defect.of(BridgeFault.NO_DE_ASSOCIATE_ANSWER, "vdp.de-associate"),
                Defect.of(BridgeFault.ECHO_NULL_VID, "vdp.null-vid", "vdp.vn-tag-shared", "vdp.filter.group-vid", "vdp.filter.group-mac-vid",
                        "vdp.filter.group-ip-vid", "vdp.filter.group-mac-ip-vid"),
                Defect.of(BridgeFault.REFUSE_FORMATS_WITHOUT_GROUPID, "vdp.filter.vid", "vdp.filter.mac-vid", "vdp.filter.mac-ip-vid"),
                Defect.of(BridgeFault.REFUSE_NVO3_IP_FORMATS, "vdp.filter.group-ip-vid", "vdp.filter.group-mac-ip-vid", "vdp.filter.mac-ip-vid"),
                Defect.of(BridgeFault.WRONG_ERROR_CODE, ERRORS),
                Defect.of(BridgeFault.DROP_BAD_REQUESTS, ERRORS),
                Defect.of(BridgeFault.REFUSE_REFRESH, "vdp.keep-alive"),
                Defect.of(BridgeFault.REFUSE_MIGRATION_IN, "vdp.migration-m"),
                Defect.of(BridgeFault.NO_MIGRATION_ECHO, "vdp.migration-echo"),
                Defect.of(BridgeFault.NO_KEEP_ALIVE_TIMEOUT, "vdp.keep-alive-timeout")));
    }

    static Stream<Defect> stationDefects() {
        return Stream.concat(ecpAndEvbDefects(), Stream.of(
                Defect.of(TransportFault.WRONG_ENTRY_COUNT, "vdp.request", "vdp.filter.group-vid", "vdp.filter.group-mac-vid", "vdp.filter.group-ip-vid",
                        "vdp.filter.group-mac-ip-vid"),
                Defect.of(TransportFault.M_AND_S_TOGETHER, "vdp.migration-m-s"),
                Defect.of(StationFault.NO_KEEP_ALIVES, "vdp.keep-alive"),
                Defect.of(StationFault.KEEP_NULL_VID, "vdp.null-vid", "vdp.associate-to-pre-associate"),
                Defect.of(StationFault.DROP_MIGRATION_INDICATION, "vdp.migration-echo"),
                Defect.of(StationFault.RETRY_REFUSALS_FOREVER, REFUSALS),
                Defect.of(StationFault.REPORT_REFUSAL_AS_SUCCESS, REFUSALS),
                Defect.of(StationFault.IGNORE_BRIDGE_DEASSOCIATE, "vdp.keep-alive-timeout-de-associate")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bridgeDefects")
    void against_our_bridge_with_a_defect_the_check_meant_for_it_fails(Defect d) {
        try (ConformanceTestBed bed = ConformanceTestBed.bridge(d.only(TransportFault.class), d.only(BridgeFault.class))) {
            ConformanceReport report = bed.run(ConformanceTestBed.bridgeOptions().only(d.meant()).build());
            assertCaught(PeerRole.BRIDGE, d, report);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stationDefects")
    void against_our_station_with_a_defect_the_check_meant_for_it_fails(Defect d) {
        try (ConformanceTestBed bed = ConformanceTestBed.station(d.only(TransportFault.class), d.only(StationFault.class))) {
            ConformanceReport report = bed.run(ConformanceTestBed.stationOptions().build());
            assertCaught(PeerRole.STATION, d, report);
        }
    }

    @Test
    void every_check_of_both_roles_has_a_defect_meant_for_it() {
        Set<String> bridgeMeant = new TreeSet<>();
        bridgeDefects().forEach(d -> bridgeMeant.addAll(d.meant()));
        Set<String> stationMeant = new TreeSet<>(STATION_CHECKS_OUR_STATION_GIVES_NO_OCCASION);
        stationDefects().forEach(d -> stationMeant.addAll(d.meant()));
        assertThat(bridgeMeant).containsExactlyInAnyOrderElementsOf(ids(PeerRole.BRIDGE));
        assertThat(stationMeant).containsExactlyInAnyOrderElementsOf(ids(PeerRole.STATION));
    }

    private static List<String> ids(PeerRole role) {
        return ConformanceSuite.list(ConformanceOptions.builder(role).build()).stream().map(Check::id).toList();
    }

    private static void assertCaught(PeerRole role, Defect d, ConformanceReport report) {
        List<String> caught = new ArrayList<>();
        for (String id : d.meant()) {
            CheckResult r = report.result(id).orElseThrow(() -> new AssertionError("no result for " + id + "\n" + report.toText()));
            assertThat(r.verdict()).as(role.label() + " with " + d + ": " + id + ": " + r.reason() + "\n" + report.toText()).isEqualTo(Verdict.FAIL);
            assertThat(r.reason()).as(role.label() + " with " + d + ": " + id + " must fail on evidence").doesNotStartWith("not tested");
            caught.add(id);
        }
        long others = report.results().stream().filter(r -> r.verdict() == Verdict.FAIL && !d.meant().contains(r.id())).count();
        CAUGHT.put(role.label() + " " + d.fault().getDeclaringClass().getSimpleName() + "." + d,
                String.join(", ", caught) + (others > 0 ? " (and " + others + " more)" : ""));
    }

    @AfterAll
    static void print_the_table() {
        StringBuilder s = new StringBuilder("\n| role | defect | caught by |\n|---|---|---|\n");
        CAUGHT.forEach((k, v) -> {
            int sp = k.indexOf(' ');
            s.append("| ").append(k, 0, sp).append(" | `").append(k.substring(sp + 1)).append("` | ").append(v).append(" |\n");
        });
        System.out.print(s);
    }
}
