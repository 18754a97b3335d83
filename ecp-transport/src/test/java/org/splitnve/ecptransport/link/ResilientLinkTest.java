package org.splitnve.ecptransport.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.splitnve.ecptransport.clock.VirtualScheduler;
import org.splitnve.ecptransport.ecp.EcpConfig;
import org.splitnve.ecptransport.ecp.EcpEngine;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.ecp.EcpSubtype;

/** A port that loses its NIC handle, is down meanwhile, opens the interface again with back-off, or gives up. */
class ResilientLinkTest {

    private static final MacAddress MAC = MacAddress.valueOf("02:00:00:00:0d:01");
    private static final MacAddress PEER = MacAddress.valueOf("02:00:00:00:0d:02");

    /** A NIC handle the test kills; it keeps what was sent and who listens. */
    private static final class Handle implements Link {
        final List<FrameListener> listeners = new CopyOnWriteArrayList<>();
        final List<ByteBuffer> sent = new CopyOnWriteArrayList<>();
        FailureListener failure;
        boolean closed;

        @Override
        public String name() {
            return "eth9";
        }

        @Override
        public MacAddress macAddress() {
            return MAC;
        }

        @Override
        public void send(ByteBuffer frame) {
            sent.add(frame);
        }

        @Override
        public void addListener(FrameListener listener) {
            listeners.add(listener);
        }

        @Override
        public void removeListener(FrameListener listener) {
            listeners.remove(listener);
        }

        @Override
        public void onFailure(FailureListener listener) {
            failure = listener;
        }

        @Override
        public void close() {
            closed = true;
        }

        void kill(String why) {
            failure.onFailure(name(), new LinkException(why));
        }
    }

    private final VirtualScheduler clock = new VirtualScheduler();
    private final List<Handle> handles = new ArrayList<>();
    private final List<Long> attempts = new ArrayList<>();
    private int refusals;
    private final List<String> states = new ArrayList<>();

    private ResilientLink open(ResilientLink.Retry retry) throws LinkException {
        ResilientLink link = ResilientLink.open(() -> {
            attempts.add(clock.nanoTime());
            if (!handles.isEmpty() && refusals-- > 0) {
                throw new LinkException("cannot open eth9: That device is not up");
            }
            Handle h = new Handle();
            handles.add(h);
            return h;
        }, clock, retry);
        link.addStateListener(new ResilientLink.StateListener() {
            @Override
            public void onDown(String why) {
                states.add("down " + why);
            }

            @Override
            public void onUp() {
                states.add("up");
            }

            @Override
            public void onGaveUp(String why) {
                states.add("gave up");
            }
        });
        return link;
    }

    @Test
    void a_failed_handle_makes_the_port_down_until_the_interface_opens_again_with_doubling_waits() throws Exception {
        ResilientLink link = open(ResilientLink.Retry.DEFAULT);
        Link.FrameListener listener = (f, t) -> { };
        link.addListener(listener);
        refusals = 3;
        long start = clock.nanoTime();
        handles.get(0).kill("The interface disappeared");
        clock.runReady();
        assertThat(link.up()).isFalse();
        assertThat(handles.get(0).closed).isTrue();
        assertThatThrownBy(() -> link.send(ByteBuffer.allocate(60))).isInstanceOf(LinkException.class).hasMessageContaining("down");

        clock.advance(Duration.ofSeconds(20));
        assertThat(attempts.subList(1, attempts.size())).extracting(t -> (t - start) / 1_000_000_000)
                .containsExactly(1L, 3L, 7L, 15L);
        assertThat(states).containsExactly("down The interface disappeared", "up");
        assertThat(handles).hasSize(2);
        assertThat(handles.get(1).listeners).containsExactly(listener);
        link.send(ByteBuffer.allocate(60));
        assertThat(handles.get(1).sent).hasSize(1);
    }

    @Test
    void an_interface_away_for_longer_than_allowed_is_given_up_once() throws Exception {
        ResilientLink link = open(new ResilientLink.Retry(Duration.ofSeconds(1), Duration.ofSeconds(4), Duration.ofSeconds(10)));
        List<String> failures = new ArrayList<>();
        link.onFailure((name, e) -> failures.add(e.getMessage()));
        refusals = 1000;
        handles.get(0).kill("The interface disappeared");
        clock.advance(Duration.ofMinutes(5));
        assertThat(states).containsExactly("down The interface disappeared", "gave up");
        assertThat(failures).singleElement().asString().startsWith("eth9 did not come back within 10 s");
        assertThat(link.gaveUp()).isTrue();
        assertThat(clock.pendingTimers()).isZero();
    }

    @Test
    void over_a_resilient_link_ecp_marks_its_peers_down_meanwhile_and_back_up_after() throws Exception {
        ResilientLink link = open(ResilientLink.Retry.DEFAULT);
        EcpEngine ecp = new EcpEngine(link, clock, EcpConfig.DEFAULT, 1).start();
        link.addStateListener(new ResilientLink.StateListener() {
            @Override
            public void onDown(String why) {
                ecp.linkDown(why);
            }

            @Override
            public void onUp() {
                ecp.linkUp();
            }
        });
        List<String> peerStates = new ArrayList<>();
        ecp.addPeerListener((peer, reachable, why, c) -> peerStates.add(reachable + " " + why));
        ecp.send(PEER, EcpSubtype.VDP, ByteBuffer.wrap(new byte[] {1}));
        clock.runReady();
        handles.get(0).kill("The interface disappeared");
        clock.advance(Duration.ofSeconds(2));
        assertThat(peerStates).containsExactly("false link down: The interface disappeared", "true link up again");
    }
}
