package org.splitnve.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NetworkNamespaceTest {

    @BeforeEach
    void prerequisites() {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("ip", "sh", "sleep", "sysctl");
    }

    @Test
    void namesAreShortPrefixedAndDistinct() {
        String a = NetworkNamespace.newName();
        String b = NetworkNamespace.newName();
        assertThat(a).startsWith(NetworkNamespace.NAME_PREFIX).hasSizeLessThanOrEqualTo(15).matches("[a-z0-9-]+");
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void commandsRunInsideTheNamespace() {
        try (NetworkNamespace ns = NetworkNamespace.create()) {
            assertThat(NetworkNamespace.exists(ns.name())).isTrue();
            // A fresh namespace has nothing but its loopback interface.
            assertThat(ns.exec("ip", "-o", "link", "show").lines()).singleElement().asString().contains("lo:");
        }
    }

    @Test
    void failingCommandThrowsWithItsStandardError() {
        try (NetworkNamespace ns = NetworkNamespace.create()) {
            assertThatThrownBy(() -> ns.exec("sh", "-c", "echo out; echo boom >&2; exit 3"))
                    .isInstanceOf(CommandException.class)
                    .hasMessageContaining("exit status 3")
                    .hasMessageContaining("boom")
                    .satisfies(e -> assertThat(((CommandException) e).result().stdout()).isEqualTo("out\n"));
            assertThat(ns.run(Duration.ofSeconds(5), "sh", "-c", "exit 4").exitCode()).isEqualTo(4);
        }
    }

    @Test
    void overrunningCommandIsStoppedAndReported() {
        try (NetworkNamespace ns = NetworkNamespace.create()) {
            assertThatThrownBy(() -> ns.exec(Duration.ofMillis(300), "sleep", "30"))
                    .isInstanceOf(CommandException.class)
                    .hasMessageContaining("did not finish");
        }
    }

    @Test
    void closeStopsStartedProcessesAndDeletesTheNamespace() {
        NetworkNamespace ns = NetworkNamespace.create();
        String name = ns.name();
        Process plain = ns.start("sleep", "600");
        // Ignores SIGTERM (the ignored disposition survives exec), so close must escalate to SIGKILL.
        Process stubborn = ns.start("sh", "-c", "trap '' TERM; exec sleep 600");
        // A grandchild: only reachable as a descendant of the process that was started.
        Process parent = ns.start("sh", "-c", "sleep 600 & wait");
        awaitChild(parent);
        List<ProcessHandle> grandchildren = parent.descendants().toList();
        assertThat(ns.pids()).contains(plain.pid(), stubborn.pid(), parent.pid());

        ns.close();

        assertThat(NetworkNamespace.exists(name)).isFalse();
        assertThat(Commands.exec(List.of(NetworkNamespace.ip(), "netns", "list"), Duration.ofSeconds(5)))
                .doesNotContain(name);
        assertThat(plain.isAlive()).isFalse();
        assertThat(stubborn.isAlive()).isFalse();
        assertThat(parent.isAlive()).isFalse();
        assertThat(grandchildren).isNotEmpty().noneMatch(Processes::isRunning);
        ns.close(); // idempotent
        assertThatThrownBy(() -> ns.exec("true")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void strayProcessesInTheNamespaceAreStoppedToo() {
        NetworkNamespace ns = NetworkNamespace.create();
        // setsid in the background: the process detaches and is no descendant of anything the namespace started.
        ns.exec("sh", "-c", "setsid sleep 600 > /dev/null 2>&1 < /dev/null &");
        List<Long> stray = ns.pids();
        assertThat(stray).isNotEmpty();
        ns.close();
        assertThat(stray).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).filter(Processes::isRunning)).isEmpty());
        assertThat(NetworkNamespace.exists(ns.name())).isFalse();
    }

    @Test
    void ipv6CanBeDisabled() {
        try (NetworkNamespace ns = NetworkNamespace.create()) {
            ns.disableIpv6();
            assertThat(ns.exec("sysctl", "-n", "net.ipv6.conf.all.disable_ipv6").strip()).isEqualTo("1");
            assertThat(ns.exec("sysctl", "-n", "net.ipv6.conf.default.disable_ipv6").strip()).isEqualTo("1");
        }
    }

    private static void awaitChild(Process parent) {
        Poll.until(Duration.ofSeconds(5), Duration.ofMillis(20),
                () -> parent.descendants().findAny().map(p -> true));
    }

    /**
     * What a test compares before and after, to see that it left no namespace behind, must not move when another
     * process creates or removes one meanwhile (LldpadScenariosTest compared every namespace on the machine and failed
     * when a parallel build made one).
     */
    @Test
    void aNamespaceAnotherProcessMakesMeanwhileIsNotAmongThisJvmsOwn() {
        List<String> before = NetworkNamespaceTestSupport.ownNamespaceNames();
        String foreign = "snv-zzzz" + Long.toString(System.nanoTime() % 100_000, 36);
        Commands.exec(List.of(NetworkNamespace.ip(), "netns", "add", foreign), Duration.ofSeconds(10));
        try {
            assertThat(NetworkNamespaceTestSupport.ownNamespaceNames()).containsExactlyInAnyOrderElementsOf(before);
            try (NetworkNamespace mine = NetworkNamespace.create()) {
                assertThat(NetworkNamespaceTestSupport.ownNamespaceNames()).contains(mine.name());
            }
        } finally {
            Commands.exec(List.of(NetworkNamespace.ip(), "netns", "del", foreign), Duration.ofSeconds(10));
        }
    }
}
