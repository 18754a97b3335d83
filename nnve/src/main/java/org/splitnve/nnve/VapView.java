package org.splitnve.nnve;

import java.util.Objects;
import org.splitnve.nnve.nva.VnContext;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.VnId;

/**
 * A VAP as RFC 8394 Figure 5 draws it. Only connected VAPs exist on the nNVE; a disconnected VN
 * has no VAP object (its events still report the transition).
 *
 * @param associatedTsis Num_TSI_Associated: TSIs of the VN on the port, Associated or Activated
 */
public record VapView(String port, VnId vn, VapState state, LocalTag tag, int associatedTsis, VnContext context) {

    public VapView {
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(vn, "vn");
        Objects.requireNonNull(state, "state");
    }

    VapView withTsis(int n) {
        return new VapView(port, vn, state, tag, n, context);
    }
}
