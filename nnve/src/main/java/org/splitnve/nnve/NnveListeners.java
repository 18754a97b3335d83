package org.splitnve.nnve;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The observers of an {@link Nnve}: its listeners and the data planes that follow it. An observer that throws is counted
 * and logged, and the others still hear: no observer can break the nNVE's state machines.
 */
final class NnveListeners {

    private static final Logger LOG = LoggerFactory.getLogger(Nnve.class);

    private final List<NnveListener> listeners = new CopyOnWriteArrayList<>();
    private final List<DataPlaneListener> dataPlanes = new CopyOnWriteArrayList<>();
    private final Counters counters;

    NnveListeners(Counters counters) {
        this.counters = counters;
    }

    void add(NnveListener l) {
        listeners.add(Objects.requireNonNull(l));
    }

    void addDataPlane(DataPlaneListener l) {
        dataPlanes.add(Objects.requireNonNull(l));
    }

    void publish(Consumer<NnveListener> call) {
        for (NnveListener l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                counters.listenerFailures.incrementAndGet();
                LOG.error("nnve: listener {} failed", l, e);
            }
        }
    }

    void publishToDataPlane(Consumer<DataPlaneListener> call) {
        for (DataPlaneListener l : dataPlanes) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                counters.listenerFailures.incrementAndGet();
                LOG.error("nnve: data plane listener {} failed", l, e);
            }
        }
    }
}
