package org.splitnve.nvaetcd;

/**
 * What the watch, the writer and the VN lookups ask of the session they serve: whether it is up, its lease, and how to
 * take it down. An interface so that {@link WatchFeed}, {@link PublicationWriter} and {@link VnContexts} can be tested
 * without etcd; in the NVA it is the {@link Session}. Called on the NVA's thread only, except {@link #isClosed}.
 */
interface SessionLink {

    /** True while a lease is held and the watch runs. */
    boolean up();

    /** The lease held now; 0 when none. */
    long lease();

    /** A failure while up: the session goes down and recovers. Ignored while not up (recovery is under way). */
    void fail(String why, Throwable e);

    /** etcd no longer knows lease {@code held}: every mapping under it is gone and is to be written under a new one. */
    void leaseLost(long held, String why);

    /** Where the session is, for messages. */
    default SessionState state() {
        return up() ? SessionState.UP : SessionState.CONNECTING;
    }

    /** Whether the NVA was closed: nothing is asked of etcd any more. Any thread. */
    default boolean isClosed() {
        return false;
    }
}
