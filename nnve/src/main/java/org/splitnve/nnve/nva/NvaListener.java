package org.splitnve.nnve.nva;

import java.util.List;

/** Changes of an {@link ObservableNva}'s views, on the thread that made them. */
public interface NvaListener {

    default void onPublished(TsiMapping mapping, NvaView view) {
    }

    default void onWithdrawn(TsiMapping mapping, NvaView view) {
    }

    /**
     * Several changes applied together (a watch response of a remote NVA, a resynchronisation), in order. A listener
     * that rebuilds a table per change overrides this to rebuild once; by default each change is told on its own.
     */
    default void onChanges(List<NvaChange> changes) {
        for (NvaChange c : changes) {
            if (c.published()) {
                onPublished(c.mapping(), c.view());
            } else {
                onWithdrawn(c.mapping(), c.view());
            }
        }
    }
}
