package org.splitnve.nvaetcd;

import static org.splitnve.nvaetcd.Jetcd.bytes;
import static org.splitnve.nvaetcd.Jetcd.first;
import static org.splitnve.nvaetcd.Jetcd.text;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.nnve.nva.VnContext;
import org.splitnve.vdpcore.vdp.VnId;

/**
 * VN contexts in etcd (docs/NVA-ETCD.md, "VN contexts: compare-and-swap"): defining a VN so that its VNI and its name
 * are taken together or not at all, creating a VN by name with the next free VNI, and looking a VN up for the bridge,
 * from the {@link Mirror} when it is there, else from etcd, defining it on demand in open mode. Kept apart from the
 * session because its rules are about VNs, not about staying connected: it only asks the session whether it is up.
 */
final class VnContexts {

    private static final Logger LOG = LoggerFactory.getLogger(VnContexts.class);

    /** Attempts of a VN allocation that lost its race to other nNVEs before giving up. */
    private static final int ALLOCATION_ATTEMPTS = 64;

    private final EtcdNvaConfig config;
    private final KeyLayout layout;
    private final KV kv;
    private final NvaThread thread;
    private final Mirror mirror;
    private final EtcdNvaCounters counters;
    private final SessionLink session;

    VnContexts(EtcdNvaConfig config, KeyLayout layout, KV kv, NvaThread thread, Mirror mirror, EtcdNvaCounters counters,
            SessionLink session) {
        this.config = config;
        this.layout = layout;
        this.kv = kv;
        this.thread = thread;
        this.mirror = mirror;
        this.counters = counters;
        this.session = session;
    }

    // ---------------------------------------------------------------- define

    /** See {@link EtcdNva#define}. After close it fails with {@link NvaUnavailableException}, as every other call. */
    CompletableFuture<VnContext> define(VnContext ctx) {
        return unlessClosed(() -> defineNow(ctx));
    }

    private CompletableFuture<VnContext> defineNow(VnContext ctx) {
        ByteSequence id = bytes(layout.vnById(ctx.vn()));
        ByteSequence name = bytes(layout.vnByName(ctx.name()));
        CompletableFuture<TxnResponse> txn = kv.txn()
                .If(new Cmp(id, Cmp.Op.EQUAL, CmpTarget.version(0)), new Cmp(name, Cmp.Op.EQUAL, CmpTarget.version(0)))
                .Then(Op.put(id, bytes(Values.vn(ctx)), PutOption.DEFAULT),
                        Op.put(name, bytes(Integer.toString(ctx.vn().value())), PutOption.DEFAULT))
                .Else(Op.get(id, GetOption.DEFAULT), Op.get(name, GetOption.DEFAULT))
                .commit();
        return thread.timed(txn).thenApply(r -> {
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
            String why = conflict(ctx, idKv != null, there, owner);
            LOG.warn("nva-etcd {}: refused to define {} as '{}': {}", config.nveName(), ctx.vn(), ctx.name(), why);
            throw new VnConflictException(ctx, why);
        });
    }

    /**
     * Why {@code wanted} cannot be defined, for the operator: what holds its VNI ({@code there}, or just "taken" when
     * {@code idTaken} and the value is not a VN), and which VNI its name belongs to ({@code owner}, the value of its
     * name key, or null).
     */
    static String conflict(VnContext wanted, boolean idTaken, Optional<VnContext> there, String owner) {
        return there.map(t -> t.vn() + " is '" + t.name() + "'").orElse(idTaken ? wanted.vn() + " is taken" : "")
                + (owner == null || owner.equals(Integer.toString(wanted.vn().value())) ? ""
                : (idTaken ? "; " : "") + "'" + wanted.name() + "' is VN " + owner);
    }

    // ---------------------------------------------------------------- create by name

    /** See {@link EtcdNva#createVn}. After close it fails with {@link NvaUnavailableException}, as every other call. */
    CompletableFuture<VnContext> create(String name) {
        if (name == null || name.isBlank()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("a VN name is not blank"));
        }
        return unlessClosed(() -> allocate(name, 0));
    }

    /**
     * {@code call}, unless the NVA is closed: then, or when the call fails because the NVA closed while it ran (jetcd's
     * closed client), it fails with {@link NvaUnavailableException}, not with jetcd's error.
     */
    private CompletableFuture<VnContext> unlessClosed(java.util.function.Supplier<CompletableFuture<VnContext>> call) {
        if (session.isClosed()) {
            return CompletableFuture.failedFuture(NvaUnavailableException.closed(config.nveName()));
        }
        CompletableFuture<VnContext> f;
        try {
            f = call.get();
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        return f.exceptionallyCompose(e -> CompletableFuture.failedFuture(session.isClosed()
                ? NvaUnavailableException.closed(config.nveName()) : Jetcd.unwrap(e)));
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
        return thread.timed(read).thenCompose(r -> {
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
            return thread.timed(claim).thenCompose(c -> {
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
                    return thread.timed(skip).thenCompose(s -> allocate(name, attempt + 1));
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
        return thread.timed(kv.get(bytes(layout.vnById(vn)))).thenApply(g -> {
            KeyValue idKv = first(g);
            Optional<VnContext> ctx = idKv == null ? Optional.empty() : Values.vn(vn, text(idKv.getValue()));
            if (ctx.isEmpty() || !ctx.get().name().equals(name)) {
                throw new IllegalStateException("'" + name + "' names " + vn + ", which etcd does not hold as '" + name + "'");
            }
            return ctx.get();
        });
    }

    // ---------------------------------------------------------------- look up for the bridge

    /**
     * The VN for a bridge's VN_Connect: refused at once with {@link NvaUnavailableException} while the session is not
     * up (the bridge answers error 3), from the copy when it is there, else from etcd; in open mode a VN etcd does not
     * know is defined as {@code vn-VNI}, and empty when that name belongs to another VN.
     */
    CompletableFuture<Optional<VnContext>> lookUp(VnId vn) {
        CompletableFuture<Optional<VnContext>> out = new CompletableFuture<>();
        if (!thread.execute(() -> lookUp(vn, out))) {
            out.completeExceptionally(NvaUnavailableException.closed(config.nveName()));
        }
        return out;
    }

    private void lookUp(VnId vn, CompletableFuture<Optional<VnContext>> out) {
        counters.vnLookups.incrementAndGet();
        if (!session.up()) {
            counters.vnLookupsRefused.incrementAndGet();
            out.completeExceptionally(new NvaUnavailableException("etcd at " + config.uri() + " is not reachable (session "
                    + session.state() + ")"));
            return;
        }
        Optional<VnContext> known = mirror.vn(vn);
        if (known.isPresent()) {
            out.complete(known);
            return;
        }
        // Not in the copy: not in etcd, or created a moment ago and not yet seen by the watch.
        thread.onLoop(kv.get(bytes(layout.vnById(vn))), (r, e) -> {
            if (e != null) {
                out.completeExceptionally(new NvaUnavailableException("looking up " + vn + " in etcd failed: " + e));
                session.fail("looking up " + vn + " failed", e);
                return;
            }
            KeyValue got = first(r);
            Optional<VnContext> ctx = got == null ? Optional.empty() : Values.vn(vn, text(got.getValue()));
            if (ctx.isPresent() || got != null || !config.openVns()) {
                out.complete(ctx);
                return;
            }
            define(new VnContext(vn, "vn-" + vn.value())).whenComplete((c, de) -> {
                Throwable cause = Jetcd.unwrap(de);
                if (cause == null) {
                    out.complete(Optional.of(c));
                } else if (cause instanceof VnConflictException) {
                    out.complete(Optional.empty());
                } else {
                    // As a failed get: etcd is in trouble, and the session goes down and recovers.
                    out.completeExceptionally(new NvaUnavailableException("creating " + vn + " in etcd failed: " + cause));
                    thread.execute(() -> session.fail("creating " + vn + " failed", cause));
                }
            });
        });
    }
}
