package org.splitnve.nvaetcd;

import static org.splitnve.nvaetcd.Jetcd.bytes;
import static org.splitnve.nvaetcd.Jetcd.describe;
import static org.splitnve.nvaetcd.Jetcd.hex;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.PutOption;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This nNVE's session with etcd, driven by the {@link SessionState} machine: the lease (granted, kept alive every
 * TTL/3, revoked on close), the liveness key, and recovery after any failure with backoff: check the lease or be
 * granted a new one (then every mapping is written again), list the prefix at one revision into the {@link Mirror},
 * watch from the next revision, and write what is waiting. It owns the {@link WatchFeed} and the
 * {@link PublicationWriter} it starts and stops, and is the {@link SessionLink} through which they take it down.
 *
 * <p>Runs on the NVA's thread; {@link #isUp}, {@link #visibleState}, {@link #awaitUp} and {@link #abandoned} may be
 * called from any thread.
 */
final class Session implements SessionLink {

    private static final Logger LOG = LoggerFactory.getLogger(Session.class);

    private final EtcdNvaConfig config;
    private final KeyLayout layout;
    private final Client client;
    private final NvaThread thread;
    private final Mirror mirror;
    private final EtcdNvaCounters counters;
    private final Backoff backoff;
    private final PrefixListing listing;
    private final WatchFeed watch;
    private final PublicationWriter writer;
    /** Tells this process's liveness key from one a previous run of the same NVE left. */
    private final String instance = UUID.randomUUID().toString();
    private final CountDownLatch firstUp = new CountDownLatch(1);

    // ---- the NVA's thread only
    private SessionState state = SessionState.CONNECTING;
    private long lease;
    private boolean recovering;
    private ScheduledFuture<?> keepAlive;
    // ----

    private volatile SessionState visibleState = SessionState.CONNECTING;

    Session(EtcdNvaConfig config, KeyLayout layout, Client client, NvaThread thread, Mirror mirror, EtcdNvaCounters counters) {
        this.config = config;
        this.layout = layout;
        this.client = client;
        this.thread = thread;
        this.mirror = mirror;
        this.counters = counters;
        this.backoff = new Backoff(config.retryFirst(), config.retryMax());
        this.listing = new PrefixListing(client.getKVClient(), thread, layout, PrefixListing.PAGE);
        this.watch = new WatchFeed(config, layout, thread, WatchFeed.etcd(client.getWatchClient(), bytes(layout.root())), mirror,
                counters, this);
        this.writer = new PublicationWriter(config.nveName(), thread, PublicationWriter.etcd(client.getKVClient()), counters, this);
    }

    /** What writes this nNVE's mappings while the session is up. */
    PublicationWriter writer() {
        return writer;
    }

    /** Starts connecting on the NVA's thread. */
    void start() {
        thread.execute(this::recover);
    }

    /** Waits until the session is up for the first time; false if {@code timeout} passed first. Any thread. */
    boolean awaitUp(Duration timeout) throws InterruptedException {
        return firstUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Any thread. */
    boolean isUp() {
        return visibleState == SessionState.UP;
    }

    /** The state as last seen from any thread. */
    SessionState visibleState() {
        return visibleState;
    }

    @Override
    public SessionState state() {
        return state;
    }

    @Override
    public boolean up() {
        return state == SessionState.UP;
    }

    @Override
    public long lease() {
        return lease;
    }

    /** The failure of a call made after close. */
    NvaUnavailableException closed() {
        return NvaUnavailableException.closed(config.nveName());
    }

    @Override
    public boolean isClosed() {
        return visibleState == SessionState.CLOSED;
    }

    // ---------------------------------------------------------------- recovery

    private void recover() {
        if (state == SessionState.CLOSED || recovering) {
            return;
        }
        recovering = true;
        watch.stop();
        cancelKeepAlive();
        if (lease == 0) {
            grant();
            return;
        }
        long held = lease;
        thread.onLoop(client.getLeaseClient().keepAliveOnce(held), (r, e) -> {
            if (state == SessionState.CLOSED) {
                return;
            }
            if (e == null && r.getTTL() > 0) {
                LOG.info("nva-etcd {}: lease {} still held ({} s left)", config.nveName(), hex(held), r.getTTL());
                list();
            } else if (e == null || Jetcd.leaseNotFound(e)) {
                leaseLost(held, "it expired while etcd was out of reach");
                grant();
            } else {
                recoveryFailed("checking lease " + hex(held), e);
            }
        });
    }

    private void grant() {
        thread.onLoop(client.getLeaseClient().grant(config.leaseTtl().toSeconds()), (r, e) -> {
            if (state == SessionState.CLOSED) {
                if (e == null) {
                    revokeLate(r.getID());
                }
                return;
            }
            if (e != null) {
                recoveryFailed("asking for a lease", e);
                return;
            }
            lease = r.getID();
            counters.leasesGranted.incrementAndGet();
            writer.rewriteAll();
            LOG.info("nva-etcd {}: lease {} granted, TTL {} s; {} mappings of this nNVE to write under it", config.nveName(),
                    hex(lease), r.getTTL(), writer.held());
            ByteSequence alive = bytes(layout.nve(config.nveName()));
            thread.onLoop(client.getKVClient().put(alive, bytes("instance=" + instance + "\n"), PutOption.builder().withLeaseId(lease).build()),
                    (p, pe) -> {
                        if (state == SessionState.CLOSED) {
                            return;
                        }
                        if (pe != null) {
                            recoveryFailed("writing " + layout.nve(config.nveName()), pe);
                        } else {
                            list();
                        }
                    });
        });
    }

    private void list() {
        listing.list(() -> state == SessionState.CLOSED, (l, e) -> {
            if (e != null) {
                recoveryFailed("listing " + layout.root(), e);
            } else {
                listed(l.revision(), l.keys());
            }
        });
    }

    private void listed(long revision, List<KeyEvent> all) {
        Mirror.Resync r = mirror.resync(revision, all);
        counters.resyncs.incrementAndGet();
        LOG.info("nva-etcd {}: resynchronised at revision {}: {} mapping keys, {} holders published, {} withdrawn", config.nveName(),
                revision, r.keys(), r.published(), r.withdrawn());
        watch.start(revision + 1);
        recovering = false;
        transition(SessionState.Event.RECOVERED, "listed at revision " + revision);
        backoff.reset();
        scheduleKeepAlive();
        Mirror.deliver(r.batch());
        writer.flush();
    }

    private void recoveryFailed(String what, Throwable e) {
        recovering = false;
        counters.sessionFailures.incrementAndGet();
        transition(SessionState.Event.FAILED, what + " failed");
        long delay = backoff.nextMillis();
        LOG.warn("nva-etcd {}: {} failed ({}); trying again in {} ms", config.nveName(), what, describe(e), delay);
        thread.schedule(this::recover, delay);
    }

    // ---------------------------------------------------------------- failures while up

    @Override
    public void fail(String why, Throwable e) {
        if (state != SessionState.UP) {
            return;
        }
        counters.sessionFailures.incrementAndGet();
        transition(SessionState.Event.FAILED, why + (e == null ? "" : ": " + describe(e)));
        watch.stop();
        cancelKeepAlive();
        thread.schedule(this::recover, backoff.nextMillis());
    }

    @Override
    public void leaseLost(long held, String why) {
        counters.leasesLost.incrementAndGet();
        LOG.warn("nva-etcd {}: lease {} lost ({}): etcd dropped this nNVE's mappings; {} will be written again under a new lease",
                config.nveName(), hex(held), why, writer.held());
        if (lease == held) {
            lease = 0;
        }
    }

    private void transition(SessionState.Event event, String why) {
        SessionState old = state;
        state = state.on(event);
        visibleState = state;
        if (old != state) {
            LOG.info("nva-etcd {}: session {} -> {} ({})", config.nveName(), old, state, why);
        }
        if (state == SessionState.UP) {
            firstUp.countDown();
        }
    }

    // ---------------------------------------------------------------- keep-alive

    private void scheduleKeepAlive() {
        long every = Math.max(200, config.leaseTtl().toMillis() / 3);
        keepAlive = thread.every(every, this::keepAliveOnce);
    }

    private void cancelKeepAlive() {
        if (keepAlive != null) {
            keepAlive.cancel(false);
            keepAlive = null;
        }
    }

    private void keepAliveOnce() {
        if (state != SessionState.UP) {
            return;
        }
        long held = lease;
        thread.onLoop(client.getLeaseClient().keepAliveOnce(held), (r, e) -> {
            if (state != SessionState.UP || held != lease) {
                return;
            }
            if (e == null && r.getTTL() > 0) {
                return;
            }
            if (e == null || Jetcd.leaseNotFound(e)) {
                leaseLost(held, "etcd no longer knows it");
                fail("lease lost", null);
            } else {
                fail("keep-alive of lease " + hex(held) + " failed", e);
            }
        });
    }

    // ---------------------------------------------------------------- closing

    /** Goes to CLOSED, fails what waits to be written and revokes the lease; {@code done} completes when etcd has answered. */
    void close(CompletableFuture<Void> done) {
        if (state == SessionState.CLOSED) {
            done.complete(null);
            return;
        }
        transition(SessionState.Event.CLOSE, "closed");
        watch.stop();
        cancelKeepAlive();
        writer.failAll(closed());
        long held = lease;
        lease = 0;
        if (held == 0) {
            done.complete(null);
            return;
        }
        thread.timed(client.getLeaseClient().revoke(held)).whenComplete((r, e) -> {
            if (e == null) {
                LOG.info("nva-etcd {}: lease {} revoked: this nNVE's mappings left etcd", config.nveName(), hex(held));
            } else {
                LOG.warn("nva-etcd {}: could not revoke lease {} ({}); its mappings leave etcd within {} s", config.nveName(),
                        hex(held), describe(e), config.leaseTtl().toSeconds());
            }
            done.complete(null);
        });
    }

    /** A lease etcd granted after the NVA closed: given back at once, within the request timeout, or left to run out. */
    private void revokeLate(long id) {
        LOG.info("nva-etcd {}: lease {} granted after close; revoking it", config.nveName(), hex(id));
        thread.timed(client.getLeaseClient().revoke(id)).whenComplete((r, e) -> {
            if (e != null) {
                LOG.warn("nva-etcd {}: could not revoke lease {} granted after close ({}); it runs out within {} s", config.nveName(),
                        hex(id), describe(e), config.leaseTtl().toSeconds());
            }
        });
    }

    /** Stops without a goodbye, as a crash would: seen as closed from any thread; the lease is left to run out. */
    void abandoned() {
        visibleState = SessionState.CLOSED;
    }
}
