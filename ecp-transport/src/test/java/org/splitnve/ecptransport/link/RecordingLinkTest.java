package org.splitnve.ecptransport.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.splitnve.ecptransport.capture.PcapWriter;
import org.splitnve.ecptransport.clock.RealScheduler;
import org.splitnve.ecptransport.clock.VirtualScheduler;
import org.splitnve.ecptransport.ecp.EcpConfig;
import org.splitnve.ecptransport.ecp.EcpEngine;
import org.splitnve.ecptransport.testing.PcapRecords;
import org.splitnve.ecptransport.testing.PcapRecords.Frame;
import org.splitnve.testsupport.Prerequisites;
import org.splitnve.testsupport.Tshark;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.ecp.EcpSubtype;

class RecordingLinkTest {

    /** 2025-01-01T00:00:00Z. */
    private static final long T0 = 1_735_689_600L * 1_000_000_000L;
    private static final MacAddress A = MacAddress.valueOf("02:00:00:00:0b:01");
    private static final MacAddress B = MacAddress.valueOf("02:00:00:00:0b:02");

    @TempDir
    Path dir;

    /** Three ECP exchanges from A to B in virtual time, recorded on A's end; returns the file's bytes. */
    private byte[] recordThreeExchanges(Path file) throws IOException {
        VirtualScheduler clock = new VirtualScheduler();
        MemoryLink[] pair = MemoryLink.pair(clock, "a", A, "b", B, LinkFaults.NONE);
        RecordingLink recorder = new RecordingLink(pair[0], PcapWriter.create(file), RecordingLink.schedulerClock(clock, T0));
        EcpEngine a = new EcpEngine(recorder, clock, EcpConfig.DEFAULT, 1).start();
        EcpEngine b = new EcpEngine(pair[1], clock, EcpConfig.DEFAULT, 2).start();
        b.register(EcpSubtype.VDP, (peer, payload) -> { });
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            sent.add(a.send(B, EcpSubtype.VDP, ByteBuffer.wrap(new byte[] {(byte) i, 0, 0, 0})));
        }
        clock.advance(Duration.ofMillis(5));
        assertThat(sent).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        a.close();
        b.close();
        clock.advance(Duration.ofMillis(1));
        recorder.close();
        assertThat(recorder.recordedSent()).isEqualTo(3);
        assertThat(recorder.recordedReceived()).isEqualTo(3);
        return Files.readAllBytes(file);
    }

    @Test
    void framesSentAndReceivedAppearInTheOrderTheyCrossedWithTheSchedulersTime() throws IOException {
        List<Frame> frames = PcapRecords.read(recordThreeExchanges(dir.resolve("a.pcap")));

        assertThat(frames).hasSize(6);
        for (int i = 0; i < 3; i++) {
            Frame request = frames.get(2 * i);
            Frame ack = frames.get(2 * i + 1);
            assertThat(request.src()).isEqualTo(A);
            assertThat(request.isEcpRequest()).isTrue();
            assertThat(request.data()[18]).isEqualTo((byte) (i + 1));
            assertThat(ack.src()).isEqualTo(B);
            assertThat(ack.isEcpAck()).isTrue();
            assertThat(ack.ecpSequence()).isEqualTo(request.ecpSequence());
        }
        // MemoryLink delays each frame by 10 us each way, so each ack is recorded 20 us after its request, and the
        // next request leaves as the ack arrives.
        assertThat(frames).extracting(f -> f.epochNanos() - T0)
                .containsExactly(0L, 20_000L, 20_000L, 40_000L, 40_000L, 60_000L);
    }

    @Test
    void theSameRunGivesTheSameBytes() throws IOException {
        assertThat(recordThreeExchanges(dir.resolve("1.pcap"))).isEqualTo(recordThreeExchanges(dir.resolve("2.pcap")));
    }

    @Test
    void listenersOfTheRecorderGetEveryReceivedFrame() throws Exception {
        VirtualScheduler clock = new VirtualScheduler();
        MemoryLink[] pair = MemoryLink.pair(clock, "a", A, "b", B, LinkFaults.NONE);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (RecordingLink recorder = new RecordingLink(pair[0], new PcapWriter(bytes), RecordingLink.schedulerClock(clock, T0))) {
            List<Integer> seen = new ArrayList<>();
            Link.FrameListener listener = (f, t) -> seen.add(f.get(f.position() + 14) & 0xFF);
            recorder.addListener(listener);
            pair[1].send(frame(B, 0x88B5, 1));
            clock.advance(Duration.ofMillis(1));
            recorder.removeListener(listener);
            pair[1].send(frame(B, 0x88B5, 2));
            clock.advance(Duration.ofMillis(1));

            assertThat(seen).containsExactly(1);
            assertThat(recorder.recordedReceived()).isEqualTo(2);
            assertThat(recorder.name()).isEqualTo("a");
            assertThat(recorder.macAddress()).isEqualTo(A);
        }
        assertThat(PcapRecords.read(bytes.toByteArray())).hasSize(2);
    }

    @Test
    void aFrameTheWrappedLinkRefusesIsNotRecorded() throws Exception {
        VirtualScheduler clock = new VirtualScheduler();
        MemoryLink[] pair = MemoryLink.pair(clock, "a", A, "b", B, LinkFaults.NONE);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RecordingLink recorder = new RecordingLink(pair[0], new PcapWriter(bytes));
        pair[0].close();
        assertThatThrownBy(() -> recorder.send(frame(A, 0x88B5, 1))).isInstanceOf(LinkException.class);
        recorder.close();

        assertThat(recorder.recordedSent()).isZero();
        assertThat(PcapRecords.read(bytes.toByteArray())).isEmpty();
    }

    @Test
    void aCaptureThatCannotBeWrittenDoesNotStopTheLink() throws Exception {
        VirtualScheduler clock = new VirtualScheduler();
        MemoryLink[] pair = MemoryLink.pair(clock, "a", A, "b", B, LinkFaults.NONE);
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("disk full");
            }
        };
        // A tiny snapshot length keeps the header in the writer's buffer; closing it first makes every write fail.
        PcapWriter writer = new PcapWriter(broken, PcapWriter.LINKTYPE_ETHERNET, 64);
        try {
            writer.close();
        } catch (IOException expected) {
            // the stream refuses even the header
        }
        RecordingLink recorder = new RecordingLink(pair[0], writer);
        List<ByteBuffer> atB = new ArrayList<>();
        pair[1].addListener((f, t) -> atB.add(f));
        recorder.send(frame(A, 0x88B5, 1));
        recorder.send(frame(A, 0x88B5, 2));
        clock.advance(Duration.ofMillis(1));

        assertThat(atB).hasSize(2);
        assertThat(recorder.writeErrors()).isEqualTo(2);
        assertThat(recorder.recordedSent()).isZero();
        recorder.close();
    }

    @Test
    void sendsFromManyThreadsAndReceivesAreAllRecordedWhole() throws Exception {
        try (RealScheduler clock = new RealScheduler("recording-test")) {
            MemoryLink[] pair = MemoryLink.pair(clock, "a", A, "b", B, LinkFaults.NONE);
            Path file = dir.resolve("many.pcap");
            RecordingLink recorder = RecordingLink.toFile(pair[0], file);
            int threads = 4;
            int perThread = 500;
            CountDownLatch echoed = new CountDownLatch(threads * perThread);
            // B echoes every frame back, so A's end records as many receptions as sends.
            pair[1].addListener((f, t) -> {
                try {
                    byte[] copy = new byte[f.remaining()];
                    f.get(copy);
                    System.arraycopy(B.toBytes(), 0, copy, 6, 6);
                    pair[1].send(ByteBuffer.wrap(copy));
                } catch (LinkException e) {
                    throw new IllegalStateException(e);
                }
            });
            recorder.addListener((f, t) -> echoed.countDown());
            List<Thread> senders = new ArrayList<>();
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                Thread th = new Thread(() -> {
                    for (int i = 0; i < perThread; i++) {
                        try {
                            recorder.send(frame(A, 0x88B5, id));
                        } catch (LinkException e) {
                            failures.add(e);
                        }
                    }
                });
                senders.add(th);
                th.start();
            }
            for (Thread th : senders) {
                th.join();
            }
            assertThat(echoed.await(30, TimeUnit.SECONDS)).isTrue();
            recorder.close();
            assertThat(failures).isEmpty();

            List<Frame> frames = PcapRecords.read(file);
            assertThat(frames).hasSize(2 * threads * perThread);
            assertThat(frames).filteredOn(f -> f.src().equals(A)).hasSize(threads * perThread);
            assertThat(frames).allSatisfy(f -> assertThat(f.data()).hasSize(60));
            for (int i = 1; i < frames.size(); i++) {
                assertThat(frames.get(i).epochNanos()).isGreaterThanOrEqualTo(frames.get(i - 1).epochNanos());
            }
        }
    }

    @Test
    void tsharkReadsTheRecording() throws Exception {
        Prerequisites.requireCommand("tshark");
        Path file = dir.resolve("tshark.pcap");
        recordThreeExchanges(file);

        List<String> ecp = Tshark.frames(file, "eth.type == 0x8940");
        assertThat(ecp).hasSize(6);
        assertThat(Tshark.count(file, "eth.src == " + A)).isEqualTo(3);
        assertThat(Tshark.count(file, "eth.src == " + B + " && eth.dst == " + A)).isEqualTo(3);
    }

    /** A 60-octet frame from {@code src} to the nearest-customer-bridge address with a marker after the header. */
    private static ByteBuffer frame(MacAddress src, int etherType, int marker) {
        ByteBuffer b = ByteBuffer.allocate(60);
        MacAddress.NEAREST_CUSTOMER_BRIDGE.writeTo(b);
        src.writeTo(b);
        b.putShort((short) etherType);
        b.put((byte) marker);
        b.position(0);
        return b;
    }
}
