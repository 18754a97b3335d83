package org.splitnve.benchmarks;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
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
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.MalformedFrameException;
import org.splitnve.vdpcore.frame.DecodedFrame;
import org.splitnve.vdpcore.frame.FrameDecoder;
import org.splitnve.vdpcore.frame.FrameEncoder;
import org.splitnve.vdpcore.vdp.AssociationTlv;
import org.splitnve.vdpcore.vdp.FilterEntry;
import org.splitnve.vdpcore.vdp.FilterFormat;
import org.splitnve.vdpcore.vdp.ManagerId;
import org.splitnve.vdpcore.vdp.VdpDecoder;
import org.splitnve.vdpcore.vdp.VdpEncoder;
import org.splitnve.vdpcore.vdp.VdpTlvType;
import org.splitnve.vdpcore.vdp.Vdpdu;
import org.splitnve.vdpcore.vdp.VsiId;
import org.splitnve.vdpcore.vdp.VsiStatus;

/**
 * Decode and encode of a VDPDU carrying 1 or 40 association TLVs (UUID VSI IDs, GroupID/VID
 * filters with a null VID: what a station sends when it re-associates its VMs in bulk), and of the
 * whole Ethernet frame around it. Run with {@code -prof gc} for bytes allocated per operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class VdpCodecBenchmark {

    @Param({"1", "40"})
    public int tlvs;

    private final VdpDecoder decoder = new VdpDecoder();
    private final VdpEncoder encoder = new VdpEncoder();
    private final FrameDecoder frameDecoder = new FrameDecoder();
    private final FrameEncoder frameEncoder = new FrameEncoder();
    private Vdpdu pdu;
    private ByteBuffer encoded;
    private ByteBuffer frame;
    private final ByteBuffer out = ByteBuffer.allocate(2048);

    @Setup
    public void setUp() {
        List<AssociationTlv> list = new ArrayList<>();
        for (int i = 0; i < tlvs; i++) {
            list.add(AssociationTlv.builder()
                    .type(VdpTlvType.ASSOCIATE)
                    .status(VsiStatus.request().migrationIndicationValid(true).build())
                    .typeId(4711)
                    .typeVersion(1)
                    .vsiId(VsiId.of(new UUID(0x1122334455667788L, i)))
                    .filter(FilterFormat.GROUPID_VID, FilterEntry.builder().vn(5000 + i % 4).vid(FilterEntry.NULL_VID).build())
                    .build());
        }
        pdu = Vdpdu.of(ManagerId.ofName("bench"), list, List.of());
        encoded = ByteBuffer.allocate(pdu.encodedLength());
        encoder.encode(pdu, encoded);
        encoded.flip();
        frame = ByteBuffer.allocate(1600);
        frameEncoder.ecpVdpRequest(MacAddress.NEAREST_CUSTOMER_BRIDGE, MacAddress.valueOf("02:00:00:00:00:01"), 7, pdu, frame);
        frame.flip();
        if (tlvs == 40 && pdu.encodedLength() > Vdpdu.MAX_LENGTH_STANDARD_MTU) {
            throw new IllegalStateException("40 TLVs must fit one standard PDU");
        }
    }

    @Benchmark
    public Vdpdu decodeVdpdu() throws MalformedFrameException {
        return decoder.decode(encoded.duplicate());
    }

    @Benchmark
    public int encodeVdpdu() {
        out.clear();
        return encoder.encode(pdu, out);
    }

    @Benchmark
    public DecodedFrame decodeFrame() throws MalformedFrameException {
        return frameDecoder.decode(frame.duplicate());
    }

    @Benchmark
    public int encodeFrame() {
        out.clear();
        return frameEncoder.ecpVdpRequest(MacAddress.NEAREST_CUSTOMER_BRIDGE, MacAddress.NEAREST_BRIDGE, 7, pdu, out);
    }
}
