package org.splitnve.nnve;

import java.util.List;
import java.util.Objects;
import org.splitnve.nnve.nva.VnContext;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.VnId;

/**
 * A VAP as RFC 8394 Figure 5 draws it. Only connected VAPs exist on the nNVE; a disconnected VN
 * has no VAP object (its events still report the transition).
 *
 * @param tag            the VN's first tag on the port, which a null VID gets
 * @param associatedTsis Num_TSI_Associated: TSIs of the VN on the port, Associated or Activated
 * @param tags           every tag of the VN on the port, the first one first (Req-7: one or more)
 */
public record VapView(String port, VnId vn, VapState state, LocalTag tag, int associatedTsis, VnContext context, List<LocalTag> tags) {

    public VapView {
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(vn, "vn");
        Objects.requireNonNull(state, "state");
        tags = List.copyOf(tags);
    }

    VapView withTsis(int n) {
        return new VapView(port, vn, state, tag, n, context, tags);
    }

    VapView withTags(List<LocalTag> all) {
        return new VapView(port, vn, state, tag, associatedTsis, context, all);
    }
}
