package org.splitnve.ecptransport.ecp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.splitnve.ecptransport.clock.RealScheduler;
import org.splitnve.ecptransport.link.LinkException;
import org.splitnve.ecptransport.link.LinkFaults;
import org.splitnve.ecptransport.link.MemoryLink;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.ecp.EcpSubtype;
import org.splitnve.vdpcore.frame.EtherType;

/**
 * Acks must not wait for the upper layer. lldpad sends a PDU at most four times within about 8 ms (R 3, RTE 8); when
 * our upper layer spent a few milliseconds on one PDU, the acks of the next copies and PDUs waited behind it on the
 * scheduler thread and lldpad ran out of retries.
 */
class EcpEngineAckLatencyTest {

    private static final MacAddress US = MacAddress.valueOf("02:00:00:00:00:71");
    private static final MacAddress PEER = MacAddress.valueOf("02:00:00:00:00:72");

    @Test
    void requestsAreAckedWhileTheUpperLayerIsStillBusyWithAnEarlierOne() throws Exception {
        try (RealScheduler wire = new RealScheduler("ack-test-wire"); RealScheduler engineThread = new RealScheduler("ack-test-engine")) {
            MemoryLink[] links = MemoryLink.pair(wire, "us", US, "peer", PEER, LinkFaults.NONE.withDelay(Duration.ZERO));
            EcpEngine engine = new EcpEngine(links[0], engineThread, EcpConfig.DEFAULT, 3).start();
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch busy = new CountDownLatch(1);
            List<Integer> delivered = new CopyOnWriteArrayList<>();
            engine.register(EcpSubtype.VDP, (peer, payload) -> {
                delivered.add(payload.get(0) & 0xFF);
                busy.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS); // an upper layer stuck on its first PDU
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            List<Integer> acks = new CopyOnWriteArrayList<>();
            CountDownLatch threeAcks = new CountDownLatch(3);
            links[1].addListener((f, t) -> {
                acks.add(f.getShort(f.position() + 16) & 0xFFFF);
                threeAcks.countDown();
            });

            request(links[1], 100, 1);
            assertThat(busy.await(5, TimeUnit.SECONDS)).isTrue();
            request(links[1], 100, 1); // a retransmission of the same PDU
            request(links[1], 101, 2); // and the next PDU

            boolean allAcked = threeAcks.await(2, TimeUnit.SECONDS);
            release.countDown();
            assertThat(allAcked).as("acks seen while the upper layer was busy: %s", acks).isTrue();
            assertThat(acks).containsExactly(100, 100, 101);
            // Delivery itself still waits for the upper layer, in order and once each.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (delivered.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(delivered).containsExactly(1, 2);
            assertThat(engine.counters(PEER).duplicates()).isEqualTo(1);
            engine.close();
        }
    }

    private static void request(MemoryLink from, int sequence, int marker) throws LinkException {
        ByteBuffer b = ByteBuffer.allocate(60);
        MacAddress.NEAREST_CUSTOMER_BRIDGE.writeTo(b);
        PEER.writeTo(b);
        b.putShort((short) EtherType.ECP);
        b.putShort((short) ((1 << 12) | EcpSubtype.VDP.value())).putShort((short) sequence);
        b.put((byte) marker);
        b.position(0);
        from.send(b);
    }
}
