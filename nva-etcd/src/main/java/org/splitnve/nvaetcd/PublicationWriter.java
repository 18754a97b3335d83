package org.splitnve.nvaetcd;

import io.etcd.jetcd.KV;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.PutOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.nvaetcd.KeyLayout.MappingKey;
import org.splitnve.nvaetcd.Publications.Write;

/**
 * Writes this nNVE's mappings: publish and withdraw change what it wants etcd to hold ({@link Publications}), and the
 * writer sends the latest count of each changed key, one transaction of at most {@link #MAX_TXN_OPS} keys at a time,
 * under the session's lease, while the session is up. A failed write marks its keys again and takes the session
 * down; the session flushes again once it is back. Apart from the session so that this can be tested without etcd.
 *
 * <p>Runs on the NVA's thread only.
 */
final class PublicationWriter {

    private static final Logger LOG = LoggerFactory.getLogger(PublicationWriter.class);

    /** etcd's default limit of operations in one transaction ({@code --max-txn-ops}). */
    static final int MAX_TXN_OPS = 128;

    /** Commits one batch in one transaction under a lease: etcd's KV client in the NVA ({@link #etcd}), a script in tests. */
    @FunctionalInterface
    interface Committer {
        /** Completes with the revision of the transaction, or fails. */
        CompletableFuture<Long> commit(List<Write> batch, long lease);
    }

    private final String nveName;
    private final NvaThread thread;
    private final Committer committer;
    private final EtcdNvaCounters counters;
    private final SessionLink session;
    private final Publications publications = new Publications();
    /** A transaction is in flight: the next waits for its outcome. */
    private boolean writing;

    PublicationWriter(String nveName, NvaThread thread, Committer committer, EtcdNvaCounters counters, SessionLink session) {
        this.nveName = nveName;
        this.thread = thread;
        this.committer = committer;
        this.counters = counters;
        this.session = session;
    }

    /** Each write a put of the count under the lease, or a delete when no holder is left; all in one transaction. */
    static Committer etcd(KV kv) {
        return (batch, lease) -> {
            PutOption underLease = PutOption.builder().withLeaseId(lease).build();
            Op[] ops = new Op[batch.size()];
            for (int i = 0; i < ops.length; i++) {
                Write w = batch.get(i);
                ops[i] = w.deletes() ? Op.delete(Jetcd.bytes(w.key()), DeleteOption.DEFAULT)
                        : Op.put(Jetcd.bytes(w.key()), Jetcd.bytes(Values.holders(w.holders())), underLease);
            }
            return kv.txn().Then(ops).commit().thenApply(r -> r.getHeader().getRevision());
        };
    }

    /** One holder more ({@code publish}) or fewer of a key; completes when etcd holds the count. Starts writing. */
    CompletableFuture<Void> change(String key, MappingKey what, boolean publish) {
        CompletableFuture<Void> written = publish ? publications.publish(key, what) : publications.withdraw(key, what);
        LOG.debug("nva-etcd {}: {} {} in {} ({} to write)", nveName, publish ? "publish" : "withdraw", what.mapping(), what.view(),
                publications.dirtyCount());
        flush();
        return written;
    }

    /** Sends the next batch of changed keys, one transaction at a time, while the session is up. */
    void flush() {
        if (!session.up() || writing || !publications.hasDirty()) {
            return;
        }
        List<Write> batch = publications.take(MAX_TXN_OPS);
        long held = session.lease();
        writing = true;
        thread.onLoop(committer.commit(batch, held), (revision, e) -> {
            writing = false;
            if (e == null) {
                publications.written(batch);
                counters.writes.incrementAndGet();
                counters.keysWritten.addAndGet(batch.size());
                LOG.debug("nva-etcd {}: wrote {} keys at revision {}", nveName, batch.size(), revision);
                flush();
                return;
            }
            publications.failed(batch);
            counters.writeFailures.incrementAndGet();
            if (!session.up()) {
                return;
            }
            if (Jetcd.leaseNotFound(e) && held == session.lease()) {
                session.leaseLost(held, "etcd refused a write under it");
            }
            session.fail("writing " + batch.size() + " keys failed", e);
        });
    }

    /** etcd lost everything this nNVE held (a new lease): every key is to be written again. */
    void rewriteAll() {
        publications.allDirty();
    }

    /** Keys this nNVE holds with at least one holder. */
    int held() {
        return publications.held();
    }

    /** The NVA closes: every publish and withdraw still waiting fails with {@code why}. */
    void failAll(RuntimeException why) {
        publications.failAll(why);
    }
}
