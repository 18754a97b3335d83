package org.splitnve.ecptransport.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.splitnve.ecptransport.clock.RealScheduler;
import org.splitnve.ecptransport.ecp.EcpConfig;
import org.splitnve.ecptransport.link.LinkFaults;
import org.splitnve.ecptransport.link.MemoryLink;
import org.splitnve.ecptransport.link.PcapLink;
import org.splitnve.ecptransport.testing.LiveVeth;
import org.splitnve.testsupport.Prerequisites;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.frame.EtherType;

/**
 * Prints ECP figures between two of our engines; never fails on timing. Excluded from the default run:
 * {@code mvn -pl ecp-transport verify -Dgroups=measure -Decp.excludedGroups=none}. Durations can be set with
 * {@code -Dbench.seconds=N} (default 10) and {@code -Dbench.longSeconds=N} (default 60).
 */
@Tag("measure")
class EcpBenchMeasureTest {

    private static final Duration WARMUP = Duration.ofSeconds(3);
    private static final Duration RUN = Duration.ofSeconds(Long.getLong("bench.seconds", 10));
    private static final Duration LONG_RUN = Duration.ofSeconds(Long.getLong("bench.longSeconds", 60));
    private static final MacAddress A = MacAddress.valueOf("02:00:00:00:be:01");
    private static final MacAddress B = MacAddress.valueOf("02:00:00:00:be:02");

    @Test
    void overAVethPairWithPcapLinks() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireLibpcap();
        try (LiveVeth veth = LiveVeth.create("bench-a", A, "bench-b", B)) {
            PcapLink a = veth.openA(EtherType.ECP);
            PcapLink b = veth.openB(EtherType.ECP);
            try (EcpBench.Pair pair = new EcpBench.Pair(a, b, EcpConfig.DEFAULT)) {
                print(EcpBench.closedLoop("veth + pcap, closed loop", pair, WARMUP, RUN));
                print(EcpBench.windowed("veth + pcap, window 64", pair, 64, WARMUP, RUN));
                EcpBench.Result longRun = EcpBench.closedLoop("veth + pcap, closed loop, long run", pair, Duration.ZERO, LONG_RUN);
                print(longRun);
                System.out.printf("kernel drops: %d at A, %d at B%n", a.kernelDrops(), b.kernelDrops());
                assertThat(longRun.exchanges()).isPositive();
            }
        }
    }

    @Test
    void overMemoryLinksInRealTime() throws Exception {
        try (RealScheduler wire = new RealScheduler("bench-wire")) {
            MemoryLink[] links = MemoryLink.pair(wire, "mem-a", A, "mem-b", B, LinkFaults.NONE.withDelay(Duration.ZERO));
            try (EcpBench.Pair pair = new EcpBench.Pair(links[0], links[1], EcpConfig.DEFAULT)) {
                print(EcpBench.closedLoop("memory, closed loop", pair, WARMUP, RUN));
                EcpBench.Result windowed = EcpBench.windowed("memory, window 64", pair, 64, WARMUP, RUN);
                print(windowed);
                assertThat(windowed.exchanges()).isPositive();
            }
        }
    }

    private static void print(EcpBench.Result r) {
        System.out.println("MEASURE " + r);
    }
}
