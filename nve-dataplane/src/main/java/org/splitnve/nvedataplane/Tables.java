package org.splitnve.nvedataplane;

import org.splitnve.nvedataplane.table.LongKeyTable;
import org.splitnve.vdpcore.MacAddress;

/**
 * One immutable state of the local forwarding tables, published by the control thread and read
 * by the forwarding threads without locks (copy-on-write).
 *
 * @param vniByVid  per trunk port, the VNI of each VID (-1: unmapped)
 * @param tsis      (VNI, MAC) of Activated TSIs on trunk ports
 * @param flood     VNI -> pairs (port, VID) of the ports with an Activated TSI in that VN
 * @param localIps  (VNI, IP) -> MAC of Activated TSIs, for answering ARP/ND
 * @param moved     (VNI, MAC) of TSIs that left, while their timer runs
 * @param knownVnis VNIs some port maps or some moved TSI had: the VNIs decapsulation accepts
 * @param ipOnly    (VNI, IP) of Activated TSIs registered by IP addresses alone (filter format 0x05), whose MACs
 *                  the data plane learns from their first frames
 */
record Tables(int[][] vniByVid, LongKeyTable<LocalTsi> tsis, LongKeyTable<int[]> flood, LongKeyTable<MacAddress> localIps,
              LongKeyTable<MovedTsi> moved, LongKeyTable<Boolean> knownVnis, LongKeyTable<LocalTsi> ipOnly) {
}
