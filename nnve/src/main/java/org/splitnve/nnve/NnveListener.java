package org.splitnve.nnve;

/**
 * Observes an {@link Nnve}, on its protocol thread. An exception thrown here is caught and logged:
 * an observer cannot break the state machines. Do not block.
 */
public interface NnveListener {

    default void onVap(VapEvent e) {
    }

    default void onTsi(TsiEvent e) {
    }

    default void onResponse(ResponseEvent e) {
    }

    default void onRefused(RefusalEvent e) {
    }
}
