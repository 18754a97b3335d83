package org.splitnve.conformance;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.splitnve.ecptransport.clock.Scheduler;
import org.splitnve.nnve.Nnve;
import org.splitnve.nnve.nva.InMemoryNva;
import org.splitnve.nvedataplane.DataPlane;
import org.splitnve.nvedataplane.UnderlayAddress;
import org.splitnve.nvedataplane.codec.Arp;
import org.splitnve.nvedataplane.codec.EtherType;
import org.splitnve.nvedataplane.codec.Ethernet;
import org.splitnve.nvedataplane.codec.IpProtocol;
import org.splitnve.nvedataplane.codec.Ipv4;
import org.splitnve.nvedataplane.codec.Udp;
import org.splitnve.nvedataplane.directory.NvaDirectory;
import org.splitnve.nvedataplane.port.MemoryDataPort;
import org.splitnve.vdpcore.MacAddress;

/**
 * The data plane of one nNVE of a {@link SplitNveTestBed}: its trunk is an in-memory port named as the nNVE's VDP
 * port, whose other end stands for the station's VMs, and its underlay an in-memory port whose other end stands for
 * the router; its directory follows the nNVE's NVA. What the VMs and the router receive is kept.
 */
final class DataPath {

    static final MacAddress ROUTER = MacAddress.valueOf("02:00:00:00:09:09");

    final DataPlane dp;
    final MemoryDataPort vms;
    final List<ByteBuffer> toVms = new CopyOnWriteArrayList<>();
    final List<ByteBuffer> toRouter = new CopyOnWriteArrayList<>();

    DataPath(String port, Nnve nnve, InMemoryNva nva, String localIp, Scheduler scheduler) {
        MemoryDataPort[] trunk = MemoryDataPort.pair(port, MacAddress.valueOf("02:00:00:00:08:01"), "vms",
                MacAddress.valueOf("02:00:00:00:08:02"));
        MemoryDataPort[] underlay = MemoryDataPort.pair("up-" + port, MacAddress.valueOf("02:00:00:00:08:03"), "router", ROUTER);
        vms = trunk[1];
        vms.receiver((p, f) -> toVms.add(copy(f)));
        underlay[1].receiver((p, f) -> toRouter.add(copy(f)));
        dp = DataPlane.builder().trunkPort(trunk[0]).underlayPort(underlay[0]).localAddress(SplitNveTestBed.ip(localIp))
                .nextHopMac(ROUTER).directory(new NvaDirectory(UnderlayAddress.parse(localIp)).attach(nva)).view(nnve.dataPlaneView())
                .scheduler(scheduler).build();
    }

    private static ByteBuffer copy(ByteBuffer f) {
        byte[] b = new byte[f.remaining()];
        f.duplicate().get(b);
        return ByteBuffer.wrap(b);
    }

    /** A VM sends a tagged IPv4/UDP frame. */
    void fromVm(MacAddress dst, MacAddress src, int vid, InetAddress srcIp, InetAddress dstIp) {
        ByteBuffer b = ByteBuffer.allocate(100);
        int ip = Ethernet.writeTaggedHeader(b, 0, dst.toLong(), src.toLong(), vid, EtherType.IPV4);
        int payload = 100 - Ethernet.TAGGED_HEADER - Ipv4.HEADER;
        int udp = Ipv4.write(b, ip, payload, 1, 64, IpProtocol.UDP, v4(srcIp), v4(dstIp));
        Udp.write(b, udp, 1000, 2000, payload);
        vms.send(b);
    }

    /** A VM sends a tagged ARP request. */
    void arpFromVm(MacAddress src, int vid, InetAddress senderIp, InetAddress targetIp) {
        ByteBuffer b = ByteBuffer.allocate(64);
        int a = Ethernet.writeTaggedHeader(b, 0, Ethernet.BROADCAST, src.toLong(), vid, EtherType.ARP);
        Arp.write(b, a, Arp.REQUEST, src.toLong(), v4(senderIp), 0, v4(targetIp));
        vms.send(b);
    }

    private static int v4(InetAddress a) {
        return ByteBuffer.wrap(a.getAddress()).getInt();
    }
}
