package org.splitnve.cli;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.splitnve.nnve.nva.InMemoryNva;
import org.splitnve.nnve.nva.NvaChange;
import org.splitnve.nnve.nva.NvaListener;
import org.splitnve.nnve.nva.NvaView;
import org.splitnve.nnve.nva.ObservableNva;
import org.splitnve.nnve.nva.TsiMapping;
import org.splitnve.nnve.nva.VnContext;
import org.splitnve.vdpcore.vdp.VnId;

/**
 * The NVA of {@code splitnve bridge}: the in-memory NVA with the VNs given by {@code --vn}, or,
 * when none are given, one that knows every VN a station asks for (a lab switch without an NVA),
 * naming it {@code vn-<ID>}. Such a VN is made up for each lookup and never stored, so that the
 * VNs stations ask for, refused or not, leave nothing behind here.
 */
final class CommandLineNva implements ObservableNva {

    private final InMemoryNva nva = new InMemoryNva();
    private final boolean open;

    CommandLineNva(List<VnContext> vns) {
        vns.forEach(nva::define);
        this.open = vns.isEmpty();
    }

    /** {@code 5001} or {@code 5001=tenant-a}. */
    static VnContext parse(String text) {
        int eq = text.indexOf('=');
        String id = eq < 0 ? text : text.substring(0, eq);
        if (!id.matches("\\d{1,8}")) {
            throw new IllegalArgumentException("--vn is ID or ID=NAME with ID 1..16777215, not '" + text + "'");
        }
        VnId vn = VnId.of(Integer.parseInt(id));
        return new VnContext(vn, eq < 0 ? "vn-" + vn.value() : text.substring(eq + 1));
    }

    @Override
    public Map<TsiMapping, Integer> follow(NvaView view, NvaListener listener) {
        return nva.follow(view, listener);
    }

    @Override
    public boolean unfollow(NvaListener listener) {
        return nva.unfollow(listener);
    }

    @Override
    public Map<TsiMapping, Integer> counts(NvaView view) {
        return nva.counts(view);
    }

    boolean open() {
        return open;
    }

    @Override
    public CompletionStage<Optional<VnContext>> vnContext(VnId vn) {
        if (open) {
            return CompletableFuture.completedFuture(Optional.of(new VnContext(vn, "vn-" + vn.value())));
        }
        return nva.vnContext(vn);
    }

    /** VNs this NVA keeps (those of {@code --vn}): a station's asking adds none. */
    int vns() {
        return nva.vns();
    }

    @Override
    public CompletionStage<Void> publish(TsiMapping mapping, NvaView view) {
        return nva.publish(mapping, view);
    }

    @Override
    public CompletionStage<Void> apply(List<NvaChange> changes) {
        return nva.apply(changes);
    }

    @Override
    public CompletionStage<Void> withdraw(TsiMapping mapping, NvaView view) {
        return nva.withdraw(mapping, view);
    }
}
