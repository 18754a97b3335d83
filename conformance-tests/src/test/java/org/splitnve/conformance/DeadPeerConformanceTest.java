package org.splitnve.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.splitnve.tnve.ResponseEvent;
import org.splitnve.tnve.TnveListener;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.lldp.EvbMode;
import org.splitnve.vdpcore.vdp.VsiId;

/**
 * A check passes only on evidence from the peer: against a link with nothing behind it, an LLDP agent
 * with nothing behind it, or a station that dies in the middle of a check, every check fails, and the
 * checks that expect silence fail because they first prove the peer alive. Untested required checks
 * fail unless the run is lenient, which makes them n/a.
 */
@Execution(ExecutionMode.CONCURRENT)
class DeadPeerConformanceTest {

    /** Nothing answers here, so the checks wait out every answer: a short slack keeps that short. */
    private static final Duration SLACK = Duration.ofMillis(300);
    private static final List<String> SILENT_ON_BAD_ECP = List.of("ecp.bad-version-ignored", "ecp.unknown-subtype-ignored", "ecp.bad-operation-ignored");

    @Test
    void against_a_link_with_nothing_behind_it_the_checks_that_expect_silence_fail() {
        try (ConformanceTestBed bed = ConformanceTestBed.nothing()) {
            ConformanceReport report = bed.run(ConformanceTestBed.bridgeOptions().responseTimeout(SLACK).peerMac(ConformanceTestBed.PEER)
                    .peerTimeout(Duration.ofSeconds(1)).only(SILENT_ON_BAD_ECP).build());
            assertThat(report.result("evb.tlv").orElseThrow().verdict()).isEqualTo(Verdict.FAIL);
            assertSilenceProvesNothing(report);
        }
    }

    @Test
    void against_an_lldp_agent_with_no_ecp_behind_it_the_checks_that_expect_silence_fail() {
        try (ConformanceTestBed bed = ConformanceTestBed.lldpOnly(EvbMode.BRIDGE)) {
            ConformanceReport report = bed.run(ConformanceTestBed.bridgeOptions().responseTimeout(SLACK).only(SILENT_ON_BAD_ECP).build());
            assertThat(report.result("evb.tlv").orElseThrow().verdict()).as(report.toText()).isEqualTo(Verdict.PASS);
            assertSilenceProvesNothing(report);
        }
    }

    private static void assertSilenceProvesNothing(ConformanceReport report) {
        for (String id : SILENT_ON_BAD_ECP) {
            CheckResult r = report.result(id).orElseThrow();
            assertThat(r.verdict()).as(id + ": " + r.reason()).isEqualTo(Verdict.FAIL);
            assertThat(r.reason()).as(id).contains("was not acknowledged and not answered either: the silence shows nothing");
        }
    }

    @Test
    void against_nothing_every_check_of_both_roles_fails_and_lenient_makes_all_but_the_first_not_applicable() {
        for (PeerRole role : PeerRole.values()) {
            ConformanceOptions.Builder b = role == PeerRole.BRIDGE ? ConformanceTestBed.bridgeOptions() : ConformanceTestBed.stationOptions();
            b.peerTimeout(Duration.ofSeconds(1)).responseTimeout(SLACK);
            try (ConformanceTestBed bed = ConformanceTestBed.nothing()) {
                ConformanceReport strict = bed.run(b.build());
                assertThat(strict.results()).hasSizeGreaterThan(20)
                        .allSatisfy(r -> assertThat(r.verdict()).as(role + " " + r.id() + ": " + r.reason()).isEqualTo(Verdict.FAIL));
                assertThat(strict.results().subList(1, strict.results().size()))
                        .allSatisfy(r -> assertThat(r.reason()).startsWith("not tested: no EVB peer was found").endsWith("--lenient counts it n/a)"));
                assertThat(strict.passed()).isFalse();

                ConformanceReport lenient = bed.run(b.lenient(true).build());
                assertThat(lenient.results().get(0).verdict()).isEqualTo(Verdict.FAIL);
                assertThat(lenient.results().subList(1, lenient.results().size()))
                        .allSatisfy(r -> assertThat(r.verdict()).as(role + " " + r.id()).isEqualTo(Verdict.NOT_APPLICABLE));
                assertThat(lenient.passed()).isFalse();
            }
        }
    }

    @Test
    void a_station_that_dies_after_acking_the_bridges_de_associate_fails_the_check_that_expects_it_to_stay_silent() {
        try (ConformanceTestBed bed = ConformanceTestBed.station(Set.of(), Set.of())) {
            bed.tnve.addListener(new TnveListener() {
                @Override
                public void onBridgeDeassociate(VsiId vsiId, MacAddress bridge) {
                    bed.peerLink.close();
                }
            });
            ConformanceReport report = bed.run(ConformanceTestBed.stationOptions().build());
            CheckResult r = report.result("vdp.keep-alive-timeout-de-associate").orElseThrow();
            assertThat(r.verdict()).as(report.toText()).isEqualTo(Verdict.FAIL);
            assertThat(r.reason()).contains("was acked").contains("a station that is gone is silent too, so this shows nothing");
        }
    }

    @Test
    void a_station_that_dies_after_acking_a_refusal_fails_the_check_that_expects_it_not_to_retry() {
        try (ConformanceTestBed bed = ConformanceTestBed.station(Set.of(), Set.of())) {
            bed.tnve.addListener(new TnveListener() {
                @Override
                public void onResponse(ResponseEvent e) {
                    if (!e.error().isSuccess()) {
                        bed.peerLink.close();
                    }
                }
            });
            ConformanceReport report = bed.run(ConformanceTestBed.stationOptions().responseTimeout(SLACK).build());
            for (String id : List.of("vdp.refused-keep", "vdp.refused-invalid", "vdp.refused-hard-error")) {
                CheckResult r = report.result(id).orElseThrow();
                assertThat(r.verdict()).as(report.toText()).isEqualTo(Verdict.FAIL);
                assertThat(r.reason()).as(id).contains("a station that is gone is silent too");
            }
        }
    }
}
