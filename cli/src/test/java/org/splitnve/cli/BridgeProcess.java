package org.splitnve.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.splitnve.testsupport.LogText;
import org.splitnve.testsupport.NetworkNamespace;

/**
 * {@code splitnve bridge} (or another long-running command, such as {@code station}) as a process of its own inside a
 * namespace, started from the test's class path, with its events read as they come. It can be stopped as by SIGTERM or killed as by a crash, by PID. Standard output goes to a
 * file that is followed, not to a pipe: the JDK closes a process's pipe when the process exits, which can cut off a
 * reader before the last lines (the counters written on SIGTERM).
 */
final class BridgeProcess implements AutoCloseable {

    final EventCollector events = new EventCollector();
    private final Process process;
    private final Path out;
    private final Path log;
    private final Thread reader;
    private volatile boolean closed;

    private BridgeProcess(Process process, Path out, Path log) {
        this.process = process;
        this.out = out;
        this.log = log;
        this.reader = new Thread(this::follow, "bridge-events-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code java ... Main bridge ARGS} in {@code ns}; its events go to {@code log}.out, its log to {@code log}. */
    static BridgeProcess start(NetworkNamespace ns, Path log, String... args) {
        return command(ns, log, "bridge", args);
    }

    /** Starts {@code java ... Main COMMAND ARGS} in {@code ns}, as {@link #start} does the bridge. */
    static BridgeProcess command(NetworkNamespace ns, Path log, String command, String... args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        // Surefire runs tests from a manifest-only jar; it names the real class path in this property.
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", cp, Main.class.getName(), command));
        cmd.addAll(List.of(args));
        Path out = log.resolveSibling(log.getFileName() + ".out");
        ProcessBuilder b = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return new BridgeProcess(ns.start(b), out, log);
    }

    private void follow() {
        long at = 0;
        try {
            while (true) {
                boolean last = closed || !process.isAlive();
                byte[] all = Files.exists(out) ? Files.readAllBytes(out) : new byte[0];
                if (all.length > at) {
                    char[] chars = new String(all, (int) at, (int) (all.length - at), StandardCharsets.UTF_8).toCharArray();
                    events.write(chars, 0, chars.length);
                    at = all.length;
                }
                if (last) {
                    return;
                }
                Thread.sleep(50);
            }
        } catch (IOException e) {
            // the file is gone with the test's directory
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL: no goodbye to the NVA, no de-association; what a crash or a power cut does. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM, as an operator stops it; the exit code, once every event it wrote has been read. */
    int stop(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
        reader.join(timeout.toMillis());
        return process.exitValue();
    }

    /** Lines in its log so far. */
    long logLines() {
        try {
            return Files.readAllLines(log).size();
        } catch (IOException e) {
            return 0;
        }
    }

    /** The end of its log, for failure messages. */
    String logTail() {
        try {
            return LogText.tail(Files.readString(log), 40);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        closed = true;
        if (process.isAlive()) {
            try {
                stop(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
