package org.splitnve.nnve.nva;

import java.util.Map;

/**
 * An NVA whose views can be followed, which is what the data plane's directory needs to learn where remote TSIs
 * live and which NVEs make up each VN's flood list (RFC 8394 3.2). {@link InMemoryNva} is one, the etcd NVA of the
 * {@code nva-etcd} module another: the data plane works with whichever it is given.
 */
public interface ObservableNva extends Nva {

    /**
     * Registers {@code listener} and returns, at the same instant, what {@code view} holds: each mapping with its
     * number of holders, in the order the NVA learned them (oldest first). From then on the listener hears every
     * change of every view exactly once, in the order the NVA applied them; nothing in the returned map is told again.
     * Listeners are called on the NVA's own thread and must not block long.
     */
    Map<TsiMapping, Integer> follow(NvaView view, NvaListener listener);

    /** Stops telling {@code listener}; false if it was not following. */
    boolean unfollow(NvaListener listener);

    /** Every mapping of a view with its holder count, as far as this NVA knows now. */
    Map<TsiMapping, Integer> counts(NvaView view);
}
