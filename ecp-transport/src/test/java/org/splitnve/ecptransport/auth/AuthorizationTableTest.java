package org.splitnve.ecptransport.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.splitnve.ecptransport.auth.AuthorizationEvent.Reason;
import org.splitnve.ecptransport.auth.AuthorizationEvent.State;
import org.splitnve.vdpcore.MacAddress;

/** The table the sources feed: only real changes are told, in order, bounded, and a broken listener harms no one. */
class AuthorizationTableTest {

    static final MacAddress A = MacAddress.valueOf("02:00:00:00:00:0a");
    static final MacAddress B = MacAddress.valueOf("02:00:00:00:00:0b");

    private final AuthorizationTable table = new AuthorizationTable("p1", 2);
    private final AuthorizationRecorder events = new AuthorizationRecorder();

    AuthorizationTableTest() {
        table.addListener(events);
    }

    @Test
    void authorizing_twice_or_unauthorizing_a_stranger_tells_nobody() {
        assertThat(table.authorize(A, "hv1", Reason.AUTHENTICATED, "x")).isTrue();
        assertThat(table.authorize(A, "hv1", Reason.FOUND_AUTHORIZED, "again")).isFalse();
        assertThat(table.unauthorize(B, Reason.LOGOFF, "never was")).isFalse();
        assertThat(events.all()).hasSize(1);
    }

    @Test
    void past_its_limit_a_station_stays_unauthorized_and_is_counted() {
        table.authorize(A, "a", Reason.AUTHENTICATED, "x");
        table.authorize(B, "b", Reason.AUTHENTICATED, "x");
        MacAddress c = MacAddress.valueOf("02:00:00:00:00:0c");
        assertThat(table.authorize(c, "c", Reason.AUTHENTICATED, "x")).isFalse();
        assertThat(table.isAuthorized(c)).isFalse();
        assertThat(table.overLimit()).isEqualTo(1);
    }

    @Test
    void a_full_read_unauthorizes_the_missing_before_it_authorizes_the_new() {
        table.authorize(A, "a", Reason.AUTHENTICATED, "x");
        table.authorize(B, "b", Reason.AUTHENTICATED, "x");
        MacAddress c = MacAddress.valueOf("02:00:00:00:00:0c");
        events.clear();
        table.replaceAll(Map.of(B, "b", c, "c"), Reason.NOT_FOUND_AUTHORIZED, "read");
        assertThat(events.all()).extracting(AuthorizationEvent::station, AuthorizationEvent::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(A, State.UNAUTHORIZED),
                        org.assertj.core.groups.Tuple.tuple(c, State.AUTHORIZED));
    }

    @Test
    void a_listener_that_throws_keeps_the_event_from_no_one_else() {
        table.addListener(e -> {
            throw new IllegalStateException("broken listener");
        });
        AuthorizationRecorder after = new AuthorizationRecorder();
        table.addListener(after);
        table.authorize(A, "a", Reason.AUTHENTICATED, "x");
        assertThat(after.all()).hasSize(1);
        assertThat(table.isAuthorized(A)).isTrue();
    }

    @Test
    void closing_ends_no_authorization_and_tells_nothing_more() {
        table.authorize(A, "a", Reason.AUTHENTICATED, "x");
        table.close();
        assertThat(table.unauthorize(A, Reason.LOGOFF, "after close")).isFalse();
        assertThat(table.isAuthorized(A)).isTrue();
        assertThat(events.all()).hasSize(1);
    }

    @Test
    void a_lost_source_is_told_once_and_keeps_what_is_authorized() {
        table.authorize(A, "a", Reason.AUTHENTICATED, "x");
        table.sourceLost("gone");
        table.sourceLost("still gone");
        assertThat(events.sources()).hasSize(1);
        assertThat(table.attached()).isFalse();
        assertThat(table.isAuthorized(A)).isTrue();
        table.sourceAttached("back");
        assertThat(table.attached()).isTrue();
    }
}
