package org.splitnve.nvedataplane.directory;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.splitnve.nvedataplane.UnderlayAddress;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.VnId;

/**
 * Where remote TSIs are: the inner-to-outer mapping of RFC 8394 3.2 as the data plane uses it.
 * The forwarding path reads {@link #snapshot()}, an immutable table, without locks; the other
 * methods are for control code and tests.
 */
public interface OverlayDirectory {

    /** The remote NVE behind which {@code mac} lives in {@code vn}. */
    default Optional<UnderlayAddress> remoteNve(VnId vn, MacAddress mac) {
        return Optional.ofNullable(snapshot().remoteNve(vn.value(), mac.toLong()));
    }

    /** The remote NVEs that get a copy of the VN's broadcast, unknown unicast and multicast frames. */
    default List<UnderlayAddress> floodList(VnId vn) {
        return List.of(snapshot().floodList(vn.value()));
    }

    /** The MAC of a remote TSI's IP address, to answer ARP and neighbour solicitations locally. */
    default Optional<MacAddress> macOf(VnId vn, InetAddress ip) {
        return Optional.ofNullable(snapshot().macOf(vn.value(), ip));
    }

    /** The current table, immutable. */
    DirectorySnapshot snapshot();

    /** Called (on the thread that made the change) after every change. */
    void addListener(Runnable changed);
}
