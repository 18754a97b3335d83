package org.splitnve.ecptransport.lldp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.splitnve.ecptransport.clock.RealScheduler;
import org.splitnve.ecptransport.link.Link;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.frame.FrameEncoder;
import org.splitnve.vdpcore.lldp.ChassisId;
import org.splitnve.vdpcore.lldp.Lldpdu;
import org.splitnve.vdpcore.lldp.PortId;

/** A frame that a NIC's receive thread hands over while the agent and its scheduler close. */
class LldpAgentAfterCloseTest {

    private static final MacAddress US = MacAddress.valueOf("02:00:00:00:00:b1");
    private static final MacAddress PEER = MacAddress.valueOf("02:00:00:00:00:51");

    /** A link whose receive thread is the test: it keeps the listeners it was given, even after they are removed. */
    private static final class CapturingLink implements Link {
        final List<FrameListener> listeners = new CopyOnWriteArrayList<>();

        @Override
        public String name() {
            return "cap0";
        }

        @Override
        public MacAddress macAddress() {
            return US;
        }

        @Override
        public void send(ByteBuffer frame) {
        }

        @Override
        public void addListener(FrameListener listener) {
            listeners.add(listener);
        }

        @Override
        public void removeListener(FrameListener listener) {
        }

        @Override
        public void close() {
        }
    }

    private static ByteBuffer lldpdu() {
        ByteBuffer b = ByteBuffer.allocate(256);
        new FrameEncoder().lldp(MacAddress.NEAREST_CUSTOMER_BRIDGE, PEER,
                Lldpdu.of(ChassisId.ofMac(PEER), PortId.ofInterfaceName("eth0"), 120, List.of()), b);
        return b.flip();
    }

    @Test
    void a_frame_that_arrives_after_the_agent_and_its_scheduler_closed_is_ignored_quietly() throws Exception {
        CapturingLink link = new CapturingLink();
        RealScheduler scheduler = new RealScheduler("lldp-after-close");
        LldpAgent agent = new LldpAgent(link, scheduler, LldpAgentConfig.bridge()).start();
        agent.close();
        scheduler.close();
        assertThat(link.listeners).hasSize(1);
        assertThatCode(() -> link.listeners.get(0).onFrame(lldpdu(), 0)).doesNotThrowAnyException();
        assertThat(agent.framesIn()).isZero();
    }
}
