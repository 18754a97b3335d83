package org.splitnve.nvaetcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitnve.nvaetcd.ScriptedSession.call;
import static org.splitnve.nvaetcd.ScriptedSession.run;
import static org.splitnve.nvaetcd.ScriptedSession.settle;

import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdExceptionFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.splitnve.nnve.nva.NvaView;
import org.splitnve.nnve.nva.TsiMapping;
import org.splitnve.nvaetcd.KeyLayout.MappingKey;
import org.splitnve.nvaetcd.Publications.Write;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.VnId;

/** The writer on its own, against scripted transactions: batching, one at a time, and what a failure does. */
class PublicationWriterTest {

    /** A transaction the writer asked for, which the test lets succeed or fail. */
    private record Commit(List<Write> batch, long lease, CompletableFuture<Long> result) {
    }

    private final KeyLayout layout = new KeyLayout(KeyLayout.DEFAULT_PREFIX);
    private final EtcdNvaCounters counters = new EtcdNvaCounters();
    private final NvaThread thread = new NvaThread("192.0.2.1", Duration.ofSeconds(5));
    private final ScriptedSession session = new ScriptedSession();
    private final BlockingQueue<Commit> commits = new LinkedBlockingQueue<>();
    private final PublicationWriter writer = new PublicationWriter("192.0.2.1", thread, (batch, lease) -> {
        CompletableFuture<Long> f = new CompletableFuture<>();
        commits.add(new Commit(batch, lease, f));
        return f;
    }, counters, session);

    @AfterEach
    void tearDown() {
        thread.shutDown();
    }

    private static TsiMapping m(int mac) {
        return new TsiMapping(VnId.of(5001), MacAddress.valueOf(0x020000000000L + mac), null, "192.0.2.1");
    }

    /** On the NVA's thread. */
    private CompletableFuture<Void> changeNow(int mac, boolean publish) {
        return writer.change(layout.mapping(m(mac), NvaView.FORWARDING), new MappingKey(m(mac), NvaView.FORWARDING), publish);
    }

    private CompletableFuture<Void> change(int mac, boolean publish) {
        return call(thread, () -> changeNow(mac, publish));
    }

    private Commit next() {
        try {
            Commit c = commits.poll(ScriptedSession.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(c).as("a transaction").isNotNull();
            return c;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private void assertNoTransaction() {
        settle(thread);
        assertThat(commits).as("no transaction").isEmpty();
    }

    private List<String> keys(Commit c) {
        return c.batch().stream().map(w -> w.key() + "=" + w.holders()).toList();
    }

    @Test
    void the_first_change_goes_out_at_once_and_those_that_come_meanwhile_follow_in_transactions_of_at_most_128_keys()
            throws Exception {
        // 300 changes in one go, as a burst of TSIs would come.
        List<CompletableFuture<Void>> done = call(thread, () -> {
            List<CompletableFuture<Void>> out = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                out.add(changeNow(i, true));
            }
            return out;
        });
        Commit first = next();
        assertThat(first.batch()).hasSize(1);
        assertThat(first.lease()).isEqualTo(7);
        assertNoTransaction();
        first.result().complete(100L);
        Commit second = next();
        assertThat(second.batch()).hasSize(PublicationWriter.MAX_TXN_OPS);
        settle(thread);
        assertThat(done.subList(0, 1)).allMatch(CompletableFuture::isDone);
        assertThat(done.subList(1, 300)).noneMatch(CompletableFuture::isDone);
        second.result().complete(101L);
        Commit third = next();
        assertThat(third.batch()).hasSize(128);
        settle(thread);
        assertThat(done.subList(1, 129)).allMatch(CompletableFuture::isDone);
        third.result().complete(102L);
        Commit fourth = next();
        assertThat(fourth.batch()).hasSize(43);
        fourth.result().complete(103L);
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        assertNoTransaction();
        assertThat(counters.writes()).isEqualTo(4);
        assertThat(counters.keysWritten()).isEqualTo(300);
    }

    @Test
    void nothing_is_written_while_the_session_is_down_and_all_of_it_at_the_next_flush() {
        session.up = false;
        change(1, true);
        change(2, true);
        change(1, true);
        assertNoTransaction();
        session.up = true;
        run(thread, writer::flush);
        assertThat(keys(commits.remove())).containsExactly(layout.mapping(m(1), NvaView.FORWARDING) + "=2",
                layout.mapping(m(2), NvaView.FORWARDING) + "=1");
    }

    @Test
    void a_failed_write_marks_its_keys_again_and_takes_the_session_down() throws Exception {
        CompletableFuture<Void> one = change(1, true);
        CompletableFuture<Void> two = change(2, true);
        Commit first = next();
        assertThat(first.batch()).hasSize(1);
        first.result().complete(1L);
        Commit second = next();
        assertThat(keys(second)).containsExactly(layout.mapping(m(2), NvaView.FORWARDING) + "=1");
        // While it is in flight the TSI goes again: the retry sends the latest count, which deletes the key.
        CompletableFuture<Void> gone = change(2, false);
        second.result().completeExceptionally(new IllegalStateException("etcdserver: request timed out"));
        settle(thread);
        assertThat(session.told).containsExactly("fail writing 1 keys failed");
        assertThat(counters.writeFailures()).isEqualTo(1);
        assertThat(one).isDone();
        assertThat(two).isNotDone();
        run(thread, writer::flush);
        Commit retry = next();
        assertThat(keys(retry)).containsExactly(layout.mapping(m(2), NvaView.FORWARDING) + "=0");
        assertThat(retry.batch().get(0).deletes()).isTrue();
        retry.result().complete(3L);
        CompletableFuture.allOf(two, gone).get(5, TimeUnit.SECONDS);
        assertThat(call(thread, writer::held)).isEqualTo(1);
    }

    @Test
    void a_write_refused_for_an_unknown_lease_reports_the_lease_lost_before_failing() {
        change(1, true);
        next().result().completeExceptionally(EtcdExceptionFactory.newEtcdException(ErrorCode.NOT_FOUND,
                "etcdserver: requested lease not found"));
        settle(thread);
        assertThat(session.told).containsExactly("lease lost 7", "fail writing 1 keys failed");
    }

    @Test
    void a_refusal_for_a_lease_the_session_no_longer_holds_does_not_lose_the_new_one() {
        change(1, true);
        Commit c = next();
        session.lease = 8;
        c.result().completeExceptionally(new IllegalStateException("etcdserver: requested lease not found"));
        settle(thread);
        assertThat(session.told).containsExactly("fail writing 1 keys failed");
    }

    @Test
    void a_failure_after_the_session_went_down_only_marks_the_keys_again() {
        change(1, true);
        Commit c = next();
        session.up = false;
        c.result().completeExceptionally(new IllegalStateException("connection refused"));
        settle(thread);
        assertThat(session.told).isEmpty();
        assertThat(counters.writeFailures()).isEqualTo(1);
        session.up = true;
        run(thread, writer::flush);
        assertThat(next().batch()).hasSize(1);
    }

    @Test
    void closing_fails_every_change_still_waiting_for_etcd() {
        CompletableFuture<Void> waiting = change(1, true);
        NvaUnavailableException closed = new NvaUnavailableException("closed");
        run(thread, () -> writer.failAll(closed));
        assertThat(waiting).isCompletedExceptionally();
    }
}
