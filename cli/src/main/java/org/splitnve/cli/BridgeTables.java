package org.splitnve.cli;

import java.lang.management.ManagementFactory;
import org.splitnve.ecptransport.ecp.EcpPortCounters;
import org.splitnve.ecptransport.vdp.VdpStack;
import org.splitnve.nnve.Nnve;
import org.splitnve.nnve.nva.ObservableNva;

/**
 * The sizes of what stations can make {@code splitnve bridge} hold, written as one {@code tables} event when it stops:
 * ECP peers and what was forgotten or refused to keep them bounded, LLDP neighbours, TSIs, VNs, the VNs the NVA keeps,
 * and the heap in use, so that an operator (or a test that sent it a flood) can see the bounds held.
 */
final class BridgeTables {

    private BridgeTables() {
    }

    static void emit(EventLog log, VdpStack stack, Nnve nnve, ObservableNva nva) {
        EcpPortCounters ecp = stack.ecp().portCounters();
        System.gc(); // what is held, not what waits to be collected
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        log.emit("tables", n -> {
            n.put("ecpFrames", ecp.frames()).put("lldpFrames", stack.lldp().framesIn()).put("ecpPeers", ecp.peers()).put("ecpPeersEvicted", ecp.peersEvicted()).put("ecpPeersRefused", ecp.peersRefused())
                    .put("ecpMalformed", ecp.malformed()).put("ecpStrayAcks", ecp.strayAcks())
                    .put("lldpNeighbors", stack.lldp().neighbors().size()).put("lldpNeighborsRefused", stack.lldp().neighborsRefused())
                    .put("lldpMalformed", stack.lldp().malformed())
                    .put("vdpQueues", stack.channel().peersWithQueues()).put("vdpMalformed", stack.channel().counters().malformedPdus())
                    .put("tsis", nnve.totalTsis()).put("vns", nnve.vaps().size()).put("heapUsed", heap);
            if (nva instanceof CommandLineNva memory) {
                n.put("nvaVns", memory.vns());
            }
        });
    }
}
