package org.splitnve.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A packet capture with dumpcap (the capture engine of tshark) on one interface of a network namespace, written as
 * a classic pcap file, which every pcap reader understands (pcapng is dumpcap's default).
 *
 * <p>dumpcap writes into a private world-writable directory, because it can run with dropped privileges and then
 * cannot create files in directories only root may write; {@link #close()} moves the finished file to the path
 * asked for. So {@link #file()} is complete, and exists, only after {@code close()}.
 */
public final class Capture implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Capture.class);

    /** How long dumpcap gets to open the interface and write the file header. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    /** dumpcap flushes its file and prints its statistics on SIGTERM; this is the time it gets for that. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);

    /** Size of the pcap global header: dumpcap writes it when it opens the file, before any packet. */
    private static final int PCAP_HEADER_LENGTH = 24;

    private final Path target;
    private final Path workDir;
    private final Path liveFile;
    private final Path stderrFile;
    private final Process process;
    private boolean closed;

    private Capture(Path target, Path workDir, Process process) {
        this.target = target;
        this.workDir = workDir;
        this.liveFile = livePath(workDir);
        this.stderrFile = stderrPath(workDir);
        this.process = process;
    }

    /** Captures everything on {@code interfaceName}. */
    public static Capture start(NetworkNamespace namespace, String interfaceName, Path pcapOut) {
        return start(namespace, interfaceName, pcapOut, null);
    }

    /**
     * Starts capturing and returns once dumpcap has opened the interface and written the file header, so that
     * every frame sent after this returns is in the file.
     *
     * @param captureFilter a capture (BPF) filter such as {@code "ether proto 0x8940"}, or null for all frames
     * @throws IllegalStateException if dumpcap fails (interface down or missing, bad filter), with its message
     */
    public static Capture start(NetworkNamespace namespace, String interfaceName, Path pcapOut,
            String captureFilter) {
        Path target = pcapOut.toAbsolutePath();
        Path workDir = TempDirs.createWorldWritable("snv-capture-");
        List<String> command = new ArrayList<>(List.of(
                "dumpcap", "-i", interfaceName, "-P", "-w", livePath(workDir).toString()));
        if (captureFilter != null && !captureFilter.isBlank()) {
            command.add("-f");
            command.add(captureFilter);
        }
        Process process;
        try {
            process = namespace.start(new ProcessBuilder(command)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(stderrPath(workDir).toFile()));
        } catch (RuntimeException e) {
            TempDirs.deleteRecursively(workDir);
            throw e;
        }
        Capture capture = new Capture(target, workDir, process);
        try {
            capture.awaitCapturing(interfaceName);
        } catch (RuntimeException e) {
            capture.discard();
            throw e;
        }
        LOG.debug("dumpcap pid {} capturing on {}/{}", process.pid(), namespace.name(), interfaceName);
        return capture;
    }

    /** dumpcap prints "Capturing on 'IF'" once the interface is open; the header follows right after. */
    private void awaitCapturing(String interfaceName) {
        Optional<Boolean> ready = Poll.until(START_TIMEOUT, POLL_INTERVAL, () -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("dumpcap on " + interfaceName + " exited with status "
                        + process.exitValue() + ": " + stderr().strip());
            }
            boolean ok = stderr().contains("Capturing on") && size(liveFile) >= PCAP_HEADER_LENGTH;
            return ok ? Optional.of(true) : Optional.empty();
        });
        if (ready.isEmpty()) {
            throw new IllegalStateException("dumpcap on " + interfaceName + " did not start capturing within "
                    + START_TIMEOUT + ": " + stderr().strip());
        }
    }

    /** The pcap file; complete once {@link #close()} has returned. */
    public Path file() {
        return target;
    }

    /** dumpcap's messages so far; after close they end with its packet and drop counts. */
    public String stderr() {
        try {
            return Files.exists(stderrFile) ? new String(Files.readAllBytes(stderrFile), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /**
     * Stops dumpcap by its PID with SIGTERM, on which it writes out what it buffered and exits, then moves the file
     * to {@link #file()}. Idempotent.
     *
     * <p>Frames still in the kernel's socket buffer when the signal arrives may be lost, so a caller that needs the
     * last answer of an exchange in the file should give dumpcap a few hundred milliseconds before closing.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!Processes.terminate(process.toHandle(), STOP_GRACE)) {
                throw new IllegalStateException("dumpcap pid " + process.pid() + " did not exit");
            }
            if (size(liveFile) < PCAP_HEADER_LENGTH) {
                throw new IllegalStateException("dumpcap left no pcap file: " + stderr().strip());
            }
            Path parent = target.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.move(liveFile, target, StandardCopyOption.REPLACE_EXISTING);
            // dumpcap creates it 0600; a capture is for reading, also by whoever inspects a failed run later.
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
            LOG.debug("capture written to {}: {}", target, stderr().strip().replace('\n', ' '));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move the capture to " + target, e);
        } finally {
            TempDirs.deleteRecursively(workDir);
        }
    }

    /** Stops dumpcap and throws its file away: the start failed, so there is nothing worth keeping. */
    private void discard() {
        closed = true;
        Processes.terminate(process.toHandle(), STOP_GRACE);
        TempDirs.deleteRecursively(workDir);
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static Path livePath(Path workDir) {
        return workDir.resolve("capture.pcap");
    }

    private static Path stderrPath(Path workDir) {
        return workDir.resolve("dumpcap.log");
    }

    @Override
    public String toString() {
        return "dumpcap pid " + process.pid() + " -> " + target;
    }
}
