package org.splitnve.nvaetcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.splitnve.nnve.nva.VnContext;
import org.splitnve.vdpcore.vdp.VnId;

/** How the etcd NVA's parts fail, against a scripted jetcd client: bounded, logged, and the same way everywhere. */
class EtcdNvaFailuresTest {

    private static final Duration TIMEOUT = Duration.ofMillis(300);

    private final EtcdNvaConfig config = EtcdNvaConfig.fromUri("etcd://127.0.0.1:2379").nveName("192.0.2.1").requestTimeout(TIMEOUT)
            .openVns(true).build();
    private final NvaThread thread = new NvaThread(config.nveName(), TIMEOUT);
    private final JetcdFakes etcd = new JetcdFakes();

    @AfterEach
    void tearDown() {
        thread.shutDown();
    }

    @Test
    void a_periodic_task_that_throws_once_still_runs_afterwards() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CompletableFuture<Void> third = new CompletableFuture<>();
        thread.every(20, () -> {
            if (runs.incrementAndGet() == 1) {
                throw new IllegalStateException("a keep-alive that threw");
            }
            if (runs.get() == 3) {
                third.complete(null);
            }
        });
        assertThat(third).as("the lease keep-alive goes on after one of its runs failed").succeedsWithin(Duration.ofSeconds(5));
    }

    @Test
    void a_lease_granted_after_close_is_revoked_within_the_request_timeout() throws Exception {
        KeyLayout layout = new KeyLayout(config.prefix());
        EtcdNvaCounters counters = new EtcdNvaCounters();
        Session session = new Session(config, layout, etcd.client, thread, new Mirror(layout, counters), counters);
        session.start();
        EtcdNvaTestBed.await("the lease is asked for", () -> !etcd.grants.isEmpty());
        CompletableFuture<Void> closed = new CompletableFuture<>();
        thread.execute(() -> session.close(closed));
        closed.get(5, java.util.concurrent.TimeUnit.SECONDS);

        etcd.grants.get(0).complete(JetcdFakes.granted(0x2a, 10));
        EtcdNvaTestBed.await("the late lease is revoked", () -> !etcd.revoked.isEmpty());
        assertThat(etcd.revoked).containsExactly(0x2aL);
        assertThat(etcd.revokes.get(0)).as("an etcd that does not answer the revoke is not waited for beyond the deadline")
                .failsWithin(TIMEOUT.multipliedBy(10)).withThrowableOfType(ExecutionException.class).withCauseInstanceOf(TimeoutException.class);
    }

    @Test
    void a_vn_etcd_fails_to_create_in_open_mode_fails_the_session_as_a_failed_look_up_does() throws Exception {
        ScriptedSession session = new ScriptedSession();
        KeyLayout layout = new KeyLayout(config.prefix());
        EtcdNvaCounters counters = new EtcdNvaCounters();
        VnContexts vns = new VnContexts(config, layout, etcd.client.getKVClient(), thread, new Mirror(layout, counters), counters, session);
        etcd.txnAnswer.completeExceptionally(new IOException("connection reset"));

        CompletableFuture<java.util.Optional<VnContext>> f = vns.lookUp(VnId.of(5001));
        assertThat(f).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(NvaUnavailableException.class);
        EtcdNvaTestBed.await("the session is told", () -> !session.told.isEmpty());
        assertThat(session.told).singleElement().asString().startsWith("fail creating " + VnId.of(5001));
    }
}
