package org.splitnve.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops processes by PID: SIGTERM first so daemons can flush files and say goodbye on the wire, SIGKILL after a
 * grace period for those that ignore it. Never by name: other copies of the same programs may belong to someone else.
 */
final class Processes {

    private static final Logger LOG = LoggerFactory.getLogger(Processes.class);

    /** How long the kernel gets to end a process after SIGKILL, which cannot be caught or ignored. */
    private static final Duration AFTER_KILL = Duration.ofSeconds(5);

    private static final Duration POLL_INTERVAL = Duration.ofMillis(20);

    private Processes() {
    }

    /**
     * Stops {@code process} and every descendant it has right now. The descendants are collected before the parent
     * is signalled, because once it exits they are re-parented and can no longer be found from it.
     *
     * @return true if all of them are gone
     */
    static boolean terminate(ProcessHandle process, Duration grace) {
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(process);
        process.descendants().forEach(tree::add);
        tree.removeIf(p -> !isRunning(p));
        if (tree.isEmpty()) {
            return true;
        }
        tree.forEach(ProcessHandle::destroy);
        List<ProcessHandle> stubborn = waitForExit(tree, grace);
        if (stubborn.isEmpty()) {
            return true;
        }
        for (ProcessHandle p : stubborn) {
            LOG.warn("pid {} ({}) ignored SIGTERM for {}, sending SIGKILL", p.pid(), describe(p), grace);
            p.destroyForcibly();
        }
        List<ProcessHandle> survivors = waitForExit(stubborn, AFTER_KILL);
        survivors.forEach(p -> LOG.error("pid {} ({}) survived SIGKILL", p.pid(), describe(p)));
        return survivors.isEmpty();
    }

    /** The processes still running when {@code timeout} has passed. */
    private static List<ProcessHandle> waitForExit(List<ProcessHandle> processes, Duration timeout) {
        Poll.until(timeout, POLL_INTERVAL,
                () -> processes.stream().noneMatch(Processes::isRunning) ? Optional.of(true) : Optional.empty());
        return processes.stream().filter(Processes::isRunning).toList();
    }

    /**
     * Alive and not a zombie. {@link ProcessHandle#isAlive()} counts zombies as alive, and a grandchild that dies
     * after its parent stays a zombie for good where PID 1 does not reap orphans (some container init processes),
     * so waiting for it to go would always time out. Its state letter in /proc/PID/stat tells.
     */
    static boolean isRunning(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            // "PID (COMMAND) STATE ...", where COMMAND may itself contain spaces and parentheses.
            int afterCommand = stat.lastIndexOf(')') + 2;
            char state = afterCommand < stat.length() ? stat.charAt(afterCommand) : '?';
            return state != 'Z' && state != 'X';
        } catch (IOException | UncheckedIOException e) {
            // Gone between the two checks, or no /proc: trust isAlive().
            return process.isAlive();
        }
    }

    static String describe(ProcessHandle process) {
        return process.info().commandLine().orElse(process.info().command().orElse("?"));
    }
}
