package org.splitnve.ecptransport.auth;

/**
 * Hears a {@link PortAuthorization} change, on the source's own thread and in the order the changes happened. Must
 * not block: hand the event to your own thread. An exception thrown here is logged and does not reach the source.
 */
public interface PortAuthorizationListener {

    void onAuthorization(AuthorizationEvent e);

    /** The source was attached or lost. */
    default void onSource(AuthorizationSourceEvent e) {
    }
}
