package org.splitnve.nnve;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.splitnve.nnve.nva.InMemoryNva;
import org.splitnve.nnve.nva.Nva;
import org.splitnve.nnve.nva.NvaView;
import org.splitnve.nnve.nva.TsiMapping;
import org.splitnve.nnve.nva.VnContext;
import org.splitnve.vdpcore.vdp.VnId;

/** An NVA whose VN context answers the test holds back or fails; mappings go to an {@link InMemoryNva}. */
final class ControlledNva implements Nva {

    final InMemoryNva store;
    volatile boolean hold;
    volatile RuntimeException failure;
    record Held(VnId vn, CompletableFuture<Optional<VnContext>> future) {
    }

    final List<Held> held = new CopyOnWriteArrayList<>();
    final List<VnId> asked = new CopyOnWriteArrayList<>();

    ControlledNva(InMemoryNva store) {
        this.store = store;
    }

    @Override
    public CompletionStage<Optional<VnContext>> vnContext(VnId vn) {
        asked.add(vn);
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        if (hold) {
            CompletableFuture<Optional<VnContext>> f = new CompletableFuture<>();
            held.add(new Held(vn, f));
            return f;
        }
        return store.vnContext(vn);
    }

    /** Answers every held lookup now. */
    void release() {
        for (Held h : held) {
            h.future().complete(store.context(h.vn()));
        }
        held.clear();
    }

    @Override
    public CompletionStage<Void> publish(TsiMapping mapping, NvaView view) {
        return store.publish(mapping, view);
    }

    @Override
    public CompletionStage<Void> withdraw(TsiMapping mapping, NvaView view) {
        return store.withdraw(mapping, view);
    }
}
