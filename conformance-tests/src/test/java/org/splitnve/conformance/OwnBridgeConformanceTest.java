package org.splitnve.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The suite, playing station, against our own nNVE over an in-memory link: every check passes.
 * Both ends advertise RKA 16 (0.66 s keep-alive) and RWD 14 (0.16 s resource wait), so the
 * keep-alive-timeout check takes about a second and the checks that must see no answer wait 0.2 s
 * plus the slack.
 */
class OwnBridgeConformanceTest {

    @Test
    void our_bridge_passes_every_check() throws Exception {
        try (ConformanceTestBed bed = ConformanceTestBed.bridge(Set.of(), Set.of())) {
            ConformanceReport report = bed.run(ConformanceTestBed.bridgeOptions().build());
            System.out.print(report.toText());
            assertThat(report.results()).isNotEmpty()
                    .allSatisfy(r -> assertThat(r.verdict()).as(r.id() + ": " + r.reason()).isEqualTo(Verdict.PASS));
            assertThat(report.results()).extracting(CheckResult::id).contains("ecp.answers-to-requester");
        }
    }
}
