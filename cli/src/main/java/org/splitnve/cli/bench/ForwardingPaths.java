package org.splitnve.cli.bench;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.splitnve.ecptransport.clock.RealScheduler;
import org.splitnve.ecptransport.link.LinkException;
import org.splitnve.ecptransport.link.PcapLink;
import org.splitnve.ecptransport.vdp.VdpStack;
import org.splitnve.nnve.Nnve;
import org.splitnve.nnve.NnveConfig;
import org.splitnve.nnve.nva.InMemoryNva;
import org.splitnve.nnve.nva.NvaView;
import org.splitnve.nnve.nva.TsiMapping;
import org.splitnve.nnve.nva.VnContext;
import org.splitnve.nvedataplane.DataPlane;
import org.splitnve.nvedataplane.UnderlayAddress;
import org.splitnve.nvedataplane.codec.EtherType;
import org.splitnve.nvedataplane.codec.Ethernet;
import org.splitnve.nvedataplane.codec.IpProtocol;
import org.splitnve.nvedataplane.codec.Ipv4;
import org.splitnve.nvedataplane.codec.Udp;
import org.splitnve.nvedataplane.directory.NvaDirectory;
import org.splitnve.nvedataplane.port.DataPort;
import org.splitnve.nvedataplane.port.PortIo;
import org.splitnve.nvedataplane.port.RingDataPort;
import org.splitnve.nvedataplane.port.TransmitSlots;
import org.splitnve.testsupport.InNamespace;
import org.splitnve.testsupport.NetworkNamespace;
import org.splitnve.testsupport.VethPair;
import org.splitnve.tnve.Migration;
import org.splitnve.tnve.Tnve;
import org.splitnve.tnve.TsiAddress;
import org.splitnve.tnve.TsiSpec;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.lldp.EvbMode;
import org.splitnve.vdpcore.vdp.ManagerId;
import org.splitnve.vdpcore.vdp.VnId;
import org.splitnve.vdpcore.vdp.VsiId;

/**
 * The forwarders the data-plane rows compare, each set up in a chain of three namespaces: a generator {@code gen0}
 * ══ {@code trunk0} forwarder {@code ul0} ══ {@code sink0}. Each path says which frame the generator sends (its
 * untagged length given) and sets the forwarder up; the sink's interface counter is what arrived.
 */
public enum ForwardingPaths {

    /** Our data plane on AF_PACKET rings: a VM's tagged frames in, VXLAN out, after a real VDP association. */
    DATAPLANE_RING("dataplane-ring", "splitnve data plane on AF_PACKET rings (tagged in, VXLAN out)"),
    /** The same on libpcap. */
    DATAPLANE_PCAP("dataplane-pcap", "splitnve data plane on libpcap (tagged in, VXLAN out)"),
    /** Frames copied from one receive ring to the other transmit ring: the ceiling of the ring I/O path. */
    RING_FORWARDER("ring-forwarder", "plain ring forwarder, no processing"),
    /** Frames copied from one libpcap handle to another: the ceiling of any libpcap forwarder. */
    PCAP_FORWARDER("pcap-forwarder", "plain libpcap forwarder, no processing"),
    /** The kernel's own VXLAN device with IPv4 frames routed into it: what this machine can do. */
    KERNEL_VXLAN("kernel-vxlan", "kernel VXLAN device, IPv4 routed into it");

    static final String GEN = "gen0";
    static final String TRUNK = "trunk0";
    static final String UNDERLAY = "ul0";
    static final String SINK = "sink0";
    private static final MacAddress GEN_MAC = MacAddress.valueOf("02:00:00:00:f0:01");
    private static final MacAddress TRUNK_MAC = MacAddress.valueOf("02:00:00:00:f0:02");
    private static final MacAddress UL_MAC = MacAddress.valueOf("02:00:00:00:f0:03");
    private static final MacAddress SINK_MAC = MacAddress.valueOf("02:00:00:00:f0:04");
    private static final MacAddress VM_MAC = MacAddress.valueOf("02:00:00:00:f0:aa");
    /** A VM behind the remote NVE, which the NVA maps: frames to it are encapsulated unicast. */
    private static final MacAddress REMOTE_VM_MAC = MacAddress.valueOf("02:00:00:00:f0:bb");
    private static final String LOCAL = "192.0.2.1";
    private static final String REMOTE = "192.0.2.2";
    private static final int VNI = 5000;
    /** IEEE 802 local experimental EtherType: an opaque payload. */
    private static final int PAYLOAD_TYPE = 0x88B5;
    /** Room on the underlay for a 1514-octet frame in VXLAN. */
    private static final int UNDERLAY_MTU = 1600;
    private static final Duration EVB_WAIT = Duration.ofSeconds(30);

    private final String row;
    private final String description;

    ForwardingPaths(String row, String description) {
        this.row = row;
        this.description = description;
    }

    /** The row name's stem; the frame length follows it. */
    public String row() {
        return row;
    }

    public String description() {
        return description;
    }

    /** The namespaces of one path, and the frame its generator sends. */
    record Chain(VethNamespaces pair, NetworkNamespace sink, byte[] frame) {
        NetworkNamespace gen() {
            return pair.a();
        }

        NetworkNamespace nve() {
            return pair.b();
        }
    }

    /**
     * Makes the chain and sets the forwarder up in it; everything goes when the returned pair closes.
     *
     * @param octets the frame's length without a VLAN tag (our data plane's trunk frames carry one more)
     */
    Chain setUp(BenchLab lab, int octets) throws Exception {
        VethNamespaces pair = lab.vethPair(GEN, GEN_MAC.toString(), TRUNK, TRUNK_MAC.toString());
        try {
            NetworkNamespace sink = pair.track(NetworkNamespace.create());
            VethPair.between(pair.b(), sink).names(UNDERLAY, SINK).macs(UL_MAC.toString(), SINK_MAC.toString()).create();
            pair.b().exec("ip", "link", "set", UNDERLAY, "mtu", Integer.toString(UNDERLAY_MTU));
            sink.exec("ip", "link", "set", SINK, "mtu", Integer.toString(UNDERLAY_MTU));
            byte[] frame = switch (this) {
                case DATAPLANE_RING, DATAPLANE_PCAP -> tagged(octets, dataPlane(pair, this == DATAPLANE_RING ? PortIo.RING : PortIo.PCAP));
                case RING_FORWARDER -> {
                    ringForwarder(pair);
                    yield untagged(octets);
                }
                case PCAP_FORWARDER -> {
                    pcapForwarder(pair);
                    yield untagged(octets);
                }
                case KERNEL_VXLAN -> {
                    kernelVxlan(pair.b());
                    yield routed(octets);
                }
            };
            return new Chain(pair, sink, frame);
        } catch (Exception | Error e) {
            pair.close();
            throw e;
        }
    }

    /** A station on gen0 associates a VM with our bridge on trunk0 over VDP; returns the VM's local tag. */
    private static int dataPlane(VethNamespaces ns, PortIo io) throws Exception {
        RealScheduler stClock = ns.track(new RealScheduler("bench-dp-station"));
        RealScheduler brClock = ns.track(new RealScheduler("bench-dp-bridge"));
        PcapLink stLink = ns.track(InNamespace.call(ns.a(), () -> PcapLink.open(GEN, EtherType.ECP, EtherType.LLDP)));
        PcapLink brLink = ns.track(InNamespace.call(ns.b(), () -> PcapLink.open(TRUNK, EtherType.ECP, EtherType.LLDP)));
        VdpStack bridge = ns.track(VdpStack.bridge(brLink, brClock, 2));
        InMemoryNva nva = new InMemoryNva();
        nva.define(new VnContext(VnId.of(VNI), "bench"));
        Nnve nnve = ns.track(Nnve.builder().nva(nva).config(NnveConfig.builder().nveName(LOCAL).build()).build());
        nnve.addPort(bridge.channel(), bridge.timersSource());
        DataPort trunk = ns.track(InNamespace.call(ns.b(), () -> io.open(TRUNK)));
        DataPort under = ns.track(InNamespace.call(ns.b(), () -> io.open(UNDERLAY)));
        UnderlayAddress local = UnderlayAddress.parse(LOCAL);
        NvaDirectory directory = new NvaDirectory(local).attach(nva);
        directory.onPublished(new TsiMapping(VnId.of(VNI), REMOTE_VM_MAC, null, REMOTE), NvaView.FORWARDING);
        ns.track(DataPlane.builder().trunkPort(trunk).underlayPort(under).localAddress(local).nextHopMac(SINK_MAC)
                .directory(directory).view(nnve.dataPlaneView()).scheduler(brClock).build());
        VdpStack station = ns.track(VdpStack.station(stLink, stClock, 1));
        Optional<MacAddress> peer = station.awaitEvbPeer(EvbMode.BRIDGE, EVB_WAIT);
        if (peer.isEmpty()) {
            throw new IllegalStateException("our station heard no EVB bridge within " + EVB_WAIT);
        }
        Tnve tnve = ns.track(Tnve.builder().channel(station.channel()).timers(station.timersSource()).bridge(peer.get()).build().start());
        TsiSpec vm = TsiSpec.builder().vsiId(new VsiId.Uuid(new UUID(0x5a3b0c1d00004000L, 1))).managerId(ManagerId.ofName("snvmgr"))
                .vn(VnId.of(VNI)).address(new TsiAddress.Mac(VM_MAC)).build();
        return tnve.activate(vm, Migration.NONE).get(30, TimeUnit.SECONDS).tag().vid();
    }

    /** trunk0's frames copied into ul0's transmit slots, sent once per received block. */
    private static void ringForwarder(VethNamespaces ns) throws Exception {
        RingDataPort in = ns.track(InNamespace.call(ns.b(), () -> RingDataPort.open(TRUNK)));
        RingDataPort out = ns.track(InNamespace.call(ns.b(), () -> RingDataPort.open(UNDERLAY)));
        TransmitSlots slots = out.transmitSlots();
        in.receiver((port, frame) -> {
            int slot = slots.reserve();
            if (slot >= 0) {
                int n = frame.remaining();
                slots.slot(slot).put(0, frame, frame.position(), n);
                slots.commit(slot, n);
            }
        });
    }

    private static void pcapForwarder(VethNamespaces ns) throws Exception {
        PcapLink in = ns.track(InNamespace.call(ns.b(), () -> PcapLink.openWithBuffer(TRUNK, PcapLink.DATA_BUFFER_SIZE, PAYLOAD_TYPE)));
        PcapLink out = ns.track(InNamespace.call(ns.b(), () -> PcapLink.open(UNDERLAY, PAYLOAD_TYPE)));
        in.addListener((frame, ts) -> {
            try {
                out.send(frame);
            } catch (LinkException e) {
                // closing: the frame is lost, as it would be on a NIC going down
            }
        });
    }

    /** trunk0 routes 10.1.0.0/24 into the VXLAN device vx0, whose tunnel leaves on ul0 toward the sink. */
    private static void kernelVxlan(NetworkNamespace nve) {
        nve.exec("ip", "addr", "add", "10.0.0.1/24", "dev", TRUNK);
        nve.exec("ip", "addr", "add", LOCAL + "/24", "dev", UNDERLAY);
        nve.exec("ip", "neigh", "replace", REMOTE, "lladdr", SINK_MAC.toString(), "dev", UNDERLAY, "nud", "permanent");
        nve.exec("ip", "link", "add", "vx0", "type", "vxlan", "id", Integer.toString(VNI), "dstport", "4789", "local", LOCAL,
                "remote", REMOTE, "dev", UNDERLAY, "nolearning");
        nve.exec("ip", "addr", "add", "10.1.0.1/24", "dev", "vx0");
        nve.exec("ip", "link", "set", "vx0", "up");
        nve.exec("ip", "neigh", "replace", "10.1.0.2", "lladdr", REMOTE_VM_MAC.toString(), "dev", "vx0", "nud", "permanent");
        nve.sysctl("net.ipv4.ip_forward", "1");
    }

    /** A VM's frame of {@code octets} (untagged) with its tag: from the VM to the remote VM. */
    private static byte[] tagged(int octets, int vid) {
        ByteBuffer b = ByteBuffer.allocate(octets + Ethernet.TAG);
        int at = Ethernet.writeTaggedHeader(b, 0, REMOTE_VM_MAC.toLong(), VM_MAC.toLong(), vid, PAYLOAD_TYPE);
        return fill(b, at);
    }

    private static byte[] untagged(int octets) {
        ByteBuffer b = ByteBuffer.allocate(octets);
        int at = Ethernet.writeHeader(b, 0, REMOTE_VM_MAC.toLong(), GEN_MAC.toLong(), PAYLOAD_TYPE);
        return fill(b, at);
    }

    /** A UDP datagram to trunk0's router address for 10.1.0.2, behind the VXLAN device. */
    private static byte[] routed(int octets) {
        ByteBuffer b = ByteBuffer.allocate(octets);
        int ip = Ethernet.writeHeader(b, 0, TRUNK_MAC.toLong(), GEN_MAC.toLong(), EtherType.IPV4);
        int payload = octets - Ethernet.HEADER - Ipv4.HEADER;
        int udp = Ipv4.write(b, ip, payload, 1, 64, IpProtocol.UDP, 0x0A000002, 0x0A010002);
        int data = Udp.write(b, udp, 40000, 9, payload);
        return fill(b, data);
    }

    private static byte[] fill(ByteBuffer b, int from) {
        for (int i = from; i < b.capacity(); i++) {
            b.put(i, (byte) 0x5A);
        }
        return b.array();
    }
}
