package org.splitnve.tnve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitnve.tnve.TnveTestBed.BRIDGE;
import static org.splitnve.tnve.TnveTestBed.BRIDGE2;
import static org.splitnve.tnve.TnveTestBed.mac;
import static org.splitnve.tnve.TnveTestBed.spec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.splitnve.ecptransport.link.MemoryBridge;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VnId;

/** Several bridges (Req-3, Req-4), failover and bulk (re-)association. */
class TnveBridgeModesTest {

    private static final VnId VN = VnId.of(5001);
    private static final VnId VN2 = VnId.of(5002);

    @Test
    void when_the_active_bridge_stops_answering_everything_fails_over_to_the_standby() {
        TnveTestBed r = TnveTestBed.hub(BridgeMode.ACTIVE_STANDBY, BRIDGE2, BRIDGE, BRIDGE2);
        r.await(r.tnve.activate(spec(1, VN, mac(1)), Migration.NONE));
        r.await(r.tnve.associate(spec(2, VN2, mac(2)), Migration.NONE));
        assertThat(r.bridge(BRIDGE2).requests).isEmpty();

        ((MemoryBridge.Port) r.links.get(1)).down(true);
        r.run(TnveTestBed.TIMERS.keepAlive().plusSeconds(2));

        assertThat(r.events(TnveTestBed.Failover.class)).containsExactly(new TnveTestBed.Failover(BRIDGE, BRIDGE2));
        assertThat(r.tnve.activeBridge()).isEqualTo(BRIDGE2);
        assertThat(r.bridge(BRIDGE2).state(TnveTestBed.vsi(1))).isEqualTo(TsiState.ACTIVATED);
        assertThat(r.bridge(BRIDGE2).state(TnveTestBed.vsi(2))).isEqualTo(TsiState.ASSOCIATED);
        assertThat(r.tnve.state(TnveTestBed.vsi(1))).isEqualTo(TsiState.ACTIVATED);
        assertThat(r.tnve.localTag(VN)).isPresent();
        assertThat(r.tnve.tsi(TnveTestBed.vsi(1)).orElseThrow().perBridge()).containsEntry(BRIDGE, TsiState.INIT)
                .containsEntry(BRIDGE2, TsiState.ACTIVATED);
        // New operations go to the standby now.
        r.await(r.tnve.associate(spec(3, VN, mac(3)), Migration.NONE));
        assertThat(r.bridge(BRIDGE2).state(TnveTestBed.vsi(3))).isEqualTo(TsiState.ASSOCIATED);
    }

    @Test
    void per_vn_mode_puts_each_vn_on_its_assigned_bridge() {
        TnveTestBed r = TnveTestBed.hub(BridgeMode.PER_VN, null, BRIDGE, BRIDGE2);
        r.await(r.tnve.assignVn(VN2, BRIDGE2));
        r.await(r.tnve.associate(spec(1, VN, mac(1)), Migration.NONE));
        r.await(r.tnve.associate(spec(2, VN2, mac(2)), Migration.NONE));
        assertThat(r.bridge(BRIDGE).held).containsOnlyKeys(TnveTestBed.vsi(1));
        assertThat(r.bridge(BRIDGE2).held).containsOnlyKeys(TnveTestBed.vsi(2));
        assertThat(r.tnve.localTag(VN2, BRIDGE2)).isPresent();
        assertThat(r.tnve.localTag(VN2, BRIDGE)).isEmpty();

        // Re-assigning a VN moves its TSIs.
        r.await(r.tnve.assignVn(VN2, BRIDGE));
        r.run(Duration.ofMillis(100));
        assertThat(r.bridge(BRIDGE).state(TnveTestBed.vsi(2))).isEqualTo(TsiState.ASSOCIATED);
        assertThat(r.bridge(BRIDGE2).held).isEmpty();
    }

    @Test
    void active_active_mode_associates_every_tsi_of_a_vn_with_all_its_bridges_with_a_tag_per_bridge() {
        TnveTestBed r = TnveTestBed.hub(BridgeMode.ACTIVE_ACTIVE, null, BRIDGE, BRIDGE2);
        r.bridge(BRIDGE2).nextTag = 700;
        r.await(r.tnve.assignVn(VN, BRIDGE));
        r.await(r.tnve.assignVn(VN, BRIDGE2));
        TsiResult res = r.await(r.tnve.activate(spec(1, VN, mac(1)), Migration.NONE));

        assertThat(r.bridge(BRIDGE).state(TnveTestBed.vsi(1))).isEqualTo(TsiState.ACTIVATED);
        assertThat(r.bridge(BRIDGE2).state(TnveTestBed.vsi(1))).isEqualTo(TsiState.ACTIVATED);
        assertThat(r.tnve.localTag(VN, BRIDGE)).contains(LocalTag.of(100));
        assertThat(r.tnve.localTag(VN, BRIDGE2)).contains(LocalTag.of(700));
        assertThat(res.tagsByBridge()).containsEntry(BRIDGE, LocalTag.of(100)).containsEntry(BRIDGE2, LocalTag.of(700));

        r.await(r.tnve.deassociate(TnveTestBed.vsi(1)));
        assertThat(r.bridge(BRIDGE).held).isEmpty();
        assertThat(r.bridge(BRIDGE2).held).isEmpty();
    }

    @Test
    void a_thousand_vsis_are_associated_in_far_fewer_than_a_thousand_vdpdus() {
        TnveTestBed r = TnveTestBed.single(TnveConfig.DEFAULT);
        List<CompletableFuture<TsiResult>> all = new ArrayList<>();
        for (int i = 1; i <= 1000; i++) {
            all.add(r.tnve.associate(spec(i, VnId.of(1 + i % 10), mac(i)), Migration.NONE));
        }
        r.await(CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)));
        assertThat(all).allSatisfy(f -> assertThat(f.join().state()).isEqualTo(TsiState.ASSOCIATED));
        long pdus = r.channel.counters().pdusOut();
        assertThat(r.channel.counters().tlvsOut()).isEqualTo(1000);
        assertThat(pdus).as("VDPDUs for 1000 requests").isLessThan(100);
        assertThat(r.bridge().held).hasSize(1000);
        // A keep-alive round is batched as well.
        r.run(TnveTestBed.TIMERS.keepAlive().plusSeconds(1));
        assertThat(r.channel.counters().pdusOut() - pdus).isLessThan(100);
        assertThat(r.channel.counters().tlvsOut()).isEqualTo(2000);
    }

    @Test
    void a_bridge_heard_again_after_loss_gets_every_current_tlv_back() {
        TnveTestBed r = TnveTestBed.hub(BridgeMode.ACTIVE_STANDBY, null, BRIDGE);
        r.await(r.tnve.activate(spec(1, VN, mac(1)), Migration.NONE));
        r.await(r.tnve.associate(spec(2, VN2, mac(2)), Migration.NONE));
        MemoryBridge.Port bridgePort = (MemoryBridge.Port) r.links.get(1);
        bridgePort.down(true);
        r.run(TnveTestBed.TIMERS.keepAlive().plusSeconds(1));
        assertThat(r.events(TnveTestBed.PeerLost.class)).isNotEmpty();
        assertThat(r.tnve.state(TnveTestBed.vsi(1))).as("loss alone does not drop VSIs").isEqualTo(TsiState.ACTIVATED);

        r.bridge().restart(400);
        bridgePort.down(false);
        r.run(TnveTestBed.TIMERS.keepAlive().plusSeconds(1));

        assertThat(r.bridge().state(TnveTestBed.vsi(1))).isEqualTo(TsiState.ACTIVATED);
        assertThat(r.bridge().state(TnveTestBed.vsi(2))).isEqualTo(TsiState.ASSOCIATED);
        assertThat(r.events(TnveTestBed.TagChanged.class)).extracting(TnveTestBed.TagChanged::vn).contains(VN, VN2);
        assertThat(r.tnve.localTag(VN)).isPresent().get().isNotEqualTo(LocalTag.of(100));
    }
}
