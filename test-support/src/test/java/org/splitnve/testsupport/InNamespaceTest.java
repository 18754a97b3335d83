package org.splitnve.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InNamespaceTest {

    @BeforeEach
    void prerequisites() {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("ip", "sysctl");
    }

    @Test
    void theTaskRunsInTheNamespaceAndTheCallerStaysWhereItWas() throws Exception {
        long before = InNamespace.currentNamespaceInode();
        try (NetworkNamespace ns = NetworkNamespace.create()) {
            long inside = InNamespace.call(ns, InNamespace::currentNamespaceInode);

            assertThat(inside).isEqualTo(InNamespace.inodeOf(ns)).isNotEqualTo(before);
            assertThat(InNamespace.currentNamespaceInode()).isEqualTo(before);
        }
    }

    @Test
    void threadsStartedInsideInheritTheNamespace() throws Exception {
        try (NetworkNamespace ns = NetworkNamespace.create()) {
            AtomicLong child = new AtomicLong();
            InNamespace.run(ns, () -> {
                Thread t = new Thread(() -> child.set(InNamespace.currentNamespaceInode()));
                t.start();
                t.join();
            });
            assertThat(child.get()).isEqualTo(InNamespace.inodeOf(ns));
        }
    }

    @Test
    void aSocketOpenedInsideStaysInTheNamespaceWhenUsedFromOutside() throws Exception {
        try (NetworkNamespace ns = NetworkNamespace.create()) {
            ns.exec("ip", "link", "set", "lo", "up");
            // Bound inside, then accepted on the test's own thread in the machine's namespace.
            try (ServerSocket server = InNamespace.call(ns, () -> {
                ServerSocket s = new ServerSocket();
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                return s;
            })) {
                int port = server.getLocalPort();
                Thread client = new Thread(() -> {
                    try {
                        InNamespace.run(ns, () -> {
                            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
                                    OutputStream out = s.getOutputStream()) {
                                out.write(42);
                            }
                        });
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                client.start();
                server.setSoTimeout(10_000);
                try (Socket accepted = server.accept(); InputStream in = accepted.getInputStream()) {
                    assertThat(in.read()).isEqualTo(42);
                }
                client.join(10_000);
            }
        }
    }

    @Test
    void exceptionsOfTheTaskAreRethrownAsTheyAre() {
        try (NetworkNamespace ns = NetworkNamespace.create()) {
            assertThatThrownBy(() -> InNamespace.call(ns, () -> {
                throw new IOException("from inside");
            })).isInstanceOf(IOException.class).hasMessage("from inside");
        }
    }

    @Test
    void anUnknownNamespaceIsAClearError() {
        assertThatThrownBy(() -> InNamespace.call("snv-no-such-ns", () -> 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("snv-no-such-ns")
                .hasMessageContaining("no such network namespace");
        assertThatThrownBy(() -> InNamespace.call("../etc", () -> 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
