package org.splitnve.nvedataplane.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.splitnve.ecptransport.link.LinkException;

/** The {@code --io} values, and what each does with an interface that does not exist. */
class PortIoTest {

    @Test
    void the_option_values_name_the_three_ways_and_nothing_else() {
        assertThat(PortIo.of("ring")).isEqualTo(PortIo.RING);
        assertThat(PortIo.of(" PCAP ")).isEqualTo(PortIo.PCAP);
        assertThat(PortIo.of("auto")).isEqualTo(PortIo.AUTO);
        assertThatThrownBy(() -> PortIo.of("xdp")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--io is auto, ring or pcap, not 'xdp'");
    }

    @Test
    void ring_fails_on_a_missing_interface_and_auto_falls_back_to_libpcap_which_fails_too() {
        assertThatThrownBy(() -> PortIo.RING.open("no-such-if0")).isInstanceOf(LinkException.class)
                .hasMessageContaining("no-such-if0");
        assertThatThrownBy(() -> PortIo.AUTO.open("no-such-if0")).isInstanceOf(LinkException.class)
                .hasMessageContaining("no-such-if0");
    }
}
