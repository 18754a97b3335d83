package org.splitnve.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * {@code --events -}: one JSON object per line for every state change and response, so scripts
 * and tests can follow a running bridge or station. Every line has {@code event} and
 * {@code time}; the rest depends on the event. Lines are written whole and flushed at once, from
 * whichever thread reports.
 */
final class EventLog {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintWriter out;
    private final boolean enabled;

    EventLog(PrintWriter out, boolean enabled) {
        this.out = out;
        this.enabled = enabled;
    }

    boolean enabled() {
        return enabled;
    }

    /** Writes one event built by {@code fill} onto an object that already has {@code event} and {@code time}. */
    void emit(String event, Consumer<ObjectNode> fill) {
        if (!enabled) {
            return;
        }
        ObjectNode n = JSON.createObjectNode();
        n.put("event", event);
        n.put("time", Instant.now().toString());
        fill.accept(n);
        String line;
        try {
            line = JSON.writeValueAsString(n);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            line = "{\"event\":\"error\",\"error\":\"" + e.getOriginalMessage().replace('"', '\'') + "\"}";
        }
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}
