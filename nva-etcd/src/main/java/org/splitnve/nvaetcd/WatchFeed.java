package org.splitnve.nvaetcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watch of the NVA's prefix, feeding the {@link Mirror}: events arrive on the client's thread, queue within the
 * backlog bound ({@link EtcdNvaConfig#maxWatchBacklog}) and are applied on the NVA's thread, all that queued meanwhile
 * at once, so that under load followers rebuild once per drain rather than once per response. It exists apart from
 * the session so that the ordering and bounding of events can be tested without etcd.
 *
 * <p>Each watch started has a generation; events, failures and ends of a watch that is no longer the current one are
 * ignored, and events are applied only while the session is up. A failure, an end or a backlog overflow of the current
 * watch takes the session down ({@link SessionLink#fail}), which lists the prefix anew.
 */
final class WatchFeed {

    private static final Logger LOG = LoggerFactory.getLogger(WatchFeed.class);

    /** Where watches come from: etcd's watch client in the NVA ({@link #etcd}), a script in tests. */
    @FunctionalInterface
    interface Source {
        /**
         * Watches the prefix from {@code fromRevision}: each non-empty response's events to {@code events} (on the
         * client's thread), a failure to {@code failed}, the end of the watch to {@code ended}.
         *
         * @return what stops the watch
         */
        Runnable watch(long fromRevision, Consumer<List<KeyEvent>> events, Consumer<Throwable> failed, Runnable ended);
    }

    /** One watch response's events, and the watch they came from. */
    private record Received(int generation, List<KeyEvent> events) {
    }

    private final EtcdNvaConfig config;
    private final KeyLayout layout;
    private final NvaThread thread;
    private final Source source;
    private final Mirror mirror;
    private final EtcdNvaCounters counters;
    private final SessionLink session;
    private final AtomicInteger backlog = new AtomicInteger();
    /** Watch responses received and not yet applied, bounded by {@link EtcdNvaConfig#maxWatchBacklog} events. */
    private final ConcurrentLinkedQueue<Received> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();

    // ---- the NVA's thread only
    private Runnable stopCurrent;
    private int generation;
    // ----

    /** The watch generation whose events overflowed the backlog and are being dropped. */
    private volatile int overflowed = -1;

    WatchFeed(EtcdNvaConfig config, KeyLayout layout, NvaThread thread, Source source, Mirror mirror, EtcdNvaCounters counters,
            SessionLink session) {
        this.config = config;
        this.layout = layout;
        this.thread = thread;
        this.source = source;
        this.mirror = mirror;
        this.counters = counters;
        this.session = session;
    }

    /** etcd's watch of everything under {@code root}, its events converted to {@link KeyEvent}s. */
    static Source etcd(Watch client, ByteSequence root) {
        return (from, events, failed, ended) -> {
            WatchOption option = WatchOption.builder().isPrefix(true).withRevision(from).build();
            Watch.Watcher w = client.watch(root, option, Watch.listener(resp -> {
                List<WatchEvent> raw = resp.getEvents();
                if (!raw.isEmpty()) {
                    events.accept(convert(raw));
                }
            }, failed::accept, ended));
            return w::close;
        };
    }

    private static List<KeyEvent> convert(List<WatchEvent> raw) {
        List<KeyEvent> events = new ArrayList<>(raw.size());
        for (WatchEvent w : raw) {
            KeyValue x = w.getKeyValue();
            String key = Jetcd.text(x.getKey());
            events.add(w.getEventType() == WatchEvent.EventType.DELETE ? KeyEvent.delete(key, x.getModRevision())
                    : KeyEvent.put(key, Jetcd.text(x.getValue()), x.getCreateRevision(), x.getModRevision()));
        }
        return events;
    }

    /** Starts a new watch from {@code from}; the session stops the previous one first. On the NVA's thread. */
    void start(long from) {
        int gen = ++generation;
        stopCurrent = source.watch(from, events -> received(gen, events),
                err -> thread.execute(() -> failed(gen, err)),
                () -> thread.execute(() -> ended(gen)));
        counters.watchStarts.incrementAndGet();
        LOG.info("nva-etcd {}: watching {} from revision {} (watch {})", config.nveName(), layout.root(), from, gen);
    }

    /** Stops the current watch; whatever it still delivers is ignored. On the NVA's thread. */
    void stop() {
        generation++;
        if (stopCurrent != null) {
            Runnable w = stopCurrent;
            stopCurrent = null;
            try {
                w.run();
            } catch (RuntimeException e) {
                LOG.debug("nva-etcd {}: closing a watch: {}", config.nveName(), e.toString());
            }
        }
    }

    /** On the client's thread: queues one response's events, within the backlog bound. */
    private void received(int gen, List<KeyEvent> events) {
        if (overflowed == gen) {
            return;
        }
        int n = events.size();
        if (backlog.addAndGet(n) > config.maxWatchBacklog()) {
            backlog.addAndGet(-n);
            overflowed = gen;
            thread.execute(() -> overflow(gen));
            return;
        }
        counters.watchEvents.addAndGet(n);
        pending.add(new Received(gen, events));
        // One drain for whatever queued meanwhile: under load followers rebuild once per drain, not per response.
        if (draining.compareAndSet(false, true) && !thread.execute(this::drain)) {
            draining.set(false);
        }
    }

    /** Applies every queued watch response of the current watch, then tells followers once. */
    private void drain() {
        draining.set(false);
        List<KeyEvent> events = new ArrayList<>();
        Received r;
        while ((r = pending.poll()) != null) {
            backlog.addAndGet(-r.events().size());
            if (r.generation() == generation && session.up()) {
                events.addAll(r.events());
            }
        }
        if (!events.isEmpty()) {
            Mirror.deliver(mirror.apply(events));
        }
    }

    private void overflow(int gen) {
        if (gen != generation) {
            return;
        }
        counters.backlogOverflows.incrementAndGet();
        LOG.warn("nva-etcd {}: more than {} watch events waiting; dropping them and listing {} anew", config.nveName(),
                config.maxWatchBacklog(), layout.root());
        session.fail("watch backlog over " + config.maxWatchBacklog() + " events", null);
    }

    private void failed(int gen, Throwable e) {
        if (gen == generation) {
            session.fail("watch failed", e);
        }
    }

    private void ended(int gen) {
        if (gen == generation) {
            session.fail("watch ended", null);
        }
    }
}
