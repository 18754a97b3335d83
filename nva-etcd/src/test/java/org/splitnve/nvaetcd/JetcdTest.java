package org.splitnve.nvaetcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdExceptionFactory;
import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** How the NVA reads etcd's failures: a lost lease must be told from any other failure, however it is wrapped. */
class JetcdTest {

    @Test
    void a_lease_etcd_does_not_know_is_recognised_by_code_or_by_message_through_any_wrapping() {
        assertThat(Jetcd.leaseNotFound(EtcdExceptionFactory.newEtcdException(ErrorCode.NOT_FOUND, "etcdserver: requested lease not found")))
                .isTrue();
        assertThat(Jetcd.leaseNotFound(new CompletionException(new ExecutionException(
                EtcdExceptionFactory.newEtcdException(ErrorCode.NOT_FOUND, "not found"))))).isTrue();
        assertThat(Jetcd.leaseNotFound(new IllegalStateException("etcdserver: requested lease not found"))).isTrue();
        assertThat(Jetcd.leaseNotFound(EtcdExceptionFactory.newEtcdException(ErrorCode.UNAVAILABLE, "connection refused"))).isFalse();
        assertThat(Jetcd.leaseNotFound(new TimeoutException())).isFalse();
        assertThat(Jetcd.leaseNotFound(null)).isFalse();
    }

    @Test
    void a_failure_is_described_in_a_few_words_without_its_wrappers() {
        assertThat(Jetcd.describe(new CompletionException(new TimeoutException()))).isEqualTo("no answer in time");
        assertThat(Jetcd.describe(new CompletionException(new IOException("connection refused"))))
                .isEqualTo("IOException: connection refused");
        assertThat(Jetcd.describe(null)).isEqualTo("?");
    }

    @Test
    void keys_and_values_are_utf8_text_both_ways() {
        String key = "/splitnve/v1/vn/name/r%C3%B8d";
        assertThat(Jetcd.text(Jetcd.bytes(key))).isEqualTo(key);
        assertThat(Jetcd.text(Jetcd.bytes("rød"))).isEqualTo("rød");
        assertThat(Jetcd.first(null)).isNull();
        assertThat(Jetcd.hex(0x5de1a24ebd4aa70aL)).isEqualTo("5de1a24ebd4aa70a");
    }
}
