package org.splitnve.ecptransport.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.splitnve.ecptransport.clock.VirtualScheduler;
import org.splitnve.vdpcore.MacAddress;

/** The in-memory bridged network: learning, flooding, and the reserved addresses it never forwards. */
class MemoryBridgeTest {

    private static final MacAddress A = MacAddress.valueOf("02:00:00:00:00:0a");
    private static final MacAddress B = MacAddress.valueOf("02:00:00:00:00:0b");
    private static final MacAddress C = MacAddress.valueOf("02:00:00:00:00:0c");

    private final VirtualScheduler clock = new VirtualScheduler();
    private final MemoryBridge bridge = new MemoryBridge(clock, Duration.ofMillis(1));
    private final MemoryBridge.Port a = bridge.attach("a", A);
    private final MemoryBridge.Port b = bridge.attach("b", B);
    private final MemoryBridge.Port c = bridge.attach("c", C);
    private final List<String> got = new ArrayList<>();

    MemoryBridgeTest() {
        a.addListener((f, t) -> got.add("a"));
        b.addListener((f, t) -> got.add("b"));
        c.addListener((f, t) -> got.add("c"));
    }

    private static ByteBuffer frame(MacAddress dst, MacAddress src) {
        ByteBuffer f = ByteBuffer.allocate(60);
        dst.writeTo(f);
        src.writeTo(f);
        f.putShort((short) 0x8940);
        return f.clear();
    }

    @Test
    void unicast_to_an_unknown_mac_is_flooded_and_to_a_learnt_one_goes_to_its_port_only() throws Exception {
        a.send(frame(B, A));
        clock.advance(Duration.ofMillis(5));
        assertThat(got).containsExactlyInAnyOrder("b", "c");
        got.clear();
        b.send(frame(A, B));
        clock.advance(Duration.ofMillis(5));
        assertThat(got).containsExactly("a");
    }

    @Test
    void the_nearest_customer_bridge_address_and_its_reserved_neighbours_are_never_forwarded() throws Exception {
        a.send(frame(MacAddress.NEAREST_CUSTOMER_BRIDGE, A));
        a.send(frame(MacAddress.valueOf("01:80:c2:00:00:0e"), A));
        clock.advance(Duration.ofMillis(5));
        assertThat(got).isEmpty();
        assertThat(bridge.filtered()).isEqualTo(2);
    }

    @Test
    void a_non_reserved_group_address_is_flooded() throws Exception {
        a.send(frame(MacAddress.valueOf("01:80:c2:00:00:10"), A));
        clock.advance(Duration.ofMillis(5));
        assertThat(got).containsExactlyInAnyOrder("b", "c");
    }

    @Test
    void a_port_that_is_down_neither_sends_nor_receives() throws Exception {
        c.down(true);
        a.send(frame(MacAddress.valueOf("03:00:00:00:00:01"), A));
        c.send(frame(A, C));
        clock.advance(Duration.ofMillis(5));
        assertThat(got).containsExactly("b");
    }
}
