package org.splitnve.nvaetcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdException;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.nnve.nva.NvaListener;
import org.splitnve.nnve.nva.NvaView;
import org.splitnve.nnve.nva.ObservableNva;
import org.splitnve.nnve.nva.TsiMapping;
import org.splitnve.nnve.nva.VnContext;
import org.splitnve.nvaetcd.KeyLayout.MappingKey;
import org.splitnve.nvaetcd.Publications.Write;
import org.splitnve.vdpcore.vdp.VnId;

/**
 * The NVA on etcd (RFC 8394 3.1 and 3.2 for many nNVEs): VN contexts defined by compare-and-swap, this nNVE's TSI
 * address mappings under one lease of its own, and a watch of the whole prefix that keeps a {@link Mirror} of every
 * nNVE's mappings, which the data plane follows as an {@link ObservableNva}. docs/NVA-ETCD.md describes the keys,
 * values, lease and ordering rules, and the failure behaviour.
 *
 * <p>Failures: every etcd call has a deadline. Any failure takes the session down ({@link SessionState}); while it is
 * not up, VN lookups fail at once with {@link NvaUnavailableException} (the nNVE answers error 3) and publications
 * wait. Recovery checks the lease (or is granted a new one, and then writes every mapping again), lists the prefix
 * at one revision, tells followers the difference, and watches from the next revision. Publish and withdraw are never
 * lost: each only changes what this nNVE wants etcd to hold ({@link Publications}), and the writer sends that until
 * etcd has it.
 *
 * <p>All state lives on one thread of the NVA's own; public methods may be called from any thread. Followers are
 * called on that thread.
 */
public final class EtcdNva implements ObservableNva, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EtcdNva.class);

    /** etcd's default limit of operations in one transaction ({@code --max-txn-ops}). */
    static final int MAX_TXN_OPS = 128;
    /** Keys per page when listing the prefix, so that no answer nears gRPC's message size limit. */
    private static final int LIST_PAGE = 1000;
    /** Attempts of a VN allocation that lost its race to other nNVEs before giving up. */
    private static final int ALLOCATION_ATTEMPTS = 64;

    private final EtcdNvaConfig config;
    private final KeyLayout layout;
    private final EtcdNvaCounters counters = new EtcdNvaCounters();
    private final Mirror mirror;
    private final Publications publications = new Publications();
    private final Client client;
    private final KV kv;
    private final ScheduledExecutorService loop;
    private final Backoff backoff;
    /** Tells this process's liveness key from one a previous run of the same NVE left. */
    private final String instance = UUID.randomUUID().toString();
    private final AtomicInteger backlog = new AtomicInteger();
    /** Watch responses received and not yet applied, bounded by {@link EtcdNvaConfig#maxWatchBacklog} events. */
    private final ConcurrentLinkedQueue<Received> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final CountDownLatch firstUp = new CountDownLatch(1);
    private final ByteSequence root;
    private final ByteSequence rootEnd;

    // ---- the NVA's thread only
    private SessionState state = SessionState.CONNECTING;
    private long lease;
    private Watch.Watcher watcher;
    private int generation;
    private boolean recovering;
    private boolean writing;
    private ScheduledFuture<?> keepAlive;
    // ----

    private volatile SessionState visibleState = SessionState.CONNECTING;
    /** The watch generation whose events overflowed the backlog and are being dropped. */
    private volatile int overflowed = -1;

    private EtcdNva(EtcdNvaConfig config) {
        this.config = config;
        this.layout = new KeyLayout(config.prefix());
        this.mirror = new Mirror(layout, counters);
        this.backoff = new Backoff(config.retryFirst(), config.retryMax());
        // Fail fast when etcd is unreachable, and retry here, where it is counted, logged and bounded.
        this.client = Client.builder().endpoints(config.endpoints().toArray(URI[]::new)).waitForReady(false)
                .retryMaxAttempts(0).connectTimeout(config.requestTimeout()).build();
        this.kv = client.getKVClient();
        ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "nva-etcd-" + config.nveName());
            t.setDaemon(true);
            return t;
        });
        ex.setRemoveOnCancelPolicy(true);
        this.loop = ex;
        this.root = bytes(layout.root());
        byte[] end = layout.root().getBytes(StandardCharsets.UTF_8);
        end[end.length - 1]++;
        this.rootEnd = ByteSequence.from(end);
    }

    /** Starts connecting in the background and returns at once; {@link #awaitUp} waits for the first session. */
    public static EtcdNva start(EtcdNvaConfig config) {
        EtcdNva nva = new EtcdNva(Objects.requireNonNull(config, "config"));
        LOG.info("nva-etcd {}: starting ({})", config.nveName(), config);
        nva.execute(nva::recover);
        return nva;
    }

    /** Waits until the session is up for the first time; false if {@code timeout} passed first. */
    public boolean awaitUp(Duration timeout) throws InterruptedException {
        return firstUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** True while a lease is held and the watch runs: VN lookups are answered and mappings written. */
    public boolean isUp() {
        return visibleState == SessionState.UP;
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
        CompletableFuture<Optional<VnContext>> out = new CompletableFuture<>();
        if (!execute(() -> lookUp(vn, out))) {
            out.completeExceptionally(closed());
        }
        return out;
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
        boolean queued = execute(() -> {
            if (state == SessionState.CLOSED) {
                out.completeExceptionally(closed());
                return;
            }
            CompletableFuture<Void> written = publish ? publications.publish(key, what) : publications.withdraw(key, what);
            LOG.debug("nva-etcd {}: {} {} in {} ({} to write)", config.nveName(), publish ? "publish" : "withdraw", mapping, view,
                    publications.dirtyCount());
            written.whenComplete((ok, e) -> {
                if (e != null) {
                    out.completeExceptionally(e);
                } else {
                    out.complete(null);
                }
            });
            flush();
        });
        if (!queued) {
            out.completeExceptionally(closed());
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
        ByteSequence id = bytes(layout.vnById(ctx.vn()));
        ByteSequence name = bytes(layout.vnByName(ctx.name()));
        CompletableFuture<TxnResponse> txn = kv.txn()
                .If(new Cmp(id, Cmp.Op.EQUAL, CmpTarget.version(0)), new Cmp(name, Cmp.Op.EQUAL, CmpTarget.version(0)))
                .Then(Op.put(id, bytes(Values.vn(ctx)), PutOption.DEFAULT),
                        Op.put(name, bytes(Integer.toString(ctx.vn().value())), PutOption.DEFAULT))
                .Else(Op.get(id, GetOption.DEFAULT), Op.get(name, GetOption.DEFAULT))
                .commit();
        return timed(txn).thenApply(r -> {
            if (r.isSucceeded()) {
                counters.vnsCreated.incrementAndGet();
                LOG.info("nva-etcd {}: defined {} as '{}'", config.nveName(), ctx.vn(), ctx.name());
                return ctx;
            }
            KeyValue idKv = first(r.getGetResponses().get(0));
            KeyValue nameKv = first(r.getGetResponses().get(1));
            Optional<VnContext> there = idKv == null ? Optional.empty() : Values.vn(ctx.vn(), text(idKv.getValue()));
            String owner = nameKv == null ? null : text(nameKv.getValue());
            if (there.isPresent() && there.get().name().equals(ctx.name()) && Integer.toString(ctx.vn().value()).equals(owner)) {
                return there.get();
            }
            counters.vnConflicts.incrementAndGet();
            String why = there.map(t -> t.vn() + " is '" + t.name() + "'").orElse(idKv == null ? "" : ctx.vn() + " is taken")
                    + (owner == null || owner.equals(Integer.toString(ctx.vn().value())) ? ""
                    : (idKv == null ? "" : "; ") + "'" + ctx.name() + "' is VN " + owner);
            LOG.warn("nva-etcd {}: refused to define {} as '{}': {}", config.nveName(), ctx.vn(), ctx.name(), why);
            throw new VnConflictException(ctx, why);
        });
    }

    /**
     * The VN named {@code name}, created with the next free VNI of the configured range if no VN has that name.
     * nNVEs that race to create the same name all get the same VN, and two names never get the same VNI: the name,
     * the VNI and the allocation counter change together in one compare-and-swap, and the loser tries again.
     */
    public CompletableFuture<VnContext> createVn(String name) {
        if (name == null || name.isBlank()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("a VN name is not blank"));
        }
        return allocate(name, 0);
    }

    private CompletableFuture<VnContext> allocate(String name, int attempt) {
        if (attempt >= ALLOCATION_ATTEMPTS) {
            return CompletableFuture.failedFuture(new IllegalStateException("could not allocate a VNI for '" + name + "' in "
                    + ALLOCATION_ATTEMPTS + " attempts: too many nNVEs allocate at once"));
        }
        ByteSequence nameKey = bytes(layout.vnByName(name));
        ByteSequence nextKey = bytes(layout.vnNext());
        CompletableFuture<TxnResponse> read = kv.txn().If(new Cmp(nameKey, Cmp.Op.GREATER, CmpTarget.version(0)))
                .Then(Op.get(nameKey, GetOption.DEFAULT)).Else(Op.get(nextKey, GetOption.DEFAULT)).commit();
        return timed(read).thenCompose(r -> {
            KeyValue got = first(r.getGetResponses().get(0));
            if (r.isSucceeded()) {
                return existing(name, got);
            }
            int candidate;
            try {
                candidate = got == null ? config.firstAllocatedVni()
                        : Math.max(config.firstAllocatedVni(), KeyLayout.decimal(text(got.getValue())));
            } catch (IllegalArgumentException e) {
                counters.malformed.incrementAndGet();
                return CompletableFuture.failedFuture(new IllegalStateException(layout.vnNext() + " is not a VNI: " + e.getMessage()));
            }
            if (candidate > config.lastAllocatedVni()) {
                return CompletableFuture.failedFuture(new IllegalStateException("no VNI left in " + config.firstAllocatedVni() + ".."
                        + config.lastAllocatedVni() + " for '" + name + "'"));
            }
            long nextRevision = got == null ? 0 : got.getModRevision();
            VnContext ctx = new VnContext(VnId.of(candidate), name);
            ByteSequence idKey = bytes(layout.vnById(ctx.vn()));
            ByteSequence following = bytes(Integer.toString(candidate + 1));
            CompletableFuture<TxnResponse> claim = kv.txn()
                    .If(new Cmp(nameKey, Cmp.Op.EQUAL, CmpTarget.version(0)), new Cmp(idKey, Cmp.Op.EQUAL, CmpTarget.version(0)),
                            new Cmp(nextKey, Cmp.Op.EQUAL, CmpTarget.modRevision(nextRevision)))
                    .Then(Op.put(idKey, bytes(Values.vn(ctx)), PutOption.DEFAULT),
                            Op.put(nameKey, bytes(Integer.toString(candidate)), PutOption.DEFAULT),
                            Op.put(nextKey, following, PutOption.DEFAULT))
                    .Else(Op.get(idKey, GetOption.DEFAULT))
                    .commit();
            return timed(claim).thenCompose(c -> {
                if (c.isSucceeded()) {
                    counters.vnsCreated.incrementAndGet();
                    LOG.info("nva-etcd {}: created {} for '{}' (attempt {})", config.nveName(), ctx.vn(), name, attempt + 1);
                    return CompletableFuture.completedFuture(ctx);
                }
                if (first(c.getGetResponses().get(0)) != null) {
                    // The VNI belongs to a VN defined by hand: move the counter past it, whoever's move wins.
                    CompletableFuture<TxnResponse> skip = kv.txn()
                            .If(new Cmp(nextKey, Cmp.Op.EQUAL, CmpTarget.modRevision(nextRevision)))
                            .Then(Op.put(nextKey, following, PutOption.DEFAULT)).commit();
                    return timed(skip).thenCompose(s -> allocate(name, attempt + 1));
                }
                // Someone else took the name or moved the counter: read again.
                return allocate(name, attempt + 1);
            });
        });
    }

    private CompletableFuture<VnContext> existing(String name, KeyValue nameKv) {
        int vni;
        try {
            vni = KeyLayout.decimal(text(nameKv.getValue()));
            VnId.of(vni);
        } catch (IllegalArgumentException e) {
            counters.malformed.incrementAndGet();
            return CompletableFuture.failedFuture(new IllegalStateException(layout.vnByName(name) + " is not a VNI: "
                    + e.getMessage()));
        }
        VnId vn = VnId.of(vni);
        return timed(kv.get(bytes(layout.vnById(vn)))).thenApply(g -> {
            KeyValue idKv = first(g);
            Optional<VnContext> ctx = idKv == null ? Optional.empty() : Values.vn(vn, text(idKv.getValue()));
            if (ctx.isEmpty() || !ctx.get().name().equals(name)) {
                throw new IllegalStateException("'" + name + "' names " + vn + ", which etcd does not hold as '" + name + "'");
            }
            return ctx.get();
        });
    }

    private void lookUp(VnId vn, CompletableFuture<Optional<VnContext>> out) {
        counters.vnLookups.incrementAndGet();
        if (state != SessionState.UP) {
            counters.vnLookupsRefused.incrementAndGet();
            out.completeExceptionally(new NvaUnavailableException("etcd at " + config.uri() + " is not reachable (session "
                    + state + ")"));
            return;
        }
        Optional<VnContext> known = mirror.vn(vn);
        if (known.isPresent()) {
            out.complete(known);
            return;
        }
        // Not in the copy: not in etcd, or created a moment ago and not yet seen by the watch.
        onLoop(kv.get(bytes(layout.vnById(vn))), (r, e) -> {
            if (e != null) {
                out.completeExceptionally(new NvaUnavailableException("looking up " + vn + " in etcd failed: " + e));
                fail("looking up " + vn + " failed", e);
                return;
            }
            KeyValue got = first(r);
            Optional<VnContext> ctx = got == null ? Optional.empty() : Values.vn(vn, text(got.getValue()));
            if (ctx.isPresent() || got != null || !config.openVns()) {
                out.complete(ctx);
                return;
            }
            define(new VnContext(vn, "vn-" + vn.value())).whenComplete((c, de) -> {
                Throwable cause = unwrap(de);
                if (cause == null) {
                    out.complete(Optional.of(c));
                } else if (cause instanceof VnConflictException) {
                    out.complete(Optional.empty());
                } else {
                    out.completeExceptionally(new NvaUnavailableException("creating " + vn + " in etcd failed: " + cause));
                }
            });
        });
    }

    // ---------------------------------------------------------------- session

    private void recover() {
        if (state == SessionState.CLOSED || recovering) {
            return;
        }
        recovering = true;
        stopWatch();
        cancelKeepAlive();
        if (lease == 0) {
            grant();
            return;
        }
        long held = lease;
        onLoop(client.getLeaseClient().keepAliveOnce(held), (r, e) -> {
            if (state == SessionState.CLOSED) {
                return;
            }
            if (e == null && r.getTTL() > 0) {
                LOG.info("nva-etcd {}: lease {} still held ({} s left)", config.nveName(), hex(held), r.getTTL());
                list();
            } else if (e == null || leaseNotFound(e)) {
                leaseLost(held, "it expired while etcd was out of reach");
                grant();
            } else {
                recoveryFailed("checking lease " + hex(held), e);
            }
        });
    }

    private void grant() {
        onLoop(client.getLeaseClient().grant(config.leaseTtl().toSeconds()), (r, e) -> {
            if (state == SessionState.CLOSED) {
                if (e == null) {
                    client.getLeaseClient().revoke(r.getID());
                }
                return;
            }
            if (e != null) {
                recoveryFailed("asking for a lease", e);
                return;
            }
            lease = r.getID();
            counters.leasesGranted.incrementAndGet();
            publications.allDirty();
            LOG.info("nva-etcd {}: lease {} granted, TTL {} s; {} mappings of this nNVE to write under it", config.nveName(),
                    hex(lease), r.getTTL(), publications.held());
            ByteSequence alive = bytes(layout.nve(config.nveName()));
            onLoop(kv.put(alive, bytes("instance=" + instance + "\n"), PutOption.builder().withLeaseId(lease).build()), (p, pe) -> {
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
        listPage(root, 0, new ArrayList<>());
    }

    private void listPage(ByteSequence from, long at, List<KeyEvent> acc) {
        GetOption.Builder o = GetOption.builder().withRange(rootEnd).withLimit(LIST_PAGE);
        if (at != 0) {
            // Every page at the first page's revision: one consistent picture of the prefix.
            o.withRevision(at);
        }
        onLoop(kv.get(from, o.build()), (r, e) -> {
            if (state == SessionState.CLOSED) {
                return;
            }
            if (e != null) {
                recoveryFailed("listing " + layout.root(), e);
                return;
            }
            long revision = at != 0 ? at : r.getHeader().getRevision();
            List<KeyValue> kvs = r.getKvs();
            for (KeyValue x : kvs) {
                acc.add(KeyEvent.put(text(x.getKey()), text(x.getValue()), x.getCreateRevision(), x.getModRevision()));
            }
            if (r.isMore() && !kvs.isEmpty()) {
                listPage(kvs.get(kvs.size() - 1).getKey().concat(ByteSequence.from(new byte[] {0})), revision, acc);
            } else {
                listed(revision, acc);
            }
        });
    }

    private void listed(long revision, List<KeyEvent> all) {
        Mirror.Resync r = mirror.resync(revision, all);
        counters.resyncs.incrementAndGet();
        LOG.info("nva-etcd {}: resynchronised at revision {}: {} mapping keys, {} holders published, {} withdrawn", config.nveName(),
                revision, r.keys(), r.published(), r.withdrawn());
        startWatch(revision + 1);
        recovering = false;
        transition(SessionState.Event.RECOVERED, "listed at revision " + revision);
        backoff.reset();
        scheduleKeepAlive();
        Mirror.deliver(r.batch());
        flush();
    }

    private void recoveryFailed(String what, Throwable e) {
        recovering = false;
        counters.sessionFailures.incrementAndGet();
        transition(SessionState.Event.FAILED, what + " failed");
        long delay = backoff.nextMillis();
        LOG.warn("nva-etcd {}: {} failed ({}); trying again in {} ms", config.nveName(), what, describe(e), delay);
        schedule(this::recover, delay);
    }

    /** A failure while up: the session goes down and recovers. Ignored while not up (recovery is under way). */
    private void fail(String why, Throwable e) {
        if (state != SessionState.UP) {
            return;
        }
        counters.sessionFailures.incrementAndGet();
        transition(SessionState.Event.FAILED, why + (e == null ? "" : ": " + describe(e)));
        stopWatch();
        cancelKeepAlive();
        schedule(this::recover, backoff.nextMillis());
    }

    private void leaseLost(long held, String why) {
        counters.leasesLost.incrementAndGet();
        LOG.warn("nva-etcd {}: lease {} lost ({}): etcd dropped this nNVE's mappings; {} will be written again under a new lease",
                config.nveName(), hex(held), why, publications.held());
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

    private void scheduleKeepAlive() {
        long every = Math.max(200, config.leaseTtl().toMillis() / 3);
        keepAlive = loop.scheduleWithFixedDelay(this::keepAliveOnce, every, every, TimeUnit.MILLISECONDS);
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
        onLoop(client.getLeaseClient().keepAliveOnce(held), (r, e) -> {
            if (state != SessionState.UP || held != lease) {
                return;
            }
            if (e == null && r.getTTL() > 0) {
                return;
            }
            if (e == null || leaseNotFound(e)) {
                leaseLost(held, "etcd no longer knows it");
                fail("lease lost", null);
            } else {
                fail("keep-alive of lease " + hex(held) + " failed", e);
            }
        });
    }

    // ---------------------------------------------------------------- watch

    /** One watch response's events, and the watch they came from. */
    private record Received(int generation, List<KeyEvent> events) {
    }

    private void startWatch(long from) {
        int gen = ++generation;
        WatchOption option = WatchOption.builder().isPrefix(true).withRevision(from).build();
        watcher = client.getWatchClient().watch(root, option, Watch.listener(
                resp -> received(gen, resp),
                err -> execute(() -> watchFailed(gen, err)),
                () -> execute(() -> watchEnded(gen))));
        counters.watchStarts.incrementAndGet();
        LOG.info("nva-etcd {}: watching {} from revision {} (watch {})", config.nveName(), layout.root(), from, gen);
    }

    private void stopWatch() {
        generation++;
        if (watcher != null) {
            Watch.Watcher w = watcher;
            watcher = null;
            try {
                w.close();
            } catch (RuntimeException e) {
                LOG.debug("nva-etcd {}: closing a watch: {}", config.nveName(), e.toString());
            }
        }
    }

    /** On the client's thread: converts the events and queues them, within the backlog bound. */
    private void received(int gen, WatchResponse resp) {
        List<WatchEvent> raw = resp.getEvents();
        if (raw.isEmpty() || overflowed == gen) {
            return;
        }
        List<KeyEvent> events = new ArrayList<>(raw.size());
        for (WatchEvent w : raw) {
            KeyValue x = w.getKeyValue();
            String key = text(x.getKey());
            events.add(w.getEventType() == WatchEvent.EventType.DELETE ? KeyEvent.delete(key, x.getModRevision())
                    : KeyEvent.put(key, text(x.getValue()), x.getCreateRevision(), x.getModRevision()));
        }
        int n = events.size();
        if (backlog.addAndGet(n) > config.maxWatchBacklog()) {
            backlog.addAndGet(-n);
            overflowed = gen;
            execute(() -> overflow(gen));
            return;
        }
        counters.watchEvents.addAndGet(n);
        pending.add(new Received(gen, events));
        // One drain for whatever queued meanwhile: under load followers rebuild once per drain, not per response.
        if (draining.compareAndSet(false, true) && !execute(this::drain)) {
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
            if (r.generation() == generation && state == SessionState.UP) {
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
        fail("watch backlog over " + config.maxWatchBacklog() + " events", null);
    }

    private void watchFailed(int gen, Throwable e) {
        if (gen == generation) {
            fail("watch failed", e);
        }
    }

    private void watchEnded(int gen) {
        if (gen == generation) {
            fail("watch ended", null);
        }
    }

    // ---------------------------------------------------------------- writing

    /** Sends the next batch of dirty keys, one transaction at a time, while the session is up. */
    private void flush() {
        if (state != SessionState.UP || writing || !publications.hasDirty()) {
            return;
        }
        List<Write> batch = publications.take(MAX_TXN_OPS);
        long held = lease;
        PutOption underLease = PutOption.builder().withLeaseId(held).build();
        Op[] ops = new Op[batch.size()];
        for (int i = 0; i < ops.length; i++) {
            Write w = batch.get(i);
            ops[i] = w.deletes() ? Op.delete(bytes(w.key()), DeleteOption.DEFAULT)
                    : Op.put(bytes(w.key()), bytes(Values.holders(w.holders())), underLease);
        }
        writing = true;
        onLoop(kv.txn().Then(ops).commit(), (r, e) -> {
            writing = false;
            if (e == null) {
                publications.written(batch);
                counters.writes.incrementAndGet();
                counters.keysWritten.addAndGet(batch.size());
                LOG.debug("nva-etcd {}: wrote {} keys at revision {}", config.nveName(), batch.size(), r.getHeader().getRevision());
                flush();
                return;
            }
            publications.failed(batch);
            counters.writeFailures.incrementAndGet();
            if (state != SessionState.UP) {
                return;
            }
            if (leaseNotFound(e) && held == lease) {
                leaseLost(held, "etcd refused a write under it");
            }
            fail("writing " + batch.size() + " keys failed", e);
        });
    }

    // ---------------------------------------------------------------- closing

    /**
     * Says goodbye: revokes the lease, so that every mapping of this nNVE leaves etcd at once rather than when the
     * lease runs out, and closes the client. Idempotent; waits at most twice the request timeout for etcd.
     */
    @Override
    public void close() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (execute(() -> closeOnLoop(done))) {
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

    private void closeOnLoop(CompletableFuture<Void> done) {
        if (state == SessionState.CLOSED) {
            done.complete(null);
            return;
        }
        transition(SessionState.Event.CLOSE, "closed");
        stopWatch();
        cancelKeepAlive();
        publications.failAll(closed());
        long held = lease;
        lease = 0;
        if (held == 0) {
            done.complete(null);
            return;
        }
        timed(client.getLeaseClient().revoke(held)).whenComplete((r, e) -> {
            if (e == null) {
                LOG.info("nva-etcd {}: lease {} revoked: this nNVE's mappings left etcd", config.nveName(), hex(held));
            } else {
                LOG.warn("nva-etcd {}: could not revoke lease {} ({}); its mappings leave etcd within {} s", config.nveName(),
                        hex(held), describe(e), config.leaseTtl().toSeconds());
            }
            done.complete(null);
        });
    }

    /** Stops without a goodbye, as a crash would: the lease is left to run out. For tests. */
    void abandon() {
        visibleState = SessionState.CLOSED;
        LOG.info("nva-etcd {}: abandoned without revoking lease", config.nveName());
        shutDown();
    }

    private void shutDown() {
        loop.shutdownNow();
        try {
            loop.awaitTermination(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.close();
    }

    // ---------------------------------------------------------------- helpers

    /** Runs on the NVA's thread; false once it is shut down. */
    private boolean execute(Runnable task) {
        try {
            loop.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.error("nva-etcd {}: unexpected failure", config.nveName(), e);
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    private void schedule(Runnable task, long delayMillis) {
        try {
            loop.schedule(() -> execute(task), delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // shut down
        }
    }

    /** Bounds {@code f} by the request timeout and hands its outcome to {@code then} on the NVA's thread. */
    private <T> void onLoop(CompletableFuture<T> f, BiConsumer<T, Throwable> then) {
        timed(f).whenComplete((v, e) -> execute(() -> then.accept(v, unwrap(e))));
    }

    private <T> CompletableFuture<T> timed(CompletableFuture<T> f) {
        return f.orTimeout(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static boolean leaseNotFound(Throwable e) {
        Throwable t = unwrap(e);
        return t instanceof EtcdException ee && ee.getErrorCode() == ErrorCode.NOT_FOUND
                || (t != null && String.valueOf(t.getMessage()).contains("lease not found"));
    }

    private static String describe(Throwable e) {
        Throwable t = unwrap(e);
        return t == null ? "?" : t instanceof TimeoutException ? "no answer in time" : t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    private NvaUnavailableException closed() {
        return new NvaUnavailableException("the etcd NVA of " + config.nveName() + " is closed");
    }

    private static KeyValue first(GetResponse r) {
        return r == null || r.getKvs().isEmpty() ? null : r.getKvs().get(0);
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    private static String text(ByteSequence b) {
        return b.toString(StandardCharsets.UTF_8);
    }

    private static String hex(long lease) {
        return Long.toHexString(lease);
    }

    @Override
    public String toString() {
        return "EtcdNva[" + config.uri() + ", " + config.nveName() + ", " + visibleState + ", " + mirror + "]";
    }
}
