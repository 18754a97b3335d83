package org.splitnve.nvaetcd;

/**
 * What the watch and the writer ask of the session they serve: whether it is up, its lease, and how to take it down.
 * An interface so that {@link WatchFeed} and {@link PublicationWriter} can be tested without etcd; in the NVA it is
 * the {@link Session}. Called on the NVA's thread only.
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
}
