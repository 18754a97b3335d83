package org.splitnve.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The suite, playing bridge, against our own tNVE over an in-memory link, driven through
 * {@link ConformanceTestBed#STATION_SCENARIO}: one TSI as a migration destination (M with 0x80,
 * GroupID/MAC/VID, null VID), which the suite follows; three that the suite refuses (error 2 with
 * keep, error 5, a hard error), in GroupID/VID, GroupID/IP/VID and GroupID/MAC/VID; and one with a
 * MAC/IP entry that is then deactivated (Associate to Pre-Associate).
 */
class OwnStationConformanceTest {

    /** The filter formats without a GroupID, which our station does not send while GroupID is negotiated. */
    static final Set<String> NOT_APPLICABLE = Set.of("vdp.filter.vid", "vdp.filter.mac-vid", "vdp.filter.mac-ip-vid");

    @Test
    void our_station_passes_every_check_that_applies() {
        try (ConformanceTestBed bed = ConformanceTestBed.station(Set.of(), Set.of())) {
            ConformanceReport report = bed.run(ConformanceTestBed.stationOptions().build());
            System.out.print(report.toText());
            assertThat(report.results()).allSatisfy(r -> assertThat(r.verdict()).as(r.id() + ": " + r.reason())
                    .isEqualTo(NOT_APPLICABLE.contains(r.id()) ? Verdict.NOT_APPLICABLE : Verdict.PASS));
            assertThat(report.results()).filteredOn(r -> r.verdict() == Verdict.NOT_APPLICABLE)
                    .allSatisfy(r -> assertThat(r.reason()).isEqualTo("the station did not use it"));
            assertThat(report.results()).extracting(CheckResult::id).contains("ecp.retransmission", "ecp.duplicate-suppressed",
                    "vdp.refused-keep", "vdp.refused-invalid", "vdp.refused-hard-error", "vdp.keep-alive-timeout-de-associate",
                    "vdp.filter.group-mac-ip-vid");
        }
    }
}
