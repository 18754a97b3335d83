package org.splitnve.cli.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.ecptransport.clock.RealScheduler;
import org.splitnve.ecptransport.link.PcapLink;
import org.splitnve.ecptransport.vdp.VdpStack;
import org.splitnve.nnve.Nnve;
import org.splitnve.nnve.nva.InMemoryNva;
import org.splitnve.nnve.nva.VnContext;
import org.splitnve.testsupport.InNamespace;
import org.splitnve.testsupport.Lldpad;
import org.splitnve.testsupport.LldpadConfig;
import org.splitnve.tnve.Migration;
import org.splitnve.tnve.Tnve;
import org.splitnve.tnve.TsiAddress;
import org.splitnve.tnve.TsiSpec;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.frame.EtherType;
import org.splitnve.vdpcore.lldp.EvbMode;
import org.splitnve.vdpcore.vdp.ManagerId;
import org.splitnve.vdpcore.vdp.VnId;
import org.splitnve.vdpcore.vdp.VsiId;

/**
 * Associations per second between a station and a bridge in two namespaces joined by a veth pair. Ours: our tNVE
 * and nNVE on pcap links, every VSI requested at once, so the VDP channel packs them into shared VDPDUs. lldpad's:
 * one {@code vdptool} call per VSI, each waiting for the bridge's response, which is how lldpad is driven.
 */
public final class AssociationRate {

    private static final Logger LOG = LoggerFactory.getLogger(AssociationRate.class);

    /** How long a pair of ends gets to hear each other's EVB TLV. */
    private static final Duration EVB_WAIT = Duration.ofSeconds(30);
    /** An LLDPDU with TTL 0 crosses a veth pair in well under this. */
    private static final Duration GOODBYE_WAIT = Duration.ofSeconds(1);
    /** Far more than any run needs; only a stuck exchange reaches it. */
    private static final Duration ALL_ANSWERED = Duration.ofMinutes(5);
    /** VSIs are spread over this many VNs, so the bridge also allocates tags. */
    static final int VNS = 10;
    static final int FIRST_VN = 5001;
    static final String MANAGER = "snvmgr";
    static final int TYPE_ID = 4711;

    private AssociationRate() {
    }

    /**
     * One run.
     *
     * @param vsis    VSIs associated
     * @param seconds from the first request to the last response
     * @param pdus    VDPDUs the station sent (0 where not known)
     */
    public record Result(int vsis, double seconds, long pdus) {
        public double perSecond() {
            return vsis / seconds;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d VSIs in %.3f s = %.1f/s%s", vsis, seconds, perSecond(),
                    pdus > 0 ? ", " + pdus + " VDPDUs from the station" : "");
        }
    }

    /** Our station to our bridge: {@code vsis} activations requested at once, timed until every one is answered. */
    public static Result ours(BenchLab lab, int vsis) throws Exception {
        try (VethNamespaces ns = lab.vethPair("rate-st", "02:00:00:00:0d:01", "rate-br", "02:00:00:00:0d:02")) {
            // Tracked first, so closed after the stacks (which finish their work on them) and before the namespaces go.
            RealScheduler stClock = ns.track(new RealScheduler("bench-station"));
            RealScheduler brClock = ns.track(new RealScheduler("bench-bridge"));
            // Tracked at once (their stacks close them again, which is harmless): an open handle keeps a namespace alive.
            PcapLink stLink = ns.track(InNamespace.call(ns.a(), () -> PcapLink.open(ns.ifA(), EtherType.ECP, EtherType.LLDP)));
            PcapLink brLink = ns.track(InNamespace.call(ns.b(), () -> PcapLink.open(ns.ifB(), EtherType.ECP, EtherType.LLDP)));
            // Closed in reverse: the station first, and the bridge only once it has taken in the station's LLDP
            // goodbye, so that neither agent is still answering its peer while its scheduler shuts down.
            VdpStack bridge = ns.track(VdpStack.bridge(brLink, brClock, 2));
            InMemoryNva nva = new InMemoryNva();
            for (int v = 0; v < VNS; v++) {
                nva.define(new VnContext(VnId.of(FIRST_VN + v), "bench-" + (FIRST_VN + v)));
            }
            Nnve nnve = ns.track(Nnve.builder().nva(nva).build());
            nnve.addPort(bridge.channel(), bridge.timersSource());
            ns.track(() -> awaitGoodbye(bridge));
            VdpStack station = ns.track(VdpStack.station(stLink, stClock, 1));
            Optional<MacAddress> peer = station.awaitEvbPeer(EvbMode.BRIDGE, EVB_WAIT);
            if (peer.isEmpty()) {
                throw new IllegalStateException("our station heard no EVB bridge within " + EVB_WAIT);
            }
            Tnve tnve = ns.track(Tnve.builder().channel(station.channel()).timers(station.timersSource())
                    .bridge(peer.get()).build().start());

            List<TsiSpec> specs = new ArrayList<>(vsis);
            for (int i = 0; i < vsis; i++) {
                specs.add(TsiSpec.builder().vsiId(new VsiId.Uuid(new UUID(0x5a3b0c1d00004000L, i)))
                        .managerId(ManagerId.ofName(MANAGER)).typeId(TYPE_ID).typeVersion(1)
                        .vn(VnId.of(FIRST_VN + i % VNS))
                        .address(new TsiAddress.Mac(MacAddress.valueOf(0x020000100000L + i))).build());
            }
            long pdusBefore = station.channel().counters().pdusOut();
            long t0 = System.nanoTime();
            List<CompletableFuture<?>> done = new ArrayList<>(vsis);
            for (TsiSpec s : specs) {
                done.add(tnve.activate(s, Migration.NONE));
            }
            try {
                CompletableFuture.allOf(done.toArray(CompletableFuture[]::new))
                        .get(ALL_ANSWERED.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                throw new IllegalStateException("an association failed: " + e.getCause().getMessage(), e.getCause());
            } catch (TimeoutException e) {
                throw new IllegalStateException("not every association was answered within " + ALL_ANSWERED, e);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (nnve.totalTsis() != vsis) {
                throw new IllegalStateException("the bridge holds " + nnve.totalTsis() + " TSIs, not " + vsis);
            }
            Result r = new Result(vsis, seconds, station.channel().counters().pdusOut() - pdusBefore);
            LOG.info("associations, ours: {}", r);
            return r;
        }
    }

    /** Waits, briefly, until the bridge no longer lists the station as its LLDP neighbour. */
    private static void awaitGoodbye(VdpStack bridge) throws InterruptedException {
        long deadline = System.nanoTime() + GOODBYE_WAIT.toNanos();
        while (bridge.evbPeer(EvbMode.STATION).isPresent() && System.nanoTime() - deadline < 0) {
            Thread.sleep(10);
        }
    }

    /** lldpad station to lldpad bridge, one {@code vdptool -W} call per VSI, timed over all of them. */
    public static Result lldpad(BenchLab lab, int vsis) {
        if (vsis > 0xFFFF) {
            throw new IllegalArgumentException("at most 65535 lldpad VSIs (their MACs number them), not " + vsis);
        }
        try (VethNamespaces ns = lab.vethPair("rate-lst", "02:00:00:00:0d:11", "rate-lbr", "02:00:00:00:0d:12")) {
            Lldpad bridge = ns.track(Lldpad.start(ns.b(), ns.ifB(), LldpadConfig.of(LldpadConfig.Role.BRIDGE).withGroupId(true)));
            Lldpad station = ns.track(Lldpad.start(ns.a(), ns.ifA(), LldpadConfig.of(LldpadConfig.Role.STATION).withGroupId(true)));
            station.waitForEvbPeer(EVB_WAIT);
            bridge.waitForEvbPeer(EVB_WAIT);
            long t0 = System.nanoTime();
            for (int i = 0; i < vsis; i++) {
                lab.checkCancelled();
                String out = station.vdptool("-i", ns.ifA(), "-T", "-W", "-V", "assoc", "-c", "mode=assoc",
                        "-c", "mgrid2=" + MANAGER, "-c", "typeid=" + TYPE_ID, "-c", "typeidver=1",
                        "-c", "uuid=" + String.format(Locale.ROOT, "7a3b0c1d-0000-4000-8000-%012d", i), "-c", "hints=none",
                        "-c", String.format(Locale.ROOT, "filter=0-02:00:00:20:%02x:%02x-%d", i >> 8, i & 0xFF, FIRST_VN + i % VNS));
                // vdptool -W exits 0 without output when no response came within its 5 s.
                if (!out.contains("Response from VDP")) {
                    throw new IllegalStateException("no VDP response to association " + (i + 1) + " of " + vsis
                            + " (vdptool printed '" + out.strip() + "')");
                }
            }
            Result r = new Result(vsis, (System.nanoTime() - t0) / 1e9, 0);
            LOG.info("associations, lldpad: {}", r);
            return r;
        }
    }
}
