package org.splitnve.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EtcdServerTest {

    private static boolean accepts(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getByName(host), port), 500);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void a_server_on_loopback_stops_and_starts_again_on_the_same_port_by_its_pid_and_leaves_nothing_behind() {
        Prerequisites.requireCommand("etcd");
        long firstPid;
        EtcdServer etcd = EtcdServer.onLoopback();
        try {
            assertThat(etcd.endpoints()).singleElement().asString().startsWith("http://127.0.0.1:");
            assertThat(etcd.hostPorts()).isEqualTo("127.0.0.1:" + etcd.clientPort());
            firstPid = etcd.pid();
            assertThat(accepts("127.0.0.1", etcd.clientPort())).isTrue();
            etcd.kill();
            assertThat(etcd.isRunning()).isFalse();
            assertThat(ProcessHandle.of(firstPid).map(Processes::isRunning)).isIn(Optional.empty(), Optional.of(false));
            etcd.start();
            assertThat(etcd.pid()).isNotEqualTo(firstPid);
            assertThat(accepts("127.0.0.1", etcd.clientPort())).isTrue();
            etcd.restart();
            assertThat(etcd.isRunning()).isTrue();
        } finally {
            etcd.close();
        }
        assertThat(etcd.isRunning()).isFalse();
        assertThat(etcd.log()).isEmpty();
    }

    @Test
    void a_server_in_a_namespace_serves_on_every_address_given_there() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("etcd", "ip");
        try (NetworkNamespace ns = NetworkNamespace.create()) {
            ns.exec("ip", "link", "set", "lo", "up");
            ns.exec("ip", "addr", "add", "192.0.2.9/32", "dev", "lo");
            try (EtcdServer etcd = EtcdServer.inNamespace(ns, "127.0.0.1", "192.0.2.9")) {
                assertThat(etcd.hostPorts()).isEqualTo("127.0.0.1:2379,192.0.2.9:2379");
                assertThat(InNamespace.call(ns, () -> accepts("192.0.2.9", 2379))).isTrue();
                etcd.restart();
                assertThat(InNamespace.call(ns, () -> accepts("127.0.0.1", 2379))).isTrue();
            }
        }
    }
}
