package org.splitnve.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One lldpad daemon (the open IEEE 802.1Qbg station and bridge) inside a network namespace, managing one interface
 * through the nearest-customer-bridge agent, with its -V7 debug log in a file.
 *
 * <p>Several daemons can run on one machine because each gets its own namespaces: lldpad refuses to start when its
 * "already running" record exists in POSIX shared memory, so each one runs in a private mount namespace with a
 * fresh tmpfs on /dev/shm; its control socket is an abstract unix socket and so already private to the network
 * namespace, which is why {@link #lldptool} and {@link #vdptool} reach the right daemon simply by running there.
 */
public final class Lldpad implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Lldpad.class);

    /** How long a fresh daemon gets to open its control socket. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

    /**
     * Mounts the private /dev/shm, then replaces the shell by lldpad ("$@"), so that the PID the caller holds is
     * lldpad's own: {@code ip netns exec}, {@code unshare} (without --fork) and {@code exec} all keep the PID.
     */
    private static final String SHM_THEN_EXEC = "mount -t tmpfs snv-shm /dev/shm && exec \"$@\"";

    private final NetworkNamespace namespace;
    private final String interfaceName;
    private final LldpadConfig config;
    private final Path workDir;
    private final Path configFile;
    private final Path logFile;
    private final Process process;
    private boolean closed;

    private Lldpad(NetworkNamespace namespace, String interfaceName, LldpadConfig config, Path workDir,
            Process process) {
        this.namespace = namespace;
        this.interfaceName = interfaceName;
        this.config = config;
        this.workDir = workDir;
        this.configFile = configPath(workDir);
        this.logFile = logPath(workDir);
        this.process = process;
    }

    /** Starts lldpad with lldpad's default settings for {@code role}. */
    public static Lldpad start(NetworkNamespace namespace, String interfaceName, LldpadConfig.Role role) {
        return start(namespace, interfaceName, LldpadConfig.of(role));
    }

    /**
     * Writes the configuration, starts the daemon and waits until it answers on its control socket with its own
     * PID and shows its EVB TLV in the configured mode (about one second). The interface must exist and be up.
     *
     * @throws IllegalStateException if the daemon dies or does not come up in {@link #START_TIMEOUT}; the message
     *                               contains the end of its log
     */
    public static Lldpad start(NetworkNamespace namespace, String interfaceName, LldpadConfig config) {
        Path workDir = TempDirs.create("snv-lldpad-");
        Process process;
        try {
            Files.writeString(configPath(workDir), config.render(interfaceName), StandardCharsets.UTF_8);
            process = namespace.start(logPath(workDir), "unshare", "--mount", "--propagation", "private", "--",
                    "sh", "-c", SHM_THEN_EXEC, "sh",
                    Executables.resolve("lldpad"), "-p", "-V7", "-f", configPath(workDir).toString());
        } catch (IOException e) {
            TempDirs.deleteRecursively(workDir);
            throw new UncheckedIOException("cannot write the lldpad configuration", e);
        } catch (RuntimeException e) {
            TempDirs.deleteRecursively(workDir);
            throw e;
        }
        Lldpad lldpad = new Lldpad(namespace, interfaceName, config, workDir, process);
        try {
            lldpad.awaitReady();
        } catch (RuntimeException e) {
            lldpad.close();
            throw e;
        }
        LOG.debug("lldpad pid {} up as {} on {}/{}", process.pid(), config.role(), namespace.name(), interfaceName);
        return lldpad;
    }

    private void awaitReady() {
        String expectedPid = Long.toString(process.pid());
        Optional<String> pid = Poll.until(START_TIMEOUT, POLL_INTERVAL, () -> {
            if (!process.isAlive()) {
                throw failure("lldpad exited with status " + process.exitValue() + " during start");
            }
            // "lldptool -p" prints the PID of the daemon behind the socket: proof that it is ours that answers.
            CommandResult ping = namespace.run(NetworkNamespace.DEFAULT_TIMEOUT, "lldptool", "-p");
            return ping.succeeded() ? Optional.of(ping.stdout().strip()) : Optional.empty();
        });
        if (pid.isEmpty()) {
            throw failure("lldpad did not open its control socket within " + START_TIMEOUT);
        }
        if (!pid.get().equals(expectedPid)) {
            throw failure("the lldpad answering in " + namespace.name() + " has pid " + pid.get()
                    + ", not " + expectedPid);
        }
        // The EVB module shows its own TLV only once it has read its settings and latched the VDP role, about one
        // second after start; from then on the role is fixed, so this also proves the configured role took hold.
        String wanted = "mode:" + config.role().evbMode();
        Optional<String> view = Poll.until(START_TIMEOUT, POLL_INTERVAL, () -> {
            CommandResult r = namespace.run(NetworkNamespace.DEFAULT_TIMEOUT,
                    "lldptool", "-t", "-i", interfaceName, "-g", "ncb", "-V", "evb");
            return r.succeeded() && r.stdout().contains(wanted) ? Optional.of(r.stdout()) : Optional.empty();
        });
        if (view.isEmpty()) {
            throw failure("lldpad did not show its EVB TLV with " + wanted + " within " + START_TIMEOUT);
        }
    }

    /** Runs lldptool against this daemon and returns its standard output, or throws {@link CommandException}. */
    public String lldptool(String... args) {
        return namespace.exec(prepend("lldptool", args));
    }

    /**
     * Runs vdptool against this daemon and returns its standard output, or throws {@link CommandException}. Note
     * that {@code vdptool -W} waits at most 5 s and exits 0 without output when no response came, so callers must
     * check the output, not just the exit status.
     */
    public String vdptool(String... args) {
        return namespace.exec(prepend("vdptool", args));
    }

    /**
     * Waits until lldpad has received the peer's EVB TLV with the opposite mode, which happens about one to two
     * seconds after both daemons are up, and returns lldpad's view of it ({@code lldptool -t -n ... -V evb}). ECP and
     * VDP only run after that.
     *
     * @throws IllegalStateException on time-out, with the last view and the end of the log
     */
    public String waitForEvbPeer(Duration timeout) {
        String wanted = "mode:" + config.role().peer().evbMode();
        List<String> last = new ArrayList<>(List.of(""));
        Optional<String> view = Poll.until(timeout, POLL_INTERVAL, () -> {
            CommandResult r = namespace.run(NetworkNamespace.DEFAULT_TIMEOUT,
                    "lldptool", "-t", "-n", "-i", interfaceName, "-g", "ncb", "-V", "evb");
            last.set(0, r.stdout() + r.stderr());
            // Without a neighbour TLV lldptool prints nothing and still exits 0.
            return r.succeeded() && r.stdout().contains(wanted) ? Optional.of(r.stdout()) : Optional.empty();
        });
        return view.orElseThrow(() -> failure("no EVB TLV with " + wanted + " from the peer on " + interfaceName
                + " within " + timeout + "; last lldptool output: " + last.get(0).strip()));
    }

    public NetworkNamespace namespace() {
        return namespace;
    }

    public String interfaceName() {
        return interfaceName;
    }

    public LldpadConfig config() {
        return config;
    }

    public long pid() {
        return process.pid();
    }

    /** The -f file; lldpad rewrites it whenever lldptool changes a setting. Deleted on close. */
    public Path configFile() {
        return configFile;
    }

    /** The daemon's standard output and error: the -V7 debug log, with hex dumps of frames. Deleted on close. */
    public Path logFile() {
        return logFile;
    }

    /** The whole log so far. */
    public String log() {
        try {
            return new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + logFile, e);
        }
    }

    /** The last {@code lines} lines of the log, for error messages. */
    public String logTail(int lines) {
        try {
            return LogText.tail(log(), lines);
        } catch (UncheckedIOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** Stops the daemon by its PID with SIGTERM (SIGKILL if it hangs) and deletes its files. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        Processes.terminate(process.toHandle(), STOP_GRACE);
        TempDirs.deleteRecursively(workDir);
    }

    private IllegalStateException failure(String what) {
        return new IllegalStateException(what + " (" + namespace.name() + "/" + interfaceName + ", "
                + config.role() + "); lldpad log ends with:\n" + logTail(25));
    }

    private static String[] prepend(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    private static Path configPath(Path workDir) {
        return workDir.resolve("lldpad.conf");
    }

    private static Path logPath(Path workDir) {
        return workDir.resolve("lldpad.log");
    }

    @Override
    public String toString() {
        return "lldpad pid " + process.pid() + " " + config.role() + " on " + namespace.name() + "/" + interfaceName;
    }
}
