package org.splitnve.nvaetcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/**
 * Lists everything under the NVA's prefix as one picture at one revision, which the session resynchronises the
 * {@link Mirror} from before it watches from the next revision. Pages keep each answer far from gRPC's message size
 * limit; every page after the first is read at the first page's revision, so the pages add up to one consistent
 * picture even while other nNVEs write.
 */
final class PrefixListing {

    /** Keys per page when listing the prefix, so that no answer nears gRPC's message size limit. */
    static final int PAGE = 1000;

    /** Every key under the prefix at {@code revision}. */
    record Listing(long revision, List<KeyEvent> keys) {
    }

    private final KV kv;
    private final NvaThread thread;
    private final int page;
    private final ByteSequence root;
    private final ByteSequence rootEnd;

    PrefixListing(KV kv, NvaThread thread, KeyLayout layout, int page) {
        this.kv = kv;
        this.thread = thread;
        this.page = page;
        this.root = Jetcd.bytes(layout.root());
        byte[] end = layout.root().getBytes(StandardCharsets.UTF_8);
        end[end.length - 1]++;
        this.rootEnd = ByteSequence.from(end);
    }

    /**
     * Lists the prefix and hands {@code done} the listing or the failure, on the NVA's thread. {@code abandon} is asked
     * after each page arrives: when it says true, the listing stops there and {@code done} is not called.
     */
    void list(BooleanSupplier abandon, BiConsumer<Listing, Throwable> done) {
        listPage(root, 0, new ArrayList<>(), abandon, done);
    }

    private void listPage(ByteSequence from, long at, List<KeyEvent> acc, BooleanSupplier abandon, BiConsumer<Listing, Throwable> done) {
        GetOption.Builder o = GetOption.builder().withRange(rootEnd).withLimit(page);
        if (at != 0) {
            // Every page at the first page's revision: one consistent picture of the prefix.
            o.withRevision(at);
        }
        thread.onLoop(kv.get(from, o.build()), (r, e) -> {
            if (abandon.getAsBoolean()) {
                return;
            }
            if (e != null) {
                done.accept(null, e);
                return;
            }
            long revision = at != 0 ? at : r.getHeader().getRevision();
            List<KeyValue> kvs = r.getKvs();
            for (KeyValue x : kvs) {
                acc.add(KeyEvent.put(Jetcd.text(x.getKey()), Jetcd.text(x.getValue()), x.getCreateRevision(), x.getModRevision()));
            }
            if (r.isMore() && !kvs.isEmpty()) {
                listPage(kvs.get(kvs.size() - 1).getKey().concat(ByteSequence.from(new byte[] {0})), revision, acc, abandon, done);
            } else {
                done.accept(new Listing(revision, acc), null);
            }
        });
    }
}
