package org.splitnve.conformance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.splitnve.ecptransport.clock.RealScheduler;
import org.splitnve.ecptransport.ecp.EcpConfig;
import org.splitnve.ecptransport.ecp.TransportFault;
import org.splitnve.ecptransport.link.LinkFaults;
import org.splitnve.ecptransport.link.MemoryLink;
import org.splitnve.ecptransport.lldp.LldpAgent;
import org.splitnve.ecptransport.lldp.LldpAgentConfig;
import org.splitnve.ecptransport.vdp.VdpStack;
import org.splitnve.nnve.BridgeFault;
import org.splitnve.nnve.Nnve;
import org.splitnve.nnve.NnveConfig;
import org.splitnve.nnve.policy.AuthorizationPolicy;
import org.splitnve.tnve.Migration;
import org.splitnve.tnve.StationFault;
import org.splitnve.tnve.Tnve;
import org.splitnve.tnve.TnveConfig;
import org.splitnve.tnve.TsiAddress;
import org.splitnve.tnve.TsiSpec;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.lldp.EvbMode;
import org.splitnve.vdpcore.vdp.VdpDecoder;
import org.splitnve.vdpcore.vdp.VdpEncoder;
import org.splitnve.vdpcore.vdp.VnId;

/**
 * The suite against our own engines (or against nothing) over an in-memory link, in real time, as the
 * suite runs against a NIC: our nNVE as the bridge under test, our tNVE as the station under test (with
 * an administrator that drives it through {@link #STATION_SCENARIO}), a bare LLDP agent, or a link with
 * nothing behind it. Each engine can have deliberate defects switched on ({@link TransportFault},
 * {@link BridgeFault}, {@link StationFault}). Short timers on both ends keep a run to seconds: against a
 * bridge RKA 16 (0.66 s keep-alive) and RWD 14 (0.16 s resource wait), against a station RKA 14 (0.16 s).
 */
final class ConformanceTestBed implements AutoCloseable {

    static final MacAddress SUITE = MacAddress.valueOf("02:00:00:00:c0:01");
    static final MacAddress PEER = MacAddress.valueOf("02:00:00:00:c0:02");
    static final int BRIDGE_RKA = 16;
    static final int BRIDGE_RWD = 14;
    static final int STATION_RKA = 14;

    /**
     * What the station's administrator does, in order: activate A (the suite's tracked VSI) as a
     * migration destination in GroupID/MAC/VID; activate C (GroupID/VID), D (GroupID/IP/VID) and E
     * (GroupID/MAC/VID), which the suite refuses with error 2 and keep, error 5 and a hard error;
     * activate B (GroupID/MAC/IP/VID); and once B is active, deactivate it (Associate to Pre-Associate).
     */
    static final String STATION_SCENARIO = "A (migration in), C, D, E (refused), B activated then deactivated";

    private final RealScheduler wireClock = new RealScheduler("suite-wire");
    private final RealScheduler peerClock = new RealScheduler("peer-under-test");
    final MemoryLink suiteLink;
    final MemoryLink peerLink;
    private final List<AutoCloseable> peers = new ArrayList<>();
    VdpStack stack;
    Tnve tnve;
    private CompletableFuture<Void> admin;

    private ConformanceTestBed() {
        MemoryLink[] wire = MemoryLink.pair(wireClock, "suite", SUITE, "peer", PEER, LinkFaults.NONE);
        suiteLink = wire[0];
        peerLink = wire[1];
    }

    /** Our nNVE on the far end, with these defects switched on. */
    static ConformanceTestBed bridge(Set<TransportFault> transport, Set<BridgeFault> bridge) {
        ConformanceTestBed bed = new ConformanceTestBed();
        LldpAgentConfig lldp = LldpAgentConfig.bridge().withEvbPolicy(LldpAgentConfig.bridge().evbPolicy().toBuilder().rwd(BRIDGE_RWD)
                .rka(BRIDGE_RKA).build()).withFaults(transport);
        bed.stack = VdpStack.start(bed.peerLink, bed.peerClock, lldp, EcpConfig.DEFAULT.withFaults(transport), new VdpDecoder(), new VdpEncoder(), 7);
        Nnve nnve = Nnve.builder().nva(SplitNveTestBed.nva()).policy(AuthorizationPolicy.allowAll())
                .config(NnveConfig.builder().nveName("own").faults(bridge).build()).build();
        nnve.addPort(bed.stack.channel(), bed.stack.timersSource());
        bed.peers.add(nnve);
        bed.peers.add(bed.stack);
        return bed;
    }

    /** Our tNVE on the far end, with these defects switched on, driven through {@link #STATION_SCENARIO}. */
    static ConformanceTestBed station(Set<TransportFault> transport, Set<StationFault> station) {
        ConformanceTestBed bed = new ConformanceTestBed();
        LldpAgentConfig lldp = LldpAgentConfig.station().withEvbPolicy(LldpAgentConfig.station().evbPolicy().toBuilder().rka(STATION_RKA).build())
                .withFaults(transport);
        bed.stack = VdpStack.start(bed.peerLink, bed.peerClock, lldp, EcpConfig.DEFAULT.withFaults(transport), new VdpDecoder(), new VdpEncoder(), 7);
        bed.tnve = Tnve.builder().channel(bed.stack.channel()).timers(bed.stack.timersSource()).bridge(SUITE)
                .config(TnveConfig.builder().faults(station).build()).build().start();
        bed.peers.add(bed.tnve);
        bed.peers.add(bed.stack);
        bed.admin = CompletableFuture.runAsync(bed::administer);
        return bed;
    }

    /** Only an LLDP agent advertising EVB in {@code mode} on the far end: no ECP, no VDP behind it. */
    static ConformanceTestBed lldpOnly(EvbMode mode) {
        ConformanceTestBed bed = new ConformanceTestBed();
        LldpAgentConfig c = mode == EvbMode.BRIDGE
                ? LldpAgentConfig.bridge().withEvbPolicy(LldpAgentConfig.bridge().evbPolicy().toBuilder().rwd(BRIDGE_RWD).rka(BRIDGE_RKA).build())
                : LldpAgentConfig.station().withEvbPolicy(LldpAgentConfig.station().evbPolicy().toBuilder().rka(STATION_RKA).build());
        bed.peers.add(new LldpAgent(bed.peerLink, bed.peerClock, c).start());
        return bed;
    }

    /** A link with nothing behind it. */
    static ConformanceTestBed nothing() {
        return new ConformanceTestBed();
    }

    /** The suite's options against a bridge: RWD 14 and RKA 16 on our side too, 1 s of slack. */
    static ConformanceOptions.Builder bridgeOptions() {
        return ConformanceOptions.builder(PeerRole.BRIDGE).seed(1).vn(SplitNveTestBed.VN1.value()).evbTimers(3, 8, BRIDGE_RWD, BRIDGE_RKA)
                .peerTimeout(Duration.ofSeconds(5)).responseTimeout(Duration.ofSeconds(1));
    }

    /** The suite's options against a station: RKA 14 on our side too, 1 s of slack. */
    static ConformanceOptions.Builder stationOptions() {
        return ConformanceOptions.builder(PeerRole.STATION).seed(1).vn(SplitNveTestBed.VN1.value()).evbTimers(3, 8, 20, STATION_RKA)
                .peerTimeout(Duration.ofSeconds(5)).responseTimeout(Duration.ofSeconds(1)).stationWait(Duration.ofSeconds(10));
    }

    ConformanceReport run(ConformanceOptions options) {
        return ConformanceSuite.run(suiteLink, options, r -> { });
    }

    /**
     * Asks for all five TSIs at once, in the order the suite counts them (one VDPDU, so that a station
     * broken on purpose cannot delay the later ones), then deactivates B once it is active.
     */
    private void administer() {
        try {
            if (stack.awaitEvbPeer(EvbMode.BRIDGE, Duration.ofSeconds(10)).isEmpty()) {
                return;
            }
            TsiSpec b = spec(2, VnId.of(5002), TsiAddress.macIp(SplitNveTestBed.vmMac(2), SplitNveTestBed.ip("10.0.0.2")));
            CompletableFuture<CompletableFuture<?>> activated = new CompletableFuture<>();
            // On the protocol thread the five requests are queued before the channel's flush, so they share one VDPDU.
            stack.scheduler().execute(() -> {
                tnve.activate(spec(1, VnId.of(5001), TsiAddress.mac(SplitNveTestBed.vmMac(1))), Migration.TO_THIS_STATION);
                tnve.activate(spec(3, VnId.of(5001)), Migration.NONE);
                tnve.activate(spec(4, VnId.of(5002), TsiAddress.ip(SplitNveTestBed.ip("10.0.0.4"))), Migration.NONE);
                tnve.activate(spec(5, VnId.of(5002), TsiAddress.mac(SplitNveTestBed.vmMac(5))), Migration.NONE);
                activated.complete(tnve.activate(b, Migration.NONE));
            });
            attempt(activated.join());
            attempt(tnve.deactivate(b.vsiId(), Migration.NONE));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for an operation of the administrator; a refusal or a station broken on purpose is the suite's to judge. */
    private static void attempt(CompletableFuture<?> op) throws InterruptedException {
        try {
            op.get(3, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // judged on the wire
        }
    }

    private static TsiSpec spec(int n, VnId vn, TsiAddress... addresses) {
        return TsiSpec.builder().vsiId(SplitNveTestBed.vsi(n)).managerId(SplitNveTestBed.MGR).typeId(0x123456).typeVersion(1).vn(vn)
                .addresses(List.of(addresses)).build();
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.cancel(true);
        }
        for (AutoCloseable c : peers) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing " + c, e);
            }
        }
        peerClock.close();
        wireClock.close();
    }
}
