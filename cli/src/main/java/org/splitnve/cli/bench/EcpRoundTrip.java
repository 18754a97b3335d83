package org.splitnve.cli.bench;

import java.time.Duration;
import org.splitnve.ecptransport.bench.EcpBench;
import org.splitnve.ecptransport.ecp.EcpConfig;
import org.splitnve.ecptransport.link.PcapLink;
import org.splitnve.testsupport.InNamespace;
import org.splitnve.vdpcore.frame.EtherType;

/**
 * ECP round trip between two of our engines over a veth pair, each end opened with pcap from inside its own
 * namespace: {@link EcpBench}'s closed loop, one VDPDU-sized PDU in flight, so each sample is send to ack.
 */
public final class EcpRoundTrip {

    private EcpRoundTrip() {
    }

    public static EcpBench.Result overVeth(BenchLab lab, Duration warmup, Duration run) throws Exception {
        try (VethNamespaces ns = lab.vethPair("ecp-a", "02:00:00:00:be:01", "ecp-b", "02:00:00:00:be:02")) {
            // Tracked before the engines, so closed after them.
            PcapLink a = ns.track(InNamespace.call(ns.a(), () -> PcapLink.open(ns.ifA(), EtherType.ECP)));
            PcapLink b = ns.track(InNamespace.call(ns.b(), () -> PcapLink.open(ns.ifB(), EtherType.ECP)));
            EcpBench.Pair pair = ns.track(new EcpBench.Pair(a, b, EcpConfig.DEFAULT));
            return EcpBench.closedLoop("veth + pcap, closed loop", pair, warmup, run);
        }
    }
}
