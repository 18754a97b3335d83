package org.splitnve.nvaetcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitnve.nvaetcd.EtcdNvaTestBed.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.splitnve.ecptransport.clock.RealScheduler;
import org.splitnve.ecptransport.ecp.EcpConfig;
import org.splitnve.ecptransport.ecp.EcpEngine;
import org.splitnve.ecptransport.link.LinkFaults;
import org.splitnve.ecptransport.link.MemoryLink;
import org.splitnve.ecptransport.vdp.VdpChannel;
import org.splitnve.ecptransport.vdp.VdpTimers;
import org.splitnve.nnve.Nnve;
import org.splitnve.nnve.NnveConfig;
import org.splitnve.nnve.nva.NvaView;
import org.splitnve.nnve.nva.TsiMapping;
import org.splitnve.nnve.nva.VnContext;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.AssociationTlv;
import org.splitnve.vdpcore.vdp.FilterEntry;
import org.splitnve.vdpcore.vdp.FilterFormat;
import org.splitnve.vdpcore.vdp.FilterInfo;
import org.splitnve.vdpcore.vdp.ManagerId;
import org.splitnve.vdpcore.vdp.VdpDecoder;
import org.splitnve.vdpcore.vdp.VdpEncoder;
import org.splitnve.vdpcore.vdp.VdpErrorCode;
import org.splitnve.vdpcore.vdp.VdpTlvType;
import org.splitnve.vdpcore.vdp.VnId;
import org.splitnve.vdpcore.vdp.VsiId;
import org.splitnve.vdpcore.vdp.VsiStatus;

/**
 * A real nNVE whose NVA is on a real etcd, asked by a VDP station over ECP in memory, in real time: what the bridge
 * answers while etcd is out of reach (docs/NVA-ETCD.md, "Failures", point 1) and once it is back.
 */
class NnveOnEtcdTest {

    private static final String NVE = "192.0.2.1";
    private static final VnId VN = VnId.of(5001);
    private static final ManagerId MGR = ManagerId.ofName("snvmgr");
    private static final MacAddress BRIDGE = MacAddress.valueOf(0x02000000B001L);
    private static final MacAddress STATION = MacAddress.valueOf(0x02000000A001L);
    private static final MacAddress VM = MacAddress.valueOf(0x02000000E101L);
    /** RWD 18: the bridge answers within about 2.6 s whatever the NVA does; short enough to wait for in a test. */
    private static final VdpTimers TIMERS = VdpTimers.of(3, 8, 18, 20);

    private final EtcdNvaTestBed bed = new EtcdNvaTestBed();
    private final RealScheduler clock = new RealScheduler("nnve-on-etcd");
    private final BlockingQueue<AssociationTlv> answers = new LinkedBlockingQueue<>();
    private Nnve nnve;

    @AfterEach
    void tearDown() {
        if (nnve != null) {
            nnve.close();
        }
        clock.close();
        bed.close();
    }

    /** One port of the nNVE and the station at the other end of its link; returns the station's channel. */
    private VdpChannel wire() {
        MemoryLink[] links = MemoryLink.pair(clock, "port1", BRIDGE, "station1", STATION, LinkFaults.NONE);
        EcpEngine bridgeEcp = new EcpEngine(links[0], clock, EcpConfig.DEFAULT, 1).start();
        nnve.addPort(new VdpChannel(bridgeEcp, clock, new VdpDecoder(), new VdpEncoder()), () -> TIMERS);
        EcpEngine stationEcp = new EcpEngine(links[1], clock, EcpConfig.DEFAULT, 2).start();
        VdpChannel station = new VdpChannel(stationEcp, clock, new VdpDecoder(), new VdpEncoder());
        station.addListener((peer, pdu) -> {
            for (AssociationTlv t : pdu.associations()) {
                if (t.status().isResponse()) {
                    answers.add(t);
                }
            }
        });
        return station;
    }

    /** An Associate of one VM in {@link #VN}, the bridge to choose the local tag (null VID). */
    private static AssociationTlv associate() {
        FilterEntry vm = FilterEntry.builder().vn(VN.value()).mac(VM).vid(0).build();
        return AssociationTlv.builder().type(VdpTlvType.ASSOCIATE).status(VsiStatus.REQUEST).typeId(7).typeVersion(1)
                .vsiId(VsiId.of(new UUID(0x5151L, 1))).filter(FilterInfo.of(FilterFormat.GROUPID_MAC_VID, vm)).build();
    }

    /** Sends the request and waits, in real time, at most {@code limit} for the bridge's answer. */
    private AssociationTlv ask(VdpChannel station, Duration limit) throws InterruptedException {
        station.send(BRIDGE, MGR, List.of(associate()));
        AssociationTlv answer = answers.poll(limit.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(answer).as("an answer within %s", limit).isNotNull();
        return answer;
    }

    @Test
    void a_request_while_etcd_is_down_is_answered_error_3_with_keep_within_the_resource_wait_and_the_same_request_succeeds_once_etcd_is_back()
            throws Exception {
        EtcdNva nva = bed.nva(NVE);
        // The VN is in etcd and in the NVA's copy: the refusal below is about reaching etcd, not about the VN.
        assertThat(nva.define(new VnContext(VN, "red")).get(20, TimeUnit.SECONDS)).isEqualTo(new VnContext(VN, "red"));
        await("the copy knows the VN", () -> nva.knownVn(VN).isPresent());
        nnve = Nnve.builder().nva(nva).config(NnveConfig.builder().nveName(NVE).build()).build();
        VdpChannel station = wire();

        bed.etcd.stop();
        await("the NVA notices the outage", () -> !nva.isUp());
        long asked = System.nanoTime();
        // Waits past the resource wait, so that a bridge that only answered when its timer ran out is caught below.
        AssociationTlv refused = ask(station, TIMERS.resourceWait().plusSeconds(2));
        Duration took = Duration.ofNanos(System.nanoTime() - asked);
        assertThat(refused.status().error()).as("error of %s", refused).isEqualTo(VdpErrorCode.UNABLE_TO_CONTACT_VSI_MANAGER);
        assertThat(refused.status().keep()).as("keep").isTrue();
        assertThat(took).as("answered within the resource wait, not after it").isLessThan(TIMERS.resourceWait());
        assertThat(nva.counters().vnLookupsRefused()).as("refused by the NVA at once").isEqualTo(1);
        assertThat(nnve.counters().nvaFailures()).isEqualTo(1);
        assertThat(nnve.counters().nvaTimeouts()).as("not by the resource wait running out").isZero();
        assertThat(nnve.tsis()).isEmpty();

        bed.etcd.start();
        await("the NVA is back", nva::isUp);
        AssociationTlv accepted = ask(station, TIMERS.resourceWait());
        assertThat(accepted.status().error()).as("error of %s", accepted).isEqualTo(VdpErrorCode.SUCCESS);
        assertThat(accepted.filter().entries().get(0).vid()).as("the local tag the bridge chose").isPositive();
        assertThat(nnve.tsis()).hasSize(1);
        TsiMapping published = new TsiMapping(VN, VM, null, NVE);
        await("etcd holds the VM's address in the mapping view", () -> nva.holders(published, NvaView.MAPPING) == 1,
                () -> String.valueOf(nva.counts(NvaView.MAPPING)));
    }
}
