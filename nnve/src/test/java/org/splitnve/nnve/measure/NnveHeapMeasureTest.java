package org.splitnve.nnve.measure;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.splitnve.ecptransport.clock.VirtualScheduler;
import org.splitnve.ecptransport.ecp.EcpConfig;
import org.splitnve.ecptransport.link.LinkFaults;
import org.splitnve.ecptransport.link.MemoryLink;
import org.splitnve.ecptransport.lldp.LldpAgentConfig;
import org.splitnve.ecptransport.vdp.VdpStack;
import org.splitnve.nnve.Nnve;
import org.splitnve.nnve.NnveConfig;
import org.splitnve.nnve.nva.InMemoryNva;
import org.splitnve.nnve.nva.VnContext;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.AssociationTlv;
import org.splitnve.vdpcore.vdp.FilterEntry;
import org.splitnve.vdpcore.vdp.FilterFormat;
import org.splitnve.vdpcore.vdp.ManagerId;
import org.splitnve.vdpcore.vdp.VdpDecoder;
import org.splitnve.vdpcore.vdp.VdpEncoder;
import org.splitnve.vdpcore.vdp.VdpTlvType;
import org.splitnve.vdpcore.vdp.VnId;
import org.splitnve.vdpcore.vdp.VsiId;
import org.splitnve.vdpcore.vdp.VsiStatus;

/**
 * Heap the nNVE holds per TSI: 100,000 Associates (GroupID/MAC/VID, one MAC each, over 100 VNs)
 * from a scripted station, in virtual time; the retained heap after a full GC, before and after,
 * divided by the TSIs held. The in-memory NVA's mapping and forwarding views are included, since a
 * switch running it pays for them too.
 * Run: {@code mvn -pl nnve -am verify -Dgroups=measure -Dmeasure.excludedGroups=none -Dsurefire.failIfNoSpecifiedTests=false}
 */
@Tag("measure")
class NnveHeapMeasureTest {

    private static final int TSIS = 100_000;
    private static final MacAddress STATION = MacAddress.valueOf("02:00:00:00:10:01");
    private static final MacAddress BRIDGE = MacAddress.valueOf("02:00:00:00:10:02");

    private static long retained() {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        long last = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            last = Math.min(last, mem.getHeapMemoryUsage().getUsed());
        }
        return last;
    }

    @Test
    void heap_per_tsi_at_one_hundred_thousand_tsis() {
        VirtualScheduler clock = new VirtualScheduler();
        MemoryLink[] pair = MemoryLink.pair(clock, "st", STATION, "br", BRIDGE, LinkFaults.NONE);
        // All TSIS requests wait in the station's channel at once.
        VdpStack station = VdpStack.start(pair[0], clock, LldpAgentConfig.station(),
                EcpConfig.DEFAULT.withMaxQueuedPerPeer(TSIS), new VdpDecoder(),
                new VdpEncoder(), 1);
        VdpStack bridgeStack = VdpStack.bridge(pair[1], clock, 2);
        InMemoryNva nva = new InMemoryNva();
        for (int v = 1; v <= 100; v++) {
            nva.define(new VnContext(VnId.of(5000 + v), "vn-" + v));
        }
        Nnve nnve = Nnve.builder().nva(nva).config(NnveConfig.builder().maxTsis(TSIS).maxTsisPerPort(TSIS).maxTsisPerStation(TSIS).build()).build();
        nnve.addPort(bridgeStack.channel(), bridgeStack.timersSource());
        clock.advance(Duration.ofSeconds(2));

        ManagerId mgr = ManagerId.ofName("snvmgr");
        long before = retained();
        int[] acked = new int[1];
        for (int i = 0; i < TSIS; i++) {
            // Requests are built as they are sent and are garbage once acked, so only what the nNVE keeps counts.
            AssociationTlv t = AssociationTlv.builder().type(VdpTlvType.ASSOCIATE).status(VsiStatus.REQUEST).typeId(4711).typeVersion(1)
                    .vsiId(new VsiId.Uuid(new UUID(0x5a3b0c1d00004000L, i)))
                    .filter(FilterFormat.GROUPID_MAC_VID, FilterEntry.builder().vn(5001 + i % 100)
                            .mac(MacAddress.valueOf(0x020000000000L + i + 1)).vid(0).build()).build();
            station.channel().send(BRIDGE, mgr, t).thenRun(() -> acked[0]++);
            if (i % 1000 == 999) {
                clock.runReady();
            }
        }
        clock.runUntilIdle(Duration.ofSeconds(5));
        assertThat(acked[0]).isEqualTo(TSIS);
        assertThat(nnve.totalTsis()).isEqualTo(TSIS);
        long after = retained();
        double perTsi = (after - before) / (double) TSIS;
        // Drop the NVA's views to see what the nNVE itself holds.
        int mappings = nva.mappings(org.splitnve.nnve.nva.NvaView.MAPPING).size();
        System.out.printf("nNVE heap at %,d TSIs: %,d bytes retained, %.0f bytes per TSI (NVA in-memory views included, %,d mappings)%n",
                TSIS, after - before, perTsi, mappings);
        assertThat(perTsi).isPositive();
        station.close();
        bridgeStack.close();
        nnve.close();
    }
}
