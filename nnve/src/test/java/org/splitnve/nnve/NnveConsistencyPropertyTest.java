package org.splitnve.nnve;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.splitnve.ecptransport.clock.VirtualScheduler;
import org.splitnve.ecptransport.link.LinkFaults;
import org.splitnve.nnve.NnveTestBed.Station;
import org.splitnve.nnve.nva.InMemoryNva;
import org.splitnve.nnve.nva.Nva;
import org.splitnve.nnve.nva.NvaView;
import org.splitnve.nnve.nva.TsiMapping;
import org.splitnve.nnve.nva.VnContext;
import org.splitnve.nnve.policy.AuthorizationPolicy;
import org.splitnve.vdpcore.Seeds;
import org.splitnve.vdpcore.vdp.AssociationTlv;
import org.splitnve.vdpcore.vdp.FilterEntry;
import org.splitnve.vdpcore.vdp.FilterFormat;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VdpTlvType;
import org.splitnve.vdpcore.vdp.VnId;
import org.splitnve.vdpcore.vdp.VsiStatus;

/**
 * Random requests from three stations (one per port) over lossy links, with an NVA that answers
 * late (sometimes past the resource wait), random NVE-side de-associates and VN disconnects, and
 * pauses long enough for keep-alive timeouts. After every step the bridge is consistent: each VN
 * with TSIs on a port has exactly one tag there, no tag names two VNs on a port, TSI counts match,
 * and the NVA's views hold exactly what the TSI states say. At the end, with no more keep-alives,
 * everything is freed. Seeded: the seed is printed, {@code -Dseed=N} replays.
 */
@Timeout(120)
class NnveConsistencyPropertyTest {

    static Stream<Arguments> scenarios() {
        return Seeds.cases("nnve-consistency", 25, SplittableRandom::nextLong);
    }

    /** vnContext answers after a random delay in virtual time; VN 5004 is unknown. */
    static final class LateNva implements Nva {
        final InMemoryNva store;
        final SplittableRandom random;
        VirtualScheduler clock;

        LateNva(InMemoryNva store, SplittableRandom random) {
            this.store = store;
            this.random = random;
        }

        @Override
        public CompletionStage<Optional<VnContext>> vnContext(VnId vn) {
            int mode = random.nextInt(10);
            if (mode < 6) {
                return store.vnContext(vn);
            }
            CompletableFuture<Optional<VnContext>> f = new CompletableFuture<>();
            // Mostly within the resource wait (10.49 s), sometimes past it.
            clock.schedule(Duration.ofMillis(mode < 9 ? random.nextInt(3000) : 11_000 + random.nextInt(3000)),
                    () -> f.complete(store.context(vn)));
            return f;
        }

        @Override
        public CompletionStage<Void> publish(TsiMapping mapping, NvaView view) {
            return store.publish(mapping, view);
        }

        @Override
        public CompletionStage<Void> withdraw(TsiMapping mapping, NvaView view) {
            return store.withdraw(mapping, view);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void random_requests_over_lossy_links_never_leave_the_bridge_inconsistent(Seeds.Case<Long> c) {
        SplittableRandom r = new SplittableRandom(c.value());
        double loss = r.nextDouble() * 0.3;
        boolean shared = r.nextBoolean();
        int lastTag = 2 + 1 + r.nextInt(6);
        NnveConfig config = NnveConfig.builder().tagRange(2, lastTag).tagDomain(shared ? TagDomain.SHARED : TagDomain.PER_PORT)
                .maxTsisPerPort(3 + r.nextInt(8)).maxTsis(6 + r.nextInt(12)).build();
        InMemoryNva store = new InMemoryNva();
        LateNva nva = new LateNva(store, r.split());
        NnveTestBed bed = new NnveTestBed(config, AuthorizationPolicy.allowAll(), nva);
        nva.clock = bed.clock;
        // NnveTestBed defined 5001..5004 in its own store; this NVA knows 5001..5003 only.
        for (int vn : new int[] {5001, 5002, 5003}) {
            store.define(new VnContext(VnId.of(vn), "vn-" + vn));
        }
        String ctx = c.describe() + " loss " + loss + " shared " + shared + " tags 2.." + lastTag;
        List<Station> stations = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            stations.add(bed.station("p" + (i + 1), LinkFaults.NONE.withLoss(loss).withSeed(c.value() + i), () -> NnveTestBed.TIMERS));
        }
        int[] vns = {5001, 5002, 5003, 5004};
        int mostHeld = 0;
        for (int step = 0; step < 150; step++) {
            int op = r.nextInt(100);
            Station st = stations.get(r.nextInt(stations.size()));
            if (op < 75) {
                st.send(randomRequest(r, vns));
            } else if (op < 80) {
                bed.nnve.deassociate(st.key(NnveTestBed.vsi(1 + r.nextInt(6))), "random").exceptionally(e -> null);
            } else if (op < 84) {
                bed.nnve.disconnectVn(st.port, VnId.of(vns[r.nextInt(vns.length)]), "random").exceptionally(e -> null);
            } else if (op < 88) {
                bed.advance(Duration.ofSeconds(20));
            }
            bed.advance(Duration.ofMillis(r.nextInt(3000)));
            check(bed, store, shared, ctx + " step " + step);
            mostHeld = Math.max(mostHeld, bed.nnve.totalTsis());
        }
        // The scenario did exercise the bridge: TSIs were held and requests answered with success.
        assertThat(mostHeld).as(ctx).isPositive();
        assertThat(bed.nnve.counters().responses(0)).as(ctx).isPositive();
        System.out.println(c + ": most TSIs held " + mostHeld + ", " + bed.nnve.counters());
        bed.advance(Duration.ofSeconds(60));
        check(bed, store, shared, ctx + " end");
        assertThat(bed.nnve.tsis()).as(ctx + ": every TSI timed out").isEmpty();
        assertThat(bed.nnve.vaps()).as(ctx).isEmpty();
        assertThat(store.mappings(NvaView.MAPPING)).as(ctx).isEmpty();
        assertThat(store.mappings(NvaView.FORWARDING)).as(ctx).isEmpty();
    }

    private static AssociationTlv randomRequest(SplittableRandom r, int[] vns) {
        VdpTlvType[] types = {VdpTlvType.PRE_ASSOCIATE, VdpTlvType.PRE_ASSOCIATE_RR, VdpTlvType.ASSOCIATE, VdpTlvType.DE_ASSOCIATE};
        int vn = vns[r.nextInt(vns.length)];
        int n = 1 + r.nextInt(2);
        FilterEntry[] es = new FilterEntry[n];
        for (int i = 0; i < n; i++) {
            es[i] = NnveTestBed.gmv(vn, 1 + r.nextInt(5), r.nextInt(5) == 0 ? 2 + r.nextInt(8) : 0);
        }
        VsiStatus status = r.nextInt(4) == 0 ? VsiStatus.request().migrationIndicationValid(true).m(r.nextBoolean()).build()
                : VsiStatus.REQUEST;
        return NnveTestBed.tlv(types[r.nextInt(types.length)], NnveTestBed.vsi(1 + r.nextInt(6)), status, FilterFormat.GROUPID_MAC_VID, es);
    }

    private static void check(NnveTestBed bed, InMemoryNva store, boolean shared, String ctx) {
        Nnve n = bed.nnve;
        List<TsiView> tsis = n.tsis();
        List<VapView> vaps = n.vaps();
        assertThat(n.totalTsis()).as(ctx + ": total").isEqualTo(tsis.size());
        Map<String, Map<VnId, VapView>> byPort = new HashMap<>();
        Map<VnId, LocalTag> sharedTags = new HashMap<>();
        Map<LocalTag, VnId> sharedVns = new HashMap<>();
        for (VapView v : vaps) {
            assertThat(v.state()).as(ctx).isEqualTo(VapState.VN_CONNECTED);
            Map<VnId, VapView> port = byPort.computeIfAbsent(v.port(), k -> new HashMap<>());
            assertThat(port).as(ctx + ": one VAP per VN per port").doesNotContainKey(v.vn());
            assertThat(v.tags()).as(ctx + ": the first tag leads " + v).first().isEqualTo(v.tag());
            for (VapView o : port.values()) {
                assertThat(o.tags()).as(ctx + ": " + o.vn() + " and " + v.vn() + " share a tag on " + v.port()).doesNotContainAnyElementsOf(v.tags());
            }
            port.put(v.vn(), v);
            List<TsiView> ofVn = tsis.stream().filter(t -> t.key().port().equals(v.port()) && t.vn().equals(v.vn())).toList();
            assertThat(v.associatedTsis()).as(ctx + ": TSI count of " + v).isEqualTo(ofVn.size()).isPositive();
            for (LocalTag t : v.tags()) {
                assertThat(n.dataPlaneView().vnOfTag(v.port(), t)).as(ctx).contains(v.vn());
                if (!t.equals(v.tag())) {
                    assertThat(ofVn).as(ctx + ": a TSI uses the extra " + t + " of " + v).anySatisfy(x -> assertThat(x.tags()).contains(t));
                }
            }
            assertThat(n.dataPlaneView().tagOfVn(v.port(), v.vn())).as(ctx).contains(v.tag());
            if (shared) {
                LocalTag t = sharedTags.putIfAbsent(v.vn(), v.tag());
                assertThat(t == null ? v.tag() : t).as(ctx + ": one first tag per VN across ports").isEqualTo(v.tag());
                for (LocalTag each : v.tags()) {
                    VnId other = sharedVns.putIfAbsent(each, v.vn());
                    assertThat(other == null ? v.vn() : other).as(ctx + ": one VN per tag across ports").isEqualTo(v.vn());
                }
            }
        }
        for (NnvePort p : n.ports()) {
            Map<VnId, VapView> port = byPort.getOrDefault(p.name(), Map.of());
            for (int vid = 1; vid <= 12; vid++) {
                Optional<VnId> vn = n.dataPlaneView().vnOfTag(p.name(), LocalTag.of(vid));
                int v = vid;
                boolean held = port.values().stream().anyMatch(x -> x.tags().contains(LocalTag.of(v)));
                assertThat(vn.isPresent()).as(ctx + ": tag " + vid + " on " + p.name()).isEqualTo(held);
            }
            assertThat(p.tsiCount()).as(ctx).isEqualTo((int) tsis.stream().filter(t -> t.key().port().equals(p.name())).count());
        }
        Map<TsiMapping, Integer> mapping = new HashMap<>();
        Map<TsiMapping, Integer> forwarding = new HashMap<>();
        for (TsiView t : tsis) {
            assertThat(t.state()).as(ctx).isNotEqualTo(TsiState.INIT);
            VapView v = byPort.getOrDefault(t.key().port(), Map.of()).get(t.vn());
            assertThat(v).as(ctx + ": VAP of " + t.key()).isNotNull();
            assertThat(t.tag()).as(ctx).isEqualTo(t.tags().get(0));
            Set<TsiMapping> ms = new LinkedHashSet<>();
            for (FilterEntry e : t.filter().entries()) {
                assertThat(v.tags()).as(ctx + ": VID of " + t.key()).contains(LocalTag.of(e.vid()));
                ms.add(new TsiMapping(t.vn(), e.mac(), e.ip(), "nve"));
            }
            for (TsiMapping m : ms) {
                mapping.merge(m, 1, Integer::sum);
                if (t.state() == TsiState.ACTIVATED) {
                    forwarding.merge(m, 1, Integer::sum);
                }
            }
        }
        assertThat(store.counts(NvaView.MAPPING)).as(ctx + ": mapping view").isEqualTo(mapping);
        assertThat(store.counts(NvaView.FORWARDING)).as(ctx + ": forwarding view").isEqualTo(forwarding);
    }
}
