package org.splitnve.tnve;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The tNVE's listeners; one that throws is logged and does not keep the event from the others. */
final class Listeners {

    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

    private final List<TnveListener> all = new CopyOnWriteArrayList<>();

    void add(TnveListener l) {
        all.add(Objects.requireNonNull(l, "listener"));
    }

    void remove(TnveListener l) {
        all.remove(l);
    }

    void fire(Consumer<TnveListener> event) {
        for (TnveListener l : all) {
            try {
                event.accept(l);
            } catch (RuntimeException e) {
                LOG.error("tnve listener {} failed; the station goes on", l, e);
            }
        }
    }
}
