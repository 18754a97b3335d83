package org.splitnve.nvedataplane;

import java.nio.ByteBuffer;
import org.splitnve.ecptransport.clock.VirtualScheduler;
import org.splitnve.nnve.nva.NvaView;
import org.splitnve.nnve.nva.TsiMapping;
import org.splitnve.nvedataplane.directory.NvaDirectory;
import org.splitnve.nvedataplane.port.MemoryDataPort;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.VnId;

/**
 * Two trunk ports (p1, p2) and an underlay port, each joined in memory to a test end that records
 * what it receives, with the scheduler and the directory (fed as an NVA would feed it) that the
 * data plane, or the collaborator under test, is built on.
 */
class PortsTestBed {

    static final String LOCAL = "192.0.2.1";
    static final String REMOTE = "192.0.2.2";
    static final MacAddress UNDERLAY_MAC = MacAddress.valueOf("02:00:00:00:01:01");
    static final MacAddress ROUTER_MAC = MacAddress.valueOf("02:00:00:00:09:09");

    final VirtualScheduler scheduler = new VirtualScheduler();
    final NvaDirectory directory = new NvaDirectory(UnderlayAddress.parse(LOCAL));
    final MemoryDataPort[] p1 = MemoryDataPort.pair("p1", MacAddress.valueOf("02:00:00:00:00:01"), "sta1", MacAddress.valueOf("02:00:00:00:00:11"));
    final MemoryDataPort[] p2 = MemoryDataPort.pair("p2", MacAddress.valueOf("02:00:00:00:00:02"), "sta2", MacAddress.valueOf("02:00:00:00:00:12"));
    final MemoryDataPort[] up = MemoryDataPort.pair("up", UNDERLAY_MAC, "router", ROUTER_MAC);
    final TestFrames.Sink sta1 = new TestFrames.Sink();
    final TestFrames.Sink sta2 = new TestFrames.Sink();
    final TestFrames.Sink router = new TestFrames.Sink();

    PortsTestBed() {
        p1[1].receiver(sta1);
        p2[1].receiver(sta2);
        up[1].receiver(router);
    }

    /** The underlay port's MAC, as the data plane writes it. */
    long underlayMac() {
        return UNDERLAY_MAC.toLong();
    }

    /** The directory learns that {@code mac} (with {@code ip}, if not null) of {@code vni} is behind NVE {@code nve}. */
    void remote(int vni, MacAddress mac, String ip, String nve) {
        directory.onPublished(new TsiMapping(VnId.of(vni), mac, ip == null ? null : TestFrames.ip(ip), nve), NvaView.FORWARDING);
    }

    void fromStation1(ByteBuffer f) {
        p1[1].send(f);
    }

    void fromStation2(ByteBuffer f) {
        p2[1].send(f);
    }

    void fromUnderlay(ByteBuffer f) {
        up[1].send(f);
    }
}
