package org.splitnve.ecptransport.lldp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.splitnve.ecptransport.clock.RealScheduler;
import org.splitnve.ecptransport.link.LinkFaults;
import org.splitnve.ecptransport.link.MemoryLink;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.frame.FrameEncoder;
import org.splitnve.vdpcore.lldp.ChassisId;
import org.splitnve.vdpcore.lldp.EvbMode;
import org.splitnve.vdpcore.lldp.EvbTlv;
import org.splitnve.vdpcore.lldp.Lldpdu;
import org.splitnve.vdpcore.lldp.PortId;

/**
 * Reading the agent's EVB state from another thread while the scheduler thread negotiates. Against lldpad a test
 * read the received TLV and the outgoing TLV in between the two updates of one negotiation and compared a new
 * received TLV with a stale outgoing one.
 */
class LldpAgentEvbStateTest {

    private static final MacAddress US = MacAddress.valueOf("02:00:00:00:00:61");
    private static final MacAddress PEER = MacAddress.valueOf("02:00:00:00:00:62");

    @Test
    void anotherThreadAlwaysSeesTheOutgoingTlvNegotiatedFromTheReceivedOne() throws Exception {
        try (RealScheduler scheduler = new RealScheduler("evb-state-test")) {
            MemoryLink[] links = MemoryLink.pair(scheduler, "us", US, "peer", PEER, LinkFaults.NONE);
            LldpAgentConfig config = LldpAgentConfig.bridge();
            LldpAgent agent = new LldpAgent(links[0], scheduler, config).start();
            List<EvbTlv> variants = List.of(station(3, 8, 20, 20), station(5, 14, 22, 18));
            int frames = 4_000;
            AtomicLong checked = new AtomicLong();
            AtomicReference<String> violation = new AtomicReference<>();
            AtomicBoolean done = new AtomicBoolean();
            CountDownLatch readerDone = new CountDownLatch(1);
            Thread reader = new Thread(() -> {
                while (!done.get() && violation.get() == null) {
                    LldpAgent.EvbState s = agent.evbState();
                    // Negotiated from what was received, within the ceilings.
                    EvbTlv input = s.received() == null ? null : config.ceilings().clamp(s.received());
                    EvbTlv expected = EvbNegotiation.outgoing(config.evbPolicy(), input);
                    if (!expected.equals(s.outgoing()) || !EvbNegotiation.operating(expected, input).equals(s.operating())) {
                        violation.set("received " + s.received() + " with outgoing " + s.outgoing());
                    }
                    checked.incrementAndGet();
                }
                readerDone.countDown();
            });
            reader.start();
            FrameEncoder encoder = new FrameEncoder();
            ByteBuffer buf = ByteBuffer.allocate(256);
            for (int i = 0; i < frames && violation.get() == null; i++) {
                buf.clear();
                Lldpdu pdu = Lldpdu.of(ChassisId.ofMac(PEER), PortId.ofInterfaceName("peer"), 120, List.of(variants.get(i % 2)));
                encoder.lldp(MacAddress.NEAREST_CUSTOMER_BRIDGE, PEER, pdu, buf);
                buf.flip();
                links[1].send(buf);
            }
            CountDownLatch drained = new CountDownLatch(1);
            scheduler.execute(drained::countDown);
            assertThat(drained.await(30, TimeUnit.SECONDS)).isTrue();
            done.set(true);
            assertThat(readerDone.await(10, TimeUnit.SECONDS)).isTrue();

            assertThat(violation.get()).isNull();
            assertThat(checked.get()).isPositive();
            assertThat(agent.receivedEvb()).isIn(variants);
        }
    }

    private static EvbTlv station(int r, int rte, int rwd, int rka) {
        return EvbTlv.builder().mode(EvbMode.STATION).stationStatus(EvbTlv.SGID | EvbTlv.RRREQ | 1).r(r).rte(rte).rwd(rwd)
                .rka(rka).build();
    }
}
