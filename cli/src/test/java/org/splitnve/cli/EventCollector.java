package org.splitnve.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Writer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** Standard output of a running command, parsed as JSON lines as they come. */
final class EventCollector extends Writer {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final StringBuilder partial = new StringBuilder();
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final List<String> other = new CopyOnWriteArrayList<>();

    @Override
    public synchronized void write(char[] buf, int off, int len) {
        for (int i = off; i < off + len; i++) {
            char c = buf[i];
            if (c == '\n') {
                String line = partial.toString();
                partial.setLength(0);
                try {
                    events.add(JSON.readTree(line));
                } catch (IOException e) {
                    other.add(line);
                }
            } else {
                partial.append(c);
            }
        }
        notifyAll();
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }

    List<JsonNode> events() {
        return List.copyOf(events);
    }

    List<String> otherLines() {
        return List.copyOf(other);
    }

    /** The first event matching, waiting up to {@code timeout} for it. */
    synchronized Optional<JsonNode> await(Duration timeout, Predicate<JsonNode> p) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (JsonNode n : events) {
                if (p.test(n)) {
                    return Optional.of(n);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    JsonNode require(Duration timeout, String what, Predicate<JsonNode> p) throws InterruptedException {
        return await(timeout, p).orElseThrow(() -> new AssertionError("no event " + what + " within " + timeout
                + "; events so far:\n" + String.join("\n", events.stream().map(JsonNode::toString).toList())));
    }

    static Predicate<JsonNode> is(String event, String key, String value) {
        return n -> event.equals(n.path("event").asText()) && value.equals(n.path(key).asText());
    }
}
