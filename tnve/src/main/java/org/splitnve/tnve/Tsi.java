package org.splitnve.tnve;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VsiId;

/**
 * One VSI at the station across its bridges (one, or several in active-active mode): the state its last operation
 * reached, its {@link Binding} on each bridge, and the FIFO of API operations, one running at a time. Touched on the
 * protocol thread only.
 */
final class Tsi {
    TsiSpec spec;
    final boolean anchor;
    TsiState committed = TsiState.INIT;
    final Map<MacAddress, Binding> bindings = new LinkedHashMap<>();
    final ArrayDeque<Operation> ops = new ArrayDeque<>();
    Operation current;

    Tsi(TsiSpec spec, boolean anchor) {
        this.spec = spec;
        this.anchor = anchor;
    }

    VsiId id() {
        return spec.vsiId();
    }

    Binding binding(MacAddress bridge) {
        return bindings.computeIfAbsent(bridge, b -> new Binding(this, b));
    }
}
