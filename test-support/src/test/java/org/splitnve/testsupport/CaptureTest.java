package org.splitnve.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptureTest {

    /** Classic pcap magic numbers as they appear in the file: micro- or nanosecond, either byte order. */
    private static final int[] PCAP_MAGICS = {0xd4c3b2a1, 0xa1b2c3d4, 0x4d3cb2a1, 0xa1b23c4d};

    @TempDir
    Path dir;

    @BeforeEach
    void prerequisites() {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("ip", "sysctl", "dumpcap", "tshark", "bash");
    }

    @Test
    void capturesFramesSentAfterStartWithTheFilterApplied() throws IOException {
        Path pcap = dir.resolve("sub/udp.pcap");
        try (NetworkNamespace a = NetworkNamespace.create(); NetworkNamespace b = NetworkNamespace.create()) {
            VethPair pair = VethPair.between(a, b).create();
            a.exec("ip", "addr", "add", "192.0.2.1/24", "dev", pair.a().interfaceName());
            b.exec("ip", "addr", "add", "192.0.2.2/24", "dev", pair.b().interfaceName());
            try (Capture capture = Capture.start(b, pair.b().interfaceName(), pcap, "udp port 9")) {
                // bash's /dev/udp sends one datagram per redirection; the ARP exchange before it and the
                // ICMP port-unreachable answers are kept out by the capture filter.
                a.exec("bash", "-c", "for i in 1 2 3; do echo hello$i > /dev/udp/192.0.2.2/9; done");
                Poll.sleep(Duration.ofMillis(300));
                assertThat(capture.file()).isEqualTo(pcap.toAbsolutePath());
            }
        }
        assertThat(pcap).isRegularFile();
        int magic = java.nio.ByteBuffer.wrap(Files.readAllBytes(pcap), 0, 4).getInt();
        assertThat(PCAP_MAGICS).contains(magic);
        assertThat(Tshark.count(pcap, "udp.dstport == 9 && !icmp")).isEqualTo(3);
        assertThat(Tshark.count(pcap, "arp || icmp")).isZero();
    }

    @Test
    void failureToCaptureIsReportedWithDumpcapsMessage() {
        try (NetworkNamespace a = NetworkNamespace.create()) {
            // lo exists but is down in a fresh namespace, and dumpcap refuses a down interface.
            assertThatThrownBy(() -> Capture.start(a, "lo", dir.resolve("never.pcap")))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("dumpcap")
                    .hasMessageContaining("lo");
            assertThat(dir.resolve("never.pcap")).doesNotExist();
            assertThat(a.pids()).isEmpty();
        }
    }
}
