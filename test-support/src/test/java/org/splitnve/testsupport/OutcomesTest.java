package org.splitnve.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class OutcomesTest {

    @Test
    void a_completed_future_gives_its_value() {
        assertThat(Outcomes.value(CompletableFuture.completedFuture("x"), "1 s")).isEqualTo("x");
    }

    @Test
    void a_pending_future_fails_with_how_long_it_was_given() {
        assertThatThrownBy(() -> Outcomes.value(new CompletableFuture<>(), "120 s of virtual time"))
                .isInstanceOf(AssertionError.class).hasMessage("future not done after 120 s of virtual time");
        assertThatThrownBy(() -> Outcomes.failure(new CompletableFuture<>(), "2 s"))
                .isInstanceOf(AssertionError.class).hasMessage("future not done after 2 s");
    }

    @Test
    void a_failed_future_asked_for_its_value_fails_with_the_failure_as_its_cause() {
        IOException cause = new IOException("gone");
        assertThatThrownBy(() -> Outcomes.value(CompletableFuture.failedFuture(cause), "1 s"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("gone").hasCause(cause);
    }

    @Test
    void a_failure_is_given_unwrapped_even_from_a_dependent_stage() {
        IOException cause = new IOException("gone");
        CompletableFuture<String> dependent = CompletableFuture.<String>failedFuture(cause).thenApply(s -> s + "!");
        assertThat(Outcomes.failure(dependent, "1 s")).isSameAs(cause);
    }

    @Test
    void a_future_with_a_value_asked_for_its_failure_fails_naming_the_value() {
        assertThatThrownBy(() -> Outcomes.failure(CompletableFuture.completedFuture(7), "1 s"))
                .isInstanceOf(AssertionError.class).hasMessage("expected a failure, got 7");
    }
}
