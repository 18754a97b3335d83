package org.splitnve.nnve.nva;

import java.util.Optional;
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
}
