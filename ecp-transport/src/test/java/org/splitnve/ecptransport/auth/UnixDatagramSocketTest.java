package org.splitnve.ecptransport.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JNA binding of AF_UNIX datagram sockets: addresses, replies to the sender's path, bounded waits and reads. */
class UnixDatagramSocketTest {

    @TempDir
    Path dir;

    @Test
    void a_datagram_reaches_the_bound_path_and_the_reply_goes_back_to_the_senders_path() throws Exception {
        try (UnixDatagramSocket server = UnixDatagramSocket.bind(dir.resolve("server"));
             UnixDatagramSocket client = UnixDatagramSocket.bind(dir.resolve("client"))) {
            client.connect(dir.resolve("server"));
            client.send("PING".getBytes(StandardCharsets.US_ASCII));
            byte[] buf = new byte[64];
            UnixDatagramSocket.Received r = server.receive(buf, Duration.ofSeconds(2)).orElseThrow();
            assertThat(new String(buf, 0, r.length(), StandardCharsets.US_ASCII)).isEqualTo("PING");
            assertThat(r.sender()).contains(dir.resolve("client"));

            server.sendTo("PONG\n".getBytes(StandardCharsets.US_ASCII), r.sender().get());
            UnixDatagramSocket.Received back = client.receive(buf, Duration.ofSeconds(2)).orElseThrow();
            assertThat(new String(buf, 0, back.length(), StandardCharsets.US_ASCII)).isEqualTo("PONG\n");
            assertThat(back.truncated()).isFalse();
        }
    }

    @Test
    void a_wait_without_a_datagram_ends_empty_after_its_timeout() throws Exception {
        try (UnixDatagramSocket s = UnixDatagramSocket.bind(dir.resolve("idle"))) {
            long t0 = System.nanoTime();
            assertThat(s.receive(new byte[16], Duration.ofMillis(150))).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(100), Duration.ofSeconds(2));
        }
    }

    @Test
    void a_datagram_larger_than_the_buffer_is_reported_truncated_with_its_real_length() throws Exception {
        try (UnixDatagramSocket server = UnixDatagramSocket.bind(dir.resolve("s"));
             UnixDatagramSocket client = UnixDatagramSocket.bind(dir.resolve("c"))) {
            client.connect(dir.resolve("s"));
            client.send(new byte[5000]);
            Optional<UnixDatagramSocket.Received> r = server.receive(new byte[1000], Duration.ofSeconds(2));
            assertThat(r).get().extracting(UnixDatagramSocket.Received::length, UnixDatagramSocket.Received::truncated)
                    .containsExactly(5000, true);
        }
    }

    @Test
    void a_path_longer_than_sun_path_is_refused_before_any_call() {
        Path longPath = dir.resolve("x".repeat(UnixDatagramSocket.MAX_PATH_BYTES));
        assertThatThrownBy(() -> UnixDatagramSocket.bind(longPath)).isInstanceOf(UnixSocketException.class)
                .hasMessageContaining("a Unix socket path has 1.." + UnixDatagramSocket.MAX_PATH_BYTES);
    }

    @Test
    void a_daemon_that_is_not_there_or_gone_is_a_typed_error_with_its_errno() throws Exception {
        try (UnixDatagramSocket client = UnixDatagramSocket.bind(dir.resolve("c"))) {
            assertThatThrownBy(() -> client.connect(dir.resolve("nobody"))).isInstanceOf(UnixSocketException.class)
                    .satisfies(e -> assertThat(((UnixSocketException) e).errno()).isEqualTo(UnixDatagramSocket.ENOENT));

            UnixDatagramSocket server = UnixDatagramSocket.bind(dir.resolve("s"));
            client.connect(dir.resolve("s"));
            server.close();
            assertThatThrownBy(() -> client.send(new byte[] {1})).isInstanceOf(UnixSocketException.class)
                    .satisfies(e -> assertThat(((UnixSocketException) e).errno()).isEqualTo(UnixDatagramSocket.ECONNREFUSED));
        }
    }
}
