package org.splitnve.nnve.nva;

import java.util.Map;
import java.util.Objects;
import org.splitnve.vdpcore.vdp.VnId;

/**
 * What the NVA knows of a virtual network (RFC 8394 3.1 "VN_Context"): its ID, its globally unique
 * name and whatever else the data plane needs to encapsulate for it (e.g. a multicast group or
 * flood list), kept as opaque attributes so the control plane does not have to understand them.
 */
public record VnContext(VnId vn, String name, Map<String, String> attributes) {

    public VnContext {
        Objects.requireNonNull(vn, "vn");
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a VN name is not blank");
        }
        attributes = Map.copyOf(attributes);
    }

    public VnContext(VnId vn, String name) {
        this(vn, name, Map.of());
    }
}
