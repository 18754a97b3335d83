package org.splitnve.cli.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One row of the bench: a figure that was measured, or why it was not.
 *
 * @param name    stable key, the same in the table and in JSON
 * @param unit    of {@link #value}
 * @param status  whether it ran and succeeded
 * @param value   the figure (meaningful only when {@link Status#OK})
 * @param detail  what was measured and how, with the figures behind the value
 * @param figures further numbers for JSON (p50 and p99 among them where a distribution was measured)
 * @param reason  why it did not run or failed; null when OK
 */
public record Measurement(String name, String unit, Status status, double value, String detail,
                          Map<String, Number> figures, String reason) {

    /** What happened to a row. */
    public enum Status {
        OK("ok"), NOT_RUN("not run"), FAILED("failed");

        private final String text;

        Status(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    public Measurement {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(status, "status");
        figures = Collections.unmodifiableMap(new LinkedHashMap<>(figures));
    }

    public static Measurement ok(String name, double value, String unit, String detail, Map<String, Number> figures) {
        return new Measurement(name, unit, Status.OK, value, detail, figures, null);
    }

    public static Measurement notRun(String name, String unit, String reason) {
        return new Measurement(name, unit, Status.NOT_RUN, Double.NaN, null, Map.of(), reason);
    }

    public static Measurement failed(String name, String unit, String reason) {
        return new Measurement(name, unit, Status.FAILED, Double.NaN, null, Map.of(), reason);
    }
}
