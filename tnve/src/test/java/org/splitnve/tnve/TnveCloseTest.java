package org.splitnve.tnve;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ref.WeakReference;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.splitnve.ecptransport.link.LinkFaults;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.VnId;
import org.splitnve.vdpcore.vdp.VsiId;

/** What a closed tNVE leaves on the channel it ran on, which belongs to the caller and outlives it. */
class TnveCloseTest {

    @Test
    void a_closed_tnve_leaves_no_listener_on_the_channel_or_its_ecp_engine() throws Exception {
        TnveTestBed bed = TnveTestBed.pair(LinkFaults.NONE);
        TnveListener listener = new TnveListener() {
        };
        WeakReference<TnveListener> held = new WeakReference<>(listener);
        Tnve tnve = Tnve.builder().channel(bed.channel).timers(() -> TnveTestBed.TIMERS).bridge(TnveTestBed.BRIDGE).listener(listener)
                .build().start();
        bed.clock.runReady();
        TsiSpec spec = TsiSpec.builder().vsiId(VsiId.of(new UUID(1, 1))).managerId(TnveTestBed.MGR).vn(VnId.of(5001))
                .addresses(List.of(TsiAddress.mac(MacAddress.valueOf("02:00:00:00:aa:01")))).build();
        tnve.associate(spec, Migration.NONE);
        bed.clock.advance(java.time.Duration.ofMillis(50));
        tnve.close();
        bed.clock.advance(java.time.Duration.ofMinutes(1)); // past every timer it had, which a virtual clock keeps until due
        tnve = null;
        listener = null;
        for (int i = 0; i < 20 && held.get() != null; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(held.get()).as("the channel and its ECP engine, still in use, no longer reach the closed station").isNull();
    }
}
