package org.splitnve.ecptransport.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;
import org.splitnve.ecptransport.testing.RecordingLogger;

class RateLimitedLogTest {

    private final AtomicLong now = new AtomicLong(5_000_000_000L);
    private final RecordingLogger logger = new RecordingLogger(false);
    private final RateLimitedLog log = new RateLimitedLog(logger, "ecp eth1", 3, now::get);

    @Test
    void a_flood_of_one_reason_is_counted_in_full_but_written_a_few_times_a_second() {
        for (int i = 0; i < 10_000; i++) {
            log.warn("malformed ECPDU", "ecp eth1: malformed ECPDU #{}", i);
        }
        assertThat(log.count("malformed ECPDU")).isEqualTo(10_000);
        assertThat(logger.lines()).hasSize(3);
        assertThat(logger.lines()).extracting(RecordingLogger.Line::text)
                .containsExactly("ecp eth1: malformed ECPDU #0", "ecp eth1: malformed ECPDU #1", "ecp eth1: malformed ECPDU #2");
    }

    @Test
    void the_first_line_of_the_next_second_says_how_many_were_left_out() {
        for (int i = 0; i < 10; i++) {
            log.warn("refused", "refused #{}", i);
        }
        now.addAndGet(1_000_000_000L);
        log.warn("refused", "refused #{}", 10);
        List<RecordingLogger.Line> lines = logger.lines();
        assertThat(lines).hasSize(5);
        assertThat(lines.get(3).text()).isEqualTo("ecp eth1: 7 more lines of 'refused' left out over 1000 ms (11 in all)");
        assertThat(lines.get(4).text()).isEqualTo("refused #10");
    }

    @Test
    void reasons_have_allowances_of_their_own() {
        for (int i = 0; i < 10; i++) {
            log.warn("a", "a {}", i);
            log.info("b", "b {}", i);
        }
        assertThat(logger.lines()).extracting(RecordingLogger.Line::level)
                .containsExactly(Level.WARN, Level.INFO, Level.WARN, Level.INFO, Level.WARN, Level.INFO);
        assertThat(log.counts()).containsEntry("a", 10L).containsEntry("b", 10L);
    }

    @Test
    void flush_reports_what_was_left_out_and_keeps_the_counts() {
        for (int i = 0; i < 5; i++) {
            log.warn("full", "table full");
        }
        now.addAndGet(250_000_000L);
        log.flush();
        assertThat(logger.lines()).last().extracting(RecordingLogger.Line::text)
                .isEqualTo("ecp eth1: 2 more lines of 'full' left out over 250 ms (5 in all)");
        log.flush();
        assertThat(logger.lines()).hasSize(4);
        assertThat(log.count("full")).isEqualTo(5);
    }

    @Test
    void a_throwable_of_bad_input_is_written_as_its_text_without_a_stack_trace() {
        log.warn("bad", "bad frame from {}: {}", "02:00:00:00:00:01", new IllegalArgumentException("length 3"));
        RecordingLogger.Line line = logger.lines().get(0);
        assertThat(line.thrown()).isNull();
        assertThat(line.text()).isEqualTo("bad frame from 02:00:00:00:00:01: java.lang.IllegalArgumentException: length 3");
    }
}
