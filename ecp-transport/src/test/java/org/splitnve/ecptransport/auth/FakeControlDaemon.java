package org.splitnve.ecptransport.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A stand-in for hostapd's or wpa_supplicant's control interface: a datagram socket at {@code DIR/IFACE} that answers
 * each request with what {@code answers} says (null: no answer at all), keeps the clients that sent {@code ATTACH},
 * and sends them events when told. It speaks what the real daemons speak (replies to the sender's path, events with a
 * {@code <N>} prefix), so the clients can be tested for what the daemons do rarely: restarts, silence, oversized and
 * malformed messages.
 */
final class FakeControlDaemon implements AutoCloseable {

    private final Path socket;
    private final Function<String, String> answers;
    private final UnixDatagramSocket server;
    private final List<Path> monitors = new CopyOnWriteArrayList<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean closed;

    private FakeControlDaemon(Path socket, Function<String, String> answers) throws IOException {
        this.socket = socket;
        this.answers = answers;
        Files.deleteIfExists(socket);
        this.server = UnixDatagramSocket.bind(socket);
        this.thread = new Thread(this::serve, "fake-ctrl " + socket.getFileName());
        thread.setDaemon(true);
        thread.start();
    }

    /** Serves {@code dir/iface}; ATTACH, DETACH and PING are answered here, the rest by {@code answers}. */
    static FakeControlDaemon start(Path dir, String iface, Function<String, String> answers) throws IOException {
        Files.createDirectories(dir);
        return new FakeControlDaemon(dir.resolve(iface), answers);
    }

    private void serve() {
        byte[] buf = new byte[8192];
        while (!closed) {
            try {
                Optional<UnixDatagramSocket.Received> r = server.receive(buf, Duration.ofMillis(50));
                if (r.isEmpty() || r.get().sender().isEmpty()) {
                    continue;
                }
                Path from = r.get().sender().get();
                String request = new String(buf, 0, r.get().length(), StandardCharsets.UTF_8);
                requests.add(request);
                String reply = switch (request) {
                    case "ATTACH" -> {
                        monitors.add(from);
                        yield "OK\n";
                    }
                    case "DETACH" -> {
                        monitors.remove(from);
                        yield "OK\n";
                    }
                    case "PING" -> "PONG\n";
                    default -> answers.apply(request);
                };
                if (reply != null) {
                    server.sendTo(reply.getBytes(StandardCharsets.UTF_8), from);
                }
            } catch (IOException e) {
                // A client that went away: nothing to answer.
            }
        }
    }

    /** Sends {@code <3>EVENT} to every attached client. */
    void emit(String event) {
        send(("<3>" + event).getBytes(StandardCharsets.UTF_8));
    }

    /** Sends raw octets to every attached client. */
    void send(byte[] datagram) {
        for (Path m : monitors) {
            try {
                server.sendTo(datagram, m);
            } catch (IOException e) {
                monitors.remove(m);
            }
        }
    }

    int monitors() {
        return monitors.size();
    }

    List<String> requests() {
        return List.copyOf(requests);
    }

    Path socket() {
        return socket;
    }

    /** Stops as a crash would: no event, the socket removed. */
    @Override
    public void close() {
        closed = true;
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.close();
        try {
            Files.deleteIfExists(socket);
        } catch (IOException ignored) {
            // the test's directory goes anyway
        }
    }

    /** Stops as hostapd does on SIGTERM: says it is terminating first. */
    void terminate() {
        emit("CTRL-EVENT-TERMINATING ");
        close();
    }
}
