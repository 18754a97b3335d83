package org.splitnve.nvaetcd;

import io.etcd.jetcd.Client;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.nnve.nva.NvaListener;
import org.splitnve.nnve.nva.NvaView;
import org.splitnve.nnve.nva.ObservableNva;
import org.splitnve.nnve.nva.TsiMapping;
import org.splitnve.nnve.nva.VnContext;
import org.splitnve.nvaetcd.KeyLayout.MappingKey;
import org.splitnve.vdpcore.vdp.VnId;

/**
 * The NVA on etcd (RFC 8394 3.1 and 3.2 for many nNVEs): VN contexts defined by compare-and-swap, this nNVE's TSI
 * address mappings under one lease of its own, and a watch of the whole prefix that keeps a {@link Mirror} of every
 * nNVE's mappings, which the data plane follows as an {@link ObservableNva}. docs/NVA-ETCD.md describes the keys,
 * values, lease and ordering rules, and the failure behaviour.
 *
 * <p>This class is the public face and the wiring; each concern is a class of its own: {@link VnContexts} (define,
 * create by name, look up), {@link Session} (lease, keep-alive and recovery, driven by {@link SessionState}), with its
 * {@link PrefixListing}, {@link WatchFeed} (the watch into the {@link Mirror}) and {@link PublicationWriter} (this
 * nNVE's {@link Publications} written to etcd), all on one {@link NvaThread}.
 *
 * <p>Failures: every etcd call has a deadline. Any failure takes the session down; while it is not up, VN lookups fail
 * at once with {@link NvaUnavailableException} (the nNVE answers error 3) and publications wait. Recovery checks the
 * lease (or is granted a new one, and then writes every mapping again), lists the prefix at one revision, tells
 * followers the difference, and watches from the next revision. Publish and withdraw are never lost: each only changes
 * what this nNVE wants etcd to hold, and the writer sends that until etcd has it.
 *
 * <p>All state lives on one thread of the NVA's own; public methods may be called from any thread. Followers are
 * called on that thread.
 */
public final class EtcdNva implements ObservableNva, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EtcdNva.class);

    private final EtcdNvaConfig config;
    private final KeyLayout layout;
    private final EtcdNvaCounters counters = new EtcdNvaCounters();
    private final Mirror mirror;
    private final Client client;
    private final NvaThread thread;
    private final Session session;
    private final PublicationWriter writer;
    private final VnContexts vns;

    private EtcdNva(EtcdNvaConfig config) {
        this.config = config;
        this.layout = new KeyLayout(config.prefix());
        this.mirror = new Mirror(layout, counters);
        // Fail fast when etcd is unreachable, and retry here, where it is counted, logged and bounded.
        this.client = Client.builder().endpoints(config.endpoints().toArray(URI[]::new)).waitForReady(false)
                .retryMaxAttempts(0).connectTimeout(config.requestTimeout()).build();
        this.thread = new NvaThread(config.nveName(), config.requestTimeout());
        this.session = new Session(config, layout, client, thread, mirror, counters);
        this.writer = session.writer();
        this.vns = new VnContexts(config, layout, client.getKVClient(), thread, mirror, counters, session);
    }

    /** Starts connecting in the background and returns at once; {@link #awaitUp} waits for the first session. */
    public static EtcdNva start(EtcdNvaConfig config) {
        EtcdNva nva = new EtcdNva(Objects.requireNonNull(config, "config"));
        LOG.info("nva-etcd {}: starting ({})", config.nveName(), config);
        nva.session.start();
        return nva;
    }

    /** Waits until the session is up for the first time; false if {@code timeout} passed first. */
    public boolean awaitUp(Duration timeout) throws InterruptedException {
        return session.awaitUp(timeout);
    }

    /** True while a lease is held and the watch runs: VN lookups are answered and mappings written. */
    public boolean isUp() {
        return session.isUp();
    }

    public EtcdNvaConfig config() {
        return config;
    }

    public EtcdNvaCounters counters() {
        return counters;
    }

    // ---------------------------------------------------------------- Nva

    @Override
    public CompletionStage<Optional<VnContext>> vnContext(VnId vn) {
        return vns.lookUp(vn);
    }

    @Override
    public CompletionStage<Void> publish(TsiMapping mapping, NvaView view) {
        return change(mapping, view, true);
    }

    @Override
    public CompletionStage<Void> withdraw(TsiMapping mapping, NvaView view) {
        return change(mapping, view, false);
    }

    private CompletionStage<Void> change(TsiMapping mapping, NvaView view, boolean publish) {
        Objects.requireNonNull(mapping, "mapping");
        Objects.requireNonNull(view, "view");
        String key = layout.mapping(mapping, view);
        MappingKey what = new MappingKey(mapping, view);
        CompletableFuture<Void> out = new CompletableFuture<>();
        boolean queued = thread.execute(() -> {
            if (session.state() == SessionState.CLOSED) {
                out.completeExceptionally(session.closed());
                return;
            }
            writer.change(key, what, publish).whenComplete((ok, e) -> {
                if (e != null) {
                    out.completeExceptionally(e);
                } else {
                    out.complete(null);
                }
            });
        });
        if (!queued) {
            out.completeExceptionally(session.closed());
        }
        return out;
    }

    // ---------------------------------------------------------------- ObservableNva

    @Override
    public Map<TsiMapping, Integer> follow(NvaView view, NvaListener listener) {
        return mirror.follow(view, listener);
    }

    @Override
    public boolean unfollow(NvaListener listener) {
        return mirror.unfollow(listener);
    }

    @Override
    public Map<TsiMapping, Integer> counts(NvaView view) {
        return mirror.counts(view);
    }

    /** How many holders etcd has for a mapping in a view, as far as this NVA's copy knows (0 when absent). */
    public int holders(TsiMapping mapping, NvaView view) {
        return mirror.holders(mapping, view);
    }

    /** The VN as this NVA's copy of etcd knows it now, without asking etcd. */
    public Optional<VnContext> knownVn(VnId vn) {
        return mirror.vn(vn);
    }

    // ---------------------------------------------------------------- VN contexts

    /**
     * Defines a VN: its VNI and its name both become taken, in one compare-and-swap, unless either is taken already.
     * Defining again what is there is not an error; the stage then gives the context etcd holds. Fails with
     * {@link VnConflictException} when the name or the VNI belongs to another VN, or with etcd's error.
     */
    public CompletableFuture<VnContext> define(VnContext ctx) {
        return vns.define(ctx);
    }

    /**
     * The VN named {@code name}, created with the next free VNI of the configured range if no VN has that name.
     * nNVEs that race to create the same name all get the same VN, and two names never get the same VNI: the name,
     * the VNI and the allocation counter change together in one compare-and-swap, and the loser tries again.
     */
    public CompletableFuture<VnContext> createVn(String name) {
        return vns.create(name);
    }

    // ---------------------------------------------------------------- closing

    /**
     * Says goodbye: revokes the lease, so that every mapping of this nNVE leaves etcd at once rather than when the
     * lease runs out, and closes the client. Idempotent; waits at most twice the request timeout for etcd.
     */
    @Override
    public void close() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (thread.execute(() -> session.close(done))) {
            try {
                done.get(config.requestTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.warn("nva-etcd {}: closing: {}", config.nveName(), e.toString());
            }
        }
        shutDown();
    }

    /** Stops without a goodbye, as a crash would: the lease is left to run out. For tests. */
    void abandon() {
        session.abandoned();
        LOG.info("nva-etcd {}: abandoned without revoking lease", config.nveName());
        shutDown();
    }

    private void shutDown() {
        thread.shutDown();
        client.close();
    }

    @Override
    public String toString() {
        return "EtcdNva[" + config.uri() + ", " + config.nveName() + ", " + session.visibleState() + ", " + mirror + "]";
    }
}
