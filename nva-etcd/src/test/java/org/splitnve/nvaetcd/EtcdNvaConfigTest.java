package org.splitnve.nvaetcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EtcdNvaConfigTest {

    @Test
    void an_etcd_uri_gives_every_endpoint_and_the_prefix() {
        EtcdNvaConfig c = EtcdNvaConfig.fromUri("etcd://127.0.0.1:2379,[::1]:2380,etcd.example:1/lab/a").nveName("192.0.2.1").build();
        assertThat(c.endpoints()).containsExactly(URI.create("http://127.0.0.1:2379"), URI.create("http://[::1]:2380"),
                URI.create("http://etcd.example:1"));
        assertThat(c.prefix()).isEqualTo("/lab/a");
        assertThat(c.uri()).isEqualTo("etcd://127.0.0.1:2379,[::1]:2380,etcd.example:1/lab/a");
        assertThat(c.leaseTtl()).isEqualTo(EtcdNvaConfig.DEFAULT_LEASE_TTL).isLessThanOrEqualTo(Duration.ofSeconds(15));
        assertThat(EtcdNvaConfig.fromUri("etcd://h:2379").nveName("n").build().prefix()).isEqualTo(KeyLayout.DEFAULT_PREFIX);
    }

    @Test
    void a_malformed_uri_or_value_is_refused_with_what_is_wrong() {
        for (String bad : new String[] {"http://h:1", "etcd://", "etcd://h", "etcd://h:0", "etcd://h:65536", "etcd://h:1,", "etcd://h:x",
            "etcd://[zz]:1", "etcd://h:1/", "etcd://h:1/a//b", "etcd://h h:1"}) {
            assertThatThrownBy(() -> EtcdNvaConfig.fromUri(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        EtcdNvaConfig.Builder b = EtcdNvaConfig.fromUri("etcd://h:1");
        assertThatThrownBy(() -> b.leaseTtl(Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.leaseTtl(Duration.ofMillis(2500))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.nveName(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.allocatedVnis(5, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(b::build).isInstanceOf(NullPointerException.class).hasMessageContaining("NVE name");
    }
}
