package org.splitnve.conformance;

import java.util.Objects;

/**
 * One conformance check: a name, a sentence saying what the peer must do, and the procedure.
 * Procedures run one after another on the suite's thread and share the {@link Probe}.
 */
public record Check(String id, String title, Procedure procedure) {

    public Check {
        Objects.requireNonNull(id);
        Objects.requireNonNull(title);
        Objects.requireNonNull(procedure);
        if (!id.matches("[a-z]+\\.[a-z0-9.-]+")) {
            throw new IllegalArgumentException("check id is group.name in lower case: " + id);
        }
    }

    public String group() {
        return id.substring(0, id.indexOf('.'));
    }

    /** Runs a check against the peer through the probe. */
    @FunctionalInterface
    public interface Procedure {
        Outcome run(Probe probe) throws Exception;
    }
}
