package org.splitnve.ecptransport.ecp;

import org.splitnve.vdpcore.MacAddress;

/** Told when a peer stops answering (a PDU ran out of retries) or is heard again. */
@FunctionalInterface
public interface EcpPeerListener {

    void onPeerState(MacAddress peer, boolean reachable, String why, EcpCounters counters);
}
