package org.splitnve.nnve.nva;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.splitnve.vdpcore.vdp.VnId;

/**
 * The Network Virtualization Authority as the nNVE uses it. Asynchronous because a real NVA is
 * remote; the nNVE bounds every {@link #vnContext} by the port's resource wait and answers VDP
 * error 3 when it is late or fails. Stages may complete on any thread.
 */
public interface Nva {

    /** The context of a VN, or empty when the NVA does not know it (the request is answered error 5). */
    CompletionStage<Optional<VnContext>> vnContext(VnId vn);

    /** Adds a mapping to a view. */
    CompletionStage<Void> publish(TsiMapping mapping, NvaView view);

    /** Removes a mapping from a view. */
    CompletionStage<Void> withdraw(TsiMapping mapping, NvaView view);

    /**
     * Applies several publications and withdrawals in order: the nNVE hands over the changes of one VDPDU's requests
     * together, so that an NVA can apply them under one lock, in one transaction or one message. The stage fails if
     * any of them failed. By default each is published or withdrawn on its own, in order, and a change that throws
     * fails the stage without keeping the others from being tried.
     */
    default CompletionStage<Void> apply(List<NvaChange> changes) {
        CompletableFuture<?>[] each = new CompletableFuture<?>[changes.size()];
        for (int i = 0; i < each.length; i++) {
            NvaChange c = changes.get(i);
            try {
                CompletionStage<Void> s = c.published() ? publish(c.mapping(), c.view()) : withdraw(c.mapping(), c.view());
                each[i] = s == null ? CompletableFuture.failedFuture(new NullPointerException("the NVA returned no stage"))
                        : s.toCompletableFuture();
            } catch (RuntimeException e) {
                each[i] = CompletableFuture.failedFuture(e);
            }
        }
        return CompletableFuture.allOf(each);
    }
}
