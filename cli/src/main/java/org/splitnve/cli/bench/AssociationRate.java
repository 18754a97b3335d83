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
import org.splitnve.ecptransport.link.Link;
import org.splitnve.ecptransport.link.PcapLink;
import org.splitnve.ecptransport.vdp.VdpStack;
import org.splitnve.nnve.Nnve;
import org.splitnve.nnve.nva.InMemoryNva;
import org.splitnve.nnve.nva.VnContext;
import org.splitnve.testsupport.InNamespace;
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
 * Associations per second between our station and our bridge in two namespaces joined by a veth pair, on pcap
 * links. Every VSI requested at once, so that the VDP channel packs them into VDPDUs filled to the veth's MTU; or one
 * VSI in flight at a time, which is how lldpad is driven with vdptool ({@link LldpadRate}), for a like-for-like row.
 *
 * <p>A cold JVM spends most of its first rounds compiling, so the timed round comes after warm-up rounds on the same
 * engines (each associates every VSI and de-associates it again); the first warm-up round's rate is reported too, as
 * the cold figure.
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
     * @param vsis          VSIs associated in the timed round
     * @param seconds       from the first request to the last response
     * @param pdus          VDPDUs the station sent in the timed round
     * @param mtu           of the veth pair
     * @param warmups       warm-up rounds before it
     * @param coldPerSecond the first warm-up round's rate, JIT cold (NaN without warm-up)
     */
    public record Result(int vsis, double seconds, long pdus, int mtu, int warmups, double coldPerSecond) {
        public double perSecond() {
            return vsis / seconds;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d VSIs in %.3f s = %.1f/s, %d VDPDUs from the station, MTU %d, after %d warm-up rounds"
                    + " (cold: %.1f/s)", vsis, seconds, perSecond(), pdus, mtu, warmups, coldPerSecond);
        }
    }

    /** Our station to our bridge: {@code vsis} activations requested at once, timed until every one is answered. */
    public static Result ours(BenchLab lab, int vsis, int mtu, int warmups) throws Exception {
        try (OurPair pair = new OurPair(lab, mtu)) {
            List<TsiSpec> specs = specs(vsis, 0);
            double cold = Double.NaN;
            for (int round = 0; round < warmups; round++) {
                double s = pair.activateAll(specs);
                cold = round == 0 ? vsis / s : cold;
                pair.deassociateAll(specs);
            }
            long pdusBefore = pair.pdusOut();
            double seconds = pair.activateAll(specs);
            Result r = new Result(vsis, seconds, pair.pdusOut() - pdusBefore, mtu, warmups, cold);
            LOG.info("associations, ours: {}", r);
            return r;
        }
    }

    /**
     * Our station to our bridge with one VSI in flight at a time: each activation waits for the one before to be
     * answered, as a vdptool call per VSI does. One warm-up round of {@code vsis} at once comes first.
     */
    public static Result oursOneAtATime(BenchLab lab, int vsis) throws Exception {
        try (OurPair pair = new OurPair(lab, Link.STANDARD_MTU)) {
            List<TsiSpec> warm = specs(vsis, 1);
            pair.activateAll(warm);
            pair.deassociateAll(warm);
            List<TsiSpec> specs = specs(vsis, 0);
            long pdusBefore = pair.pdusOut();
            long t0 = System.nanoTime();
            for (TsiSpec s : specs) {
                lab.checkCancelled();
                await(List.of(pair.tnve.activate(s, Migration.NONE)));
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            pair.checkHeld(vsis);
            Result r = new Result(vsis, seconds, pair.pdusOut() - pdusBefore, Link.STANDARD_MTU, 1, Double.NaN);
            LOG.info("associations one at a time, ours: {}", r);
            return r;
        }
    }

    /** The VSIs of a run: UUIDs numbered within {@code series}, a MAC each, spread over {@value #VNS} VNs. */
    private static List<TsiSpec> specs(int vsis, int series) {
        List<TsiSpec> specs = new ArrayList<>(vsis);
        for (int i = 0; i < vsis; i++) {
            specs.add(TsiSpec.builder().vsiId(new VsiId.Uuid(new UUID(0x5a3b0c1d00004000L + series, i)))
                    .managerId(ManagerId.ofName(MANAGER)).typeId(TYPE_ID).typeVersion(1)
                    .vn(VnId.of(FIRST_VN + i % VNS))
                    .address(new TsiAddress.Mac(MacAddress.valueOf(0x020000100000L + ((long) series << 24) + i))).build());
        }
        return specs;
    }

    private static void await(List<CompletableFuture<?>> done) throws InterruptedException {
        try {
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(ALL_ANSWERED.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("an association failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("not every association was answered within " + ALL_ANSWERED, e);
        }
    }

    /** Our station and bridge with their clocks, links and stacks on a fresh veth pair, EVB heard both ways. */
    private static final class OurPair implements AutoCloseable {
        private final VethNamespaces ns;
        private final VdpStack station;
        private final Nnve nnve;
        private final Tnve tnve;

        OurPair(BenchLab lab, int mtu) throws Exception {
            ns = lab.vethPair("rate-st", "02:00:00:00:0d:01", "rate-br", "02:00:00:00:0d:02");
            try {
                if (mtu != Link.STANDARD_MTU) {
                    // Before the links open: they read the MTU to size their PDUs and captures.
                    ns.a().exec("ip", "link", "set", "dev", ns.ifA(), "mtu", Integer.toString(mtu));
                    ns.b().exec("ip", "link", "set", "dev", ns.ifB(), "mtu", Integer.toString(mtu));
                }
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
                nnve = ns.track(Nnve.builder().nva(nva).build());
                nnve.addPort(bridge.channel(), bridge.timersSource());
                ns.track(() -> awaitGoodbye(bridge));
                station = ns.track(VdpStack.station(stLink, stClock, 1));
                Optional<MacAddress> peer = station.awaitEvbPeer(EvbMode.BRIDGE, EVB_WAIT);
                if (peer.isEmpty()) {
                    throw new IllegalStateException("our station heard no EVB bridge within " + EVB_WAIT);
                }
                tnve = ns.track(Tnve.builder().channel(station.channel()).timers(station.timersSource()).bridge(peer.get()).build().start());
            } catch (Exception | Error e) {
                ns.close();
                throw e;
            }
        }

        /** Activates every VSI at once and waits for all answers; returns the seconds from the first request to the last answer. */
        double activateAll(List<TsiSpec> specs) throws InterruptedException {
            long t0 = System.nanoTime();
            List<CompletableFuture<?>> done = new ArrayList<>(specs.size());
            for (TsiSpec s : specs) {
                done.add(tnve.activate(s, Migration.NONE));
            }
            await(done);
            double seconds = (System.nanoTime() - t0) / 1e9;
            checkHeld(specs.size());
            return seconds;
        }

        void deassociateAll(List<TsiSpec> specs) throws InterruptedException {
            List<CompletableFuture<?>> done = new ArrayList<>(specs.size());
            for (TsiSpec s : specs) {
                done.add(tnve.deassociate(s.vsiId()));
            }
            await(done);
            checkHeld(0);
        }

        void checkHeld(int vsis) {
            if (nnve.totalTsis() != vsis) {
                throw new IllegalStateException("the bridge holds " + nnve.totalTsis() + " TSIs, not " + vsis);
            }
        }

        long pdusOut() {
            return station.channel().counters().pdusOut();
        }

        @Override
        public void close() {
            ns.close();
        }
    }

    /** Waits, briefly, until the bridge no longer lists the station as its LLDP neighbour. */
    private static void awaitGoodbye(VdpStack bridge) throws InterruptedException {
        long deadline = System.nanoTime() + GOODBYE_WAIT.toNanos();
        while (bridge.evbPeer(EvbMode.STATION).isPresent() && System.nanoTime() - deadline < 0) {
            Thread.sleep(10);
        }
    }
}
