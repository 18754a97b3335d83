package org.splitnve.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.splitnve.vdpcore.frame.DecodedFrame;
import org.splitnve.vdpcore.frame.FrameDecoder;

/** The sample generator: byte-identical to the committed sample, and scalable for timing runs. */
class SampleCaptureTest {

    @TempDir
    Path dir;

    @Test
    void generatingTheSampleAgainGivesTheCommittedBytes() throws IOException {
        Path fresh = dir.resolve("split-nve.pcap");

        Cli.Result r = Cli.run("sample-capture", fresh.toString());

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("wrote 44 frames to " + fresh + System.lineSeparator());
        assertThat(Files.readAllBytes(fresh))
                .as("samples/split-nve.pcap must be regenerated with ./splitnve sample-capture samples/split-nve.pcap")
                .isEqualTo(Files.readAllBytes(Cli.committedSample()));
    }

    @Test
    void aLargerCaptureRepeatsTheConversationWithLaterTimesAndIncreasingSequenceNumbers() throws Exception {
        Path big = dir.resolve("big.pcap");

        Cli.Result r = Cli.run("sample-capture", "--frames", "1000", big.toString());

        assertThat(r.exitCode()).isZero();
        List<long[]> records = records(Files.readAllBytes(big));
        assertThat(records).hasSize(1000);
        FrameDecoder decoder = new FrameDecoder();
        long lastTime = -1;
        int lastStationSeq = 0;
        byte[] file = Files.readAllBytes(big);
        for (long[] rec : records) {
            assertThat(rec[0]).isGreaterThan(lastTime);
            lastTime = rec[0];
            ByteBuffer frame = ByteBuffer.wrap(file, (int) rec[1], (int) rec[2]).slice();
            DecodedFrame d;
            try {
                d = decoder.decode(frame);
            } catch (org.splitnve.vdpcore.MalformedFrameException e) {
                continue; // the deliberately malformed PDU of each round
            }
            if (d.ecp() != null && !d.ecp().isAck() && d.ethernet().src().equals(SampleConversation.STATION)) {
                assertThat(d.ecp().sequence()).isGreaterThan(lastStationSeq);
                lastStationSeq = d.ecp().sequence();
            }
        }
        assertThat(lastStationSeq).isGreaterThan(1001 + 10 * (1000 / SampleConversation.ROUND_FRAMES));
    }

    @Test
    void fewerFramesThanOneRoundCutTheConversationShort() throws IOException {
        Path small = dir.resolve("small.pcap");

        assertThat(Cli.run("sample-capture", "--frames", "5", small.toString()).exitCode()).isZero();

        byte[] committed = Files.readAllBytes(Cli.committedSample());
        byte[] bytes = Files.readAllBytes(small);
        assertThat(records(bytes)).hasSize(5);
        assertThat(bytes).isEqualTo(java.util.Arrays.copyOf(committed, bytes.length));
    }

    @Test
    void aZeroFrameCountIsAUsageError() {
        Cli.Result r = Cli.run("sample-capture", "--frames", "0", dir.resolve("x.pcap").toString());

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("--frames must be at least 1, not 0");
    }

    @Test
    void anUnwritableDestinationIsOneLineAndExitCode2() {
        Path nowhere = dir.resolve("no-such-dir").resolve("x.pcap");

        Cli.Result r = Cli.run("sample-capture", nowhere.toString());

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("splitnve: " + nowhere + ": cannot create it: no such directory");
    }

    /** [time in microseconds, data offset, captured length] of each record. */
    private static List<long[]> records(byte[] file) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getInt(0)).isEqualTo(0xA1B2C3D4);
        assertThat(b.getInt(20)).as("linktype").isEqualTo(1);
        List<long[]> out = new ArrayList<>();
        int p = 24;
        while (p < file.length) {
            long t = (b.getInt(p) & 0xFFFFFFFFL) * 1_000_000L + b.getInt(p + 4);
            int incl = b.getInt(p + 8);
            out.add(new long[] {t, p + 16, incl});
            p += 16 + incl;
        }
        return out;
    }
}
