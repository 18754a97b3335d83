package org.splitnve.ecptransport.lldp;

import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.lldp.ChassisId;
import org.splitnve.vdpcore.lldp.EvbTlv;
import org.splitnve.vdpcore.lldp.PortId;

/**
 * A neighbour as its last LLDPDU described it.
 *
 * @param mac       the source MAC of its LLDPDUs (and, for ECP, its address)
 * @param evb       its EVB TLV, or {@code null} if it sends none
 * @param ttlSeconds how long its information is valid from when it was received
 */
public record LldpNeighbor(MacAddress mac, ChassisId chassisId, PortId portId, int ttlSeconds, EvbTlv evb) {
}
