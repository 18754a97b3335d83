package org.splitnve.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.BeforeEach;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VethPairTest {

    @BeforeEach
    void prerequisites() {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("ip", "sysctl");
    }

    @Test
    void pairWithFixedMacsIsUpWithoutIpv6() {
        try (NetworkNamespace a = NetworkNamespace.create(); NetworkNamespace b = NetworkNamespace.create()) {
            VethPair pair = VethPair.between(a, b).names("left0", "right0")
                    .macs("02:00:00:00:00:0A", "02:00:00:00:00:0b").create();

            assertThat(pair.a().interfaceName()).isEqualTo("left0");
            assertThat(pair.a().mac()).isEqualTo("02:00:00:00:00:0a");
            assertThat(pair.b().mac()).isEqualTo("02:00:00:00:00:0b");
            assertThat(pair.b().namespace()).isSameAs(b);
            assertThat(a.exec("ip", "-o", "link", "show", "dev", "left0")).contains("UP").contains("02:00:00:00:00:0a");
            assertThat(b.exec("ip", "-o", "link", "show", "dev", "right0")).contains("UP").contains("02:00:00:00:00:0b");
            assertThat(a.exec("sysctl", "-n", "net.ipv6.conf.left0.disable_ipv6").strip()).isEqualTo("1");
            assertThat(b.exec("sysctl", "-n", "net.ipv6.conf.right0.disable_ipv6").strip()).isEqualTo("1");
        }
    }

    @Test
    void defaultsGiveKernelMacsAndKeepIpv6OnRequest() {
        try (NetworkNamespace a = NetworkNamespace.create(); NetworkNamespace b = NetworkNamespace.create()) {
            VethPair pair = VethPair.between(a, b).keepIpv6().create();
            assertThat(pair.a().interfaceName()).isEqualTo("veth-a");
            assertThat(pair.a().mac()).matches("[0-9a-f]{2}(:[0-9a-f]{2}){5}").isNotEqualTo(pair.b().mac());
            assertThat(a.exec("sysctl", "-n", "net.ipv6.conf.veth-a.disable_ipv6").strip()).isEqualTo("0");
        }
    }

    @Test
    void closingOneNamespaceRemovesThePeerToo() {
        try (NetworkNamespace b = NetworkNamespace.create()) {
            try (NetworkNamespace a = NetworkNamespace.create()) {
                VethPair.between(a, b).create();
                assertThat(b.exec("ip", "-o", "link", "show")).contains("veth-b");
            }
            // The kernel tears a namespace down asynchronously: the peer goes soon after "ip netns del", not at once.
            Optional<String> gone = Poll.until(Duration.ofSeconds(5), Duration.ofMillis(20),
                    () -> Optional.of(b.exec("ip", "-o", "link", "show")).filter(links -> !links.contains("veth-b")));
            assertThat(gone).as("veth-b left in the surviving namespace").isPresent();
        }
    }

    @Test
    void badNamesAndMacsAreRejectedBeforeTouchingTheSystem() {
        try (NetworkNamespace a = NetworkNamespace.create()) {
            VethPair.Builder builder = VethPair.between(a, a);
            assertThatThrownBy(() -> builder.names("a-name-that-is-too-long", "b")).hasMessageContaining("15");
            assertThatThrownBy(() -> builder.names("same", "same")).hasMessageContaining("both ends");
            assertThatThrownBy(() -> builder.macs("01:00:5e:00:00:01", "02:00:00:00:00:01"))
                    .hasMessageContaining("multicast");
            assertThatThrownBy(() -> builder.macs("02-00-00-00-00-01", "02:00:00:00:00:01"))
                    .hasMessageContaining("not a MAC");
        }
    }
}
