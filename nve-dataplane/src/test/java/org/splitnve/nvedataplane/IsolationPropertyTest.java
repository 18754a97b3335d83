package org.splitnve.nvedataplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.splitnve.ecptransport.clock.VirtualScheduler;
import org.splitnve.nnve.nva.NvaView;
import org.splitnve.nnve.nva.TsiMapping;
import org.splitnve.nvedataplane.codec.Encapsulation;
import org.splitnve.nvedataplane.codec.Ethernet;
import org.splitnve.nvedataplane.codec.Tunnel;
import org.splitnve.nvedataplane.directory.NvaDirectory;
import org.splitnve.nvedataplane.port.MemoryDataPort;
import org.splitnve.vdpcore.Generators;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.Seeds;
import org.splitnve.vdpcore.vdp.VnId;

/**
 * Random traffic from many TSIs in many VNs, on three trunk ports with per-port tags: no frame
 * ever leaves in another VN than the one its tag put it in, and nothing from a TSI that is not
 * Activated (Associated only, or unknown) in that VN is forwarded at all.
 */
class IsolationPropertyTest {

    record Station(int port, int vni, MacAddress mac, boolean activated) {
    }

    record World(long seed) {
        @Override
        public String toString() {
            return "world " + seed;
        }
    }

    static Stream<Arguments> worlds() {
        return Seeds.cases("isolation", 12, r -> new World(r.nextLong()));
    }

    @ParameterizedTest
    @MethodSource("worlds")
    void traffic_never_reaches_another_vn_and_nothing_from_an_inactive_tsi_is_forwarded(Seeds.Case<World> c) throws Exception {
        SplittableRandom r = new SplittableRandom(c.value().seed());
        int ports = 3;
        int vns = 2 + r.nextInt(5);
        VirtualScheduler scheduler = new VirtualScheduler();
        NvaDirectory dir = new NvaDirectory(UnderlayAddress.parse("192.0.2.1"));
        List<MemoryDataPort> stationEnds = new ArrayList<>();
        List<List<ByteBuffer>> received = new ArrayList<>();
        DataPlane.Builder b = DataPlane.builder();
        for (int p = 0; p < ports; p++) {
            MemoryDataPort[] pair = MemoryDataPort.pair("p" + p, MacAddress.valueOf(0x020000000100L + p), "s" + p,
                    MacAddress.valueOf(0x020000000200L + p));
            List<ByteBuffer> got = new ArrayList<>();
            pair[1].receiver((port, f) -> got.add(ByteBuffer.wrap(TestFrames.bytes(f))));
            received.add(got);
            stationEnds.add(pair[1]);
            b.trunkPort(pair[0]);
        }
        MemoryDataPort[] up = MemoryDataPort.pair("up", MacAddress.valueOf("02:00:00:00:01:01"), "router",
                MacAddress.valueOf("02:00:00:00:09:09"));
        List<ByteBuffer> tunnelled = new ArrayList<>();
        up[1].receiver((port, f) -> tunnelled.add(ByteBuffer.wrap(TestFrames.bytes(f))));
        DataPlane dp = b.underlayPort(up[0]).localAddress(TestFrames.ip("192.0.2.1")).nextHopMac(MacAddress.valueOf("02:00:00:00:09:09"))
                .directory(dir).scheduler(scheduler).build();
        // Per port, a distinct tag for each VN: tags differ between ports, so a leak would show.
        int[][] vidOf = new int[ports][vns];
        for (int p = 0; p < ports; p++) {
            for (int v = 0; v < vns; v++) {
                vidOf[p][v] = 10 + p * 100 + v * 7 + r.nextInt(5);
            }
        }
        List<Station> stations = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int p = r.nextInt(ports);
            int v = r.nextInt(vns);
            int kind = r.nextInt(6);
            Station s = new Station(p, 1000 + v, MacAddress.valueOf(0x525400000000L + i), kind != 0);
            stations.add(s);
            if (kind == 0) {
                continue;
            }
            if (kind == 1) {
                // Associated only: the tag is mapped, the TSI is not Activated.
                dp.onVnMapped("p" + p, VnId.of(s.vni()), new org.splitnve.vdpcore.vdp.LocalTag(vidOf[p][v]), null);
                stations.set(stations.size() - 1, new Station(p, s.vni(), s.mac(), false));
                continue;
            }
            dp.onTsiActivated(TestFrames.active("p" + p, s.vni(), vidOf[p][v], s.mac()));
        }
        for (int v = 0; v < vns; v++) {
            dir.onPublished(new TsiMapping(VnId.of(1000 + v), MacAddress.valueOf(0x525400010000L + v), null, "192.0.2." + (10 + v)),
                    NvaView.FORWARDING);
        }
        for (int n = 0; n < 600; n++) {
            Station s = stations.get(r.nextInt(stations.size()));
            int tagVn = r.nextInt(8) == 0 ? r.nextInt(vns) : s.vni() - 1000;
            int vid = vidOf[s.port()][tagVn];
            long dst = switch (r.nextInt(4)) {
                case 0 -> Ethernet.BROADCAST;
                case 1 -> 0x525400010000L + r.nextInt(vns);
                case 2 -> Generators.anyMac(r).toLong();
                default -> stations.get(r.nextInt(stations.size())).mac().toLong();
            };
            received.forEach(List::clear);
            tunnelled.clear();
            stationEnds.get(s.port()).send(TestFrames.udp4(dst, s.mac().toLong(), vid, 1, 2, 3, 4, 64 + r.nextInt(200)));
            boolean mayForward = s.activated() && tagVn == s.vni() - 1000;
            String what = c.describe() + ", frame " + n + " from " + s + " tagged " + vid;
            if (!mayForward) {
                assertThat(tunnelled).as(what).isEmpty();
                received.forEach(l -> assertThat(l).as(what).isEmpty());
                continue;
            }
            for (ByteBuffer t : tunnelled) {
                assertThat(Tunnel.decode(t, 0, t.limit(), Encapsulation.VXLAN).vni).as(what).isEqualTo(s.vni());
            }
            for (int p = 0; p < ports; p++) {
                for (ByteBuffer f : received.get(p)) {
                    assertThat(Ethernet.vid(f, 0)).as(what + " delivered on p" + p).isEqualTo(vidOf[p][tagVn]);
                    long d = Ethernet.destination(f, 0);
                    if (!Ethernet.isGroup(d)) {
                        assertThat(stations).as(what).anyMatch(st -> st.activated() && st.mac().toLong() == d && st.vni() == s.vni());
                    }
                }
            }
        }
        assertThat(dp.counters().drops(DropReason.SOURCE_NOT_ACTIVATED) + dp.counters().drops(DropReason.UNKNOWN_TAG)).isPositive();
    }
}
