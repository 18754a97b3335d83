package org.splitnve.nvaetcd.measure;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.splitnve.nnve.nva.NvaChange;
import org.splitnve.nnve.nva.NvaListener;
import org.splitnve.nnve.nva.NvaView;
import org.splitnve.nnve.nva.TsiMapping;
import org.splitnve.nvaetcd.EtcdNva;
import org.splitnve.nvaetcd.EtcdNvaConfig;
import org.splitnve.nvedataplane.UnderlayAddress;
import org.splitnve.nvedataplane.directory.NvaDirectory;
import org.splitnve.testsupport.EtcdServer;
import org.splitnve.testsupport.Prerequisites;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.VnId;

/**
 * Mapping propagation through etcd: 10,000 TSIs activated over three nNVEs sharing one etcd (each activation publishes
 * the mapping view, then the forwarding view, as the nNVE does), timed from the publication on one nNVE to the moment
 * each of the two others' data-plane directories holds the TSI (its snapshot rebuilt). First all 10,000 at once
 * (throughput, and latency under that load), then 500 more one at a time every 5 ms on top of them (latency at rest).
 * Run: {@code mvn -pl nva-etcd -am verify -Dgroups=measure -Dmeasure.excludedGroups=none -Dsurefire.failIfNoSpecifiedTests=false -Dtest='org.splitnve.nvaetcd.**'}
 */
@Tag("measure")
class PropagationMeasureTest {

    private static final int TSIS = 10_000;
    private static final int PACED = 500;
    private static final String[] NVES = {"192.0.2.1", "192.0.2.2", "192.0.2.3"};

    /** When each TSI was published and when each other nNVE's directory had it. */
    private final Map<TsiMapping, Long> publishedAt = new ConcurrentHashMap<>();
    private final List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
    private volatile CountDownLatch arrivals;

    private static TsiMapping tsi(int i) {
        return new TsiMapping(VnId.of(5000 + i % 100), MacAddress.valueOf(0x020000000000L + i), null, NVES[i % NVES.length]);
    }

    /** Registered after the directory: it hears a change once the directory has rebuilt with it. */
    private NvaListener programmed(String self) {
        return new NvaListener() {
            @Override
            public void onChanges(List<NvaChange> changes) {
                long now = System.nanoTime();
                for (NvaChange c : changes) {
                    // Its own TSIs are the nNVE's local business, not programmed as remote ones.
                    boolean remote = c.published() && c.view() == NvaView.FORWARDING && !c.mapping().nve().equals(self);
                    Long t = remote ? publishedAt.get(c.mapping()) : null;
                    if (t != null) {
                        latencies.add(now - t);
                        arrivals.countDown();
                    }
                }
            }
        };
    }

    @Test
    void propagation_latency_and_rate_of_ten_thousand_tsis_over_three_nnves() throws Exception {
        Prerequisites.requireCommand("etcd");
        try (EtcdServer etcd = EtcdServer.onLoopback()) {
            List<EtcdNva> nvas = new ArrayList<>();
            List<NvaDirectory> dirs = new ArrayList<>();
            try {
                for (String nve : NVES) {
                    EtcdNva n = EtcdNva.start(EtcdNvaConfig.fromUri("etcd://" + etcd.hostPorts()).nveName(nve).build());
                    assertThat(n.awaitUp(Duration.ofSeconds(20))).isTrue();
                    NvaDirectory d = new NvaDirectory(UnderlayAddress.parse(nve)).attach(n);
                    n.follow(NvaView.FORWARDING, programmed(nve));
                    nvas.add(n);
                    dirs.add(d);
                }
                // Burst: every TSI at once; each reaches the two other nNVEs.
                arrivals = new CountDownLatch(TSIS * (NVES.length - 1));
                long start = System.nanoTime();
                for (int i = 0; i < TSIS; i++) {
                    activate(nvas.get(i % NVES.length), tsi(i));
                }
                assertThat(arrivals.await(300, TimeUnit.SECONDS)).as("all programmed").isTrue();
                double seconds = (System.nanoTime() - start) / 1e9;
                report("burst of " + TSIS, seconds);
                for (int k = 0; k < NVES.length; k++) {
                    assertThat(dirs.get(k).snapshot().macEntries()).isEqualTo(TSIS - count(k));
                }

                latencies.clear();
                arrivals = new CountDownLatch(PACED * (NVES.length - 1));
                start = System.nanoTime();
                for (int i = TSIS; i < TSIS + PACED; i++) {
                    activate(nvas.get(i % NVES.length), tsi(i));
                    Thread.sleep(5);
                }
                assertThat(arrivals.await(60, TimeUnit.SECONDS)).isTrue();
                report(PACED + " paced, one per 5 ms, on top of " + TSIS, (System.nanoTime() - start) / 1e9);
                System.out.println("counters of " + NVES[0] + ": " + nvas.get(0).counters());
            } finally {
                nvas.forEach(EtcdNva::close);
            }
        }
    }

    private void activate(EtcdNva nva, TsiMapping m) {
        publishedAt.put(m, System.nanoTime());
        nva.publish(m, NvaView.MAPPING);
        nva.publish(m, NvaView.FORWARDING);
    }

    private static int count(int nve) {
        int n = 0;
        for (int i = 0; i < TSIS; i++) {
            n += i % NVES.length == nve ? 1 : 0;
        }
        return n;
    }

    private void report(String what, double seconds) {
        long[] l;
        synchronized (latencies) {
            l = latencies.stream().mapToLong(Long::longValue).toArray();
        }
        Arrays.sort(l);
        int tsis = l.length / (NVES.length - 1);
        System.out.printf("etcd NVA, %s: %d TSIs programmed on %d other nNVEs each in %.2f s = %.0f TSIs/s (%.0f mappings/s,"
                        + " both views); propagation p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                what, tsis, NVES.length - 1, seconds, tsis / seconds, 2 * tsis / seconds, l[l.length / 2] / 1e6,
                l[(int) (l.length * 0.99)] / 1e6, l[l.length - 1] / 1e6);
    }
}
