package org.splitnve.examples;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.ecptransport.auth.HostapdAuthorization;
import org.splitnve.ecptransport.auth.PortAuthorization;
import org.splitnve.ecptransport.clock.RealScheduler;
import org.splitnve.ecptransport.clock.Scheduler;
import org.splitnve.ecptransport.link.Libpcap;
import org.splitnve.ecptransport.link.Link;
import org.splitnve.ecptransport.link.LinkException;
import org.splitnve.ecptransport.link.PcapLink;
import org.splitnve.ecptransport.vdp.VdpStack;
import org.splitnve.nnve.Nnve;
import org.splitnve.nnve.NnveConfig;
import org.splitnve.nnve.nva.InMemoryNva;
import org.splitnve.nnve.nva.ObservableNva;
import org.splitnve.nnve.nva.VnContext;
import org.splitnve.nvaetcd.EtcdNva;
import org.splitnve.nvedataplane.DataPlane;
import org.splitnve.nvedataplane.UnderlayAddress;
import org.splitnve.nvedataplane.directory.NvaDirectory;
import org.splitnve.nvedataplane.port.DataPort;
import org.splitnve.nvedataplane.port.LinkDataPort;
import org.splitnve.vdpcore.frame.EtherType;

/**
 * The nNVE embedded in a switch OS: VDP bridge ports toward the hypervisors, an in-memory NVA holding the VNs of
 * the configuration, the authorization policy of a policy file, a local tag pool per port, and the VXLAN (or Geneve)
 * data plane between the downlinks and the uplink. Everything it does is printed as JSON lines.
 *
 * <p>The wiring ({@link #start}) takes its links and data ports from the caller, so a switch OS can hand it its own
 * port drivers and a test can hand it memory links in virtual time; {@link #main} opens the NICs with libpcap and
 * runs until SIGTERM or SIGINT.
 *
 * <pre>
 *   hypervisor ── downlink ──┬─ control Link:  LLDP (EVB TLV) + ECP + VDP ─► Nnve ─► InMemoryNva or EtcdNva, PolicyFile
 *                            └─ trunk DataPort: tagged VM frames ─────────► DataPlane ─► uplink DataPort (VXLAN)
 * </pre>
 *
 * <p>With {@code "nva": "etcd://..."} in the configuration the NVA is the one on etcd that many switches share; the
 * data plane then learns remote NVEs and flood lists from it. With {@code "dot1x": DIR} each downlink serves VDP only
 * to the stations hostapd (the switch's IEEE 802.1X authenticator, control interface {@code DIR/PORT}) has authorized
 * there (RFC 8394 Req-11).
 */
public final class SwitchAgent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SwitchAgent.class);

    private final SwitchConfig config;
    private final SwitchEvents events;
    private final Nnve nnve;
    private final List<VdpStack> stacks;
    private final List<DataPort> trunks;
    private final DataPort uplink;
    private final DataPlane dataPlane;
    private final ObservableNva nva;
    private final List<HostapdAuthorization> hostapds;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** How long {@link #start} waits for etcd (with {@code "nva"}) before it gives up. */
    static final Duration NVA_WAIT = Duration.ofSeconds(10);

    /**
     * One port toward a hypervisor. VDP runs on {@code control}, the VMs' tagged frames on {@code trunk}; both name
     * the same interface, since the data plane finds a frame's VN by the tag the nNVE gave out on that port.
     */
    public record Downlink(Link control, DataPort trunk) {
        public Downlink {
            Objects.requireNonNull(control, "control");
            Objects.requireNonNull(trunk, "trunk");
            if (!control.name().equals(trunk.name())) {
                throw new IllegalArgumentException("a downlink's control link " + control.name() + " and trunk port "
                        + trunk.name() + " must name the same interface");
            }
        }

        /** VDP and data on one link (a switch driver that demultiplexes by EtherType itself, or a test). */
        public static Downlink sharing(Link link) {
            return new Downlink(link, new LinkDataPort(link, false));
        }
    }

    private SwitchAgent(SwitchConfig config, SwitchEvents events, Nnve nnve, List<VdpStack> stacks, List<DataPort> trunks,
                        DataPort uplink, DataPlane dataPlane, ObservableNva nva, List<HostapdAuthorization> hostapds) {
        this.config = config;
        this.events = events;
        this.nnve = nnve;
        this.stacks = stacks;
        this.trunks = trunks;
        this.uplink = uplink;
        this.dataPlane = dataPlane;
        this.nva = nva;
        this.hostapds = hostapds;
    }

    /**
     * Wires and starts the switch. From here on the agent owns the links and ports and closes them in
     * {@link #close}.
     *
     * @param downlinks one per name in {@code config.downlinks()}
     * @param uplink    named {@code config.uplink()}
     * @param scheduler the protocol thread every VDP port shares (a {@code RealScheduler}, or virtual time)
     * @param seed      seeds ECP sequence numbers (random outside tests)
     * @param out       receives each event as one JSON line; called on the protocol thread, must not block long
     * @throws IllegalArgumentException if the ports given are not the ones the configuration names
     * @throws IllegalStateException    if the configuration names an etcd NVA that cannot be reached within
     *                                  {@link #NVA_WAIT} or that gives one of the VNs' names or VNIs to another VN
     */
    public static SwitchAgent start(SwitchConfig config, List<Downlink> downlinks, DataPort uplink, Scheduler scheduler,
                                    long seed, Consumer<String> out) {
        List<HostapdAuthorization> hostapds = new ArrayList<>();
        Map<String, PortAuthorization> authorizations = new LinkedHashMap<>();
        if (config.dot1x() != null) {
            for (Downlink d : downlinks) {
                HostapdAuthorization h = HostapdAuthorization.of(config.dot1x(), d.control().name());
                hostapds.add(h);
                authorizations.put(d.control().name(), h);
            }
        }
        return start(config, downlinks, uplink, scheduler, seed, out, authorizations, hostapds);
    }

    /**
     * {@link #start(SwitchConfig, List, DataPort, Scheduler, long, Consumer)} with the 802.1X authorization of each
     * downlink given by the caller, who owns and starts them (a switch OS with its own authenticator, a MACsec key
     * agreement, a test): a downlink named in {@code authorizations} serves only the stations it authorizes, the
     * others every station; the configuration's {@code "dot1x"} is not used.
     */
    public static SwitchAgent start(SwitchConfig config, List<Downlink> downlinks, DataPort uplink, Scheduler scheduler,
                                    long seed, Consumer<String> out, Map<String, PortAuthorization> authorizations) {
        return start(config, downlinks, uplink, scheduler, seed, out, authorizations, List.of());
    }

    private static SwitchAgent start(SwitchConfig config, List<Downlink> downlinks, DataPort uplink, Scheduler scheduler,
                                     long seed, Consumer<String> out, Map<String, PortAuthorization> authorizations,
                                     List<HostapdAuthorization> hostapds) {
        List<String> given = downlinks.stream().map(d -> d.control().name()).toList();
        if (!given.equals(config.downlinks())) {
            throw new IllegalArgumentException("the configuration names downlinks " + config.downlinks() + ", given " + given);
        }
        if (!uplink.name().equals(config.uplink())) {
            throw new IllegalArgumentException("the configuration names uplink " + config.uplink() + ", given " + uplink.name());
        }
        SwitchEvents events = new SwitchEvents(out);

        ObservableNva nva = config.nva() == null ? inMemory(config) : shared(config);
        // The NVE name is what this switch's TSIs are published under; other NVEs tunnel to it.
        NnveConfig nnveConfig = NnveConfig.builder().tagRange(config.firstTag(), config.lastTag())
                .nveName(config.localIp().address().getHostAddress()).build();
        Nnve nnve = Nnve.builder().nva(nva).policy(config.policy()).config(nnveConfig).build();
        nnve.addListener(events);

        List<VdpStack> stacks = new ArrayList<>();
        List<DataPort> trunks = new ArrayList<>();
        for (int i = 0; i < downlinks.size(); i++) {
            Downlink d = downlinks.get(i);
            VdpStack stack = VdpStack.bridge(d.control(), scheduler, seed + i);
            stacks.add(stack);
            // Each station's timers are those negotiated with it: a neighbour cannot stretch another's keep-alive timeout.
            nnve.addPort(stack.channel(), stack.peerTimers(), station -> true, authorizations.get(d.control().name()));
            trunks.add(d.trunk());
        }
        // Started once their ports listen, so that the stations authorized before are told too.
        hostapds.forEach(HostapdAuthorization::start);

        NvaDirectory directory = new NvaDirectory(config.localIp()).attach(nva);
        for (SwitchConfig.Vn vn : config.vns()) {
            for (UnderlayAddress remote : vn.remoteNves()) {
                directory.addStatic(vn.vni(), remote);
            }
        }
        DataPlane.Builder dp = DataPlane.builder().trunkPorts(trunks).underlayPort(uplink).localAddress(config.localIp())
                .encapsulation(config.encapsulation()).directory(directory).view(nnve.dataPlaneView()).scheduler(scheduler);
        if (config.nextHopMac() != null) {
            dp.nextHopMac(config.nextHopMac());
        } else {
            dp.resolveNextHop();
        }
        SwitchAgent agent = new SwitchAgent(config, events, nnve, List.copyOf(stacks), List.copyOf(trunks), uplink, dp.build(), nva,
                List.copyOf(hostapds));
        agent.announce();
        return agent;
    }

    private static InMemoryNva inMemory(SwitchConfig config) {
        InMemoryNva nva = new InMemoryNva();
        for (SwitchConfig.Vn vn : config.vns()) {
            nva.define(new VnContext(vn.vni(), vn.name()));
        }
        return nva;
    }

    /** The etcd NVA of the configuration, reached and with the configuration's VNs defined there. */
    private static EtcdNva shared(SwitchConfig config) {
        EtcdNva nva = EtcdNva.start(config.nva());
        try {
            if (!nva.awaitUp(NVA_WAIT)) {
                throw new IllegalStateException("cannot reach etcd at " + config.nva().uri() + " within " + NVA_WAIT.toSeconds() + " s");
            }
            for (SwitchConfig.Vn vn : config.vns()) {
                nva.define(new VnContext(vn.vni(), vn.name())).get(NVA_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
            return nva;
        } catch (ExecutionException e) {
            nva.close();
            throw new IllegalStateException("etcd at " + config.nva().uri() + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            nva.close();
            throw new IllegalStateException("etcd at " + config.nva().uri() + " did not answer", e);
        } catch (InterruptedException e) {
            nva.close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reaching etcd", e);
        } catch (RuntimeException e) {
            nva.close();
            throw e;
        }
    }

    private void announce() {
        ObjectNode n = events.line("started");
        ArrayNode ports = n.putArray("downlinks");
        for (VdpStack s : stacks) {
            ports.addObject().put("port", s.link().name()).put("mac", s.link().macAddress().toString());
        }
        n.putObject("uplink").put("port", uplink.name()).put("mac", uplink.macAddress().toString());
        n.put("localIp", config.localIp().toString()).put("encapsulation", config.encapsulation().name())
                .put("nextHop", config.nextHopMac() == null ? "ARP/ND" : config.nextHopMac().toString())
                .put("localTags", config.firstTag() + "-" + config.lastTag()).put("policyFile", config.policyFile().toString());
        if (config.nva() != null) {
            n.put("nva", config.nva().uri()).put("nvaLeaseTtl", config.nva().leaseTtl().toSeconds());
        }
        if (config.dot1x() != null) {
            n.put("dot1x", config.dot1x().toString());
        }
        ArrayNode vns = n.putArray("vns");
        for (SwitchConfig.Vn vn : config.vns()) {
            ArrayNode remotes = vns.addObject().put("vni", vn.vni().value()).put("name", vn.name()).putArray("remoteNves");
            vn.remoteNves().forEach(r -> remotes.add(r.toString()));
        }
        events.emit(n);
        LOG.info("switch agent: started on {} and {}", config.downlinks(), config.uplink());
    }

    public SwitchConfig config() {
        return config;
    }

    /** The control plane, for a switch OS that wants to show TSIs and VAPs or de-associate from its own CLI. */
    public Nnve nnve() {
        return nnve;
    }

    public DataPlane dataPlane() {
        return dataPlane;
    }

    /** The NVA: in memory, or the etcd one the configuration names. */
    public ObservableNva nva() {
        return nva;
    }

    /**
     * Prints the counters, stops forwarding and answering, and closes every link and port. Held TSIs are not
     * de-associated: a switch that restarts keeps its stations' VMs connected if it is back before their keep-alive
     * runs out, and a station notices a switch that is not.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        events.counters(nnve.counters(), dataPlane.counters());
        int held = nnve.totalTsis();
        dataPlane.close();
        nnve.close();
        // After the nNVE: closing them ends no authorization, and the nNVE no longer listens anyway.
        hostapds.forEach(HostapdAuthorization::close);
        if (nva instanceof EtcdNva shared) {
            // After the nNVE: the goodbye (the lease revoked) takes this switch's TSIs out of etcd at once.
            shared.close();
        }
        stacks.forEach(VdpStack::close);
        trunks.forEach(DataPort::close);
        uplink.close();
        events.emit(events.line("stopped").put("tsisHeld", held));
        LOG.info("switch agent: stopped with {} TSIs held", held);
    }

    // ------------------------------------------------------------------ on NICs

    /** {@code SwitchAgent CONFIG.json}: runs until SIGTERM or SIGINT; exit 2 on a configuration or NIC problem. */
    public static void main(String[] args) {
        CountDownLatch stop = new CountDownLatch(1);
        Thread mainThread = Thread.currentThread();
        AtomicBoolean signalled = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            signalled.set(true);
            stop.countDown();
            try {
                // The JVM must not exit before the agent printed its counters and closed its NICs.
                mainThread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "switch-agent-stop"));
        int code = run(args, System.out, System.err, stop);
        if (!signalled.get()) {
            // System.exit during a signal's shutdown would wait for the hook, which waits for this thread.
            System.exit(code);
        }
    }

    /** Loads the configuration, opens the NICs, runs until {@code stop} opens; the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err, CountDownLatch stop) {
        if (args.length != 1 || args[0].startsWith("-")) {
            err.println("usage: SwitchAgent CONFIG.json");
            return 2;
        }
        SwitchConfig config;
        try {
            config = SwitchConfig.load(Path.of(args[0]));
        } catch (SwitchConfig.BadConfigException e) {
            err.println("SwitchAgent: " + e.getMessage());
            return 2;
        }
        Libpcap.Status pcap = Libpcap.system().check();
        if (!pcap.available()) {
            err.println("SwitchAgent: " + pcap.problem());
            return 2;
        }
        Consumer<String> lines = line -> {
            synchronized (out) {
                out.println(line);
                out.flush();
            }
        };
        try (RealScheduler scheduler = new RealScheduler("switch-agent")) {
            List<AutoCloseable> opened = new ArrayList<>();
            SwitchAgent agent;
            try {
                List<Downlink> downlinks = new ArrayList<>();
                for (String ifname : config.downlinks()) {
                    // Two handles on the port: the kernel filters VDP's, so data frames never reach the protocol thread.
                    PcapLink control = track(opened, PcapLink.open(ifname, EtherType.ECP, EtherType.LLDP));
                    LinkDataPort trunk = track(opened, LinkDataPort.openPcap(ifname));
                    downlinks.add(new Downlink(control, trunk));
                }
                LinkDataPort up = track(opened, LinkDataPort.openPcap(config.uplink()));
                agent = start(config, downlinks, up, scheduler, new SecureRandom().nextLong(), lines);
            } catch (LinkException | IllegalStateException e) {
                closeAll(opened);
                err.println("SwitchAgent: " + e.getMessage());
                return 2;
            }
            try (agent) {
                stop.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return 0;
    }

    private static <T extends AutoCloseable> T track(List<AutoCloseable> opened, T port) {
        opened.add(port);
        return port;
    }

    private static void closeAll(List<AutoCloseable> opened) {
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception e) {
                LOG.warn("switch agent: closing {}: {}", opened.get(i), e.getMessage());
            }
        }
    }
}
