package org.splitnve.nvaetcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.splitnve.nnve.nva.NvaChange;
import org.splitnve.nnve.nva.NvaListener;
import org.splitnve.nnve.nva.NvaView;
import org.splitnve.nnve.nva.TsiMapping;
import org.splitnve.nnve.nva.VnContext;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.VnId;

/** The copy of etcd on its own: lists, watch events, revisions and what followers hear. */
class MirrorTest {

    private final KeyLayout layout = new KeyLayout(KeyLayout.DEFAULT_PREFIX);
    private final EtcdNvaCounters counters = new EtcdNvaCounters();
    private final Mirror mirror = new Mirror(layout, counters);
    private final List<NvaChange> heard = new ArrayList<>();
    private final NvaListener follower = new NvaListener() {
        @Override
        public void onChanges(List<NvaChange> changes) {
            heard.addAll(changes);
        }
    };

    private static TsiMapping m(int mac, String nve) {
        return new TsiMapping(VnId.of(5001), MacAddress.valueOf(0x020000000000L + mac), null, nve);
    }

    private String key(TsiMapping m) {
        return layout.mapping(m, NvaView.FORWARDING);
    }

    private void apply(KeyEvent... events) {
        Mirror.deliver(mirror.apply(List.of(events)));
    }

    @Test
    void a_follower_starts_from_the_list_and_then_hears_each_holder_that_comes_and_goes() {
        Mirror.deliver(mirror.resync(10, List.of(KeyEvent.put(key(m(1, "a")), "1", 5, 5))).batch());
        assertThat(mirror.follow(NvaView.FORWARDING, follower)).containsExactly(Map.entry(m(1, "a"), 1));
        apply(KeyEvent.put(key(m(1, "a")), "2", 5, 11), KeyEvent.put(key(m(2, "b")), "1", 12, 12));
        apply(KeyEvent.put(key(m(1, "a")), "1", 5, 13), KeyEvent.delete(key(m(2, "b")), 14));
        assertThat(heard).containsExactly(new NvaChange(m(1, "a"), NvaView.FORWARDING, true),
                new NvaChange(m(2, "b"), NvaView.FORWARDING, true), new NvaChange(m(1, "a"), NvaView.FORWARDING, false),
                new NvaChange(m(2, "b"), NvaView.FORWARDING, false));
        assertThat(mirror.counts(NvaView.FORWARDING)).isEqualTo(Map.of(m(1, "a"), 1));
    }

    @Test
    void events_not_newer_than_the_list_or_the_key_are_stale_and_change_nothing() {
        mirror.follow(NvaView.FORWARDING, follower);
        Mirror.deliver(mirror.resync(20, List.of(KeyEvent.put(key(m(1, "a")), "1", 15, 15))).batch());
        heard.clear();
        // A late withdrawal from before the list, and a late put of an older version of the key.
        apply(KeyEvent.delete(key(m(1, "a")), 18), KeyEvent.put(key(m(1, "a")), "3", 15, 19));
        apply(KeyEvent.put(key(m(1, "a")), "2", 15, 22), KeyEvent.put(key(m(1, "a")), "5", 15, 21));
        assertThat(heard).containsExactly(new NvaChange(m(1, "a"), NvaView.FORWARDING, true));
        assertThat(mirror.holders(m(1, "a"), NvaView.FORWARDING)).isEqualTo(2);
        assertThat(counters.staleEvents()).isEqualTo(3);
    }

    @Test
    void a_key_created_anew_is_a_new_holding_and_moves_behind_the_others() {
        mirror.follow(NvaView.FORWARDING, follower);
        Mirror.deliver(mirror.resync(1, List.of()).batch());
        apply(KeyEvent.put(key(m(1, "a")), "1", 2, 2));
        apply(KeyEvent.put(key(m(1, "b")), "1", 3, 3));
        heard.clear();
        // a's key was deleted and created again while the watch was down: the list shows a new create revision.
        Mirror.Resync r = mirror.resync(9, List.of(KeyEvent.put(key(m(1, "b")), "1", 3, 3), KeyEvent.put(key(m(1, "a")), "1", 8, 8)));
        Mirror.deliver(r.batch());
        assertThat(heard).containsExactly(new NvaChange(m(1, "a"), NvaView.FORWARDING, false),
                new NvaChange(m(1, "a"), NvaView.FORWARDING, true));
        assertThat(r.published()).isEqualTo(1);
        assertThat(r.withdrawn()).isEqualTo(1);
    }

    @Test
    void a_resync_tells_only_the_difference_withdrawals_first_then_arrivals_oldest_first() {
        Mirror.deliver(mirror.resync(5, List.of(KeyEvent.put(key(m(1, "a")), "2", 1, 1), KeyEvent.put(key(m(2, "a")), "1", 2, 2))).batch());
        mirror.follow(NvaView.FORWARDING, follower);
        Mirror.Resync r = mirror.resync(30, List.of(KeyEvent.put(key(m(1, "a")), "1", 1, 25), KeyEvent.put(key(m(4, "c")), "1", 28, 28),
                KeyEvent.put(key(m(3, "c")), "1", 26, 26)));
        Mirror.deliver(r.batch());
        assertThat(heard).containsExactly(new NvaChange(m(1, "a"), NvaView.FORWARDING, false),
                new NvaChange(m(2, "a"), NvaView.FORWARDING, false), new NvaChange(m(3, "c"), NvaView.FORWARDING, true),
                new NvaChange(m(4, "c"), NvaView.FORWARDING, true));
        assertThat(mirror.counts(NvaView.FORWARDING)).isEqualTo(Map.of(m(1, "a"), 1, m(3, "c"), 1, m(4, "c"), 1));
        assertThat(mirror.revision()).isEqualTo(30);
    }

    @Test
    void malformed_keys_and_values_are_counted_and_ignored_and_vn_contexts_follow_their_keys() {
        mirror.follow(NvaView.FORWARDING, follower);
        VnContext red = new VnContext(VnId.of(7), "red");
        Mirror.deliver(mirror.resync(3, List.of(KeyEvent.put(layout.mappingPrefix() + "forwarding/x", "1", 1, 1),
                KeyEvent.put(key(m(1, "a")), "many", 2, 2), KeyEvent.put(layout.vnById(red.vn()), Values.vn(red), 3, 3))).batch());
        assertThat(heard).isEmpty();
        assertThat(counters.malformed()).isEqualTo(2);
        assertThat(mirror.vn(red.vn())).contains(red);
        apply(KeyEvent.delete(layout.vnById(red.vn()), 4));
        assertThat(mirror.vn(red.vn())).isEmpty();
    }

    @Test
    void a_follower_that_throws_does_not_keep_the_others_from_hearing() {
        mirror.follow(NvaView.FORWARDING, new NvaListener() {
            @Override
            public void onChanges(List<NvaChange> changes) {
                throw new IllegalStateException("broken follower");
            }
        });
        mirror.follow(NvaView.FORWARDING, follower);
        Mirror.deliver(mirror.resync(1, List.of()).batch());
        apply(KeyEvent.put(key(m(1, "a")), "1", 2, 2));
        assertThat(heard).hasSize(1);
        assertThat(mirror.unfollow(follower)).isTrue();
        apply(KeyEvent.delete(key(m(1, "a")), 3));
        assertThat(heard).hasSize(1);
    }
}
