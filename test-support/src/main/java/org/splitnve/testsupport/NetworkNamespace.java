package org.splitnve.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A named network namespace ({@code ip netns}) owned by one test. Everything started through it runs inside the
 * namespace; {@link #close()} stops those processes by PID and deletes the namespace, which also destroys every
 * interface in it (and so both ends of a veth pair that has an end in it).
 *
 * <p>{@code start} and {@code close} are synchronized, because close also runs from a shutdown hook when the JVM
 * exits without the test closing the namespace (killed by a time-out, interrupted by hand).
 */
public final class NetworkNamespace implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NetworkNamespace.class);

    /** Prefix of every namespace this class creates, so that a leftover one is recognisable. */
    public static final String NAME_PREFIX = "snv-";

    /** Time limit for {@link #exec(String...)} and {@link #run(Duration, String...)} callers that do not pass one. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** How long a started process gets between SIGTERM and SIGKILL on close. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(3);

    /** Where iproute2 keeps the bind mounts that name network namespaces. */
    private static final Path NETNS_DIR = Path.of("/run/netns");

    private static final int NAME_ATTEMPTS = 5;

    private final String name;
    private final List<Process> started = new ArrayList<>();
    private final Thread shutdownHook;
    private boolean closed;

    private NetworkNamespace(String name) {
        this.name = name;
        // A test JVM killed by a timeout or Ctrl-C would otherwise leave the namespace and its daemons behind.
        this.shutdownHook = new Thread(this::cleanUp, "netns-cleanup-" + name);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Creates a namespace with a fresh name such as {@code snv-1k3f0a9z2}. */
    public static NetworkNamespace create() {
        CommandResult last = null;
        for (int attempt = 0; attempt < NAME_ATTEMPTS; attempt++) {
            String name = newName();
            last = Commands.run(List.of(ip(), "netns", "add", name), DEFAULT_TIMEOUT);
            if (last.succeeded()) {
                LOG.debug("created network namespace {}", name);
                return new NetworkNamespace(name);
            }
            if (!last.stderr().contains("exists")) {
                break;
            }
        }
        throw new CommandException(last);
    }

    /**
     * {@code snv-} followed by four base-36 digits of the PID and five random ones: 13 characters. Names stay
     * within the 15 characters of an interface name so that interface names derived from them are valid, the PID
     * part keeps parallel test JVMs apart, and the random part keeps namespaces of one JVM apart. A clash with a
     * stale namespace is still possible, and {@link #create()} then simply draws again.
     */
    static String newName() {
        long random = ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36 * 36);
        return ownPrefix() + base36(random, 5);
    }

    /** How the names of the namespaces this JVM creates begin: {@code snv-} and the four PID digits. */
    static String ownPrefix() {
        long pid = ProcessHandle.current().pid() % (36L * 36 * 36 * 36);
        return NAME_PREFIX + base36(pid, 4);
    }

    private static String base36(long value, int digits) {
        String text = Long.toString(value, 36);
        return "0".repeat(digits - text.length()) + text;
    }

    /** Whether a namespace of that name currently exists on the machine. */
    public static boolean exists(String name) {
        return Files.exists(NETNS_DIR.resolve(name));
    }

    public String name() {
        return name;
    }

    /** Runs a command inside the namespace and returns its standard output; see {@link #run(Duration, String...)}. */
    public String exec(String... command) {
        return exec(DEFAULT_TIMEOUT, command);
    }

    /**
     * Runs a command inside the namespace and returns its standard output.
     *
     * @throws CommandException with the standard error if it exits with a non-zero status or overruns
     */
    public String exec(Duration timeout, String... command) {
        return run(timeout, command).stdoutOrThrow();
    }

    /** Runs a command inside the namespace and returns its result whatever the exit status. */
    public CommandResult run(Duration timeout, String... command) {
        requireOpen();
        return Commands.run(inside(List.of(command)), timeout);
    }

    /**
     * Starts a long-running command inside the namespace with its output discarded (a pipe nobody reads would
     * eventually block it). The process is stopped on {@link #close()} if it is still running.
     */
    public Process start(String... command) {
        return start(new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD));
    }

    /** Like {@link #start(String...)}, with standard output and standard error appended to {@code log}. */
    public Process start(Path log, String... command) {
        return start(new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())));
    }

    /**
     * Starts the command of {@code builder} inside the namespace, keeping its redirections, directory and
     * environment. The builder's command is replaced by the {@code ip netns exec} form. {@code ip netns exec} replaces
     * itself with the command (it does not fork), so the returned process's PID is the command's own.
     */
    public synchronized Process start(ProcessBuilder builder) {
        requireOpen();
        builder.command(inside(builder.command()));
        Process process = Commands.start(builder);
        started.add(process);
        LOG.debug("started pid {} in {}: {}", process.pid(), name, String.join(" ", builder.command()));
        return process;
    }

    /** Sets a sysctl inside the namespace; only the per-namespace ones (net.*) are private to it. */
    public void sysctl(String key, String value) {
        exec("sysctl", "-q", "-w", key + "=" + value);
    }

    /**
     * Disables IPv6 on every current and future interface of the namespace. Otherwise each interface sends router
     * solicitations and duplicate-address-detection frames as soon as it is up, and they end up in captures.
     */
    public void disableIpv6() {
        sysctl("net.ipv6.conf.all.disable_ipv6", "1");
        sysctl("net.ipv6.conf.default.disable_ipv6", "1");
    }

    /** PIDs of every process currently inside the namespace ({@code ip netns pids}). */
    public List<Long> pids() {
        String out = Commands.exec(List.of(ip(), "netns", "pids", name), DEFAULT_TIMEOUT);
        return out.lines().map(String::strip).filter(s -> !s.isEmpty()).map(Long::valueOf).toList();
    }

    /**
     * Stops every process started through this namespace (SIGTERM, then SIGKILL after {@link #STOP_GRACE}), then
     * any other process still inside it, and deletes the namespace. Such other processes can only descend from this
     * namespace's own commands, since nobody else knows its fresh name. Safe to call more than once.
     */
    @Override
    public void close() {
        cleanUp();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook is running or about to; it will find the namespace closed.
        }
    }

    private synchronized void cleanUp() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = started.size() - 1; i >= 0; i--) {
            Processes.terminate(started.get(i).toHandle(), STOP_GRACE);
        }
        stopStragglers();
        CommandResult deleted = Commands.run(List.of(ip(), "netns", "delete", name), DEFAULT_TIMEOUT);
        if (!deleted.succeeded() && exists(name)) {
            throw new CommandException(deleted);
        }
        LOG.debug("deleted network namespace {}", name);
    }

    /**
     * A process left inside the namespace keeps it alive after {@code ip netns delete} removes its name, invisible
     * and with its interfaces, so stop those too.
     */
    private void stopStragglers() {
        try {
            for (long pid : pids()) {
                ProcessHandle.of(pid).ifPresent(p -> {
                    LOG.warn("stopping pid {} ({}) left in namespace {}", pid, Processes.describe(p), name);
                    Processes.terminate(p, STOP_GRACE);
                });
            }
        } catch (CommandException e) {
            LOG.warn("cannot list processes in namespace {}", name, e);
        }
    }

    private List<String> inside(List<String> command) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        List<String> full = new ArrayList<>(command.size() + 4);
        Stream.of(ip(), "netns", "exec", name, Executables.resolve(command.get(0))).forEach(full::add);
        full.addAll(command.subList(1, command.size()));
        return full;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("network namespace " + name + " is closed");
        }
    }

    static String ip() {
        return Executables.resolve("ip");
    }

    @Override
    public String toString() {
        return "netns " + name;
    }
}
