package org.splitnve.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * {@code trafgen} (Debian package {@code netsniff-ng}) as a load generator: one fixed frame sent a fixed number of
 * times at a fixed rate from an interface inside a namespace, from one process (so one core), without touching the
 * machine-wide socket memory or interrupt affinity settings it would otherwise tune. Count what arrives with
 * {@link #rxPackets}.
 */
public final class Trafgen {

    private Trafgen() {
    }

    /**
     * What one run did.
     *
     * @param frames  frames trafgen was asked to send (it sends all of them, as fast as the rate lets it)
     * @param seconds from start to exit, trafgen's start-up included
     */
    public record Run(long frames, double seconds) {
        /** Frames per second offered. */
        public double rate() {
            return frames / seconds;
        }
    }

    /** trafgen's configuration for one frame: its octets as a C-like list. */
    static String config(byte[] frame) {
        StringJoiner j = new StringJoiner(", ", "{ ", " }\n");
        for (byte b : frame) {
            j.add(String.format(Locale.ROOT, "0x%02x", b & 0xFF));
        }
        return j.toString();
    }

    /**
     * Sends {@code frames} copies of {@code frame} on {@code ifname} in {@code namespace} at {@code framesPerSecond},
     * and returns when trafgen exits.
     *
     * @throws CommandException when trafgen fails or outlasts the time the frames should take by {@code slack}
     */
    public static Run send(NetworkNamespace namespace, String ifname, byte[] frame, long framesPerSecond, long frames, Duration slack) {
        Path dir = TempDirs.create("trafgen");
        try {
            Path conf = dir.resolve("frame.cfg");
            Files.writeString(conf, config(frame));
            Duration limit = Duration.ofMillis(frames * 1000 / Math.max(1, framesPerSecond)).plus(slack);
            long start = System.nanoTime();
            namespace.exec(limit, "trafgen", "--dev", ifname, "--conf", conf.toString(), "--rate", framesPerSecond + "pps",
                    "--num", Long.toString(frames), "--cpus", "1", "--no-sock-mem", "--notouch-irq", "--no-cpu-stats");
            return new Run(frames, (System.nanoTime() - start) / 1e9);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            TempDirs.deleteRecursively(dir);
        }
    }

    /** The interface's received-frames counter, as the namespace's sysfs shows it. */
    public static long rxPackets(NetworkNamespace namespace, String ifname) {
        return counter(namespace, ifname, "rx_packets");
    }

    /** The interface's sent-frames counter. */
    public static long txPackets(NetworkNamespace namespace, String ifname) {
        return counter(namespace, ifname, "tx_packets");
    }

    private static long counter(NetworkNamespace namespace, String ifname, String name) {
        return Long.parseLong(namespace.exec("cat", "/sys/class/net/" + ifname + "/statistics/" + name).strip());
    }
}
