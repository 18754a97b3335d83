package org.splitnve.nvedataplane;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.ecptransport.clock.Scheduler;
import org.splitnve.nnve.DataPlaneListener;
import org.splitnve.nnve.DataPlaneView;
import org.splitnve.nnve.TsiView;
import org.splitnve.nnve.nva.VnContext;
import org.splitnve.nvedataplane.codec.Encapsulation;
import org.splitnve.nvedataplane.codec.Ipv4;
import org.splitnve.nvedataplane.directory.OverlayDirectory;
import org.splitnve.nvedataplane.port.BufferPool;
import org.splitnve.nvedataplane.port.DataPort;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.VnId;

/**
 * The nNVE forwarding engine (docs/PROTOCOL.md section 5): frames tagged with a VN's local tag on a
 * trunk port are checked against the Activated TSIs of that port and VN, then delivered to
 * another local port with that port's tag or encapsulated (VXLAN or Geneve) toward the remote
 * NVE; broadcast, multicast and unknown unicast are replicated head-end to every remote NVE of the
 * VN and to the VN's other local ports. Tunnel packets from the underlay are checked and delivered
 * with the local tag of the port of the Activated TSI that owns the inner destination.
 *
 * <p>Threads: frames are forwarded on the thread of the port that received them (a pcap receive
 * thread, or the sender's thread for in-memory ports), several at once if several ports deliver.
 * They read immutable snapshots of the tables, which control events (the nNVE's
 * {@link DataPlaneListener} calls on its protocol thread, directory changes) replace
 * copy-on-write; each forwarding thread has its own scratch buffer, so the forwarding path takes
 * no lock and allocates nothing. Timers (migration hold, ARP/ND retries) run on the scheduler.
 *
 * <p>This class wires one collaborator per concern, each built once here:
 * {@link ForwardingTables} (the control events and the snapshots), {@link StationIngress} with
 * its {@link SourceGuard}, {@link UnderlayIngress}, {@link TsiDelivery}, {@link MigrationHold} and
 * {@link MulticastQuerier} (the two sides of a migration), {@link UnderlayNeighbors} (ARP/ND on
 * the underlay), {@link Encapsulator} and {@link Egress} (the one send path).
 *
 * <p>{@link Builder#view} registers the forwarding tables as the nNVE's
 * {@link DataPlaneListener}; the data plane is one too, so that tests may call the listener
 * methods directly.
 */
public final class DataPlane implements DataPlaneListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DataPlane.class);

    private final DataPort[] trunks;
    private final DataPort underlay;
    private final UnderlayAddress local;
    private final Encapsulation encapsulation;
    private final DataPlaneCounters counters = new DataPlaneCounters();
    private final ForwardingTables tables;
    private final StationIngress stationIngress;
    private final UnderlayIngress underlayIngress;
    private final UnderlayNeighbors neighbors;
    private volatile boolean closed;

    private DataPlane(Builder b) {
        this.trunks = b.trunks.toArray(new DataPort[0]);
        this.underlay = Objects.requireNonNull(b.underlay, "underlay port is required");
        this.local = Objects.requireNonNull(b.local, "local underlay address is required");
        this.encapsulation = b.encapsulation;
        OverlayDirectory directory = Objects.requireNonNull(b.directory, "directory is required");
        Scheduler scheduler = Objects.requireNonNull(b.scheduler, "scheduler is required");
        if (b.gateway != null && b.gateway.isIpv6() != local.isIpv6()) {
            throw new IllegalArgumentException("gateway " + b.gateway + " and local address " + local + " are of different families");
        }
        Scratch.PerThread scratches = new Scratch.PerThread(b.maxFrame + 256);
        // Frames held for a moved TSI and for an unresolved next hop share one pool.
        BufferPool heldPool = new BufferPool(b.maxFrame + 128, 1024);
        Egress egress = new Egress(trunks, underlay, counters);
        this.neighbors = new UnderlayNeighbors(egress, scratches, scheduler, local, heldPool, b.maxHeldPerNeighbor, b.maxUnderlayNeighbors,
                b.neighborReachable, counters);
        Encapsulator encapsulator = new Encapsulator(egress, neighbors, counters, local, b.nextHopMac == null ? -1 : b.nextHopMac.toLong(),
                b.gateway, encapsulation, b.ttl);
        MigrationHold hold = new MigrationHold(egress, encapsulator, directory, scratches, scheduler, b.migrationHold, heldPool,
                b.maxHeldPerTsi, counters);
        MulticastQuerier querier = new MulticastQuerier(egress, scratches, (int) b.queryMaxResponse.toMillis());
        this.tables = new ForwardingTables(Arrays.stream(trunks).map(DataPort::name).toList(), hold, querier, directory);
        TsiDelivery delivery = new TsiDelivery(egress, hold);
        this.stationIngress = new StationIngress(tables, new SourceGuard(b.maxFrame), egress, encapsulator, delivery, directory,
                scratches, counters, b.answerAddressResolution);
        this.underlayIngress = new UnderlayIngress(tables, egress, delivery, neighbors, scratches, counters, local, encapsulation,
                b.acceptZeroUdp6Checksum, b.verifyUdpChecksums, b.maxFrame);
        for (int i = 0; i < trunks.length; i++) {
            int trunk = i;
            trunks[i].receiver((port, frame) -> onTrunkFrame(trunk, frame));
        }
        underlay.receiver((port, frame) -> onUnderlayFrame(frame));
        directory.addListener(tables::onDirectoryChanged);
        if (b.view != null) {
            tables.follow(b.view);
        }
        LOG.info("dataplane: {} trunk ports {}, underlay {} {} ({}), {}, next hop {}", trunks.length,
                Arrays.stream(trunks).map(DataPort::name).toList(), underlay.name(), local, underlay.macAddress(),
                encapsulation, b.nextHopMac != null ? b.nextHopMac : "ARP/ND" + (b.gateway == null ? "" : " via " + b.gateway));
    }

    /** Starts wiring a data plane. */
    public static Builder builder() {
        return new Builder();
    }

    public DataPlaneCounters counters() {
        return counters;
    }

    public UnderlayAddress localAddress() {
        return local;
    }

    public Encapsulation encapsulation() {
        return encapsulation;
    }

    /** The Activated TSIs this data plane forwards for, for logs and tests. */
    public List<TsiView> activeTsis() {
        return tables.activeTsis();
    }

    /** MACs of moved TSIs whose frames are still tunnelled to their new NVE. */
    public int movedTsis() {
        return tables.movedTsis();
    }

    /** The MAC resolved for an underlay neighbour, if any. */
    public Optional<MacAddress> neighbor(InetAddress ip) {
        return neighbors.macOf(ip);
    }

    @Override
    public void onVnMapped(String port, VnId vn, LocalTag tag, VnContext context) {
        tables.onVnMapped(port, vn, tag, context);
    }

    @Override
    public void onVnUnmapped(String port, VnId vn, LocalTag tag) {
        tables.onVnUnmapped(port, vn, tag);
    }

    @Override
    public void onTsiActivated(TsiView tsi) {
        tables.onTsiActivated(tsi);
    }

    @Override
    public void onTsiDeactivated(TsiView tsi, String why) {
        tables.onTsiDeactivated(tsi, why);
    }

    @Override
    public void onTsiDeactivated(TsiView tsi, String why, boolean mayHaveMoved) {
        tables.onTsiDeactivated(tsi, why, mayHaveMoved);
    }

    @Override
    public void onActivatedWithMigration(TsiView tsi) {
        tables.onActivatedWithMigration(tsi);
    }

    private void onTrunkFrame(int trunk, ByteBuffer frame) {
        if (!closed) {
            stationIngress.receive(trunk, frame);
        }
    }

    private void onUnderlayFrame(ByteBuffer frame) {
        if (!closed) {
            underlayIngress.receive(frame);
        }
    }

    /**
     * Stops forwarding: receivers are detached, migration and ARP/ND retry timers cancelled, and frames still held
     * (for a moved TSI or a next hop) dropped; the ports stay the caller's.
     */
    @Override
    public void close() {
        closed = true;
        for (DataPort trunk : trunks) {
            trunk.receiver(null);
        }
        underlay.receiver(null);
        tables.close();
        neighbors.close();
        LOG.info("dataplane: closed; {}", counters);
    }

    @Override
    public String toString() {
        return "DataPlane[" + local + " " + encapsulation + ", " + trunks.length + " trunks]";
    }

    /**
     * Wires a data plane. Required: the underlay port, the local underlay address, the directory
     * and a scheduler; trunk ports and the nNVE's view are what makes it useful.
     *
     * <pre>{@code
     * DataPlane dp = DataPlane.builder()
     *         .trunkPort(new LinkDataPort(vdpLinkOfEth1, false))   // shares the VDP stack's link
     *         .underlayPort(LinkDataPort.openPcap("eth0"))
     *         .localAddress(InetAddress.getByName("192.0.2.1"))
     *         .resolveNextHop()                                     // or .nextHopMac(mac)
     *         .encapsulation(Encapsulation.VXLAN)
     *         .directory(new NvaDirectory(UnderlayAddress.parse("192.0.2.1")).attach(nva))
     *         .view(nnve.dataPlaneView())
     *         .scheduler(scheduler)
     *         .build();
     * }</pre>
     */
    public static final class Builder {
        private final List<DataPort> trunks = new ArrayList<>();
        private DataPort underlay;
        private UnderlayAddress local;
        private MacAddress nextHopMac;
        private UnderlayAddress gateway;
        private Encapsulation encapsulation = Encapsulation.VXLAN;
        private OverlayDirectory directory;
        private DataPlaneView view;
        private Scheduler scheduler;
        private Duration migrationHold = Duration.ofSeconds(30);
        private int maxFrame = 9216;
        private int ttl = Ipv4.DEFAULT_TTL;
        private boolean acceptZeroUdp6Checksum;
        private boolean verifyUdpChecksums;
        private boolean answerAddressResolution = true;
        private Duration neighborReachable = Duration.ofSeconds(30);
        private Duration queryMaxResponse = Duration.ofSeconds(10);
        private int maxHeldPerTsi = 256;
        private int maxHeldPerNeighbor = 64;
        private int maxUnderlayNeighbors = 4096;

        private Builder() {
        }

        /** A port facing stations; its name must be the nNVE's name for it. */
        public Builder trunkPort(DataPort p) {
            trunks.add(Objects.requireNonNull(p, "trunk port"));
            return this;
        }

        public Builder trunkPorts(List<? extends DataPort> ps) {
            ps.forEach(this::trunkPort);
            return this;
        }

        public Builder underlayPort(DataPort p) {
            underlay = Objects.requireNonNull(p, "underlay port");
            return this;
        }

        /** This NVE's underlay address (IPv4 or IPv6): the outer source, and what tunnels must be sent to. */
        public Builder localAddress(InetAddress a) {
            local = UnderlayAddress.of(a);
            return this;
        }

        public Builder localAddress(UnderlayAddress a) {
            local = Objects.requireNonNull(a);
            return this;
        }

        /** Every outer frame goes to this MAC (a router, or a point-to-point peer). */
        public Builder nextHopMac(MacAddress mac) {
            nextHopMac = Objects.requireNonNull(mac);
            return this;
        }

        /** Resolve each remote NVE's MAC by ARP (IPv4) or ND (IPv6) on the underlay (the default). */
        public Builder resolveNextHop() {
            nextHopMac = null;
            gateway = null;
            return this;
        }

        /** Resolve this gateway's MAC by ARP/ND and send every outer frame to it. */
        public Builder gateway(InetAddress a) {
            nextHopMac = null;
            gateway = UnderlayAddress.of(a);
            return this;
        }

        public Builder encapsulation(Encapsulation e) {
            encapsulation = Objects.requireNonNull(e);
            return this;
        }

        public Builder directory(OverlayDirectory d) {
            directory = Objects.requireNonNull(d);
            return this;
        }

        /** The nNVE's view ({@code nnve.dataPlaneView()}): the data plane registers as its listener. */
        public Builder view(DataPlaneView v) {
            view = Objects.requireNonNull(v);
            return this;
        }

        /** Where timers run (the nNVE's scheduler is fine). */
        public Builder scheduler(Scheduler s) {
            scheduler = Objects.requireNonNull(s);
            return this;
        }

        /** How long frames for a TSI that moved away are tunnelled to its new NVE (vmm-05 section 5). */
        public Builder migrationHold(Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("migration hold must be positive: " + d);
            }
            migrationHold = d;
            return this;
        }

        /** Longest frame forwarded, tag included (default 9216). */
        public Builder maxFrame(int n) {
            if (n < 64 || n > 65_000) {
                throw new IllegalArgumentException("max frame out of range: " + n);
            }
            maxFrame = n;
            return this;
        }

        public Builder ttl(int n) {
            if (n < 1 || n > 255) {
                throw new IllegalArgumentException("TTL out of range: " + n);
            }
            ttl = n;
            return this;
        }

        /**
         * Verify the outer UDP checksum of received tunnel packets (default off). The outer IPv4
         * header checksum is always verified. Off by default because a pcap port whose peer
         * offloads checksums (veth, many NICs) sees unfinished UDP checksums, and RFC 7348 lets a
         * tunnel endpoint accept without checking; turn it on for NICs that deliver final sums.
         */
        public Builder verifyUdpChecksums(boolean v) {
            verifyUdpChecksums = v;
            return this;
        }

        /** Accept tunnel packets over IPv6 with UDP checksum 0 (RFC 6935); off by default, like Linux. */
        public Builder acceptZeroUdp6Checksum(boolean v) {
            acceptZeroUdp6Checksum = v;
            return this;
        }

        /** Answer ARP requests and neighbour solicitations for known addresses locally (default on). */
        public Builder answerAddressResolution(boolean v) {
            answerAddressResolution = v;
            return this;
        }

        public Builder neighborReachable(Duration d) {
            neighborReachable = Objects.requireNonNull(d);
            return this;
        }

        public Builder queryMaxResponse(Duration d) {
            queryMaxResponse = Objects.requireNonNull(d);
            return this;
        }

        public Builder maxHeldPerTsi(int n) {
            maxHeldPerTsi = n;
            return this;
        }

        public Builder maxHeldPerNeighbor(int n) {
            maxHeldPerNeighbor = n;
            return this;
        }

        /** Underlay next hops resolved and kept at once (default 4,096); one more is dropped until an old one ages out. */
        public Builder maxUnderlayNeighbors(int n) {
            maxUnderlayNeighbors = n;
            return this;
        }

        public DataPlane build() {
            return new DataPlane(this);
        }
    }
}
