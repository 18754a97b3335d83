package org.splitnve.nvedataplane;

import org.splitnve.nvedataplane.table.LiveTable;
import org.splitnve.nvedataplane.table.LongKeyTable;
import org.splitnve.vdpcore.MacAddress;

/**
 * The local forwarding tables as the forwarding threads read them, without locks: what is per VN and tag
 * ({@code vniByVid}, {@code flood}, {@code knownVnis}) is immutable and replaced whole when it changes; what is per TSI
 * ({@code tsis}, {@code localIps}, {@code moved}, {@code ipOnly}) lives in {@link LiveTable}s that the control thread
 * changes entry by entry, the same instances in every {@code Tables}.
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
record Tables(int[][] vniByVid, LiveTable<LocalTsi> tsis, LongKeyTable<int[]> flood, LiveTable<MacAddress> localIps,
              LiveTable<MovedTsi> moved, LongKeyTable<Boolean> knownVnis, LiveTable<LocalTsi> ipOnly) {
}
