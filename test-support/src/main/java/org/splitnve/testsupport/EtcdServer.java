package org.splitnve.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One etcd server (Debian's {@code etcd-server}, a single-member cluster) for tests and measurements: a temporary
 * data directory, client and peer ports on loopback (free ones found at start) or on given addresses inside a
 * network namespace, and start, stop, kill and restart by PID. A restart keeps the data directory and the ports, as a
 * real server that went down and came back would; {@link #close()} stops it and deletes the directory.
 *
 * <pre>{@code
 * try (EtcdServer etcd = EtcdServer.onLoopback()) {
 *     Client c = Client.builder().endpoints(etcd.endpoints().toArray(String[]::new)).build();
 *     ...
 *     etcd.restart();
 * }
 * }</pre>
 */
public final class EtcdServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EtcdServer.class);

    /** How long a fresh server gets to answer {@code /health}; it is normally up in well under a second. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);
    private static final int PORT_ATTEMPTS = 5;

    private final NetworkNamespace namespace;
    private final List<String> clientHosts;
    private final Path workDir;
    private final Path dataDir;
    private final Path logFile;
    private int clientPort;
    private int peerPort;
    private Process process;
    private boolean closed;

    private EtcdServer(NetworkNamespace namespace, List<String> clientHosts, Path workDir) {
        this.namespace = namespace;
        this.clientHosts = List.copyOf(clientHosts);
        this.workDir = workDir;
        this.dataDir = workDir.resolve("data");
        this.logFile = workDir.resolve("etcd.log");
    }

    /** Starts a server in the machine's own namespace on free loopback ports. */
    public static EtcdServer onLoopback() {
        EtcdServer s = new EtcdServer(null, List.of("127.0.0.1"), TempDirs.create("snv-etcd-"));
        IllegalStateException last = null;
        for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
            // A free port found now can be taken by someone else before etcd binds it: then draw again.
            s.clientPort = freeLoopbackPort();
            s.peerPort = freeLoopbackPort();
            try {
                s.launch();
                return s;
            } catch (IllegalStateException e) {
                last = e;
                if (!s.log().contains("address already in use")) {
                    break;
                }
            }
        }
        s.close();
        throw last;
    }

    /**
     * Starts a server inside {@code namespace}, serving clients on port 2379 of each of {@code clientHosts} (IP
     * literals of that namespace's interfaces, the first being the advertised one) and its peer port 2380 on the first.
     * The namespace is fresh, so the well-known ports are free; its loopback interface is brought up.
     */
    public static EtcdServer inNamespace(NetworkNamespace namespace, String... clientHosts) {
        Objects.requireNonNull(namespace, "namespace");
        if (clientHosts.length == 0) {
            throw new IllegalArgumentException("at least one client address");
        }
        // Traffic to the namespace's own addresses, etcd's to itself included, goes over loopback.
        namespace.exec("ip", "link", "set", "lo", "up");
        EtcdServer s = new EtcdServer(namespace, List.of(clientHosts), TempDirs.create("snv-etcd-"));
        s.clientPort = 2379;
        s.peerPort = 2380;
        try {
            s.launch();
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /** The client URLs, {@code http://HOST:PORT}, advertised one first. */
    public List<String> endpoints() {
        return clientHosts.stream().map(h -> "http://" + hostPort(h, clientPort)).toList();
    }

    /** The client addresses as {@code HOST:PORT[,HOST:PORT...]}, the form {@code --nva etcd://...} takes. */
    public String hostPorts() {
        return clientHosts.stream().map(h -> hostPort(h, clientPort)).collect(Collectors.joining(","));
    }

    public int clientPort() {
        return clientPort;
    }

    /** The PID of the running server. */
    public synchronized long pid() {
        requireRunning();
        return process.pid();
    }

    public synchronized boolean isRunning() {
        return process != null && Processes.isRunning(process.toHandle());
    }

    /** Stops the server by its PID with SIGTERM (SIGKILL if it hangs); the data directory stays. */
    public synchronized void stop() {
        if (process != null) {
            LOG.info("etcd: stopping pid {}", process.pid());
            Processes.terminate(process.toHandle(), STOP_GRACE);
            process = null;
        }
    }

    /** Kills the server by its PID with SIGKILL, as a crash would; the data directory stays. */
    public synchronized void kill() {
        if (process != null) {
            LOG.info("etcd: killing pid {}", process.pid());
            process.toHandle().destroyForcibly();
            Processes.terminate(process.toHandle(), STOP_GRACE);
            process = null;
        }
    }

    /** Starts the server again on the same ports and data directory, after {@link #stop} or {@link #kill}. */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("etcd server is closed");
        }
        if (process == null) {
            launch();
        }
    }

    /** {@link #stop}, then {@link #start}. */
    public synchronized void restart() {
        stop();
        start();
    }

    /** The server's log so far (standard output and error). */
    public String log() {
        return LogText.read(logFile);
    }

    /** Stops the server and deletes its data directory. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop();
        TempDirs.deleteRecursively(workDir);
    }

    private synchronized void launch() {
        String host = clientHosts.get(0);
        String peer = "http://" + hostPort(host, peerPort);
        String listen = clientHosts.stream().map(h -> "http://" + hostPort(h, clientPort)).collect(Collectors.joining(","));
        List<String> cmd = new ArrayList<>(List.of(Executables.resolve("etcd"),
                "--name", "snv", "--data-dir", dataDir.toString(),
                "--listen-client-urls", listen, "--advertise-client-urls", "http://" + hostPort(host, clientPort),
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "snv=" + peer, "--logger", "zap", "--log-outputs", "stderr"));
        if (namespace == null) {
            try {
                process = Commands.start(new ProcessBuilder(cmd).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())));
            } catch (CommandException e) {
                throw new IllegalStateException("cannot start etcd: " + e.getMessage(), e);
            }
        } else {
            process = namespace.start(logFile, cmd.toArray(String[]::new));
        }
        Optional<Boolean> healthy = Poll.until(START_TIMEOUT, POLL_INTERVAL, () -> {
            if (!Processes.isRunning(process.toHandle())) {
                throw failure("etcd exited during start");
            }
            return healthy() ? Optional.of(true) : Optional.empty();
        });
        if (healthy.isEmpty()) {
            Processes.terminate(process.toHandle(), STOP_GRACE);
            throw failure("etcd did not answer /health within " + START_TIMEOUT);
        }
        LOG.info("etcd: pid {} serving {}{}", process.pid(), endpoints(), namespace == null ? "" : " in " + namespace.name());
    }

    /** GET /health on the advertised client URL, from inside the namespace when there is one. */
    private boolean healthy() {
        String host = clientHosts.get(0);
        try {
            String answer = namespace == null ? get(host) : InNamespace.call(namespace, () -> get(host));
            return answer.contains("\"health\":\"true\"");
        } catch (Exception e) {
            return false;
        }
    }

    private String get(String host) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getByName(host), clientPort), 1000);
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /health HTTP/1.0\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readNBytes(4096), StandardCharsets.UTF_8);
        }
    }

    private IllegalStateException failure(String what) {
        return new IllegalStateException(what + " (" + endpoints() + "); its log ends with:\n" + LogText.tail(log(), 20));
    }

    private void requireRunning() {
        if (process == null) {
            throw new IllegalStateException("etcd is not running");
        }
    }

    private static String hostPort(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    private static int freeLoopbackPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    @Override
    public String toString() {
        return "etcd " + endpoints() + (namespace == null ? "" : " in " + namespace.name());
    }
}
