package org.splitnve.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitnve.conformance.SplitNveTestBed.VN1;
import static org.splitnve.conformance.SplitNveTestBed.spec;
import static org.splitnve.conformance.SplitNveTestBed.vmMac;
import static org.splitnve.conformance.SplitNveTestBed.vsi;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.splitnve.conformance.SplitNveTestBed.Bridge;
import org.splitnve.conformance.SplitNveTestBed.BridgeDeassociated;
import org.splitnve.conformance.SplitNveTestBed.Host;
import org.splitnve.ecptransport.link.LinkFaults;
import org.splitnve.nnve.nva.NvaView;
import org.splitnve.tnve.Migration;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.TsiState;

/**
 * What the nNVE does on its own initiative (RFC 8394 Req-6, Req-9, the keep-alive timeout) against requests the
 * station has in flight at that moment: whatever crosses, both sides end in the same state.
 */
class SplitNveNveInitiatedTest {

    static final MacAddress HV1 = MacAddress.valueOf("02:00:00:00:0a:01");
    static final MacAddress NNVE1 = MacAddress.valueOf("02:00:00:00:0b:01");
    /** Long enough for a request and the nNVE's own De-Associate to be on the wire at once. */
    static final Duration WIRE = Duration.ofMillis(2);

    final SplitNveTestBed bed = new SplitNveTestBed();

    /** Runs until the station hands its next VDPDU (a keep-alive, when nothing else is going on) to ECP. */
    private void untilTheStationSends(Host h) {
        long before = h.stack.channel().counters().pdusOut();
        bed.clock.runUntil(() -> h.stack.channel().counters().pdusOut() > before, h.stack.timers().keepAlive().plusSeconds(1));
        assertThat(h.stack.channel().counters().pdusOut()).as("the station sent its keep-alive").isGreaterThan(before);
    }

    @Test
    void an_nve_de_associate_crossing_a_keep_alive_leaves_both_sides_in_init() {
        Bridge n = bed.nnve("nnve1", NNVE1);
        Host h = bed.directHost("hv1", HV1, n, LinkFaults.NONE.withDelay(WIRE));
        bed.await(h.tnve.activate(spec(1, VN1), Migration.NONE));
        bed.await(h.tnve.activate(spec(2, VN1), Migration.NONE));

        untilTheStationSends(h);
        // The keep-alive is on the wire; the nNVE de-associates the TSI before it arrives.
        bed.await(n.nnve.deassociate(n.key(h, vsi(1)), "operator"));
        bed.run(Duration.ofSeconds(1));

        assertThat(h.events(BridgeDeassociated.class)).containsExactly(new BridgeDeassociated(vsi(1), NNVE1));
        assertThat(h.tnve.state(vsi(1))).isEqualTo(TsiState.INIT);
        assertThat(h.tnve.tsi(vsi(1))).as("the station forgot it").isEmpty();
        assertThat(n.state(h, vsi(1))).as("the keep-alive did not bring it back").isEqualTo(TsiState.INIT);

        // Nor do the keep-alives that follow: the station sends none for it.
        bed.run(h.stack.timers().keepAlive().multipliedBy(3));
        assertThat(h.tnve.state(vsi(1))).isEqualTo(TsiState.INIT);
        assertThat(n.state(h, vsi(1))).isEqualTo(TsiState.INIT);
        assertThat(n.view(NvaView.FORWARDING)).extracting(m -> m.mac()).containsExactly(vmMac(2));
        assertThat(h.tnve.state(vsi(2))).isEqualTo(TsiState.ACTIVATED);
        assertThat(n.state(h, vsi(2))).isEqualTo(TsiState.ACTIVATED);
        assertThat(n.nnve.counters().keepAliveTimeouts()).as("the other TSI is refreshed throughout").isZero();
    }

    @Test
    void an_nve_deactivate_crossing_a_keep_alive_leaves_both_sides_associated() {
        Bridge n = bed.nnve("nnve1", NNVE1);
        Host h = bed.directHost("hv1", HV1, n, LinkFaults.NONE.withDelay(WIRE));
        bed.await(h.tnve.activate(spec(1, VN1), Migration.NONE));

        untilTheStationSends(h);
        // The keep-alive (an Associate, which would activate) is on the wire; the nNVE deactivates before it arrives.
        bed.await(n.nnve.deactivate(n.key(h, vsi(1)), "operator"));
        bed.run(Duration.ofSeconds(1));

        assertThat(h.tnve.state(vsi(1))).isEqualTo(TsiState.ASSOCIATED);
        assertThat(n.state(h, vsi(1))).isEqualTo(TsiState.ASSOCIATED);
        bed.run(h.stack.timers().keepAlive().multipliedBy(2));
        assertThat(h.tnve.state(vsi(1))).isEqualTo(TsiState.ASSOCIATED);
        assertThat(n.state(h, vsi(1))).isEqualTo(TsiState.ASSOCIATED);
        assertThat(n.view(NvaView.FORWARDING)).isEmpty();
    }
}
