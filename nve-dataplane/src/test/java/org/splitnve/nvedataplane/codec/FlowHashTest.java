package org.splitnve.nvedataplane.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.splitnve.nvedataplane.TestFrames;

class FlowHashTest {

    @Test
    void the_source_port_is_in_the_dynamic_range_and_stable_for_one_flow() {
        ByteBuffer f = TestFrames.udp4(1, 2, 10, 3, 4, 1000, 2000, 100);
        int p = FlowHash.sourcePort(f, 0, 100);
        assertThat(p).isBetween(49152, 65535);
        assertThat(FlowHash.sourcePort(TestFrames.udp4(1, 2, 10, 3, 4, 1000, 2000, 300), 0, 300)).isEqualTo(p);
    }

    @Test
    void the_tag_is_not_part_of_the_flow() {
        ByteBuffer tagged = TestFrames.udp4(1, 2, 10, 3, 4, 1000, 2000, 100);
        ByteBuffer untagged = ByteBuffer.allocate(96);
        Ethernet.popTag(tagged, 0, 100, untagged, 0);
        assertThat(FlowHash.sourcePort(untagged, 0, 96)).isEqualTo(FlowHash.sourcePort(tagged, 0, 100));
    }

    @Test
    void l4_ports_spread_flows_between_the_same_hosts() {
        Set<Integer> ports = new HashSet<>();
        for (int sp = 1000; sp < 1100; sp++) {
            ports.add(FlowHash.sourcePort(TestFrames.udp4(1, 2, 10, 3, 4, sp, 2000, 64), 0, 64));
        }
        assertThat(ports.size()).isGreaterThan(90);
    }

    @Test
    void an_arp_frame_hashes_on_what_it_has() {
        ByteBuffer a = TestFrames.arpRequest(5, 0x020000000001L, 1, 2);
        assertThat(FlowHash.sourcePort(a, 0, 64)).isEqualTo(FlowHash.sourcePort(TestFrames.arpRequest(5, 0x020000000001L, 1, 2), 0, 64));
    }
}
