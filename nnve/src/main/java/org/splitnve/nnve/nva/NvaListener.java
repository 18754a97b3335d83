package org.splitnve.nnve.nva;

/** Changes of an {@link InMemoryNva}'s views, on the thread that made them. */
public interface NvaListener {

    default void onPublished(TsiMapping mapping, NvaView view) {
    }

    default void onWithdrawn(TsiMapping mapping, NvaView view) {
    }
}
