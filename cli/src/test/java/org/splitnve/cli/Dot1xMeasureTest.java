package org.splitnve.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.splitnve.ecptransport.auth.AuthorizationEvent;
import org.splitnve.ecptransport.auth.HostapdAuthorization;
import org.splitnve.ecptransport.auth.PortAuthorizationListener;
import org.splitnve.ecptransport.auth.SupplicantAuthorization;
import org.splitnve.ecptransport.clock.RealScheduler;
import org.splitnve.ecptransport.link.PcapLink;
import org.splitnve.ecptransport.vdp.VdpStack;
import org.splitnve.nnve.Nnve;
import org.splitnve.nnve.NnveListener;
import org.splitnve.nnve.TsiEvent;
import org.splitnve.nnve.nva.InMemoryNva;
import org.splitnve.nnve.nva.VnContext;
import org.splitnve.testsupport.Closer;
import org.splitnve.testsupport.Dot1xCertificates;
import org.splitnve.testsupport.Hostapd;
import org.splitnve.testsupport.InNamespace;
import org.splitnve.testsupport.NamespacePair;
import org.splitnve.testsupport.Prerequisites;
import org.splitnve.testsupport.WpaSupplicant;
import org.splitnve.tnve.Migration;
import org.splitnve.tnve.Tnve;
import org.splitnve.tnve.TsiAddress;
import org.splitnve.tnve.TsiSpec;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.frame.EtherType;
import org.splitnve.vdpcore.lldp.EvbMode;
import org.splitnve.vdpcore.vdp.ManagerId;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VnId;
import org.splitnve.vdpcore.vdp.VsiId;

/**
 * Prints what 802.1X costs (Req-11), with real hostapd and wpa_supplicant over a veth pair and our bridge and station
 * in this JVM: the association rate with and without {@code --dot1x}, the time from EAP success to the first Activated
 * TSI, and how far apart the bridge and the station hear of the same EAP success. Never fails on timing. Excluded from
 * the default run: {@code mvn -pl cli -am verify -Dgroups=measure -Dmeasure.excludedGroups=none -Dtest=Dot1xMeasureTest
 * -Dsurefire.failIfNoSpecifiedTests=false}; {@code -Ddot1x.vsis=N} (default 5000), {@code -Ddot1x.rounds=N} (default 7), {@code -Ddot1x.cycles=N} (default 5).
 */
@Tag("measure")
class Dot1xMeasureTest {

    private static final int VSIS = Integer.getInteger("dot1x.vsis", 5_000);
    private static final int CYCLES = Integer.getInteger("dot1x.cycles", 5);
    private static final int ROUNDS = Integer.getInteger("dot1x.rounds", 7);
    private static final String BRIDGE_MAC = "02:00:00:00:1e:01";
    private static final String STATION_MAC = "02:00:00:00:1e:02";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int VNS = 10;

    @Test
    void what_802_1x_costs_an_association_and_how_long_after_eap_success_vdp_starts() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("ip", "hostapd", "hostapd_cli", "wpa_supplicant", "wpa_cli", "openssl");
        Prerequisites.requireLibpcap();
        try (Dot1xCertificates certs = Dot1xCertificates.create("hv1");
             NamespacePair ns = NamespacePair.create("br-m", BRIDGE_MAC, "st-m", STATION_MAC)) {
            Hostapd hostapd = ns.track(Hostapd.start(ns.a(), ns.ifA(), certs, "hv1"));
            WpaSupplicant supplicant = ns.track(WpaSupplicant.start(ns.b(), ns.ifB(), certs, "hv1", true));
            assertThat(hostapd.awaitAuthorized(STATION_MAC, true, WAIT)).isTrue();

            rate(ns, null, null); // warm-up: the first run pays for the JIT
            List<Double> plain = new ArrayList<>();
            List<Double> dot1x = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                plain.add(rate(ns, null, null));
                dot1x.add(rate(ns, hostapd, supplicant));
            }
            Collections.sort(plain);
            Collections.sort(dot1x);
            double p = plain.get(ROUNDS / 2);
            double d = dot1x.get(ROUNDS / 2);
            System.out.printf(Locale.ROOT, "MEASURE association rate, %d VSIs, median of %d runs each: %.0f/s without --dot1x %s, "
                    + "%.0f/s with it %s (%+.1f%%)%n", VSIS, ROUNDS, p, rounded(plain), d, rounded(dot1x), 100.0 * (d - p) / p);

            latency(ns, hostapd, supplicant);
        }
    }

    /** One bridge and one station on the pair, {@link #VSIS} activations at once; associations per second. */
    private static double rate(NamespacePair ns, Hostapd hostapd, WpaSupplicant supplicant) throws Exception {
        try (Closer closer = new Closer()) {
            Lab lab = Lab.open(ns, closer, hostapd, supplicant);
            List<CompletableFuture<?>> done = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < VSIS; i++) {
                done.add(lab.tnve.activate(spec(i), Migration.NONE));
            }
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertThat(lab.nnve.totalTsis()).isEqualTo(VSIS);
            List<CompletableFuture<?>> gone = new ArrayList<>();
            for (int i = 0; i < VSIS; i++) {
                gone.add(lab.tnve.deassociate(spec(i).vsiId()));
            }
            CompletableFuture.allOf(gone.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
            return VSIS / seconds;
        }
    }

    /**
     * Logoff and logon, {@link #CYCLES} times, with one TSI: from the bridge hearing of the EAP success to the TSI
     * Activated at the bridge again, and how much later the bridge hears of the success than the station.
     */
    private static void latency(NamespacePair ns, Hostapd hostapd, WpaSupplicant supplicant) throws Exception {
        try (Closer closer = new Closer()) {
            Lab lab = Lab.open(ns, closer, hostapd, supplicant);
            ConcurrentHashMap<String, Long> at = new ConcurrentHashMap<>();
            lab.bridgeAuth.addListener(stamp(at, "bridge"));
            lab.stationAuth.addListener(stamp(at, "station"));
            lab.nnve.addListener(new NnveListener() {
                @Override
                public void onTsi(TsiEvent e) {
                    if (e.newState() == TsiState.ACTIVATED) {
                        at.putIfAbsent("activated", System.nanoTime());
                    }
                }
            });
            lab.tnve.activate(spec(0), Migration.NONE).get(1, TimeUnit.MINUTES);
            List<Long> toActive = new ArrayList<>();
            List<Long> skew = new ArrayList<>();
            for (int c = 0; c < CYCLES; c++) {
                supplicant.logoff();
                assertThat(hostapd.awaitForgotten(STATION_MAC, WAIT)).isTrue();
                Thread.sleep(1_000);
                at.clear();
                supplicant.logon();
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (!(at.containsKey("activated") && at.containsKey("bridge") && at.containsKey("station"))
                        && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertThat(at).containsKeys("activated", "bridge", "station");
                toActive.add((at.get("activated") - at.get("bridge")) / 1_000_000);
                skew.add((at.get("bridge") - at.get("station")) / 1_000);
            }
            Collections.sort(toActive);
            Collections.sort(skew);
            System.out.printf(Locale.ROOT, "MEASURE EAP success (bridge) to the first Activated TSI, %d cycles: min %d ms, median %d ms, "
                    + "max %d ms (the station's settle time is %d ms)%n", CYCLES, toActive.get(0), toActive.get(CYCLES / 2),
                    toActive.get(CYCLES - 1), Tnve.AUTHENTICATION_SETTLE.toMillis());
            System.out.printf(Locale.ROOT, "MEASURE the bridge hears of the EAP success after the station by: min %d us, median %d us, "
                    + "max %d us%n", skew.get(0), skew.get(CYCLES / 2), skew.get(CYCLES - 1));
        }
    }

    private static List<Long> rounded(List<Double> rates) {
        return rates.stream().map(Math::round).toList();
    }

    private static PortAuthorizationListener stamp(ConcurrentHashMap<String, Long> at, String who) {
        return new PortAuthorizationListener() {
            @Override
            public void onAuthorization(AuthorizationEvent e) {
                if (e.authorized()) {
                    at.putIfAbsent(who, System.nanoTime());
                }
            }
        };
    }

    private static TsiSpec spec(int i) {
        return TsiSpec.builder().vsiId(new VsiId.Uuid(new UUID(0x1e1e000000004000L, i))).managerId(ManagerId.ofName("snvmgr"))
                .typeId(4711).typeVersion(1).vn(VnId.of(5001 + i % VNS))
                .address(new TsiAddress.Mac(MacAddress.valueOf(0x020000300000L + i))).build();
    }

    /** Our bridge and station on the pair, with 802.1X when hostapd and the supplicant are given. */
    private record Lab(Nnve nnve, Tnve tnve, HostapdAuthorization bridgeAuth, SupplicantAuthorization stationAuth) {

        static Lab open(NamespacePair ns, Closer closer, Hostapd hostapd, WpaSupplicant supplicant) throws Exception {
            RealScheduler brClock = closer.track(new RealScheduler("m-bridge"));
            RealScheduler stClock = closer.track(new RealScheduler("m-station"));
            PcapLink brLink = closer.track(InNamespace.call(ns.a(), () -> PcapLink.open(ns.ifA(), EtherType.ECP, EtherType.LLDP)));
            PcapLink stLink = closer.track(InNamespace.call(ns.b(), () -> PcapLink.open(ns.ifB(), EtherType.ECP, EtherType.LLDP)));
            VdpStack bridge = closer.track(VdpStack.bridge(brLink, brClock, 2));
            InMemoryNva nva = new InMemoryNva();
            for (int v = 0; v < VNS; v++) {
                nva.define(new VnContext(VnId.of(5001 + v), "m-" + v));
            }
            Nnve nnve = closer.track(Nnve.builder().nva(nva).build());
            HostapdAuthorization bridgeAuth = hostapd == null ? null : closer.track(HostapdAuthorization.of(hostapd.ctrlDir(), ns.ifA()));
            nnve.addPort(bridge.channel(), bridge.timersSource(), bridgeAuth);
            VdpStack station = closer.track(VdpStack.station(stLink, stClock, 1));
            MacAddress peer = station.awaitEvbPeer(EvbMode.BRIDGE, WAIT).orElseThrow();
            SupplicantAuthorization stationAuth = supplicant == null ? null
                    : closer.track(SupplicantAuthorization.of(supplicant.ctrlDir(), ns.ifB()));
            Tnve.Builder tb = Tnve.builder().channel(station.channel()).timers(station.timersSource()).bridge(peer);
            Tnve tnve = closer.track((stationAuth == null ? tb : tb.authentication(stationAuth)).build().start());
            if (bridgeAuth != null) {
                bridgeAuth.start();
                stationAuth.start();
                assertThat(bridgeAuth.awaitAttached(WAIT) && stationAuth.awaitAttached(WAIT)).isTrue();
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (!tnve.authenticated() && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
            }
            return new Lab(nnve, tnve, bridgeAuth, stationAuth);
        }
    }
}
