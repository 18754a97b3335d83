package org.splitnve.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.splitnve.ecptransport.auth.AuthorizationEvent;
import org.splitnve.ecptransport.auth.AuthorizationSourceEvent;
import org.splitnve.ecptransport.auth.HostapdAuthorization;
import org.splitnve.ecptransport.clock.RealScheduler;
import org.splitnve.ecptransport.ecp.EcpConfig;
import org.splitnve.ecptransport.link.Libpcap;
import org.splitnve.ecptransport.link.ResilientLink;
import org.splitnve.ecptransport.lldp.LldpAgentConfig;
import org.splitnve.ecptransport.vdp.VdpStack;
import java.util.ArrayList;
import java.util.List;
import org.splitnve.nnve.Nnve;
import org.splitnve.nnve.NnveConfig;
import org.splitnve.nnve.NnveListener;
import org.splitnve.nnve.RefusalEvent;
import org.splitnve.nnve.TsiEvent;
import org.splitnve.nnve.VapEvent;
import org.splitnve.nnve.nva.VnContext;
import org.splitnve.nnve.policy.AuthorizationPolicy;
import org.splitnve.nnve.policy.PolicyFile;
import org.splitnve.nvaetcd.EtcdNva;
import org.splitnve.nvaetcd.EtcdNvaConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code splitnve bridge --iface IF}: an nNVE control plane on a NIC, until SIGTERM or SIGINT. */
@Command(name = "bridge", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {
            "Runs an nNVE (VDP bridge) on a NIC: LLDP with the EVB TLV in bridge mode (GroupID supported), ECP, and VDP",
            "with local tag allocation, VN and TSI state machines, an NVA (in memory, or shared through etcd with --nva)",
            "and an optional policy file.",
            "Runs until SIGTERM or SIGINT."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:stopped by a signal",
            "2:usage error, unreadable, empty or cut-short policy file, --dot1x not a directory, missing NIC, missing libpcap,",
            "  etcd unreachable or a VN clash there",
            "3:the NIC went down or away and did not come back within --nic-wait"})
final class BridgeCommand implements Callable<Integer> {

    @Option(names = "--iface", required = true, paramLabel = "IF", description = "the NIC facing the stations")
    String iface;

    @Option(names = "--vid-pool", paramLabel = "LO-HI", defaultValue = "2-4094",
            description = "local tags (VIDs) to allocate from, per port (default ${DEFAULT-VALUE})")
    String vidPool;

    @Option(names = "--policy", paramLabel = "FILE", description = "authorization policy file (default: allow all)")
    Path policy;

    @Option(names = "--dot1x", paramLabel = "DIR",
            description = {"IEEE 802.1X (RFC 8394 Req-11): serve VDP only to stations hostapd has authorized on the NIC, and",
                "de-associate a station's TSIs when that ends; DIR is hostapd's ctrl_interface (socket DIR/IF)"})
    String dot1x;

    @Option(names = "--vn", paramLabel = "ID[=NAME]",
            description = "a VN the NVA knows (repeatable); without any, every VN a station asks for is accepted")
    List<String> vns = new ArrayList<>();

    @Option(names = "--underlay", paramLabel = "IF",
            description = "run the data plane: the NIC toward the other NVEs (VXLAN or Geneve); needs --local-ip")
    String underlay;

    @Option(names = "--local-ip", paramLabel = "IP", description = "this NVE's underlay address, IPv4 or IPv6")
    String localIp;

    @Option(names = "--remote", paramLabel = "VNI=IP",
            description = "a remote NVE of a VN that no NVA lists (repeatable): flooded to, and reachable for that VN")
    List<String> remotes = new ArrayList<>();

    @Option(names = "--next-hop", paramLabel = "MAC",
            description = "outer destination MAC for every encapsulated frame (default: ARP/ND for the remote NVE)")
    String nextHop;

    @Option(names = "--encap", paramLabel = "vxlan|geneve", defaultValue = "vxlan",
            description = "overlay encapsulation (default ${DEFAULT-VALUE})")
    String encap;

    @Option(names = "--io", paramLabel = "auto|ring|pcap", defaultValue = "auto",
            description = {"how the data plane reaches its NICs: ring (AF_PACKET memory-mapped rings, Linux, root), pcap (libpcap),",
                "or auto (default): rings, else libpcap with one log line saying why"})
    String io;

    @Mixin
    NvaOptions nvaOptions = new NvaOptions();

    @Option(names = "--ecp-group", paramLabel = "MAC",
            description = "a group MAC the bridge also takes ECPDUs to (repeatable; not 01-80-C2-00-00-01..0F), for stations that"
                    + " address it across a bridged network by group; it always takes those to its own MAC and to 01-80-C2-00-00-00,"
                    + " and answers every station at the station's own MAC")
    List<String> ecpGroups = new ArrayList<>();

    @Mixin
    NicOptions nic = new NicOptions();

    @Mixin
    LimitOptions limits = new LimitOptions();

    @Mixin
    RunOptions run = new RunOptions();

    @Spec
    CommandSpec spec;

    private final Libpcap libpcap;
    private final CountDownLatch stop;

    BridgeCommand() {
        this(Libpcap.system(), null);
    }

    /** @param stop counted down to stop the bridge (tests); null: stop on SIGTERM/SIGINT */
    BridgeCommand(Libpcap libpcap, CountDownLatch stop) {
        this.libpcap = libpcap;
        this.stop = stop;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        LldpAgentConfig lldp = limits.apply(spec, nic.prologue(spec, LldpAgentConfig.bridge()));
        EventLog log = run.eventLog(spec, out);
        ResilientLink.Retry nicRetry = run.nicRetry(spec);
        int[] pool = VidRange.parse(vidPool);
        if (pool == null) {
            throw Usage.error(spec, "--vid-pool is LO-HI with 1 <= LO <= HI <= 4094, not '" + vidPool + "'");
        }
        AuthorizationPolicy auth;
        try {
            auth = policy == null ? AuthorizationPolicy.allowAll() : PolicyFile.load(policy);
        } catch (Exception e) {
            throw Usage.error(spec, e.getMessage());
        }
        EcpConfig ecp = limits.apply(spec, EcpConfig.DEFAULT);
        for (String g : ecpGroups) {
            ecp = ecp.listeningTo(NicOptions.ecpGroup(spec, "--ecp-group", g));
        }
        Path dot1xDir = dot1x == null ? null : Dot1xOptions.directory(spec, dot1x);
        List<VnContext> known = new ArrayList<>();
        DataPlaneOptions dataPlane;
        try {
            for (String v : vns) {
                known.add(CommandLineNva.parse(v));
            }
            dataPlane = DataPlaneOptions.parse(underlay, localIp, remotes, nextHop, encap, io);
        } catch (IllegalArgumentException e) {
            throw Usage.error(spec, e.getMessage());
        }
        // Other NVEs find this one's TSIs in the NVA under its underlay address.
        String nveName = dataPlane == null ? null : dataPlane.local().address().getHostAddress();
        EtcdNvaConfig etcd = nvaOptions.check(spec, nveName, known.isEmpty());
        NnveConfig.Builder config = limits.apply(spec, NnveConfig.builder().tagRange(pool[0], pool[1]));
        try (RealScheduler scheduler = new RealScheduler("nnve-" + iface)) {
            VdpStack stack = NicOptions.openStack(spec, libpcap, iface, lldp, ecp, scheduler, nicRetry);
            NvaOptions.Chosen nva;
            try {
                nva = NvaOptions.open(spec, etcd, known);
            } catch (RuntimeException | InterruptedException e) {
                stack.close();
                throw e;
            }
            if (etcd != null) {
                log.emit("nva", n -> n.put("nva", etcd.uri()).put("nve", etcd.nveName()).put("leaseTtl", etcd.leaseTtl().toSeconds()));
            }
            if (nveName != null) {
                config.nveName(nveName);
            }
            try (stack; Nnve nnve = Nnve.builder().nva(nva.nva()).policy(auth).config(config.build()).build();
                 HostapdAuthorization hostapd = dot1xDir == null ? null : HostapdAuthorization.of(dot1xDir, iface)) {
                nnve.addListener(new EventsOut(log));
                // Each station's timers are those negotiated with it: a neighbour cannot stretch another's keep-alive timeout.
                nnve.addPort(stack.channel(), stack.peerTimers(), stack.groupIdSupport(), hostapd);
                if (hostapd != null) {
                    // Started once the port listens, so that stations authorized before the attach are told too.
                    hostapd.start();
                    Dot1xOptions.awaitFirstAttach("hostapd", dot1xDir.resolve(iface), hostapd::awaitAttached);
                }
                CountDownLatch done = stop != null ? stop : Signals.latch();
                NicLoss lost = NicLoss.watch(stack.link(), done);
                AutoCloseable dp = () -> { };
                try {
                    if (dataPlane != null) {
                        dp = dataPlane.start(spec, iface, nva.nva(), nnve, scheduler, log);
                    }
                    log.emit("started", n -> n.put("role", "bridge").put("iface", iface).put("mac", stack.link().macAddress().toString()));
                    done.await();
                } finally {
                    dp.close();
                }
                if (nva.nva() instanceof EtcdNva e) {
                    log.emit("counters", n -> n.put("nva", e.counters().toString()));
                }
                BridgeTables.emit(log, stack, nnve, nva.nva());
                log.emit("stopped", n -> n.put("role", "bridge").put("iface", iface));
                if (lost.happened()) {
                    spec.commandLine().getErr().println("splitnve bridge: " + lost.line());
                    spec.commandLine().getErr().flush();
                    return NicLoss.EXIT;
                }
            } finally {
                // After the nNVE: a shared NVA says goodbye (its lease) only once nothing publishes any more.
                nva.closer().close();
            }
        }
        return 0;
    }

    /** Nnve events as JSON lines. */
    private record EventsOut(EventLog log) implements NnveListener {
        @Override
        public void onVap(VapEvent e) {
            log.emit("vn", n -> {
                n.put("port", e.port()).put("vn", e.vn().value()).put("state", e.newState().name()).put("previous", e.oldState().name());
                if (e.tag() != null) {
                    n.put("localTag", e.tag().vid());
                } else {
                    n.putNull("localTag");
                }
                n.put("why", e.why());
            });
        }

        @Override
        public void onRefused(RefusalEvent e) {
            log.emit("refused", n -> {
                n.put("port", e.port()).put("error", e.error().value()).put("why", e.why());
                if (e.key() != null) {
                    n.put("station", e.key().station().toString()).put("vsiId", e.key().vsiId().toString());
                } else if (e.raw() != null && e.raw().vsiId() != null) {
                    n.put("vsiId", e.raw().vsiId().toString());
                }
            });
        }

        @Override
        public void onPortAuthorization(AuthorizationEvent e) {
            Dot1xOptions.emit(log, e);
        }

        @Override
        public void onAuthorizationSource(AuthorizationSourceEvent e) {
            Dot1xOptions.emit(log, e);
        }

        @Override
        public void onTsi(TsiEvent e) {
            log.emit("tsi", n -> {
                n.put("port", e.key().port()).put("station", e.key().station().toString()).put("vsiId", e.key().vsiId().toString())
                        .put("state", e.newState().name()).put("previous", e.oldState().name()).put("why", e.why());
                if (e.vn() != null) {
                    n.put("vn", e.vn().value());
                }
            });
        }
    }
}
