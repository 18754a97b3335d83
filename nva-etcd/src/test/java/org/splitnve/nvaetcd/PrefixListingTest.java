package org.splitnve.nvaetcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.splitnve.nvaetcd.PrefixListing.Listing;
import org.splitnve.testsupport.EtcdServer;
import org.splitnve.testsupport.Prerequisites;

/** The list the copy resynchronises from, against a real etcd, with pages of three keys. */
class PrefixListingTest {

    private static final Duration DEADLINE = Duration.ofSeconds(1);

    private final KeyLayout layout = new KeyLayout(KeyLayout.DEFAULT_PREFIX);
    private final EtcdServer etcd;
    private final Client client;
    private final NvaThread thread = new NvaThread("192.0.2.1", DEADLINE);

    PrefixListingTest() {
        Prerequisites.requireCommand("etcd");
        etcd = EtcdServer.onLoopback();
        client = Client.builder().endpoints(etcd.endpoints().toArray(String[]::new)).waitForReady(false).retryMaxAttempts(0)
                .connectTimeout(DEADLINE).build();
    }

    @AfterEach
    void tearDown() {
        thread.shutDown();
        client.close();
        etcd.close();
    }

    /** Puts {@code key}; the revision etcd gave it. */
    private long put(String key) throws Exception {
        return client.getKVClient().put(Jetcd.bytes(key), Jetcd.bytes("1")).get(5, TimeUnit.SECONDS).getHeader().getRevision();
    }

    private String key(int i) {
        return layout.root() + "k" + i;
    }

    @Test
    void the_pages_add_up_to_one_picture_at_the_first_pages_revision_even_when_a_key_is_written_between_them() throws Exception {
        // Neighbours of the prefix that are not in it: the range ends just before "/splitnve/v10".
        put("/splitnve/v0/before");
        long last = 0;
        for (int i = 0; i < 10; i++) {
            last = put(key(i));
        }
        put("/splitnve/v10");
        long before = last + 1;
        KV kv = client.getKVClient();
        PrefixListing listing = new PrefixListing(kv, thread, layout, 3);
        AtomicInteger pages = new AtomicInteger();
        CompletableFuture<Listing> result = new CompletableFuture<>();
        thread.execute(() -> listing.list(() -> {
            if (pages.incrementAndGet() == 1) {
                try {
                    put(key(99));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            return false;
        }, (l, e) -> {
            if (e != null) {
                result.completeExceptionally(e);
            } else {
                result.complete(l);
            }
        }));
        Listing l = result.get(10, TimeUnit.SECONDS);
        assertThat(pages).hasValue(4);
        assertThat(l.revision()).as("the first page's revision").isEqualTo(before);
        List<String> keys = new ArrayList<>();
        for (KeyEvent k : l.keys()) {
            keys.add(k.key());
            assertThat(k.modRevision()).isLessThanOrEqualTo(before);
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            expected.add(key(i));
        }
        assertThat(keys).as("the ten keys of the prefix, not the one written after the first page").isEqualTo(expected);
    }

    @Test
    void a_listing_given_up_after_a_page_asks_for_no_more_and_never_answers() throws Exception {
        for (int i = 0; i < 10; i++) {
            put(key(i));
        }
        PrefixListing listing = new PrefixListing(client.getKVClient(), thread, layout, 3);
        AtomicInteger asked = new AtomicInteger();
        CompletableFuture<Listing> result = new CompletableFuture<>();
        thread.execute(() -> listing.list(() -> asked.incrementAndGet() > 0, (l, e) -> result.complete(l)));
        Thread.sleep(500);
        assertThat(asked).hasValue(1);
        assertThat(result).isNotDone();
    }

    @Test
    void a_listing_etcd_cannot_answer_fails_within_the_deadline() throws Exception {
        etcd.stop();
        PrefixListing listing = new PrefixListing(client.getKVClient(), thread, layout, PrefixListing.PAGE);
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        long start = System.nanoTime();
        thread.execute(() -> listing.list(() -> false, (l, e) -> failure.complete(e)));
        assertThat(failure.get(5, TimeUnit.SECONDS)).isNotNull();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(DEADLINE.plusMillis(500));
    }
}
