package org.splitnve.ecptransport.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.Pcaps;
import org.splitnve.testsupport.Prerequisites;
import org.splitnve.vdpcore.HexDump;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.ecp.EcpSubtype;
import org.splitnve.vdpcore.frame.FrameEncoder;

class PcapWriterTest {

    /** 2025-01-01T00:00:00Z. */
    private static final long T0 = 1_735_689_600L * 1_000_000_000L;
    private static final MacAddress STATION = MacAddress.valueOf("02:00:00:00:0a:01");

    @TempDir
    Path dir;

    @Test
    void theFileHeaderIsLibpcapsLittleEndianMicrosecondEthernetHeader() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new PcapWriter(bytes).close();

        assertThat(HexDump.hex(bytes.toByteArray()))
                .isEqualTo("d4c3b2a1" + "0200" + "0400" + "00000000" + "00000000" + "ffff0000" + "01000000");
    }

    @Test
    void aRecordCarriesSecondsMicrosecondsAndBothLengthsThenTheFrame() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PcapWriter w = new PcapWriter(bytes)) {
            w.write(new byte[] {1, 2, 3}, T0 + 123_456_789L);
        }

        byte[] file = bytes.toByteArray();
        assertThat(file).hasSize(PcapWriter.FILE_HEADER_LENGTH + PcapWriter.RECORD_HEADER_LENGTH + 3);
        assertThat(HexDump.hex(Arrays.copyOfRange(file, 24, file.length)))
                .isEqualTo("80857467" + "40e20100" + "03000000" + "03000000" + "010203");
    }

    @Test
    void framesLongerThanTheSnapshotLengthAreCutAndKeepTheirOriginalLength() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] frame = new byte[100];
        Arrays.fill(frame, (byte) 0x5a);
        try (PcapWriter w = new PcapWriter(bytes, PcapWriter.LINKTYPE_ETHERNET, 64)) {
            w.write(frame, T0);
        }

        List<Record> records = read(bytes.toByteArray());
        assertThat(records).hasSize(1);
        assertThat(records.get(0).data()).hasSize(64);
        assertThat(records.get(0).originalLength()).isEqualTo(100);
    }

    @Test
    void heapDirectAndReadOnlyBuffersAreWrittenFromTheirPositionAndLeftUnchanged() throws IOException {
        byte[] frame = ecpAck(7);
        ByteBuffer heap = ByteBuffer.allocate(40).position(5);
        heap.put(frame).flip().position(5);
        ByteBuffer direct = ByteBuffer.allocateDirect(frame.length).put(frame).flip();
        ByteBuffer readOnly = ByteBuffer.wrap(frame).asReadOnlyBuffer();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PcapWriter w = new PcapWriter(bytes)) {
            w.write(heap, T0);
            w.write(direct, T0 + 1_000);
            w.write(readOnly, T0 + 2_000);
        }

        assertThat(heap.position()).isEqualTo(5);
        assertThat(direct.position()).isZero();
        assertThat(readOnly.position()).isZero();
        List<Record> records = read(bytes.toByteArray());
        assertThat(records).extracting(Record::data).allSatisfy(d -> assertThat(d).isEqualTo(frame));
        assertThat(records).extracting(Record::micros).containsExactly(0, 1, 2);
    }

    @Test
    void manyFramesAndFramesLargerThanTheBlockSurviveTheBuffering() throws IOException {
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            byte[] f = new byte[i % 7 == 0 ? 70_000 - i : 60 + i % 1500];
            Arrays.fill(f, (byte) i);
            frames.add(f);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PcapWriter w = new PcapWriter(bytes, PcapWriter.LINKTYPE_ETHERNET, 262_144)) {
            for (int i = 0; i < frames.size(); i++) {
                if (i % 2 == 0) {
                    w.write(frames.get(i), T0 + i * 1_000L);
                } else {
                    ByteBuffer direct = ByteBuffer.allocateDirect(frames.get(i).length).put(frames.get(i)).flip();
                    w.write(direct, T0 + i * 1_000L);
                }
            }
            assertThat(w.frameCount()).isEqualTo(frames.size());
        }

        List<Record> records = read(bytes.toByteArray());
        assertThat(records).hasSize(frames.size());
        for (int i = 0; i < frames.size(); i++) {
            assertThat(records.get(i).data()).isEqualTo(frames.get(i));
            assertThat(records.get(i).seconds() * 1_000_000L + records.get(i).micros()).isEqualTo(T0 / 1_000 + i);
        }
    }

    @Test
    void nothingReachesTheStreamUntilABlockFillsOrTheWriterIsFlushed() throws IOException {
        CountingStream counting = new CountingStream();
        PcapWriter w = new PcapWriter(counting);
        w.write(ecpAck(1), T0);
        assertThat(counting.writes).isZero();
        w.flush();
        assertThat(counting.writes).isEqualTo(1);
        assertThat(counting.size).isEqualTo(24 + 16 + 18);
        w.close();
        assertThat(counting.closed).isTrue();
    }

    @Test
    void timestampsBeforeTheEpochOrAfter2106AndWritesAfterCloseAreRejected() throws IOException {
        PcapWriter w = new PcapWriter(OutputStream.nullOutputStream());
        assertThatThrownBy(() -> w.write(new byte[14], -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.write(new byte[14], (1L << 32) * 1_000_000_000L)).isInstanceOf(IllegalArgumentException.class);
        w.close();
        w.close();
        assertThatThrownBy(() -> w.write(new byte[14], T0)).isInstanceOf(IOException.class).hasMessageContaining("closed");
    }

    @Test
    void writesFromSeveralThreadsGiveWholeRecords() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int perThread = 2_000;
        try (PcapWriter w = new PcapWriter(bytes)) {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                byte[] frame = new byte[60 + t * 100];
                Arrays.fill(frame, (byte) t);
                Thread th = new Thread(() -> {
                    try {
                        for (int i = 0; i < perThread; i++) {
                            w.write(frame, T0);
                        }
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                });
                threads.add(th);
                th.start();
            }
            for (Thread th : threads) {
                th.join();
            }
        }

        List<Record> records = read(bytes.toByteArray());
        assertThat(records).hasSize(4 * perThread);
        assertThat(records).allSatisfy(r -> assertThat(r.data().length).isEqualTo(60 + r.data()[0] * 100));
    }

    @Test
    void tsharkReadsTheFileBackWithTheSameFramesAndTimestamps() throws Exception {
        Prerequisites.requireCommand("tshark");
        Path file = dir.resolve("frames.pcap");
        try (PcapWriter w = PcapWriter.create(file)) {
            w.write(ecpAck(1), T0);
            w.write(ecpAck(2), T0 + 1_500_000L);
            w.write(ecpAck(3), T0 + 10_490_000_000L);
        }

        Process p = new ProcessBuilder("tshark", "-n", "-r", file.toString(), "-T", "fields",
                "-e", "frame.time_epoch", "-e", "frame.len", "-e", "eth.src", "-e", "eth.type")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("tshark exit code, output: %s", out).isZero();

        List<String[]> rows = out.lines().map(l -> l.split("\t")).toList();
        assertThat(rows).hasSize(3);
        assertThat(rows).extracting(r -> new BigDecimal(r[0]).movePointRight(6).longValueExact())
                .containsExactly(1_735_689_600_000_000L, 1_735_689_600_001_500L, 1_735_689_610_490_000L);
        assertThat(rows).allSatisfy(r -> {
            assertThat(r[1]).isEqualTo("18");
            assertThat(r[2]).isEqualTo(STATION.toString());
            assertThat(r[3]).isEqualTo("0x8940");
        });
    }

    @Test
    void libpcapReadsTheFileBackThroughPcap4jWithTheSameFramesLengthsAndTimestamps() throws Exception {
        Prerequisites.requireLibpcap();
        Path file = dir.resolve("frames.pcap");
        byte[] big = new byte[1514];
        Arrays.fill(big, (byte) 0x77);
        try (PcapWriter w = PcapWriter.create(file, PcapWriter.LINKTYPE_ETHERNET, 1000)) {
            w.write(ecpAck(9), T0 + 42_000L);
            w.write(big, T0 + 1_000_000_000L);
        }

        PcapHandle h = Pcaps.openOffline(file.toString(), PcapHandle.TimestampPrecision.NANO);
        try {
            assertThat(h.getDlt().value()).isEqualTo(PcapWriter.LINKTYPE_ETHERNET);
            assertThat(h.getSnapshot()).isEqualTo(1000);
            assertThat(h.getNextRawPacketEx()).isEqualTo(ecpAck(9));
            assertThat(h.getTimestamp().getTime()).isEqualTo(T0 / 1_000_000L);
            assertThat(h.getTimestamp().getNanos()).isEqualTo(42_000);
            assertThat(h.getNextRawPacketEx()).isEqualTo(Arrays.copyOf(big, 1000));
            assertThat(h.getOriginalLength()).isEqualTo(1514);
            assertThatThrownBy(h::getNextRawPacketEx).isInstanceOf(EOFException.class);
        } finally {
            h.close();
        }
    }

    private static byte[] ecpAck(int sequence) {
        ByteBuffer b = ByteBuffer.allocate(18);
        new FrameEncoder().ecpAck(MacAddress.NEAREST_CUSTOMER_BRIDGE, STATION, EcpSubtype.VDP, sequence, b);
        return b.array();
    }

    record Record(long seconds, int micros, int originalLength, byte[] data) {
    }

    /** A minimal reader of what the writer writes, independent of it. */
    private static List<Record> read(byte[] file) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getInt()).isEqualTo(0xA1B2C3D4);
        b.position(PcapWriter.FILE_HEADER_LENGTH);
        List<Record> out = new ArrayList<>();
        while (b.hasRemaining()) {
            long sec = b.getInt() & 0xFFFFFFFFL;
            int usec = b.getInt();
            int incl = b.getInt();
            int orig = b.getInt();
            byte[] data = new byte[incl];
            b.get(data);
            out.add(new Record(sec, usec, orig, data));
        }
        return out;
    }

    private static final class CountingStream extends OutputStream {
        int writes;
        long size;
        boolean closed;

        @Override
        public void write(int b) {
            writes++;
            size++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            writes++;
            size += len;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
