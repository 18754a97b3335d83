package org.splitnve.testsupport;

import java.time.Duration;
import java.util.List;

/** The namespaces on the machine, to check that a test leaves none of its own behind. */
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
}
