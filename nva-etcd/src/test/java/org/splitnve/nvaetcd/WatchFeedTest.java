package org.splitnve.nvaetcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitnve.nvaetcd.ScriptedSession.block;
import static org.splitnve.nvaetcd.ScriptedSession.run;
import static org.splitnve.nvaetcd.ScriptedSession.settle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.splitnve.nnve.nva.NvaChange;
import org.splitnve.nnve.nva.NvaListener;
import org.splitnve.nnve.nva.NvaView;
import org.splitnve.nnve.nva.TsiMapping;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.VnId;

/** The watch on its own, fed by a scripted source: which events reach the copy, when, and what takes the session down. */
class WatchFeedTest {

    /** A watch as the feed started it, and whether the feed stopped it. */
    private record Started(long from, Consumer<List<KeyEvent>> events, Consumer<Throwable> failed, Runnable ended,
            AtomicBoolean stopped) {
    }

    private final KeyLayout layout = new KeyLayout(KeyLayout.DEFAULT_PREFIX);
    private final EtcdNvaCounters counters = new EtcdNvaCounters();
    private final Mirror mirror = new Mirror(layout, counters);
    private final NvaThread thread = new NvaThread("192.0.2.9", Duration.ofSeconds(5));
    private final ScriptedSession session = new ScriptedSession();
    private final List<Started> watches = new CopyOnWriteArrayList<>();
    private volatile RuntimeException stopFails;
    private final List<List<NvaChange>> heard = new CopyOnWriteArrayList<>();
    private WatchFeed feed;

    @BeforeEach
    void setUp() {
        feed = feed(100);
        mirror.follow(NvaView.FORWARDING, new NvaListener() {
            @Override
            public void onChanges(List<NvaChange> changes) {
                heard.add(changes);
            }
        });
        // The list the watch follows: events at revision 10 or below are already in the copy.
        Mirror.deliver(mirror.resync(10, List.of()).batch());
    }

    @AfterEach
    void tearDown() {
        thread.shutDown();
    }

    private WatchFeed feed(int backlog) {
        EtcdNvaConfig config = EtcdNvaConfig.fromUri("etcd://127.0.0.1:2379").nveName("192.0.2.9").maxWatchBacklog(backlog).build();
        WatchFeed.Source source = (from, events, failed, ended) -> {
            Started s = new Started(from, events, failed, ended, new AtomicBoolean());
            watches.add(s);
            return () -> {
                s.stopped().set(true);
                if (stopFails != null) {
                    throw stopFails;
                }
            };
        };
        return new WatchFeed(config, layout, thread, source, mirror, counters, session);
    }

    private static TsiMapping m(int mac) {
        return new TsiMapping(VnId.of(5001), MacAddress.valueOf(0x020000000000L + mac), null, "192.0.2.2");
    }

    /** One put each of MACs {@code first..last}, at revisions {@code 10 + mac}. */
    private List<KeyEvent> puts(int first, int last) {
        List<KeyEvent> out = new ArrayList<>();
        for (int mac = first; mac <= last; mac++) {
            out.add(KeyEvent.put(layout.mapping(m(mac), NvaView.FORWARDING), Values.holders(1), 10 + mac, 10 + mac));
        }
        return out;
    }

    private Started start(long from) {
        run(thread, () -> feed.start(from));
        return watches.get(watches.size() - 1);
    }

    @Test
    void responses_that_queue_while_the_nva_thread_is_busy_reach_followers_in_one_batch() {
        Started w = start(11);
        assertThat(w.from()).isEqualTo(11);
        CountDownLatch gate = block(thread);
        w.events().accept(puts(1, 1));
        w.events().accept(puts(2, 3));
        w.events().accept(puts(4, 4));
        gate.countDown();
        settle(thread);
        assertThat(heard).as("one drain, one batch").hasSize(1);
        assertThat(heard.get(0)).hasSize(4);
        assertThat(mirror.counts(NvaView.FORWARDING)).containsOnlyKeys(m(1), m(2), m(3), m(4));
        assertThat(counters.watchEvents()).isEqualTo(4);
        assertThat(counters.watchStarts()).isEqualTo(1);
        assertThat(session.told).isEmpty();
    }

    @Test
    void a_stopped_watch_is_closed_and_nothing_it_still_delivers_counts() {
        Started old = start(11);
        run(thread, () -> {
            feed.stop();
            feed.start(20);
        });
        Started now = watches.get(1);
        assertThat(old.stopped()).isTrue();
        old.events().accept(puts(11, 11));
        old.failed().accept(new IllegalStateException("late failure"));
        old.ended().run();
        now.events().accept(puts(12, 12));
        settle(thread);
        settle(thread);
        assertThat(mirror.counts(NvaView.FORWARDING)).containsOnlyKeys(m(12));
        assertThat(session.told).as("the old watch cannot take the session down").isEmpty();

        now.failed().accept(new IllegalStateException("connection reset"));
        settle(thread);
        assertThat(session.told).containsExactly("fail watch failed");
        now.ended().run();
        settle(thread);
        assertThat(session.told).containsExactly("fail watch failed", "fail watch ended");
    }

    @Test
    void events_that_arrive_while_the_session_is_down_are_not_applied() {
        Started w = start(11);
        session.up = false;
        w.events().accept(puts(1, 2));
        settle(thread);
        assertThat(mirror.counts(NvaView.FORWARDING)).isEmpty();
        assertThat(heard).isEmpty();
    }

    @Test
    void a_backlog_over_its_bound_drops_the_rest_of_that_watch_and_fails_the_session_once() {
        feed = feed(8);
        Started w = start(11);
        CountDownLatch gate = block(thread);
        w.events().accept(puts(1, 3));
        w.events().accept(puts(4, 6));
        w.events().accept(puts(7, 9));
        w.events().accept(puts(10, 10));
        gate.countDown();
        settle(thread);
        assertThat(session.told).containsExactly("fail watch backlog over 8 events");
        assertThat(counters.backlogOverflows()).isEqualTo(1);
        assertThat(counters.watchEvents()).as("the responses within the bound").isEqualTo(6);

        // After the resynchronisation a new watch is fed again: the bound is per watch and the backlog is empty.
        run(thread, feed::stop);
        Started next = start(30);
        next.events().accept(puts(21, 28));
        settle(thread);
        assertThat(counters.watchEvents()).isEqualTo(14);
        assertThat(session.told).hasSize(1);
    }

    @Test
    void a_watch_that_fails_to_close_is_forgotten_all_the_same() {
        Started old = start(11);
        stopFails = new IllegalStateException("channel already closed");
        run(thread, feed::stop);
        stopFails = null;
        assertThat(old.stopped()).isTrue();
        Started now = start(12);
        old.events().accept(puts(1, 1));
        now.events().accept(puts(2, 2));
        settle(thread);
        assertThat(mirror.counts(NvaView.FORWARDING)).containsOnlyKeys(m(2));
    }
}
