package org.splitnve.tnve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitnve.tnve.TnveTestBed.mac;
import static org.splitnve.tnve.TnveTestBed.spec;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VdpTlvType;
import org.splitnve.vdpcore.vdp.VnId;
import org.splitnve.vdpcore.vdp.VsiId;

/** VM events mapped onto VDP requests: the TLV types and status bits on the wire. */
class VmLifecycleTest {

    private static final VnId VN = VnId.of(5001);
    private static final VsiId VSI = TnveTestBed.vsi(1);

    private static List<String> wire(TnveTestBed r) {
        return r.bridge().requests.stream().map(q -> q.type().name() + (q.status().migrationIndicationValid() ? " mi" : "")
                + (q.status().m() ? " M" : "") + (q.status().s() ? " S" : "")).toList();
    }

    @Test
    void creation_associates_then_activates_with_an_explicit_non_migration() {
        TnveTestBed r = TnveTestBed.single(TnveConfig.DEFAULT);
        VmLifecycle vm = new VmLifecycle(r.tnve);
        r.await(vm.created(spec(1, VN, mac(1))));
        assertThat(wire(r)).containsExactly("pre-associate mi", "associate mi");
        assertThat(r.tnve.state(VSI)).isEqualTo(TsiState.ACTIVATED);
    }

    @Test
    void a_creation_whose_association_fails_fails_the_future_and_sends_no_associate() {
        TnveTestBed r = TnveTestBed.single(TnveConfig.DEFAULT);
        r.bridge().answerAll(ScriptedBridge.Answer.KEEP_ERROR);
        Throwable t = r.failure(new VmLifecycle(r.tnve).created(spec(1, VN, mac(1))));
        assertThat(t).isInstanceOf(VdpRefusedException.class);
        assertThat(r.bridge().requestsOf(VdpTlvType.ASSOCIATE)).isEmpty();
        assertThat(r.tnve.state(VSI)).isEqualTo(TsiState.INIT);
    }

    @Test
    void migrate_in_associates_and_activates_with_m_and_0x80() {
        TnveTestBed r = TnveTestBed.single(TnveConfig.DEFAULT);
        r.await(new VmLifecycle(r.tnve).migrateIn(spec(1, VN, mac(1))));
        assertThat(wire(r)).containsExactly("pre-associate mi M", "associate mi M");
        assertThat(r.tnve.state(VSI)).isEqualTo(TsiState.ACTIVATED);
    }

    @Test
    void migrate_out_deactivates_with_s_and_0x80_then_de_associates_when_the_migration_completes() {
        TnveTestBed r = TnveTestBed.single(TnveConfig.DEFAULT);
        VmLifecycle vm = new VmLifecycle(r.tnve);
        r.await(vm.created(spec(1, VN, mac(1))));
        r.await(vm.migrateOut(VSI));
        assertThat(wire(r)).last().isEqualTo("pre-associate mi S");
        assertThat(r.tnve.state(VSI)).isEqualTo(TsiState.ASSOCIATED);
        r.await(vm.migrationCompleted(VSI));
        assertThat(wire(r)).last().isEqualTo("de-associate mi");
        assertThat(r.tnve.state(VSI)).isEqualTo(TsiState.INIT);
    }

    @Test
    void pause_changes_nothing_suspend_deactivates_with_s_resume_activates_and_shutdown_de_associates() {
        TnveTestBed r = TnveTestBed.single(TnveConfig.DEFAULT);
        VmLifecycle vm = new VmLifecycle(r.tnve);
        r.await(vm.created(spec(1, VN, mac(1))));
        int n = r.bridge().requests.size();
        r.await(vm.paused(VSI));
        assertThat(r.bridge().requests).hasSize(n);
        assertThat(r.tnve.state(VSI)).isEqualTo(TsiState.ACTIVATED);
        r.await(vm.suspended(VSI));
        assertThat(r.tnve.state(VSI)).isEqualTo(TsiState.ASSOCIATED);
        r.await(vm.resumed(VSI));
        assertThat(r.tnve.state(VSI)).isEqualTo(TsiState.ACTIVATED);
        r.await(vm.shutdown(VSI));
        assertThat(r.tnve.state(VSI)).isEqualTo(TsiState.INIT);
        assertThat(wire(r)).containsExactly("pre-associate mi", "associate mi", "pre-associate mi S", "associate mi", "de-associate mi");
    }

    @Test
    void against_a_legacy_bridge_migration_uses_m_and_s_without_0x80() {
        TnveTestBed r = TnveTestBed.single(TnveConfig.DEFAULT);
        r.bridge().echoMigration = false;
        VmLifecycle vm = new VmLifecycle(r.tnve);
        r.await(vm.migrateIn(spec(1, VN, mac(1))));
        assertThat(wire(r)).containsExactly("pre-associate mi M", "associate M");
    }
}
