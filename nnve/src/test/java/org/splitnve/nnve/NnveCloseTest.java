package org.splitnve.nnve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitnve.nnve.NnveTestBed.gmv;
import static org.splitnve.nnve.NnveTestBed.pre;
import static org.splitnve.nnve.NnveTestBed.vsi;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.splitnve.nnve.NnveTestBed.Station;
import org.splitnve.nnve.nva.VnContext;
import org.splitnve.nnve.policy.AuthorizationPolicy;
import org.splitnve.vdpcore.vdp.VnId;

/** After {@link Nnve#close()} nothing the nNVE was waiting for answers a station or changes what it holds. */
@Timeout(60)
class NnveCloseTest {

    private final NnveTestBed base = new NnveTestBed();
    private final ControlledNva nva = new ControlledNva(base.memoryNva);
    private final NnveTestBed bed = new NnveTestBed(NnveConfig.DEFAULT, AuthorizationPolicy.allowAll(), nva);
    private final Station st = bed.station("p1");

    /** A request whose VN the NVA has not given yet, then the nNVE closes. */
    private void closeWhileTheNvaIsAsked() {
        nva.store.define(new VnContext(VnId.of(5001), "vn-5001"));
        nva.hold = true;
        st.send(pre(vsi(1), gmv(5001, 1, 0)));
        bed.advance(Duration.ofMillis(100));
        assertThat(nva.asked).hasSize(1);
        bed.nnve.close();
        bed.settle();
    }

    @Test
    void the_resource_wait_running_out_after_close_sends_no_refusal() {
        closeWhileTheNvaIsAsked();
        bed.advance(NnveTestBed.TIMERS.resourceWait().plusSeconds(1));
        assertThat(st.all()).isEmpty();
        assertThat(bed.nnve.counters().responses()).isZero();
        assertThat(bed.nnve.counters().nvaTimeouts()).isZero();
    }

    @Test
    void a_late_nva_answer_after_close_commits_no_tsi_and_answers_nothing() {
        closeWhileTheNvaIsAsked();
        nva.release();
        bed.settle();
        assertThat(bed.nnve.tsis()).isEmpty();
        assertThat(bed.nnve.vaps()).isEmpty();
        assertThat(base.memoryNva.mappings(org.splitnve.nnve.nva.NvaView.MAPPING)).isEmpty();
        assertThat(st.all()).isEmpty();
    }
}
