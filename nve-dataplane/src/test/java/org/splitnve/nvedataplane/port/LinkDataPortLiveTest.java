package org.splitnve.nvedataplane.port;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.splitnve.nvedataplane.codec.Ethernet;
import org.splitnve.testsupport.Closer;
import org.splitnve.testsupport.InNamespace;
import org.splitnve.testsupport.NetworkNamespace;
import org.splitnve.testsupport.Prerequisites;
import org.splitnve.testsupport.Trafgen;
import org.splitnve.testsupport.VethPair;
import org.splitnve.vdpcore.MacAddress;

/** A data port on libpcap, in namespaces, under the bursts a forwarder sees. */
class LinkDataPortLiveTest {

    /** IEEE 802 local experimental EtherType: nothing else on the veth carries it. */
    private static final int MARK = 0x88B5;
    private static final int BURST = 4_000;
    private static final MacAddress GEN_MAC = MacAddress.valueOf("02:00:00:00:d0:01");
    private static final MacAddress DP_MAC = MacAddress.valueOf("02:00:00:00:d0:02");

    private final Closer closer = new Closer();

    @AfterEach
    void tearDown() {
        closer.close();
    }

    @Test
    void a_pcap_data_port_takes_a_burst_of_four_thousand_frames_at_full_speed_without_losing_one() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("ip", "trafgen");
        Prerequisites.requireLibpcap();
        NetworkNamespace gen = closer.track(NetworkNamespace.create());
        NetworkNamespace nve = closer.track(NetworkNamespace.create());
        VethPair.between(gen, nve).names("gen0", "dp0").macs(GEN_MAC.toString(), DP_MAC.toString()).create();
        LinkDataPort port = closer.track(InNamespace.call(nve, () -> LinkDataPort.openPcap("dp0")));
        AtomicInteger marked = new AtomicInteger();
        port.receiver((p, frame) -> {
            if (frame.remaining() >= 14 && (frame.getShort(frame.position() + 12) & 0xFFFF) == MARK) {
                marked.incrementAndGet();
            }
        });

        // As fast as trafgen goes (several hundred thousand frames/s here): far faster than one receive thread taking
        // a frame at a time through libpcap, so the burst waits in the kernel's buffer. A 4 MiB buffer (1,024
        // snapshots) lost most of it.
        Trafgen.send(gen, "gen0", frame(), 10_000_000, BURST, Duration.ofSeconds(20));

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (marked.get() < BURST && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(marked.get()).as("frames of the burst the port received").isEqualTo(BURST);
    }

    private static byte[] frame() {
        ByteBuffer b = ByteBuffer.allocate(64);
        int payload = Ethernet.writeHeader(b, 0, DP_MAC.toLong(), GEN_MAC.toLong(), MARK);
        for (int i = payload; i < b.capacity(); i++) {
            b.put(i, (byte) 0x5A);
        }
        return b.array();
    }
}
