package org.splitnve.nnve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitnve.nnve.NnveTestBed.assoc;
import static org.splitnve.nnve.NnveTestBed.gmv;
import static org.splitnve.nnve.NnveTestBed.vsi;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.splitnve.nnve.NnveTestBed.Station;
import org.splitnve.vdpcore.vdp.AssociationTlv;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VdpErrorCode;
import org.splitnve.vdpcore.vdp.VsiStatus;

/** docs/PROTOCOL.md 4.6: the nNVE's own requests, and station requests that cross them on the wire. */
@Timeout(60)
class NnveOwnRequestsTest {

    private final NnveTestBed bed = new NnveTestBed();
    private final Station st = bed.station("p1");

    private TsiState state(int n) {
        return bed.nnve.tsi(st.key(vsi(n))).map(TsiView::state).orElse(TsiState.INIT);
    }

    /** The station answers the nNVE's unsolicited TLVs as a tNVE does: each echoed with the response bit, error 0. */
    private void stationAnswers(List<AssociationTlv> unsolicited) {
        for (AssociationTlv t : unsolicited) {
            st.channel.reply(st.bridgeMac, NnveTestBed.MGR, List.of(t.toBuilder().status(VsiStatus.response().build()).build()));
        }
        bed.settle();
    }

    @Test
    void a_keep_alive_that_crossed_the_nnves_de_associate_is_refused_without_keep_and_does_not_bring_the_tsi_back() {
        AssociationTlv keepAlive = assoc(vsi(1), gmv(5001, 1, 0));
        st.ask(keepAlive);
        assertThat(state(1)).isEqualTo(TsiState.ACTIVATED);

        bed.nnve.deassociate(st.key(vsi(1)), "operator");
        // The station has not seen the De-Associate yet: its keep-alive is already on the wire.
        AssociationTlv answer = st.ask(keepAlive);

        assertThat(answer.status().error()).isEqualTo(VdpErrorCode.OTHER_FAILURE);
        assertThat(answer.status().keep()).as("the nNVE holds nothing: no keep").isFalse();
        assertThat(state(1)).isEqualTo(TsiState.INIT);
        assertThat(bed.nnve.vap("p1", org.splitnve.vdpcore.vdp.VnId.of(5001))).isEmpty();
        assertThat(bed.nnve.counters().crossedRequests()).isEqualTo(1);

        // Once the station answered the De-Associate, what it sends is its own new decision again.
        stationAnswers(st.bridgeDeassociates());
        assertThat(st.ask(keepAlive).status().error()).isEqualTo(VdpErrorCode.SUCCESS);
        assertThat(state(1)).isEqualTo(TsiState.ACTIVATED);
    }

    @Test
    void a_station_that_never_answers_is_served_again_after_the_response_wait() {
        AssociationTlv keepAlive = assoc(vsi(1), gmv(5001, 1, 0));
        st.ask(keepAlive);
        bed.nnve.deassociate(st.key(vsi(1)), "operator");
        bed.settle();
        bed.advance(NnveTestBed.TIMERS.responseWait());
        assertThat(st.ask(keepAlive).status().error()).isEqualTo(VdpErrorCode.SUCCESS);
        assertThat(state(1)).isEqualTo(TsiState.ACTIVATED);
    }

    @Test
    void a_de_associate_from_the_station_is_served_even_while_the_nnves_own_is_unanswered() {
        st.ask(assoc(vsi(1), gmv(5001, 1, 0)));
        bed.nnve.deassociate(st.key(vsi(1)), "operator");
        AssociationTlv answer = st.ask(NnveTestBed.deassoc(vsi(1), gmv(5001, 1, 0)));
        assertThat(answer.status().error()).isEqualTo(VdpErrorCode.SUCCESS);
        assertThat(bed.nnve.counters().crossedRequests()).isZero();
        bed.advance(Duration.ofMillis(10));
        assertThat(st.ask(assoc(vsi(1), gmv(5001, 1, 0))).status().error()).isEqualTo(VdpErrorCode.SUCCESS);
    }
}
