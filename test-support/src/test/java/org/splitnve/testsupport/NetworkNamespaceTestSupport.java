package org.splitnve.testsupport;

import java.time.Duration;
import java.util.List;

/** The namespaces on the machine, and those of this JVM, to check that a test leaves none of its own behind. */
final class NetworkNamespaceTestSupport {

    private NetworkNamespaceTestSupport() {
    }

    static List<String> namespaceNames() {
        // "ip netns list" prints "NAME" or "NAME (id: N)" per line.
        return Commands.exec(List.of(NetworkNamespace.ip(), "netns", "list"), Duration.ofSeconds(10)).lines()
                .map(l -> l.split(" ")[0])
                .filter(s -> !s.isBlank())
                .toList();
    }

    /**
     * The namespaces this JVM created and has not removed: the only ones its tests can leave behind. Others come and go
     * with other processes (a parallel build, another test run) while a test runs, and say nothing about it.
     */
    static List<String> ownNamespaceNames() {
        return namespaceNames().stream().filter(n -> n.startsWith(NetworkNamespace.ownPrefix())).toList();
    }
}
