package org.splitnve.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.splitnve.cli.bench.AssociationRate;
import org.splitnve.cli.bench.BenchLab;
import org.splitnve.cli.bench.LldpadRate;
import org.splitnve.ecptransport.link.Link;
import org.splitnve.testsupport.LldpadScenarios;
import org.splitnve.testsupport.Prerequisites;

/**
 * Associations per second, in one run, as {@code splitnve bench} measures them: our station to our bridge over a
 * veth pair with pcap4j (10,000 VSIs, all requested at once after warm-up rounds, so the VDP channel batches them, and
 * 1,000 one at a time), next to lldpad station to lldpad bridge with vdptool (100 VSIs, one vdptool call each, which is
 * how lldpad is driven). Prints the figures;
 * never fails on them. Run:
 * {@code mvn -pl cli -am verify -Dgroups=measure -Dmeasure.excludedGroups=none -Dsurefire.failIfNoSpecifiedTests=false}
 */
@Tag("measure")
class AssociationRateMeasureTest {

    private static final int OURS = 10_000;
    private static final int LLDPADS = 100;

    @Test
    void associations_per_second_ours_over_veth_next_to_lldpad_with_vdptool() throws Exception {
        LldpadScenarios.requirePrerequisites();
        Prerequisites.requireLibpcap();
        try (BenchLab lab = BenchLab.unguarded()) {
            AssociationRate.Result ours = AssociationRate.ours(lab, OURS, Link.STANDARD_MTU, 3);
            AssociationRate.Result oneAtATime = AssociationRate.oursOneAtATime(lab, LLDPADS * 10);
            LldpadRate.Result lldpad = LldpadRate.measure(lab, LLDPADS);
            System.out.printf("%nassociations per second (veth, one run)%n");
            System.out.printf("  %-52s %,10.0f /s  (%s)%n", "splitnve station -> splitnve bridge, " + OURS + " VSIs", ours.perSecond(), ours);
            System.out.printf("  %-52s %,10.0f /s  (%s)%n", "the same, one VSI in flight at a time", oneAtATime.perSecond(), oneAtATime);
            System.out.printf("  %-52s %,10.1f /s  (%s)%n", "lldpad station -> lldpad bridge (vdptool), " + LLDPADS + " VSIs",
                    lldpad.perSecond(), lldpad);
            assertThat(ours.vsis()).isEqualTo(OURS);
            assertThat(ours.perSecond()).isPositive();
            assertThat(lldpad.perSecond()).isPositive();
        }
    }
}
