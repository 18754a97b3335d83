package org.splitnve.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NamespacePairTest {

    @Test
    void closing_stops_what_was_tracked_last_first_then_removes_both_namespaces_even_when_a_close_fails() {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("ip");
        List<String> closed = new ArrayList<>();
        NamespacePair pair = NamespacePair.create("np-a", "02:00:00:00:0e:01", "np-b", "02:00:00:00:0e:02");
        String a = pair.a().name();
        String b = pair.b().name();
        assertThat(pair.a().exec("ip", "-o", "link", "show", "dev", pair.ifA())).contains("02:00:00:00:0e:01");
        pair.track(() -> closed.add("first"));
        pair.track(() -> {
            closed.add("failing");
            throw new IllegalStateException("will not close");
        });
        pair.track(() -> closed.add("last"));

        pair.close();
        pair.close();

        assertThat(closed).containsExactly("last", "failing", "first");
        assertThat(pair.isClosed()).isTrue();
        assertThatThrownBy(() -> pair.track(() -> closed.add("too late"))).isInstanceOf(IllegalStateException.class);
        assertThat(closed).endsWith("too late");
        assertThat(NetworkNamespace.exists(a)).isFalse();
        assertThat(NetworkNamespace.exists(b)).isFalse();
    }

    @Test
    void a_closer_closes_everything_once_in_reverse_order() {
        List<Integer> closed = new ArrayList<>();
        Closer closer = new Closer();
        for (int i = 0; i < 3; i++) {
            int n = i;
            closer.track(() -> closed.add(n));
        }
        closer.close();
        closer.close();
        assertThat(closed).containsExactly(2, 1, 0);
    }

    @Test
    void host_checks_say_in_one_sentence_which_commands_are_missing() {
        assertThat(HostChecks.commands("sh")).isEmpty();
        assertThat(HostChecks.commands("sh", "no-such-command-here")).hasValueSatisfying(
                s -> assertThat(s).startsWith("command(s) not found: no-such-command-here"));
    }
}
