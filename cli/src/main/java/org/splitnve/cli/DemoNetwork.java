package org.splitnve.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.splitnve.ecptransport.capture.PcapWriter;
import org.splitnve.ecptransport.clock.VirtualScheduler;
import org.splitnve.ecptransport.ecp.EcpConfig;
import org.splitnve.ecptransport.link.Link;
import org.splitnve.ecptransport.link.LinkException;
import org.splitnve.ecptransport.link.LinkFaults;
import org.splitnve.ecptransport.link.MemoryBridge;
import org.splitnve.ecptransport.link.MemoryLink;
import org.splitnve.ecptransport.link.RecordingLink;
import org.splitnve.ecptransport.lldp.LldpAgentConfig;
import org.splitnve.ecptransport.vdp.VdpStack;
import org.splitnve.nnve.Nnve;
import org.splitnve.nnve.NnveConfig;
import org.splitnve.nnve.NnveListener;
import org.splitnve.nnve.VapEvent;
import org.splitnve.nnve.nva.InMemoryNva;
import org.splitnve.nnve.nva.VnContext;
import org.splitnve.nnve.policy.AuthorizationPolicy;
import org.splitnve.nvedataplane.DataPlane;
import org.splitnve.nvedataplane.UnderlayAddress;
import org.splitnve.nvedataplane.codec.Encapsulation;
import org.splitnve.nvedataplane.directory.NvaDirectory;
import org.splitnve.nvedataplane.port.LinkDataPort;
import org.splitnve.tnve.TnveListener;
import org.splitnve.tnve.Tnve;
import org.splitnve.tnve.TsiAddress;
import org.splitnve.tnve.TsiEvent;
import org.splitnve.tnve.TsiSpec;
import org.splitnve.tnve.VmLifecycle;
import org.splitnve.tnve.VnEvent;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.ManagerId;
import org.splitnve.vdpcore.vdp.VnId;
import org.splitnve.vdpcore.vdp.VsiId;

/**
 * The demo's network, all in one process on one {@link VirtualScheduler}: hypervisors (a tNVE
 * each, behind a lossy in-memory link) facing their own nNVE (an {@link Nnve} with a VXLAN
 * {@link DataPlane} whose trunk port shares that link), the nNVEs joined by an in-memory underlay,
 * and one {@link InMemoryNva} they all publish to and learn from. VMs are plain endpoints: frames
 * with the VM's MAC as source, tagged with the local tag its hypervisor's tNVE learned.
 */
final class DemoNetwork implements AutoCloseable {

    static final VnId BLUE = VnId.of(5001);
    static final VnId GREEN = VnId.of(5002);
    static final ManagerId MANAGER = ManagerId.ofName("demo");
    /** UDP destination port of the VMs' frames, so they are told from IGMP queries and ARP. */
    static final int VM_PORT = 5555;
    static final Duration MIGRATION_HOLD = Duration.ofSeconds(5);
    private static final long PCAP_EPOCH_NANOS = 1_700_000_000_000_000_000L;

    final VirtualScheduler clock = new VirtualScheduler();
    final InMemoryNva nva = new InMemoryNva();
    final DemoTimeline timeline;
    private final MemoryBridge underlay = new MemoryBridge(clock, Duration.ofNanos(20_000));
    private final LinkFaults faults;
    private final PcapWriter pcap;
    private long seeds;
    final Map<String, Vm> vms = new LinkedHashMap<>();
    final List<Hypervisor> hypervisors = new ArrayList<>();
    final List<NveNode> nves = new ArrayList<>();

    DemoNetwork(long seed, double loss, Path pcapFile, PrintWriter out) throws IOException {
        this.seeds = seed * 1000;
        this.faults = LinkFaults.NONE.withLoss(loss).withSeed(seed);
        this.pcap = pcapFile == null ? null : PcapWriter.create(pcapFile);
        this.timeline = new DemoTimeline(clock, out);
        nva.define(new VnContext(BLUE, "blue"));
        nva.define(new VnContext(GREEN, "green"));
    }

    private Link recorded(Link link) {
        return pcap == null ? link : new RecordingLink(link, pcap, RecordingLink.schedulerClock(clock, PCAP_EPOCH_NANOS));
    }

    /** A hypervisor and the nNVE serving it, joined by a lossy link; the nNVE on the underlay as {@code ip}. */
    Hypervisor hypervisor(int n, String ip) {
        String hvName = "hv" + n;
        String nveName = "nve" + n;
        MacAddress hvMac = MacAddress.valueOf(0x02000000_0a00L + n);
        MacAddress nveMac = MacAddress.valueOf(0x02000000_0b00L + n);
        MemoryLink[] l = MemoryLink.pair(clock, hvName, hvMac, nveName + "-p1", nveMac, faults.withSeed(faults.seed() * 31 + n));

        NveNode nve = new NveNode(nveName, ip, nveMac, l[1], n);
        nves.add(nve);
        Hypervisor hv = new Hypervisor(hvName, recorded(l[0]), nve);
        hypervisors.add(hv);
        clock.runReady();
        return hv;
    }

    Vm vm(String name, int n, VnId vn, Hypervisor on) {
        Vm vm = new Vm(name, VsiId.of(new UUID(0xDE30L, n)), MacAddress.valueOf(0x02000000_aa00L + n), vn);
        vm.host = on;
        vms.put(name, vm);
        return vm;
    }

    Optional<Vm> vmOf(VsiId id) {
        return vms.values().stream().filter(v -> v.vsiId.equals(id)).findFirst();
    }

    Optional<Vm> vmOf(MacAddress mac) {
        return vms.values().stream().filter(v -> v.mac.equals(mac)).findFirst();
    }

    /** Runs virtual time in 1 ms steps until the future is done (at most 120 s); its value or its failure. */
    <T> T await(CompletableFuture<T> f) throws DemoFailure {
        if (!clock.runUntil(f::isDone, Duration.ofSeconds(120))) {
            throw new DemoFailure("not done after 120 s of virtual time");
        }
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DemoFailure("interrupted");
        } catch (ExecutionException e) {
            throw new DemoFailure(String.valueOf(e.getCause()));
        }
    }

    void run(Duration d) {
        clock.advance(d);
    }

    long framesRecorded() {
        if (pcap == null) {
            return 0;
        }
        return pcap.frameCount();
    }

    @Override
    public void close() throws IOException {
        for (Hypervisor h : hypervisors) {
            h.tnve.close();
        }
        for (NveNode n : nves) {
            n.dataPlane.close();
            n.nnve.close();
        }
        clock.runReady();
        if (pcap != null) {
            pcap.close();
        }
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    /** A step's operation that could not be done. */
    static final class DemoFailure extends Exception {
        private static final long serialVersionUID = 1L;

        DemoFailure(String message) {
            super(message);
        }
    }

    // ------------------------------------------------------------------ sides

    /** One nNVE: its VDP stack on the port facing its hypervisor, the Nnve, and its VXLAN data plane. */
    final class NveNode {
        final String name;
        final String ip;
        final Nnve nnve;
        final VdpStack stack;
        final DataPlane dataPlane;

        NveNode(String name, String ip, MacAddress mac, Link trunk, int n) {
            this.name = name;
            this.ip = ip;
            this.nnve = Nnve.builder().nva(nva).policy(AuthorizationPolicy.allowAll())
                    .config(NnveConfig.builder().nveName(ip).build()).build();
            nnve.addListener(new NnveListener() {
                @Override
                public void onVap(VapEvent e) {
                    timeline.event(name, e.vn() + " on " + e.port() + ": " + e.oldState() + " -> " + e.newState()
                            + (e.tag() == null ? "" : " (" + e.tag() + ")") + " [" + e.why() + "]");
                }

                @Override
                public void onTsi(org.splitnve.nnve.TsiEvent e) {
                    String vm = vmOf(e.key().vsiId()).map(v -> v.name).orElse(String.valueOf(e.key().vsiId()));
                    timeline.event(name, vm + " TSI " + e.oldState() + " -> " + e.newState() + " [" + e.why() + "]");
                }
            });
            this.stack = VdpStack.start(trunk, clock, LldpAgentConfig.bridge(), EcpConfig.DEFAULT,
                    new org.splitnve.vdpcore.vdp.VdpDecoder(), new org.splitnve.vdpcore.vdp.VdpEncoder(), seeds++);
            nnve.addPort(stack.channel(), stack.timersSource(), stack.groupIdSupport());
            // The first nNVE's underlay port is recorded: with two NVEs every underlay frame crosses it.
            Link up = underlay.attach(name + "-underlay", MacAddress.valueOf(0x02000000_0c00L + n));
            this.dataPlane = DataPlane.builder()
                    .trunkPort(new LinkDataPort(trunk, false))
                    .underlayPort(new LinkDataPort(n == 1 ? recorded(up) : up, true))
                    .localAddress(ip(ip))
                    .resolveNextHop()
                    .encapsulation(Encapsulation.VXLAN)
                    .directory(new NvaDirectory(UnderlayAddress.parse(ip)).attach(nva))
                    .view(nnve.dataPlaneView())
                    .scheduler(clock)
                    .migrationHold(MIGRATION_HOLD)
                    .build();
        }

        String port() {
            return stack.channel().portName();
        }
    }

    /** One hypervisor: its tNVE and the VMs' frames on its link to its nNVE. */
    final class Hypervisor {
        final String name;
        final Link link;
        final NveNode nve;
        final Tnve tnve;
        final VmLifecycle lifecycle;
        /** VM frames whose tag is not the VN of both VMs here: an isolation failure. */
        final AtomicLong leaked = new AtomicLong();
        /** Flooded copies for a VM of the right VN that runs elsewhere. */
        final AtomicLong flooded = new AtomicLong();

        Hypervisor(String name, Link link, NveNode nve) {
            this.name = name;
            this.link = link;
            this.nve = nve;
            VdpStack stack = VdpStack.station(link, clock, seeds++);
            this.tnve = Tnve.builder().channel(stack.channel()).timers(stack.timersSource()).groupIds(stack.groupIdSupport())
                    .bridge(nve.stack.channel().localMac()).build();
            this.lifecycle = new VmLifecycle(tnve);
            tnve.addListener(new TnveListener() {
                @Override
                public void onTsiState(TsiEvent e) {
                    String vm = vmOf(e.vsiId()).map(v -> v.name).orElse(String.valueOf(e.vsiId()));
                    timeline.event(name, vm + " " + e.oldState() + " -> " + e.newState() + " [" + e.why() + "]");
                }

                @Override
                public void onVn(VnEvent e) {
                    timeline.event(name, (e.connected() ? "VN_Connect " : "VN_Disconnect ") + e.vn()
                            + (e.tag() == null ? "" : ": " + e.tag()) + " [" + e.why() + "]");
                }

                @Override
                public void onTagChanged(VnId vn, MacAddress bridge, LocalTag oldTag, LocalTag newTag) {
                    timeline.event(name, vn + " tag " + oldTag + " -> " + newTag);
                }
            });
            tnve.start();
            link.addListener(this::onFrame);
        }

        /**
         * Counts a VM frame that arrived: isolation holds when its tag is this hypervisor's local tag
         * of the VN of both its source and its destination VM; a copy for a VM that runs elsewhere
         * is flooding (unknown unicast), not a leak.
         */
        private void onFrame(ByteBuffer frame, long at) {
            DemoFrames.Parsed p = DemoFrames.parse(frame);
            if (p == null) {
                return;
            }
            Optional<Vm> dst = vmOf(p.dst());
            Optional<Vm> src = vmOf(p.src());
            boolean isolated = dst.isPresent() && src.isPresent() && src.get().vn.equals(dst.get().vn)
                    && tnve.localTag(dst.get().vn).map(LocalTag::vid).orElse(-1) == p.vid();
            if (!isolated) {
                leaked.incrementAndGet();
                dst.ifPresent(v -> v.leaked.incrementAndGet());
                timeline.event(name, "LEAK: frame " + p.src() + " -> " + p.dst() + " with VID " + p.vid());
            } else if (dst.get().host == this) {
                dst.get().received.incrementAndGet();
            } else {
                flooded.incrementAndGet();
            }
        }

        /** Sends one frame from {@code from} (on this hypervisor) to {@code to}, tagged with the local tag of its VN. */
        boolean send(Vm from, Vm to, int seq) {
            Optional<LocalTag> tag = tnve.localTag(from.vn);
            if (tag.isEmpty()) {
                return false;
            }
            try {
                link.send(DemoFrames.udp(to.mac, from.mac, tag.get().vid(), from.ip(), to.ip(), VM_PORT, seq));
                from.sent.incrementAndGet();
                return true;
            } catch (LinkException e) {
                return false;
            }
        }
    }

    /** A VM: its VSI, MAC and VN, where it runs, and what it sent and received. */
    static final class Vm {
        final String name;
        final VsiId vsiId;
        final MacAddress mac;
        final VnId vn;
        volatile Hypervisor host;
        final AtomicLong sent = new AtomicLong();
        final AtomicLong received = new AtomicLong();
        final AtomicLong leaked = new AtomicLong();

        Vm(String name, VsiId vsiId, MacAddress mac, VnId vn) {
            this.name = name;
            this.vsiId = vsiId;
            this.mac = mac;
            this.vn = vn;
        }

        TsiSpec spec() {
            return TsiSpec.builder().vsiId(vsiId).managerId(MANAGER).typeId(0xDE30).typeVersion(1).vn(vn)
                    .addresses(List.of(TsiAddress.mac(mac))).build();
        }

        /** 10.{@code <vn low byte>}.0.{@code <mac low byte>}: only for the frames' IP header. */
        byte[] ip() {
            return new byte[] {10, (byte) vn.value(), 0, (byte) mac.toLong()};
        }
    }
}
