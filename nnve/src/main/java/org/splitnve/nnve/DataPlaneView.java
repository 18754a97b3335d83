package org.splitnve.nnve;

import java.util.List;
import java.util.Optional;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.VnId;

/**
 * What the data plane reads from the control plane. Lookups are thread-safe snapshots and do not
 * wait for the protocol thread.
 */
public interface DataPlaneView {

    Optional<VnId> vnOfTag(String port, LocalTag tag);

    Optional<LocalTag> tagOfVn(String port, VnId vn);

    /** The Activated TSIs of every port. */
    List<TsiView> activeTsis();

    void addListener(DataPlaneListener listener);
}
