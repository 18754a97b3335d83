package org.splitnve.nvaetcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.splitnve.nvaetcd.EtcdNvaTestBed.await;
import static org.splitnve.nvaetcd.EtcdNvaTestBed.mapping;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.splitnve.nnve.nva.NvaView;
import org.splitnve.nnve.nva.TsiMapping;
import org.splitnve.nnve.nva.VnContext;
import org.splitnve.nvedataplane.UnderlayAddress;
import org.splitnve.nvedataplane.directory.NvaDirectory;
import org.splitnve.vdpcore.vdp.VnId;

/** Several etcd NVAs, as several nNVEs would run them, sharing one real etcd. */
class EtcdNvaTest {

    private static final String A = "192.0.2.1";
    private static final String B = "192.0.2.2";
    private static final String C = "192.0.2.3";
    private static final VnId VN = VnId.of(5001);

    private final EtcdNvaTestBed bed = new EtcdNvaTestBed();

    @AfterEach
    void cleanUp() {
        bed.close();
    }

    private static NvaDirectory directory(EtcdNva nva, String self) {
        return new NvaDirectory(UnderlayAddress.parse(self)).attach(nva);
    }

    private static Optional<UnderlayAddress> where(NvaDirectory d, TsiMapping m) {
        return d.remoteNve(m.vn(), m.mac());
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(EtcdNvaTestBed.WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void publish(EtcdNva nva, TsiMapping m) throws Exception {
        // What the nNVE does for an Activated TSI: the mapping view first, then the forwarding view.
        nva.publish(m, NvaView.MAPPING).toCompletableFuture().get(20, TimeUnit.SECONDS);
        nva.publish(m, NvaView.FORWARDING).toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private static void withdraw(EtcdNva nva, TsiMapping m) throws Exception {
        nva.withdraw(m, NvaView.FORWARDING).toCompletableFuture().get(20, TimeUnit.SECONDS);
        nva.withdraw(m, NvaView.MAPPING).toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Test
    void a_vn_defined_on_one_nnve_is_known_on_the_others_and_a_clashing_definition_is_refused() throws Exception {
        EtcdNva a = bed.nva(A);
        EtcdNva b = bed.nva(B);
        EtcdNva open = bed.nva(bed.config(C).openVns(true));
        VnContext red = new VnContext(VN, "red");
        assertThat(get(a.define(red))).isEqualTo(red);
        assertThat(get(b.vnContext(VN).toCompletableFuture())).contains(red);
        assertThat(get(b.define(red))).as("defining again what is there").isEqualTo(red);
        assertThatThrownBy(() -> get(b.define(new VnContext(VN, "blue")))).hasCauseInstanceOf(VnConflictException.class)
                .hasMessageContaining("'red'");
        assertThatThrownBy(() -> get(b.define(new VnContext(VnId.of(5002), "red")))).hasCauseInstanceOf(VnConflictException.class)
                .hasMessageContaining("VN 5001");
        assertThat(get(b.vnContext(VnId.of(5002)).toCompletableFuture())).as("a closed NVA does not invent VNs").isEmpty();
        assertThat(get(open.vnContext(VnId.of(5003)).toCompletableFuture())).contains(new VnContext(VnId.of(5003), "vn-5003"));
        await("the others see the VN the open NVA created", () -> a.knownVn(VnId.of(5003)).isPresent());
        assertThat(a.counters().vnConflicts()).isZero();
        assertThat(b.counters().vnConflicts()).isEqualTo(2);
    }

    @Test
    void concurrent_vn_creation_from_several_nnves_yields_one_vni_per_vn() throws Exception {
        List<EtcdNva> nvas = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            nvas.add(bed.nva(bed.config("192.0.2." + i).openVns(true).allocatedVnis(1, 1000)));
        }
        // VNIs 2 and 4 are defined by hand: allocation must step over them.
        get(nvas.get(0).define(new VnContext(VnId.of(2), "by-hand-2")));
        get(nvas.get(0).define(new VnContext(VnId.of(4), "by-hand-4")));
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            names.add("tenant-" + i);
        }
        Map<String, List<CompletableFuture<VnContext>>> results = new HashMap<>();
        List<CompletableFuture<Optional<VnContext>>> opened = new ArrayList<>();
        for (EtcdNva nva : nvas) {
            List<String> order = new ArrayList<>(names);
            Collections.shuffle(order);
            for (String n : order) {
                results.computeIfAbsent(n, k -> new ArrayList<>()).add(nva.createVn(n));
            }
            // and every nNVE asks for the same unknown VN at once, in open mode
            opened.add(nva.vnContext(VnId.of(9000)).toCompletableFuture());
        }
        Set<VnId> vnis = new HashSet<>();
        for (String n : names) {
            Set<VnContext> got = new HashSet<>();
            for (CompletableFuture<VnContext> f : results.get(n)) {
                got.add(get(f));
            }
            assertThat(got).as("every nNVE got the same VN for %s", n).hasSize(1);
            VnContext ctx = got.iterator().next();
            assertThat(ctx.name()).isEqualTo(n);
            assertThat(vnis.add(ctx.vn())).as("%s has a VNI of its own", ctx).isTrue();
        }
        assertThat(vnis).doesNotContain(VnId.of(2), VnId.of(4), VnId.of(9000));
        Set<Optional<VnContext>> nine = new HashSet<>();
        for (CompletableFuture<Optional<VnContext>> f : opened) {
            nine.add(get(f));
        }
        assertThat(nine).containsExactly(Optional.of(new VnContext(VnId.of(9000), "vn-9000")));
        await("every NVA's copy has all 15 VNs", () -> nvas.stream().allMatch(n -> vnis.stream().allMatch(v -> n.knownVn(v).isPresent())));
    }

    @Test
    void a_tsi_activated_on_one_nnve_reaches_the_others_data_planes_and_leaves_with_its_withdrawal() throws Exception {
        EtcdNva a = bed.nva(A);
        EtcdNva b = bed.nva(B);
        EtcdNva c = bed.nva(C);
        NvaDirectory db = directory(b, B);
        NvaDirectory dc = directory(c, C);
        TsiMapping vm = mapping(VN.value(), 1, A);
        publish(a, vm);
        await("B and C tunnel to A for the VM", () -> where(db, vm).isPresent() && where(dc, vm).isPresent());
        assertThat(where(db, vm)).contains(UnderlayAddress.parse(A));
        assertThat(db.floodList(VN)).containsExactly(UnderlayAddress.parse(A));
        assertThat(directory(a, A).floodList(VN)).as("an NVE never floods to itself").isEmpty();
        // An Associated-only TSI is in the mapping view, not the forwarding view: no traffic to it, no flooding.
        TsiMapping associated = mapping(VN.value(), 2, C);
        c.publish(associated, NvaView.MAPPING).toCompletableFuture().get(20, TimeUnit.SECONDS);
        await("A's copy has C's associated TSI", () -> a.holders(associated, NvaView.MAPPING) == 1);
        assertThat(db.floodList(VN)).containsExactly(UnderlayAddress.parse(A));
        withdraw(a, vm);
        await("B and C forget the VM", () -> where(db, vm).isEmpty() && where(dc, vm).isEmpty());
        assertThat(db.floodList(VN)).isEmpty();
        assertThat(b.counts(NvaView.FORWARDING)).isEmpty();
    }

    @Test
    void two_holders_of_one_address_keep_it_published_until_both_have_withdrawn() throws Exception {
        EtcdNva a = bed.nva(A);
        EtcdNva b = bed.nva(B);
        TsiMapping m = mapping(VN.value(), 1, A);
        a.publish(m, NvaView.MAPPING).toCompletableFuture().get(20, TimeUnit.SECONDS);
        a.publish(m, NvaView.MAPPING).toCompletableFuture().get(20, TimeUnit.SECONDS);
        await("B counts two holders", () -> b.holders(m, NvaView.MAPPING) == 2);
        a.withdraw(m, NvaView.MAPPING).toCompletableFuture().get(20, TimeUnit.SECONDS);
        await("B counts one holder", () -> b.holders(m, NvaView.MAPPING) == 1);
        a.withdraw(m, NvaView.MAPPING).toCompletableFuture().get(20, TimeUnit.SECONDS);
        await("B counts none", () -> b.holders(m, NvaView.MAPPING) == 0);
        // A third withdrawal is of nothing: it changes nothing anywhere.
        a.withdraw(m, NvaView.MAPPING).toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertThat(a.counts(NvaView.MAPPING)).isEmpty();
    }

    @Test
    void a_migration_moves_the_tsi_and_a_late_withdrawal_from_the_old_nve_does_not_remove_the_new_location() throws Exception {
        EtcdNva a = bed.nva(A);
        EtcdNva b = bed.nva(B);
        EtcdNva c = bed.nva(C);
        NvaDirectory dc = directory(c, C);
        TsiMapping atA = mapping(VN.value(), 7, A);
        TsiMapping atB = mapping(VN.value(), 7, B);
        publish(a, atA);
        await("C tunnels to A", () -> where(dc, atA).equals(Optional.of(UnderlayAddress.parse(A))));
        // The VM arrives on B before A has let it go (RFC 8394 3.3): the latest location wins.
        publish(b, atB);
        await("C tunnels to B", () -> where(dc, atB).equals(Optional.of(UnderlayAddress.parse(B))));
        withdraw(a, atA);
        await("A's withdrawal reached C", () -> c.holders(atA, NvaView.FORWARDING) == 0);
        assertThat(where(dc, atB)).contains(UnderlayAddress.parse(B));
        assertThat(dc.floodList(VN)).containsExactly(UnderlayAddress.parse(B));
    }

    @Test
    void an_nnve_killed_without_goodbye_has_its_mappings_withdrawn_after_its_lease_and_one_that_closes_at_once() throws Exception {
        EtcdNva a = bed.nva(A);
        EtcdNva b = bed.nva(B);
        EtcdNva c = bed.nva(C);
        NvaDirectory dc = directory(c, C);
        TsiMapping fromA = mapping(VN.value(), 1, A);
        TsiMapping fromB = mapping(VN.value(), 2, B);
        publish(a, fromA);
        publish(b, fromB);
        await("C knows both", () -> where(dc, fromA).isPresent() && where(dc, fromB).isPresent());
        long killed = System.nanoTime();
        a.abandon();
        await("C forgets A's TSI", () -> where(dc, fromA).isEmpty());
        Duration took = Duration.ofNanos(System.nanoTime() - killed);
        assertThat(took).as("gone within the lease TTL and a keep-alive period").isLessThan(EtcdNvaTestBed.TTL.plusSeconds(3));
        long closed = System.nanoTime();
        b.close();
        await("C forgets B's TSI", () -> where(dc, fromB).isEmpty());
        assertThat(Duration.ofNanos(System.nanoTime() - closed)).as("a goodbye revokes the lease at once")
                .isLessThan(EtcdNvaTestBed.TTL);
    }

    @Test
    void an_etcd_restart_in_the_middle_loses_nothing_and_counts_nothing_twice() throws Exception {
        EtcdNva a = bed.nva(A);
        EtcdNva b = bed.nva(B);
        get(a.define(new VnContext(VN, "red")));
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            done.add(a.publish(mapping(VN.value(), i, A), NvaView.FORWARDING).toCompletableFuture());
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        await("B has A's 40 mappings", () -> b.counts(NvaView.FORWARDING).size() == 40);

        bed.etcd.stop();
        await("A notices the outage", () -> !a.isUp());
        long asked = System.nanoTime();
        assertThatThrownBy(() -> a.vnContext(VN).toCompletableFuture().get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(NvaUnavailableException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - asked)).as("refused at once, not hung").isLessThan(Duration.ofSeconds(1));
        // During the outage the nNVE goes on: 20 new TSIs, 10 gone, one address held twice.
        List<CompletableFuture<Void>> later = new ArrayList<>();
        for (int i = 40; i < 60; i++) {
            later.add(a.publish(mapping(VN.value(), i, A), NvaView.FORWARDING).toCompletableFuture());
        }
        for (int i = 0; i < 10; i++) {
            later.add(a.withdraw(mapping(VN.value(), i, A), NvaView.FORWARDING).toCompletableFuture());
        }
        later.add(a.publish(mapping(VN.value(), 20, A), NvaView.FORWARDING).toCompletableFuture());
        Thread.sleep(1500);
        assertThat(later).as("nothing is written while etcd is down").noneMatch(CompletableFuture::isDone);
        bed.etcd.start();

        CompletableFuture.allOf(later.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        Map<TsiMapping, Integer> expected = new HashMap<>();
        for (int i = 10; i < 60; i++) {
            expected.put(mapping(VN.value(), i, A), i == 20 ? 2 : 1);
        }
        await("B holds exactly A's 50 mappings", () -> b.counts(NvaView.FORWARDING).equals(expected),
                () -> "B has " + b.counts(NvaView.FORWARDING).size() + ", " + b.counters());
        await("A's own copy agrees", () -> a.counts(NvaView.FORWARDING).equals(expected));
        assertThat(get(a.vnContext(VN).toCompletableFuture())).contains(new VnContext(VN, "red"));
        assertThat(a.counters().resyncs()).isGreaterThanOrEqualTo(2);
        assertThat(a.counters().writeFailures() + a.counters().sessionFailures()).isPositive();
    }

    @Test
    void a_lost_lease_is_replaced_and_every_mapping_is_published_again_under_the_new_one() throws Exception {
        EtcdNva a = bed.nva(A);
        EtcdNva b = bed.nva(B);
        for (int i = 0; i < 20; i++) {
            a.publish(mapping(VN.value(), i, A), NvaView.FORWARDING).toCompletableFuture().get(20, TimeUnit.SECONDS);
        }
        await("B has 20", () -> b.counts(NvaView.FORWARDING).size() == 20);
        // What etcd does to a lease that ran out while its holder could not reach it.
        try (Client admin = Client.builder().endpoints(bed.etcd.endpoints().toArray(String[]::new)).build()) {
            ByteSequence key = ByteSequence.from(new KeyLayout(KeyLayout.DEFAULT_PREFIX).mapping(mapping(VN.value(), 0, A),
                    NvaView.FORWARDING), StandardCharsets.UTF_8);
            KeyValue kv = admin.getKVClient().get(key, GetOption.DEFAULT).get(5, TimeUnit.SECONDS).getKvs().get(0);
            admin.getLeaseClient().revoke(kv.getLease()).get(5, TimeUnit.SECONDS);
        }
        await("A was granted a new lease", () -> a.counters().leasesGranted() == 2, a::toString);
        await("B has A's 20 again", () -> b.counts(NvaView.FORWARDING).size() == 20 && a.isUp());
        assertThat(a.counters().leasesLost()).isEqualTo(1);
        assertThat(b.counts(NvaView.FORWARDING).values()).containsOnly(1);
    }

    @Test
    void a_watch_backlog_over_its_bound_is_dropped_and_replaced_by_a_whole_list() throws Exception {
        EtcdNva a = bed.nva(A);
        EtcdNva b = bed.nva(bed.config(B).maxWatchBacklog(8));
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            done.add(a.publish(mapping(VN.value(), i, A), NvaView.FORWARDING).toCompletableFuture());
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        await("B has all 300", () -> b.counts(NvaView.FORWARDING).size() == 300, b::toString);
        assertThat(b.counters().backlogOverflows()).isPositive();
        assertThat(b.counts(NvaView.FORWARDING).values()).containsOnly(1);
    }

    @Test
    void after_close_defining_or_creating_a_vn_fails_as_the_nva_being_unavailable() throws Exception {
        EtcdNva a = bed.nva("192.0.2.1");
        a.close();
        for (CompletableFuture<VnContext> f : List.of(a.define(new VnContext(VnId.of(5001), "red")), a.createVn("blue"))) {
            assertThat(f).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(NvaUnavailableException.class);
        }
    }

    @Test
    void a_vn_lookup_before_etcd_was_ever_reached_is_refused_at_once() throws Exception {
        bed.etcd.stop();
        EtcdNva a = EtcdNva.start(bed.config(A).build());
        try {
            assertThat(a.awaitUp(Duration.ofMillis(300))).isFalse();
            assertThatThrownBy(() -> a.vnContext(VN).toCompletableFuture().get(1, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(NvaUnavailableException.class).hasMessageContaining("not reachable");
            CompletableFuture<Void> pending = a.publish(mapping(VN.value(), 1, A), NvaView.MAPPING).toCompletableFuture();
            bed.etcd.start();
            pending.get(20, TimeUnit.SECONDS);
            assertThat(a.isUp()).isTrue();
            assertThat(a.counters().vnLookupsRefused()).isEqualTo(1);
        } finally {
            a.close();
        }
    }
}
