package org.splitnve.nvedataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.splitnve.nvedataplane.TestFrames.active;
import static org.splitnve.nvedataplane.TestFrames.ip;
import static org.splitnve.nvedataplane.TestFrames.v4;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.splitnve.nnve.DataPlaneListener;
import org.splitnve.nnve.DataPlaneView;
import org.splitnve.nnve.TsiView;
import org.splitnve.nvedataplane.DataPlaneCounters.Event;
import org.splitnve.nvedataplane.table.Keys;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.VnId;

class ForwardingTablesTest {

    static final MacAddress A = MacAddress.valueOf("52:54:00:00:00:0a");
    static final MacAddress B = MacAddress.valueOf("52:54:00:00:00:0b");
    static final int VNI = 5000;

    final EgressTestBed bed = new EgressTestBed();
    final ForwardingTables tables = bed.tables(bed.hold());

    @Test
    void a_mapped_tag_means_its_vn_on_that_port_only_until_it_is_unmapped() {
        tables.onVnMapped("p1", VnId.of(VNI), new LocalTag(100), null);
        assertThat(tables.snapshot().vniByVid()[0][100]).isEqualTo(VNI);
        assertThat(tables.snapshot().vniByVid()[1][100]).isEqualTo(-1);
        assertThat(tables.snapshot().knownVnis().get(Keys.vn(VNI), 0)).isTrue();
        tables.onVnUnmapped("p1", VnId.of(VNI + 1), new LocalTag(100));
        assertThat(tables.snapshot().vniByVid()[0][100]).as("unmapping another VN leaves the tag").isEqualTo(VNI);
        tables.onVnUnmapped("p1", VnId.of(VNI), new LocalTag(100));
        assertThat(tables.snapshot().vniByVid()[0][100]).isEqualTo(-1);
        assertThat(tables.snapshot().knownVnis().get(Keys.vn(VNI), 0)).isNull();
    }

    @Test
    void a_tsi_changes_its_own_entries_in_place_and_a_new_tag_republishes_the_per_vn_tables() {
        Tables before = tables.snapshot();
        tables.onTsiActivated(active("p1", VNI, 100, A, ip("10.0.0.1")));
        Tables after = tables.snapshot();
        assertThat(after).as("the tag is new: tags and flood lists are republished").isNotSameAs(before);
        assertThat(before.vniByVid()[0][100]).as("a forwarding thread's per-VN tables stay as they were").isEqualTo(-1);
        assertThat(before.tsis()).as("the per-TSI tables are the same ones, changed in place").isSameAs(after.tsis());
        assertThat(after.tsis().get(Keys.mac(VNI), A.toLong())).isNotNull();

        tables.onTsiActivated(active("p1", VNI, 100, B));
        assertThat(tables.snapshot()).as("same VN, same tag: nothing per VN changed").isSameAs(after);
        assertThat(after.tsis().get(Keys.mac(VNI), B.toLong())).isNotNull();
    }

    @ParameterizedTest(name = "{0} TSIs already active")
    @ValueSource(ints = {100, 10_000})
    void activating_and_deactivating_a_tsi_costs_the_same_however_many_tsis_are_active(int n) {
        for (int i = 0; i < n; i++) {
            tables.onTsiActivated(active("p" + (1 + i % 2), VNI + i % 10, 100 + i % 10, MacAddress.valueOf(0x020000000000L + i),
                    ip("10.1." + (i >> 8 & 0xFF) + "." + (i & 0xFF))));
        }
        long before = tables.work();
        int changes = 0;
        for (int i = n; i < n + 500; i++) {
            TsiView v = active("p" + (1 + i % 2), VNI + i % 10, 100 + i % 10, MacAddress.valueOf(0x020000000000L + i),
                    ip("10.2." + (i >> 8 & 0xFF) + "." + (i & 0xFF)));
            tables.onTsiActivated(v);
            tables.onTsiDeactivated(v, "gone", i % 2 == 0);
            changes += 2;
        }
        double perChange = (double) (tables.work() - before) / changes;
        assertThat(perChange).as("entries touched per change with %d TSIs active", n).isLessThan(40);
        assertThat(tables.activeTsis()).hasSize(n);
    }

    @Test
    void an_activated_tsi_is_found_by_mac_and_ip_and_its_port_and_tag_join_the_vns_flood_list() {
        tables.onTsiActivated(active("p2", VNI, 200, A, ip("10.0.0.1"), ip("2001:db8::1")));
        tables.onTsiActivated(active("p1", VNI, 100, B));
        Tables t = tables.snapshot();
        LocalTsi a = t.tsis().get(Keys.mac(VNI), A.toLong());
        assertThat(a.port).isEqualTo(1);
        assertThat(a.vid).isEqualTo(200);
        assertThat(t.vniByVid()[1][200]).isEqualTo(VNI);
        assertThat(t.localIps().get(Keys.ipv4(VNI), v4("10.0.0.1") & 0xFFFFFFFFL, 0)).isEqualTo(A);
        assertThat(t.localIps().get(Keys.ipv6(VNI), TestFrames.high("2001:db8::1"), TestFrames.low("2001:db8::1"))).isEqualTo(A);
        assertThat(t.flood().get(Keys.vn(VNI), 0)).containsExactly(1, 200, 0, 100);
        assertThat(tables.activeTsis()).hasSize(2);
    }

    @Test
    void events_for_a_port_that_is_not_ours_change_nothing() {
        Tables before = tables.snapshot();
        tables.onVnMapped("p9", VnId.of(VNI), new LocalTag(100), null);
        tables.onTsiActivated(active("p9", VNI, 100, A));
        tables.onTsiDeactivated(active("p9", VNI, 100, A), "gone");
        tables.onActivatedWithMigration(active("p9", VNI, 100, A));
        assertThat(tables.snapshot()).isSameAs(before);
        assertThat(bed.sta1.frames).isEmpty();
    }

    @Test
    void a_deactivated_tsi_moves_its_macs_and_keeps_its_vni_known_until_the_timer_ends() {
        TsiView a = active("p1", VNI, 100, A);
        tables.onTsiActivated(a);
        tables.onVnUnmapped("p1", VnId.of(VNI), new LocalTag(100));
        tables.onTsiDeactivated(a, "moved");
        Tables t = tables.snapshot();
        assertThat(t.tsis().get(Keys.mac(VNI), A.toLong())).isNull();
        assertThat(t.moved().get(Keys.mac(VNI), A.toLong())).isNotNull();
        assertThat(t.knownVnis().get(Keys.vn(VNI), 0)).isTrue();
        assertThat(tables.movedTsis()).isEqualTo(1);
        bed.scheduler.advance(Duration.ofSeconds(11));
        assertThat(tables.movedTsis()).isZero();
        assertThat(tables.snapshot().knownVnis().get(Keys.vn(VNI), 0)).isNull();
    }

    @Test
    void a_mac_another_activated_tsi_of_the_vn_still_has_does_not_move() {
        tables.onTsiActivated(active("p1", VNI, 100, A));
        TsiView twin = active("p2", VNI, 200, A);
        tables.onTsiActivated(twin);
        tables.onTsiDeactivated(twin, "deactivated");
        assertThat(tables.movedTsis()).isZero();
    }

    @Test
    void a_deactivation_of_a_tsi_that_is_not_active_changes_nothing() {
        Tables before = tables.snapshot();
        tables.onTsiDeactivated(active("p1", VNI, 100, A), "never activated");
        assertThat(tables.snapshot()).isSameAs(before);
        assertThat(tables.movedTsis()).isZero();
    }

    @Test
    void a_tsi_that_returns_before_its_timer_ends_is_no_longer_moved() {
        TsiView a = active("p1", VNI, 100, A);
        tables.onTsiActivated(a);
        tables.onTsiDeactivated(a, "moving");
        tables.onTsiActivated(active("p2", VNI, 200, A));
        assertThat(tables.movedTsis()).isZero();
        assertThat(tables.snapshot().tsis().get(Keys.mac(VNI), A.toLong()).port).isEqualTo(1);
        bed.scheduler.advance(Duration.ofSeconds(11));
        assertThat(tables.snapshot().tsis().get(Keys.mac(VNI), A.toLong())).isNotNull();
    }

    @Test
    void following_a_view_registers_with_it_and_replays_its_activated_tsis() {
        List<DataPlaneListener> listeners = new ArrayList<>();
        TsiView a = active("p1", VNI, 100, A);
        DataPlaneView view = new DataPlaneView() {
            @Override
            public Optional<VnId> vnOfTag(String port, LocalTag tag) {
                return Optional.empty();
            }

            @Override
            public Optional<LocalTag> tagOfVn(String port, VnId vn) {
                return Optional.empty();
            }

            @Override
            public List<TsiView> activeTsis() {
                return List.of(a);
            }

            @Override
            public void addListener(DataPlaneListener listener) {
                listeners.add(listener);
            }
        };
        tables.follow(view);
        assertThat(listeners).containsExactly(tables);
        assertThat(tables.activeTsis()).containsExactly(a);
    }

    @Test
    void an_activation_by_migration_on_our_port_queries_the_tsi() {
        tables.onActivatedWithMigration(active("p2", VNI, 200, A));
        assertThat(bed.sta2.frames).hasSize(1);
        assertThat(bed.counters.count(Event.QUERIES_SENT)).isEqualTo(1);
    }

    @Test
    void a_directory_change_naming_a_moved_tsis_new_nve_sends_it_what_was_held() {
        TsiView a = active("p1", VNI, 100, A);
        tables.onTsiActivated(a);
        tables.onTsiDeactivated(a, "moved");
        MovedTsi moved = tables.snapshot().moved().get(Keys.mac(VNI), A.toLong());
        ByteBuffer frame = TestFrames.udp4(A.toLong(), B.toLong(), 100, 1, 2, 3, 4, 80);
        moved.held.hold(frame, DataPlaneCounters.Event.MIGRATION_TUNNELLED);
        bed.remote(VNI, B, null, "192.0.2.7");
        assertThat(bed.router.frames).as("another MAC's news").isEmpty();
        bed.remote(VNI, A, null, "192.0.2.5");
        assertThat(bed.router.frames).hasSize(1);
        assertThat(bed.counters.count(Event.MIGRATION_TUNNELLED)).isEqualTo(1);
    }

    @Test
    void two_trunk_ports_with_one_name_are_refused() {
        assertThatThrownBy(() -> new ForwardingTables(List.of("p1", "p1"), bed.hold(), bed.querier(), bed.directory))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("p1");
    }
}
