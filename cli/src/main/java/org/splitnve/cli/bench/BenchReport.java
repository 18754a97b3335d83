package org.splitnve.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The bench's rows as a table for people and as one JSON object, keyed by measurement name, for programs. */
public final class BenchReport {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String[] HEADINGS = {"measurement", "value", "unit", "detail"};

    private final List<Measurement> rows;

    public BenchReport(List<Measurement> rows) {
        this.rows = List.copyOf(rows);
    }

    public List<Measurement> rows() {
        return rows;
    }

    /** Whether a measurement that ran failed. */
    public boolean anyFailed() {
        return rows.stream().anyMatch(r -> r.status() == Measurement.Status.FAILED);
    }

    /** Columns padded to their widest cell; the detail column is last and not padded. */
    public String table() {
        List<String[]> cells = new ArrayList<>();
        cells.add(HEADINGS);
        for (Measurement m : rows) {
            cells.add(new String[] {m.name(), value(m), m.unit(), detail(m)});
        }
        int[] width = new int[HEADINGS.length];
        for (String[] row : cells) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] row : cells) {
            sb.append(String.format(Locale.ROOT, "%-" + width[0] + "s  %" + width[1] + "s  %-" + width[2] + "s  %s",
                    row[0], row[1], row[2], row[3]).stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    /**
     * {@code {"associations-ours": {"name": ..., "value": ..., "unit": ..., "status": "ok", ...}, ...}}; a row that
     * did not run has a null value, {@code "status": "not run"} (or {@code "failed"}) and a {@code "reason"}.
     */
    public ObjectNode json() {
        ObjectNode root = JSON.createObjectNode();
        for (Measurement m : rows) {
            ObjectNode n = root.putObject(m.name());
            n.put("name", m.name());
            if (m.status() == Measurement.Status.OK) {
                n.put("value", m.value());
            } else {
                n.putNull("value");
            }
            n.put("unit", m.unit());
            for (Map.Entry<String, Number> f : m.figures().entrySet()) {
                Number v = f.getValue();
                if (v instanceof Double || v instanceof Float) {
                    n.put(f.getKey(), v.doubleValue());
                } else {
                    n.put(f.getKey(), v.longValue());
                }
            }
            if (m.detail() != null) {
                n.put("detail", m.detail());
            }
            n.put("status", m.status().text());
            if (m.reason() != null) {
                n.put("reason", m.reason());
            }
        }
        return root;
    }

    public void writeJson(Writer w) throws IOException {
        w.write(JSON.writeValueAsString(json()));
        w.write('\n');
        w.flush();
    }

    private static String value(Measurement m) {
        return m.status() == Measurement.Status.OK ? number(m.value()) : "-";
    }

    private static String detail(Measurement m) {
        return switch (m.status()) {
            case OK -> m.detail() == null ? "" : m.detail();
            case NOT_RUN -> "not run: " + m.reason();
            case FAILED -> "FAILED: " + m.reason();
        };
    }

    /** Three significant digits or more, grouped: 1,234,567 and 52.1 and 0.412. */
    public static String number(double v) {
        double a = Math.abs(v);
        if (a >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
