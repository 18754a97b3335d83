package org.splitnve.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One hostapd or wpa_supplicant inside a network namespace, serving one interface, with its configuration, log and
 * control interface ({@code ctrlDir()/IFACE}) in a private directory: started and stopped by PID, asked through its
 * command-line client. What differs between the two daemons is their command line.
 */
abstract class ControlInterfaceDaemon implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControlInterfaceDaemon.class);

    /** How long a fresh daemon gets to open its control socket. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    static final Duration POLL_INTERVAL = Duration.ofMillis(50);

    final NetworkNamespace namespace;
    final String iface;
    final Path workDir;
    final Path ctrlDir;
    final Path logFile;
    private final String program;
    private final String client;
    private Process process;
    private boolean closed;

    /** @param program the daemon, e.g. {@code hostapd}; @param client its command-line client, e.g. {@code hostapd_cli} */
    ControlInterfaceDaemon(NetworkNamespace namespace, String iface, String program, String client) {
        this.namespace = namespace;
        this.iface = iface;
        this.program = program;
        this.client = client;
        this.workDir = TempDirs.create("snv-" + program + "-");
        this.ctrlDir = workDir.resolve("ctrl");
        this.logFile = workDir.resolve(program + ".log");
    }

    /** The daemon's arguments after its program name. */
    abstract List<String> arguments();

    /** The daemon's {@code ctrl_interface}: what {@code splitnve ... --dot1x} is given. */
    public Path ctrlDir() {
        return ctrlDir;
    }

    public String iface() {
        return iface;
    }

    public synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException(program + " is not running");
        }
        return process.pid();
    }

    /** SIGTERM, as an operator or a service manager stops it. */
    public synchronized void stop() {
        if (process != null) {
            LOG.info("{}: stopping pid {}", program, process.pid());
            Processes.terminate(process.toHandle(), STOP_GRACE);
            process = null;
        }
    }

    /** SIGKILL, as a crash: no goodbye, the control socket left behind. */
    public synchronized void kill() {
        if (process != null) {
            LOG.info("{}: killing pid {}", program, process.pid());
            process.toHandle().destroyForcibly();
            Processes.terminate(process.toHandle(), STOP_GRACE);
            process = null;
        }
    }

    /** Starts it (again, after {@link #stop} or {@link #kill}) with the same configuration. */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException(program + " is closed");
        }
        if (process != null) {
            return;
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Executables.resolve(program));
        cmd.addAll(arguments());
        process = namespace.start(logFile, cmd.toArray(String[]::new));
        Path socket = ctrlDir.resolve(iface);
        boolean up = Poll.until(START_TIMEOUT, POLL_INTERVAL, () -> {
            if (!Processes.isRunning(process.toHandle())) {
                throw new IllegalStateException(program + " exited during start; its log ends with:\n" + LogText.tail(log(), 20));
            }
            return Files.exists(socket) && cli("ping").strip().equals("PONG") ? Optional.of(true) : Optional.empty();
        }).isPresent();
        if (!up) {
            Processes.terminate(process.toHandle(), STOP_GRACE);
            process = null;
            throw new IllegalStateException(program + " did not answer on " + socket + " within " + START_TIMEOUT
                    + "; its log ends with:\n" + LogText.tail(log(), 20));
        }
        LOG.info("{}: pid {} on {} in {}", program, process.pid(), iface, namespace.name());
    }

    /** The daemon's command-line client against it; its standard output (empty when the daemon does not answer). */
    public String cli(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Executables.resolve(client), "-p", ctrlDir.toString(), "-i", iface));
        cmd.addAll(List.of(args));
        return Commands.run(cmd, Duration.ofSeconds(10)).stdout();
    }

    /** Its log so far. */
    public String log() {
        return LogText.read(logFile);
    }

    /** Stops it and deletes its directory. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop();
        TempDirs.deleteRecursively(workDir);
    }

    @Override
    public String toString() {
        return program + " on " + iface + " in " + namespace.name();
    }
}
