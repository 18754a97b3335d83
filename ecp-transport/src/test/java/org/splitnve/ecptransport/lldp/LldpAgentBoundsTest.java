package org.splitnve.ecptransport.lldp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.splitnve.ecptransport.clock.VirtualScheduler;
import org.splitnve.ecptransport.ecp.EcpConfig;
import org.splitnve.ecptransport.ecp.EcpEngine;
import org.splitnve.ecptransport.ecp.EcpTimers;
import org.splitnve.ecptransport.link.LinkException;
import org.splitnve.ecptransport.link.LinkFaults;
import org.splitnve.ecptransport.link.MemoryLink;
import org.splitnve.ecptransport.vdp.VdpTimers;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.frame.FrameDecoder;
import org.splitnve.vdpcore.frame.FrameEncoder;
import org.splitnve.vdpcore.lldp.ChassisId;
import org.splitnve.vdpcore.lldp.EvbMode;
import org.splitnve.vdpcore.lldp.EvbTlv;
import org.splitnve.vdpcore.lldp.Lldpdu;
import org.splitnve.vdpcore.lldp.PortId;

/** What neighbours can make a bridge's LLDP agent hold, send and operate at: bounded, in virtual time. */
class LldpAgentBoundsTest {

    private static final MacAddress BRIDGE = MacAddress.valueOf("02:00:00:00:00:b1");
    private static final MacAddress STATION = MacAddress.valueOf("02:00:00:00:00:51");
    private static final MacAddress OTHER = MacAddress.valueOf("02:00:00:00:00:52");

    private VirtualScheduler clock;
    private MemoryLink wire;
    private LldpAgent agent;
    private EcpEngine ecp;
    private final List<EvbTlv> sent = new ArrayList<>();

    @BeforeEach
    void setUp() {
        clock = new VirtualScheduler();
        MemoryLink[] links = MemoryLink.pair(clock, "b0", BRIDGE, "wire", STATION, LinkFaults.NONE);
        wire = links[1];
        wire.addListener((f, t) -> {
            try {
                var d = new FrameDecoder().decode(f);
                if (d.lldp() != null) {
                    sent.add(d.lldp().evb());
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        agent = new LldpAgent(links[0], clock, LldpAgentConfig.bridge().withMaxNeighbors(4));
        ecp = new EcpEngine(links[0], clock, EcpConfig.DEFAULT, 1);
        agent.attach(ecp);
        agent.start();
        clock.advance(Duration.ofSeconds(10)); // past the first fast-start burst
    }

    private static EvbTlv station(int r, int rte, int rwd, int rka) {
        return EvbTlv.builder().mode(EvbMode.STATION).stationStatus(EvbTlv.SGID | EvbTlv.RRREQ | 3).r(r).rte(rte).rwd(rwd).rka(rka).build();
    }

    private void lldpdu(MacAddress from, int ttl, EvbTlv evb) throws LinkException {
        ByteBuffer b = ByteBuffer.allocate(256);
        new FrameEncoder().lldp(MacAddress.NEAREST_CUSTOMER_BRIDGE, from,
                Lldpdu.of(ChassisId.ofMac(from), PortId.ofInterfaceName("eth0"), ttl, evb == null ? List.of() : List.of(evb)), b);
        b.flip();
        wire.send(b);
        clock.advance(Duration.ofMillis(1));
    }

    @Test
    void a_neighbour_cannot_raise_the_timers_past_the_ceilings() throws Exception {
        lldpdu(STATION, 120, station(7, 31, 31, 31));
        EvbOperating op = agent.operating();
        assertThat(op.rte()).isEqualTo(14);
        assertThat(op.rwd()).isEqualTo(21);
        assertThat(op.rka()).isEqualTo(21);
        assertThat(VdpTimers.of(op).bridgeKeepAliveTimeout()).isLessThan(Duration.ofMinutes(1));
        assertThat(agent.receivedEvb()).as("what it said is kept as it said it").isEqualTo(station(7, 31, 31, 31));
        assertThat(ecp.timers(STATION)).isEqualTo(new EcpTimers(7, 14));
    }

    @Test
    void the_port_keeps_a_bounded_number_of_neighbours_and_ignores_new_ones_beyond() throws Exception {
        for (int i = 0; i < 100; i++) {
            lldpdu(MacAddress.valueOf(0x020000001000L + i), 120, station(3, 8, 20, 20));
        }
        assertThat(agent.neighbors()).hasSize(4);
        assertThat(agent.neighborsRefused()).isEqualTo(96);
        lldpdu(MacAddress.valueOf(0x020000001000L), 0, null); // a goodbye makes room
        lldpdu(STATION, 120, station(3, 8, 20, 20));
        assertThat(agent.neighbors()).extracting(LldpNeighbor::mac).contains(STATION).hasSize(4);
    }

    @Test
    void a_stream_of_new_neighbours_restarts_the_fast_start_burst_at_most_once_a_second() throws Exception {
        sent.clear();
        for (int i = 0; i < 40; i++) {
            lldpdu(MacAddress.valueOf(0x020000001000L + i), 120, null);
            lldpdu(MacAddress.valueOf(0x020000001000L + i), 0, null); // gone again: the next one is new too
            clock.advance(Duration.ofMillis(98));
        }
        // 4 s of a new neighbour every 100 ms: a burst start at most once a second keeps it to one LLDPDU a second.
        assertThat(sent).hasSizeBetween(3, 5);
        clock.advance(Duration.ofSeconds(10)); // the last burst ends
        int after = sent.size();
        clock.advance(Duration.ofSeconds(60));
        assertThat(sent).as("back to every 30 s").hasSize(after + 2);
    }

    @Test
    void with_several_stations_each_operates_at_what_it_negotiated_and_we_advertise_our_own_timers() throws Exception {
        lldpdu(STATION, 120, station(3, 8, 20, 20));
        lldpdu(OTHER, 120, station(7, 31, 31, 31));
        assertThat(agent.operating(STATION).rka()).isEqualTo(20);
        assertThat(agent.operating(OTHER).rka()).isEqualTo(21);
        assertThat(agent.operating(MacAddress.valueOf("02:00:00:00:00:99")).rka()).as("a peer not heard: our policy").isEqualTo(20);
        assertThat(ecp.timers(STATION)).isEqualTo(new EcpTimers(3, 8));
        assertThat(ecp.timers(OTHER)).isEqualTo(new EcpTimers(7, 14));
        clock.advance(Duration.ofSeconds(2));
        EvbTlv advertised = sent.get(sent.size() - 1);
        assertThat(advertised.rka()).isEqualTo(20);
        assertThat(advertised.rwd()).isEqualTo(20);
        assertThat(advertised.rte()).isEqualTo(8);

        lldpdu(OTHER, 0, null);
        assertThat(ecp.timers(OTHER)).as("the port's again").isEqualTo(new EcpTimers(3, 8));
        assertThat(agent.operating(OTHER).rka()).isEqualTo(20);
    }
}
