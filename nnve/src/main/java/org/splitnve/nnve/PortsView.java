package org.splitnve.nnve;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VnId;

/** What the data plane reads of an {@link Nnve}: tags and VNs of its ports, the Activated TSIs, and its changes. */
final class PortsView implements DataPlaneView {

    private final Map<String, NnvePort> ports;
    private final Supplier<List<TsiView>> tsis;
    private final NnveListeners listeners;

    PortsView(Map<String, NnvePort> ports, Supplier<List<TsiView>> tsis, NnveListeners listeners) {
        this.ports = ports;
        this.tsis = tsis;
        this.listeners = listeners;
    }

    @Override
    public Optional<VnId> vnOfTag(String port, LocalTag tag) {
        NnvePort p = ports.get(port);
        return p == null ? Optional.empty() : Optional.ofNullable(p.vapTable().vnOfTag(tag.vid()));
    }

    @Override
    public Optional<LocalTag> tagOfVn(String port, VnId vn) {
        NnvePort p = ports.get(port);
        VapView vap = p == null ? null : p.vapTable().get(vn);
        return vap == null ? Optional.empty() : Optional.of(vap.tag());
    }

    @Override
    public List<TsiView> activeTsis() {
        List<TsiView> out = new ArrayList<>();
        for (TsiView v : tsis.get()) {
            if (v.state() == TsiState.ACTIVATED) {
                out.add(v);
            }
        }
        return out;
    }

    @Override
    public void addListener(DataPlaneListener listener) {
        listeners.addDataPlane(listener);
    }
}
