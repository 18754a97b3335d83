package org.splitnve.cli.bench;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Locale;
import org.splitnve.nvedataplane.codec.Encapsulation;
import org.splitnve.nvedataplane.codec.EtherType;
import org.splitnve.nvedataplane.codec.Ethernet;
import org.splitnve.nvedataplane.codec.IpProtocol;
import org.splitnve.nvedataplane.codec.Ipv4;
import org.splitnve.nvedataplane.codec.Malformation;
import org.splitnve.nvedataplane.codec.Tunnel;
import org.splitnve.nvedataplane.codec.Udp;

/**
 * VXLAN over IPv4 on one core, the calls the data plane makes per frame (and the JMH DataplaneBenchmark measures):
 * encapsulating a tagged station frame (tag stripped, outer headers and IPv4 checksum written, flow hash computed),
 * and decapsulating a tunnel packet (outer IPv4 checksum, UDP port and VXLAN header checked) then pushing the local
 * tag. A timed loop: warm-up, then as many frames as fit in the run, the clock read once per batch.
 */
public final class CodecRate {

    /** The station frame's length with its 802.1Q tag: a full-sized Ethernet frame. */
    public static final int FRAME = 1514;

    private static final int BATCH = 1024;
    private static final int VNI = 5000;
    private static final int VID = 100;
    private static final int TTL = 64;
    private static final long STATION_MAC = 0x525400000001L;
    private static final long PEER_MAC = 0x525400000002L;
    private static final long NEXT_HOP = 0x020000000009L;
    private static final long UNDERLAY_MAC = 0x020000000001L;
    private static final int LOCAL = 0xC0000201;
    private static final int REMOTE = 0xC0000202;

    private CodecRate() {
    }

    /** One loop: frames handled in {@code seconds}. */
    public record Result(String name, long frames, double seconds) {
        public double framesPerSecond() {
            return frames / seconds;
        }

        public double nanosPerFrame() {
            return seconds * 1e9 / frames;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s: %d frames in %.2f s = %.0f frames/s, %.1f ns/frame", name, frames, seconds,
                    framesPerSecond(), nanosPerFrame());
        }
    }

    /** One frame's work; returns the length written, which the loop checks so the work cannot be optimised away. */
    private interface Step {
        int run();
    }

    public static Result encapsulate(BenchLab lab, Duration warmup, Duration run) {
        ByteBuffer tagged = taggedFrame();
        ByteBuffer out = ByteBuffer.allocate(FRAME + 128);
        int expected = FRAME - Ethernet.TAG + Tunnel.OVERHEAD_V4;
        int[] ipId = {0};
        Step encap = () -> Tunnel.encapsulateV4(tagged, 0, FRAME, true, out, 0, NEXT_HOP, UNDERLAY_MAC, LOCAL, REMOTE,
                Encapsulation.VXLAN, VNI, ipId[0]++, TTL);
        return loop(lab, "encapsulate", encap, expected, warmup, run);
    }

    public static Result decapsulate(BenchLab lab, Duration warmup, Duration run) {
        ByteBuffer tagged = taggedFrame();
        ByteBuffer packet = ByteBuffer.allocate(FRAME + 128);
        int packetLength = Tunnel.encapsulateV4(tagged, 0, FRAME, true, packet, 0, UNDERLAY_MAC, NEXT_HOP, REMOTE, LOCAL,
                Encapsulation.VXLAN, VNI, 1, TTL);
        ByteBuffer out = ByteBuffer.allocate(FRAME + 128);
        Tunnel.Decoded decoded = new Tunnel.Decoded();
        Step decap = () -> {
            Malformation m = Tunnel.decapsulate(packet, 0, packetLength, Encapsulation.VXLAN, false, false, decoded);
            if (m != null || !decoded.tunnel || decoded.vni != VNI) {
                throw new IllegalStateException("the data plane refused the benchmark's tunnel packet: " + m);
            }
            return Ethernet.pushTag(packet, decoded.innerOffset, decoded.innerLength, out, 0, VID);
        };
        return loop(lab, "decapsulate", decap, FRAME, warmup, run);
    }

    private static Result loop(BenchLab lab, String name, Step step, int expected, Duration warmup, Duration run) {
        timed(lab, step, expected, warmup);
        long[] frames = new long[1];
        double seconds = timed(lab, step, expected, run, frames);
        return new Result(name, frames[0], seconds);
    }

    private static void timed(BenchLab lab, Step step, int expected, Duration d) {
        timed(lab, step, expected, d, new long[1]);
    }

    private static double timed(BenchLab lab, Step step, int expected, Duration d, long[] frames) {
        long start = System.nanoTime();
        long end = start + d.toNanos();
        long now;
        long n = 0;
        do {
            for (int i = 0; i < BATCH; i++) {
                int len = step.run();
                if (len != expected) {
                    throw new IllegalStateException("wrote " + len + " octets per frame, not " + expected);
                }
            }
            n += BATCH;
            now = System.nanoTime();
            if (Thread.currentThread().isInterrupted()) {
                lab.checkCancelled();
            }
        } while (now - end < 0);
        frames[0] = n;
        return (now - start) / 1e9;
    }

    /** A tagged IPv4/UDP frame of {@link #FRAME} octets from a station, as the data plane receives it on a port. */
    private static ByteBuffer taggedFrame() {
        ByteBuffer b = ByteBuffer.allocate(FRAME);
        int ip = Ethernet.writeTaggedHeader(b, 0, PEER_MAC, STATION_MAC, VID, EtherType.IPV4);
        int payload = FRAME - Ethernet.TAGGED_HEADER - Ipv4.HEADER;
        int udp = Ipv4.write(b, ip, payload, 1, TTL, IpProtocol.UDP, 0x0a000001, 0x0a000002);
        Udp.write(b, udp, 1000, 2000, payload);
        return b;
    }
}
