package org.splitnve.benchmarks;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.splitnve.nvedataplane.codec.Encapsulation;
import org.splitnve.nvedataplane.codec.EtherType;
import org.splitnve.nvedataplane.codec.Ethernet;
import org.splitnve.nvedataplane.codec.IpProtocol;
import org.splitnve.nvedataplane.codec.Ipv4;
import org.splitnve.nvedataplane.codec.Malformation;
import org.splitnve.nvedataplane.codec.Tunnel;
import org.splitnve.nvedataplane.codec.Udp;

/**
 * VXLAN over IPv4: encapsulating a tagged station frame (tag stripped, outer headers and IPv4
 * checksum written, flow hash computed) and decapsulating a tunnel packet (outer IPv4 checksum,
 * UDP and VXLAN checked) then pushing the local tag, at 64 and 1514 octets. Operations per second
 * are frames per second on one core; run with {@code -prof gc} for bytes allocated per frame. With
 * {@code memory=ring} the frames are read from a read-only direct buffer and written into a
 * direct one, as the data plane does on {@code AF_PACKET} rings (a receive ring's frame in, a
 * transmit slot out); {@code heap} is the in-memory and libpcap path.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar DataplaneBenchmark -f 1 -wi 2 -i 3 -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DataplaneBenchmark {

    /** The station frame's length with its 802.1Q tag (the untagged inner frame is 4 octets shorter). */
    @Param({"64", "1514"})
    public int size;

    /** Where frames lie: {@code heap} buffers, or {@code ring}: direct memory, the received frame read-only. */
    @Param({"heap", "ring"})
    public String memory;

    private ByteBuffer tagged;
    private ByteBuffer tunnelPacket;
    private int tunnelLength;
    private ByteBuffer out;
    private final Tunnel.Decoded decoded = new Tunnel.Decoded();
    private int ipId;

    private ByteBuffer allocate(int n) {
        return memory.equals("ring") ? ByteBuffer.allocateDirect(n) : ByteBuffer.allocate(n);
    }

    private ByteBuffer received(ByteBuffer frame) {
        return memory.equals("ring") ? frame.asReadOnlyBuffer() : frame;
    }

    @Setup
    public void setup() {
        tagged = allocate(size);
        int ip = Ethernet.writeTaggedHeader(tagged, 0, 0x525400000001L, 0x525400000002L, 100, EtherType.IPV4);
        int payload = size - Ethernet.TAGGED_HEADER - Ipv4.HEADER;
        int udp = Ipv4.write(tagged, ip, payload, 1, 64, IpProtocol.UDP, 0x0a000001, 0x0a000002);
        Udp.write(tagged, udp, 1000, 2000, payload);
        out = allocate(size + 128);
        tunnelPacket = allocate(size + 128);
        tunnelLength = Tunnel.encapsulateV4(tagged, 0, size, true, tunnelPacket, 0, 0x020000000001L, 0x020000000002L, 0xC0000202,
                0xC0000201, Encapsulation.VXLAN, 5000, 1, 64);
        tagged = received(tagged);
        tunnelPacket = received(tunnelPacket);
    }

    @Benchmark
    public int encapsulate() {
        return Tunnel.encapsulateV4(tagged, 0, size, true, out, 0, 0x020000000009L, 0x020000000001L, 0xC0000201, 0xC0000202,
                Encapsulation.VXLAN, 5000, ipId++, 64);
    }

    /** As the data plane runs by default: outer IPv4 header checksum, UDP port and VXLAN header checked. */
    @Benchmark
    public int decapsulate(Blackhole bh) {
        Malformation m = Tunnel.decapsulate(tunnelPacket, 0, tunnelLength, Encapsulation.VXLAN, false, false, decoded);
        if (m != null || !decoded.tunnel) {
            throw new IllegalStateException("benchmark packet refused: " + m);
        }
        bh.consume(decoded.vni);
        return Ethernet.pushTag(tunnelPacket, decoded.innerOffset, decoded.innerLength, out, 0, 100);
    }

    /** With the optional UDP checksum verification over the whole datagram as well. */
    @Benchmark
    public int decapsulateVerifyingUdpChecksum(Blackhole bh) {
        Malformation m = Tunnel.decapsulate(tunnelPacket, 0, tunnelLength, Encapsulation.VXLAN, false, true, decoded);
        if (m != null || !decoded.tunnel) {
            throw new IllegalStateException("benchmark packet refused: " + m);
        }
        bh.consume(decoded.vni);
        return Ethernet.pushTag(tunnelPacket, decoded.innerOffset, decoded.innerLength, out, 0, 100);
    }
}
