package org.splitnve.ecptransport.bench;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.splitnve.ecptransport.clock.RealScheduler;
import org.splitnve.ecptransport.ecp.EcpConfig;
import org.splitnve.ecptransport.ecp.EcpCounters;
import org.splitnve.ecptransport.ecp.EcpEngine;
import org.splitnve.ecptransport.link.Link;
import org.splitnve.ecptransport.link.LinkException;
import org.splitnve.ecptransport.link.LinkFaults;
import org.splitnve.ecptransport.link.MemoryLink;
import org.splitnve.ecptransport.link.PcapLink;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.ecp.EcpSubtype;
import org.splitnve.vdpcore.frame.EtherType;

/**
 * Measures ECP between two of our engines in real time: exchanges per second and the round trip from
 * {@link EcpEngine#send} to the completion of its future (the peer's ack), over any pair of links. Each engine has
 * its own {@link RealScheduler}, as two ports in two processes would.
 *
 * <pre>
 * java ... EcpBench memory [SECONDS]            two in-memory ends, no delay
 * java ... EcpBench pcap IF_A IF_B [SECONDS]    two interfaces of this network namespace, such as a veth pair
 * </pre>
 *
 * <p>The closed loop keeps one PDU in flight, so each sample is one full exchange; the windowed run keeps a window
 * of PDUs queued, which ECP still sends one at a time, and shows the most the engine pair sustains.
 */
public final class EcpBench {

    /** A VDPDU-sized payload: Manager ID TLV, one Associate with one MAC/VID entry, End TLV. */
    public static final int PAYLOAD = 70;

    private EcpBench() {
    }

    /**
     * What one run measured.
     *
     * @param retransmissions retransmissions by the sender
     * @param duplicates      copies the receiver acked but did not deliver: retransmissions that were not needed
     * @param failures        PDUs that ran out of retries
     */
    public record Result(String name, long exchanges, double seconds, long p50Nanos, long p99Nanos, long p999Nanos,
                         long maxNanos, long retransmissions, long duplicates, long failures) {

        public double perSecond() {
            return exchanges / seconds;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT,
                    "%s: %d exchanges in %.1f s = %.0f/s; round trip p50 %.1f us, p99 %.1f us, p99.9 %.1f us, max %.1f us;"
                            + " %d retransmissions (%d unneeded), %d failed",
                    name, exchanges, seconds, perSecond(), p50Nanos / 1e3, p99Nanos / 1e3, p999Nanos / 1e3, maxNanos / 1e3,
                    retransmissions, duplicates, failures);
        }
    }

    /** Two engines over {@code a} and {@code b}, on their own schedulers; closing stops both. */
    public static final class Pair implements AutoCloseable {
        final RealScheduler schedulerA = new RealScheduler("bench-ecp-a");
        final RealScheduler schedulerB = new RealScheduler("bench-ecp-b");
        final EcpEngine a;
        final EcpEngine b;
        final MacAddress macB;
        final MacAddress macA;
        final AtomicLong deliveredAtB = new AtomicLong();

        public Pair(Link linkA, Link linkB, EcpConfig config) {
            a = new EcpEngine(linkA, schedulerA, config, System.nanoTime()).start();
            b = new EcpEngine(linkB, schedulerB, config, System.nanoTime() ^ 0x9E3779B97F4A7C15L).start();
            b.register(EcpSubtype.VDP, (peer, payload) -> deliveredAtB.incrementAndGet());
            macA = linkA.macAddress();
            macB = linkB.macAddress();
        }

        EcpCounters sender() {
            return a.counters(macB);
        }

        EcpCounters receiver() {
            return b.counters(macA);
        }

        @Override
        public void close() {
            a.close();
            b.close();
            schedulerA.close();
            schedulerB.close();
        }
    }

    /** One PDU in flight at a time for {@code duration}, after {@code warmup} of the same. */
    public static Result closedLoop(String name, Pair pair, Duration warmup, Duration duration) throws InterruptedException {
        ByteBuffer payload = ByteBuffer.allocate(PAYLOAD);
        warm(pair, payload, warmup);
        EcpCounters before = pair.sender();
        EcpCounters beforeB = pair.receiver();
        long[] samples = new long[1 << 16];
        int n = 0;
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long now = start;
        while (now < end) {
            long t0 = System.nanoTime();
            await(pair.a.send(pair.macB, EcpSubtype.VDP, payload));
            now = System.nanoTime();
            if (n == samples.length) {
                samples = Arrays.copyOf(samples, n * 2);
            }
            samples[n++] = now - t0;
        }
        double seconds = (now - start) / 1e9;
        return result(name, pair, before, beforeB, Arrays.copyOf(samples, n), n, seconds);
    }

    /**
     * Keeps {@code window} PDUs queued or in flight for {@code duration}; each sample runs from the send call to the
     * ack, queueing included, so only the rate is of interest here.
     */
    public static Result windowed(String name, Pair pair, int window, Duration warmup, Duration duration)
            throws InterruptedException {
        ByteBuffer payload = ByteBuffer.allocate(PAYLOAD);
        warm(pair, payload, warmup);
        EcpCounters before = pair.sender();
        EcpCounters beforeB = pair.receiver();
        Semaphore permits = new Semaphore(window);
        AtomicLong done = new AtomicLong();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long[][] holder = {new long[1 << 16]};
        int[] count = {0};
        while (System.nanoTime() < end) {
            permits.acquire();
            long t0 = System.nanoTime();
            pair.a.send(pair.macB, EcpSubtype.VDP, payload).whenComplete((v, e) -> {
                long dt = System.nanoTime() - t0;
                synchronized (holder) {
                    if (count[0] == holder[0].length) {
                        holder[0] = Arrays.copyOf(holder[0], count[0] * 2);
                    }
                    holder[0][count[0]++] = dt;
                }
                done.incrementAndGet();
                permits.release();
            });
        }
        permits.acquire(window);
        double seconds = (System.nanoTime() - start) / 1e9;
        synchronized (holder) {
            return result(name, pair, before, beforeB, Arrays.copyOf(holder[0], count[0]), count[0], seconds);
        }
    }

    private static void warm(Pair pair, ByteBuffer payload, Duration d) throws InterruptedException {
        long end = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < end) {
            await(pair.a.send(pair.macB, EcpSubtype.VDP, payload));
        }
    }

    private static void await(CompletableFuture<Void> f) throws InterruptedException {
        try {
            f.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            // A PDU that ran out of retries: counted as a failure by the engine, the loop goes on.
        } catch (TimeoutException e) {
            throw new IllegalStateException("no ack and no failure within 60 s: the engines are stuck", e);
        }
    }

    private static Result result(String name, Pair pair, EcpCounters before, EcpCounters beforeB, long[] samples, long n,
                                 double seconds) {
        Arrays.sort(samples);
        EcpCounters after = pair.sender();
        EcpCounters afterB = pair.receiver();
        return new Result(name, n, seconds, percentile(samples, 0.50), percentile(samples, 0.99),
                percentile(samples, 0.999), samples.length == 0 ? 0 : samples[samples.length - 1],
                after.retransmitted() - before.retransmitted(), afterB.duplicates() - beforeB.duplicates(),
                after.failed() - before.failed());
    }

    private static long percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: EcpBench memory [SECONDS] | EcpBench pcap IF_A IF_B [SECONDS]");
            System.exit(2);
        }
        Duration warmup = Duration.ofSeconds(2);
        switch (args[0]) {
            case "memory" -> {
                Duration d = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 10);
                try (RealScheduler wire = new RealScheduler("bench-wire")) {
                    MemoryLink[] links = MemoryLink.pair(wire, "mem-a", MacAddress.valueOf("02:00:00:00:be:01"), "mem-b",
                            MacAddress.valueOf("02:00:00:00:be:02"), LinkFaults.NONE.withDelay(Duration.ZERO));
                    try (Pair pair = new Pair(links[0], links[1], EcpConfig.DEFAULT)) {
                        System.out.println(closedLoop("memory, closed loop", pair, warmup, d));
                        System.out.println(windowed("memory, window 64", pair, 64, warmup, d));
                    }
                }
            }
            case "pcap" -> {
                Duration d = Duration.ofSeconds(args.length > 3 ? Long.parseLong(args[3]) : 10);
                try (PcapLink a = PcapLink.open(args[1], EtherType.ECP); PcapLink b = PcapLink.open(args[2], EtherType.ECP);
                        Pair pair = new Pair(a, b, EcpConfig.DEFAULT)) {
                    System.out.println(closedLoop("pcap " + args[1] + " -> " + args[2] + ", closed loop", pair, warmup, d));
                    System.out.println(windowed("pcap " + args[1] + " -> " + args[2] + ", window 64", pair, 64, warmup, d));
                } catch (LinkException e) {
                    System.err.println(e.getMessage());
                    System.exit(1);
                }
            }
            default -> {
                System.err.println("unknown mode " + args[0]);
                System.exit(2);
            }
        }
    }
}
