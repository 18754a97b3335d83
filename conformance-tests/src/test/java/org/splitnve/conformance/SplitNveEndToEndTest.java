package org.splitnve.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitnve.conformance.SplitNveTestBed.VN1;
import static org.splitnve.conformance.SplitNveTestBed.VN2;
import static org.splitnve.conformance.SplitNveTestBed.ip;
import static org.splitnve.conformance.SplitNveTestBed.spec;
import static org.splitnve.conformance.SplitNveTestBed.vmMac;
import static org.splitnve.conformance.SplitNveTestBed.vsi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.splitnve.conformance.SplitNveTestBed.Bridge;
import org.splitnve.conformance.SplitNveTestBed.Host;
import org.splitnve.ecptransport.link.LinkFaults;
import org.splitnve.ecptransport.link.MemoryBridge;
import org.splitnve.nnve.NnveConfig;
import org.splitnve.nnve.NnveException;
import org.splitnve.nnve.NnveListener;
import org.splitnve.nnve.TsiView;
import org.splitnve.nnve.VapEvent;
import org.splitnve.nnve.VapState;
import org.splitnve.nnve.VapView;
import org.splitnve.nnve.nva.InMemoryNva;
import org.splitnve.nnve.nva.NvaView;
import org.splitnve.nnve.nva.TsiMapping;
import org.splitnve.nnve.policy.AuthorizationPolicy;
import org.splitnve.tnve.Migration;
import org.splitnve.tnve.TnveCounters;
import org.splitnve.tnve.TnveException;
import org.splitnve.tnve.TsiAddress;
import org.splitnve.tnve.TsiSpec;
import org.splitnve.tnve.TsiStatus;
import org.splitnve.tnve.VnEvent;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.Seeds;
import org.splitnve.vdpcore.vdp.FilterEntry;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VdpTlvType;
import org.splitnve.vdpcore.vdp.VnId;
import org.splitnve.vdpcore.vdp.VsiId;

/**
 * Whole scenarios of RFC 8394 sections 2 and 3 between our tNVEs and nNVEs: the VM lifecycle, a
 * live migration between two nNVEs, an nNVE restart, a station crash and random operation
 * sequences, over lossy (5 % loss, duplication, reordering) seeded links in virtual time. The seed
 * is printed once; {@code -Dseed=N} replays a run.
 */
class SplitNveEndToEndTest {

    static final MacAddress HV1 = MacAddress.valueOf("02:00:00:00:0a:01");
    static final MacAddress HV2 = MacAddress.valueOf("02:00:00:00:0a:02");
    static final MacAddress NNVE1 = MacAddress.valueOf("02:00:00:00:0b:01");
    static final MacAddress NNVE2 = MacAddress.valueOf("02:00:00:00:0b:02");

    final SplitNveTestBed bed = new SplitNveTestBed();

    static LinkFaults lossy(long seed) {
        return LinkFaults.NONE.withLoss(0.05).withDuplication(0.05).withReordering(0.05, Duration.ofMillis(1)).withSeed(seed);
    }

    private static TsiMapping macMapping(VnId vn, MacAddress mac, Bridge n) {
        return new TsiMapping(vn, mac, null, n.nnve.config().nveName());
    }

    // ------------------------------------------------------------------ VM lifecycle

    @Test
    void a_vm_goes_through_create_pause_suspend_resume_and_shutdown_and_the_nnve_follows_each_step() {
        String ctx = Seeds.replay();
        Bridge n = bed.nnve("nnve1", NNVE1);
        Host h = bed.directHost("hv1", HV1, n, lossy(Seeds.random("e2e-lifecycle").nextLong()));
        TsiSpec s = spec(1, VN1);
        TsiMapping m = macMapping(VN1, vmMac(1), n);

        bed.await(h.vm.created(s));
        assertThat(h.tnve.state(vsi(1))).as(ctx).isEqualTo(TsiState.ACTIVATED);
        assertThat(n.state(h, vsi(1))).as(ctx).isEqualTo(TsiState.ACTIVATED);
        assertThat(n.view(NvaView.FORWARDING)).as(ctx).containsExactly(m);
        LocalTag tag = n.vap(VN1).orElseThrow().tag();
        assertThat(h.tnve.localTag(VN1)).as(ctx).contains(tag);

        // Pause: nothing on the wire beyond keep-alives, nothing changes at the nNVE.
        TnveCounters before = bed.await(h.tnve.counters());
        long bridgeChangesBefore = n.nnve.counters().requests() - n.nnve.counters().refreshes();
        TsiView viewBefore = n.tsi(h, vsi(1)).orElseThrow();
        int eventsBefore = n.events.size() - n.events(org.splitnve.nnve.ResponseEvent.class).size();
        CompletableFuture<Void> paused = h.vm.paused(vsi(1));
        assertThat(paused).as(ctx).isCompleted();
        bed.run(Duration.ofSeconds(30));
        TnveCounters after = bed.await(h.tnve.counters());
        assertThat(after.requests() - after.keepAlives()).as("no operation sent for a pause; " + ctx)
                .isEqualTo(before.requests() - before.keepAlives());
        assertThat(n.nnve.counters().requests() - n.nnve.counters().refreshes()).as(ctx).isEqualTo(bridgeChangesBefore);
        TsiView viewAfter = n.tsi(h, vsi(1)).orElseThrow();
        assertThat(viewAfter).usingRecursiveComparison().ignoringFields("lastRefreshNanos").isEqualTo(viewBefore);
        assertThat(n.events.size() - n.events(org.splitnve.nnve.ResponseEvent.class).size()).as(ctx).isEqualTo(eventsBefore);
        assertThat(h.tnve.state(vsi(1))).as(ctx).isEqualTo(TsiState.ACTIVATED);

        // Suspend: deactivate with S; the nNVE keeps the association, stops forwarding.
        bed.await(h.vm.suspended(vsi(1)));
        assertThat(h.tnve.state(vsi(1))).as(ctx).isEqualTo(TsiState.ASSOCIATED);
        assertThat(n.state(h, vsi(1))).as(ctx).isEqualTo(TsiState.ASSOCIATED);
        assertThat(n.view(NvaView.FORWARDING)).as(ctx).isEmpty();
        assertThat(n.view(NvaView.MAPPING)).as(ctx).containsExactly(m);
        assertThat(n.nnve.dataPlaneView().activeTsis()).as(ctx).isEmpty();
        assertThat(n.receivedTlvs()).as("the deactivate carried S with 0x80; " + ctx)
                .anySatisfy(t -> {
                    assertThat(t.type()).isEqualTo(VdpTlvType.PRE_ASSOCIATE);
                    assertThat(t.status().migrationIndicationValid()).isTrue();
                    assertThat(t.status().s()).isTrue();
                });

        bed.await(h.vm.resumed(vsi(1)));
        assertThat(h.tnve.state(vsi(1))).as(ctx).isEqualTo(TsiState.ACTIVATED);
        assertThat(n.state(h, vsi(1))).as(ctx).isEqualTo(TsiState.ACTIVATED);
        assertThat(n.view(NvaView.FORWARDING)).as(ctx).containsExactly(m);
        assertThat(n.vap(VN1).orElseThrow().tag()).as("the tag survived the suspension; " + ctx).isEqualTo(tag);

        bed.await(h.vm.shutdown(vsi(1)));
        bed.run(Duration.ofMillis(200));
        assertThat(h.tnve.state(vsi(1))).as(ctx).isEqualTo(TsiState.INIT);
        assertThat(h.tnve.localTag(VN1)).as(ctx).isEmpty();
        assertThat(h.events(VnEvent.class)).as(ctx).extracting(VnEvent::connected).containsExactly(true, false);
        assertThat(n.nnve.tsis()).as(ctx).isEmpty();
        assertThat(n.vap(VN1)).as(ctx).isEmpty();
        assertThat(n.events(VapEvent.class)).as(ctx).extracting(VapEvent::newState)
                .containsExactly(VapState.VN_CONNECTED, VapState.VN_DISCONNECTED);
        assertThat(n.nnve.dataPlaneView().tagOfVn(n.port(), VN1)).as("tag released; " + ctx).isEmpty();
        assertThat(n.nnve.dataPlaneView().vnOfTag(n.port(), tag)).as(ctx).isEmpty();
        assertThat(n.nva.mappings(NvaView.MAPPING)).as(ctx).isEmpty();
        assertThat(n.nva.mappings(NvaView.FORWARDING)).as(ctx).isEmpty();
    }

    // ------------------------------------------------------------------ live migration

    @Test
    void a_live_migration_between_two_nnves_never_has_the_vm_activated_on_both_and_fires_the_destination_hook() {
        String ctx = Seeds.replay();
        SplittableRandom r = Seeds.random("e2e-migration");
        InMemoryNva nva = SplitNveTestBed.nva();
        Bridge n1 = bed.nnve("nnve1", NNVE1, NnveConfig.builder().nveName("nnve1").build(), AuthorizationPolicy.allowAll(), nva);
        Bridge n2 = bed.nnve("nnve2", NNVE2, NnveConfig.builder().nveName("nnve2").build(), AuthorizationPolicy.allowAll(), nva);
        Host src = bed.directHost("hv1", HV1, n1, lossy(r.nextLong()));
        Host dst = bed.directHost("hv2", HV2, n2, lossy(r.nextLong()));
        TsiSpec s = spec(1, VN1);
        List<String> violations = new CopyOnWriteArrayList<>();
        NnveListener watch = new NnveListener() {
            @Override
            public void onTsi(org.splitnve.nnve.TsiEvent e) {
                if (n1.state(src, vsi(1)) == TsiState.ACTIVATED && n2.state(dst, vsi(1)) == TsiState.ACTIVATED) {
                    violations.add("activated on both at " + bed.clock.nanoTime() + " after " + e);
                }
            }
        };
        n1.nnve.addListener(watch);
        n2.nnve.addListener(watch);

        bed.await(src.vm.created(s));
        assertThat(n1.state(src, vsi(1))).as(ctx).isEqualTo(TsiState.ACTIVATED);
        assertThat(n2.state(dst, vsi(1))).as(ctx).isEqualTo(TsiState.INIT);
        assertThat(nva.mappings(NvaView.FORWARDING)).as(ctx).containsExactly(macMapping(VN1, vmMac(1), n1));

        bed.await(src.vm.migrateOut(vsi(1)));
        assertThat(src.tnve.state(vsi(1))).as(ctx).isEqualTo(TsiState.ASSOCIATED);
        assertThat(n1.state(src, vsi(1))).as(ctx).isEqualTo(TsiState.ASSOCIATED);
        assertThat(n2.state(dst, vsi(1))).as(ctx).isEqualTo(TsiState.INIT);
        assertThat(nva.mappings(NvaView.FORWARDING)).as(ctx).isEmpty();

        bed.await(dst.vm.migrateIn(s));
        assertThat(dst.tnve.state(vsi(1))).as(ctx).isEqualTo(TsiState.ACTIVATED);
        assertThat(n2.state(dst, vsi(1))).as(ctx).isEqualTo(TsiState.ACTIVATED);
        assertThat(n2.tsi(dst, vsi(1)).orElseThrow().migration()).as(ctx).isTrue();
        assertThat(n2.dataPlane(SplitNveTestBed.Migrated.class)).as("the destination's IGMP/MLD hook fired; " + ctx)
                .extracting(e -> e.tsi().key().vsiId()).containsExactly(vsi(1));
        assertThat(n1.dataPlane(SplitNveTestBed.Migrated.class)).as(ctx).isEmpty();
        assertThat(n1.state(src, vsi(1))).as("the source still holds the association; " + ctx).isEqualTo(TsiState.ASSOCIATED);
        assertThat(nva.mappings(NvaView.FORWARDING)).as(ctx).containsExactly(macMapping(VN1, vmMac(1), n2));
        assertThat(nva.mappings(NvaView.MAPPING)).as(ctx)
                .containsExactlyInAnyOrder(macMapping(VN1, vmMac(1), n1), macMapping(VN1, vmMac(1), n2));

        bed.await(src.vm.migrationCompleted(vsi(1)));
        assertThat(src.tnve.state(vsi(1))).as(ctx).isEqualTo(TsiState.INIT);
        assertThat(n1.state(src, vsi(1))).as(ctx).isEqualTo(TsiState.INIT);
        assertThat(n1.vap(VN1)).as(ctx).isEmpty();
        assertThat(n2.state(dst, vsi(1))).as(ctx).isEqualTo(TsiState.ACTIVATED);
        assertThat(nva.mappings(NvaView.MAPPING)).as(ctx).containsExactly(macMapping(VN1, vmMac(1), n2));

        bed.run(Duration.ofSeconds(40)); // keep-alives on both sides change nothing
        assertThat(n1.state(src, vsi(1))).as(ctx).isEqualTo(TsiState.INIT);
        assertThat(n2.state(dst, vsi(1))).as(ctx).isEqualTo(TsiState.ACTIVATED);
        assertThat(violations).as(ctx).isEmpty();
    }

    @Test
    void a_migration_between_two_ports_of_one_nnve_keeps_the_destination_mapping_when_the_source_lets_go() {
        Bridge n = bed.nnve("nnve1", NNVE1);
        SplittableRandom r = Seeds.random("e2e-same-nnve-migration");
        Host src = bed.directHost("hv1", HV1, n, lossy(r.nextLong()));
        String srcPort = n.port();
        Host dst = bed.directHost("hv2", HV2, n, lossy(r.nextLong()));
        String dstPort = n.port();
        TsiMapping m = macMapping(VN1, vmMac(1), n);
        org.splitnve.nnve.TsiKey atSrc = new org.splitnve.nnve.TsiKey(srcPort, HV1, vsi(1));
        org.splitnve.nnve.TsiKey atDst = new org.splitnve.nnve.TsiKey(dstPort, HV2, vsi(1));

        bed.await(src.vm.created(spec(1, VN1)));
        bed.await(src.vm.migrateOut(vsi(1)));
        bed.await(dst.vm.migrateIn(spec(1, VN1)));

        assertThat(n.nnve.tsi(atSrc)).get().extracting(TsiView::state).isEqualTo(TsiState.ASSOCIATED);
        assertThat(n.nnve.tsi(atDst)).get().extracting(TsiView::state).isEqualTo(TsiState.ACTIVATED);
        assertThat(n.nva.holders(m, NvaView.MAPPING)).as("two TSI instances hold the address for a moment").isEqualTo(2);
        assertThat(n.nva.holders(m, NvaView.FORWARDING)).isEqualTo(1);

        bed.await(src.vm.migrationCompleted(vsi(1)));

        assertThat(n.nnve.tsi(atSrc)).isEmpty();
        assertThat(n.nnve.tsi(atDst)).get().extracting(TsiView::state).isEqualTo(TsiState.ACTIVATED);
        assertThat(n.nva.holders(m, NvaView.MAPPING)).as("withdrawing the source's must not remove the destination's").isEqualTo(1);
        assertThat(n.nva.holders(m, NvaView.FORWARDING)).isEqualTo(1);
        assertThat(n.nnve.vap(srcPort, VN1)).isEmpty();
        assertThat(n.nnve.vap(dstPort, VN1)).isPresent();
        assertThat(dst.tnve.state(vsi(1))).isEqualTo(TsiState.ACTIVATED);
        assertThat(src.tnve.state(vsi(1))).isEqualTo(TsiState.INIT);
    }

    @Test
    void an_address_update_the_policy_refuses_leaves_the_old_addresses_on_both_sides_and_later_keep_alives_are_accepted() throws Exception {
        org.splitnve.nnve.policy.PolicyFile policy = org.splitnve.nnve.policy.PolicyFile.parse(
                "allow vn 5001 addresses 02:00:00:aa:00:00/ff:ff:ff:ff:ff:00\n");
        Bridge n = bed.nnve("nnve1", NNVE1, NnveConfig.builder().nveName("nnve1").build(), policy, SplitNveTestBed.nva());
        Host h = bed.directHost("hv1", HV1, n, LinkFaults.NONE);
        bed.await(h.tnve.activate(spec(1, VN1), Migration.NONE));

        Throwable t = bed.failure(h.tnve.updateAddresses(vsi(1), List.of(TsiAddress.mac(MacAddress.valueOf("02:00:00:bb:00:01")))));

        assertThat(t).isInstanceOf(org.splitnve.tnve.VdpRefusedException.class);
        assertThat(((org.splitnve.tnve.VdpRefusedException) t).keep()).isTrue();
        assertThat(h.tnve.state(vsi(1))).isEqualTo(TsiState.ACTIVATED);
        assertThat(n.tsi(h, vsi(1)).orElseThrow().macs()).containsExactly(vmMac(1));
        long refusals = n.nnve.counters().refusals();

        bed.run(h.stack.timers().keepAlive().multipliedBy(3));

        assertThat(n.nnve.counters().refusals()).as("keep-alives carry the addresses the nNVE accepted, not the refused ones")
                .isEqualTo(refusals);
        assertThat(h.events(SplitNveTestBed.PeerLost.class)).isEmpty();
        assertThat(n.state(h, vsi(1))).isEqualTo(TsiState.ACTIVATED);
        assertThat(n.tsi(h, vsi(1)).orElseThrow().macs()).containsExactly(vmMac(1));
        assertThat(n.view(NvaView.FORWARDING)).containsExactly(macMapping(VN1, vmMac(1), n));
    }

    @Test
    void an_address_update_of_an_associated_vsi_changes_the_mapping_view_and_leaves_the_forwarding_view_empty() {
        Bridge n = bed.nnve("nnve1", NNVE1);
        Host h = bed.directHost("hv1", HV1, n, lossy(Seeds.random("e2e-update-associated").nextLong()));
        bed.await(h.tnve.associate(spec(1, VN1), Migration.NONE));

        bed.await(h.tnve.updateAddresses(vsi(1), List.of(TsiAddress.macIp(vmMac(2), ip("10.1.1.1")))));

        assertThat(h.tnve.state(vsi(1))).as(Seeds.replay()).isEqualTo(TsiState.ASSOCIATED);
        assertThat(n.state(h, vsi(1))).as(Seeds.replay()).isEqualTo(TsiState.ASSOCIATED);
        assertThat(n.view(NvaView.MAPPING)).as(Seeds.replay())
                .containsExactly(new TsiMapping(VN1, vmMac(2), ip("10.1.1.1"), n.nnve.config().nveName()));
        assertThat(n.view(NvaView.FORWARDING)).as(Seeds.replay()).isEmpty();
        assertThat(n.receivedTlvs()).as("the update re-sent the current type, Pre-Associate; " + Seeds.replay())
                .extracting(org.splitnve.vdpcore.vdp.AssociationTlv::type).doesNotContain(VdpTlvType.ASSOCIATE);
    }

    // ------------------------------------------------------------------ nNVE restart

    @Test
    void an_nnve_restarted_on_the_same_mac_gets_every_vsi_back_activated_within_one_keep_alive_in_few_vdpdus() {
        Bridge n = bed.onNetwork(bed.nnve("nnve1", NNVE1));
        Host h = bed.networkHost("hv1", HV1, NNVE1, UnaryOperator.identity(), NNVE1);
        int count = 500;
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            all.add(h.tnve.activate(spec(i, i % 2 == 0 ? VN1 : VN2), Migration.NONE));
        }
        bed.await(CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)));
        assertThat(n.nnve.tsis()).hasSize(count).allSatisfy(v -> assertThat(v.state()).isEqualTo(TsiState.ACTIVATED));
        Map<VnId, LocalTag> tags = Map.of(VN1, n.vap(VN1).orElseThrow().tag(), VN2, n.vap(VN2).orElseThrow().tag());

        n.kill();
        Bridge fresh = bed.onNetwork(bed.nnve("nnve1", NNVE1));
        long pdusBefore = h.stack.channel().counters().pdusOut();
        Duration keepAlive = h.stack.timers().keepAlive();
        bed.run(keepAlive.plusSeconds(2));

        assertThat(fresh.nnve.tsis()).hasSize(count).allSatisfy(v -> assertThat(v.state()).isEqualTo(TsiState.ACTIVATED));
        for (int i = 1; i <= count; i++) {
            assertThat(h.tnve.state(vsi(i))).isEqualTo(TsiState.ACTIVATED);
        }
        assertThat(fresh.vap(VN1).orElseThrow().associatedTsis()).isEqualTo(count / 2);
        assertThat(h.tnve.localTag(VN1)).contains(fresh.vap(VN1).orElseThrow().tag());
        assertThat(h.tnve.localTag(VN2)).contains(fresh.vap(VN2).orElseThrow().tag());
        assertThat(fresh.vap(VN1).orElseThrow().tag()).as("the station's tags were granted again").isEqualTo(tags.get(VN1));
        assertThat(fresh.view(NvaView.FORWARDING)).hasSize(count);
        long pdus = h.stack.channel().counters().pdusOut() - pdusBefore;
        assertThat(pdus).as("VDPDUs the station sent to re-establish %d VSIs", count).isPositive().isLessThan(count / 10);
    }

    @Test
    void an_nnve_restart_brings_back_associated_and_activated_vsis_and_vn_anchors_each_in_its_own_state() {
        Bridge n = bed.onNetwork(bed.nnve("nnve1", NNVE1));
        Host h = bed.networkHost("hv1", HV1, NNVE1, b -> b.config(org.splitnve.tnve.TnveConfig.builder().reserveResources(true).build()),
                NNVE1);
        bed.await(h.tnve.vnConnect(SplitNveTestBed.VN3));
        for (int i = 1; i <= 6; i++) {
            bed.await(i % 2 == 0 ? h.tnve.activate(spec(i, VN1), Migration.NONE) : h.tnve.associate(spec(i, VN2), Migration.NONE));
        }
        bed.await(h.vm.suspended(vsi(2)));
        Map<VsiId, TsiState> before = new HashMap<>();
        n.nnve.tsis().forEach(v -> before.put(v.key().vsiId(), v.state()));
        assertThat(before).hasSize(7);

        n.kill();
        Bridge fresh = bed.onNetwork(bed.nnve("nnve1", NNVE1));
        bed.run(h.stack.timers().keepAlive().plusSeconds(2));

        Map<VsiId, TsiState> after = new HashMap<>();
        fresh.nnve.tsis().forEach(v -> after.put(v.key().vsiId(), v.state()));
        assertThat(after).isEqualTo(before);
        assertThat(fresh.vap(SplitNveTestBed.VN3).orElseThrow().tag()).isEqualTo(h.tnve.localTag(SplitNveTestBed.VN3).orElseThrow());
        assertThat(fresh.view(NvaView.FORWARDING)).hasSize(2);
        assertThat(fresh.view(NvaView.MAPPING)).hasSize(6);
    }

    /**
     * Exposes a tNVE bug: after an nNVE restart, the station re-sends its keep-alives with the VID it
     * learnt before. When the restarted nNVE has meanwhile given that VID to another VN, it refuses
     * (error 5, keep: "VID 2 is the tag of VN 5003"), and the tNVE only marks the bridge lost and
     * keeps re-sending the stale VID every keep-alive: the VSI stays ACTIVATED at the station and
     * absent at the nNVE for good. The station should drop the unconfirmed tag and re-establish with
     * the null VID (an implicit VN_Connect), reporting the new tag via onTagChanged.
     */
    @Test
    void after_an_nnve_restart_a_station_whose_old_tag_went_to_another_vn_is_given_a_new_tag_and_its_vsis_come_back() {
        Bridge n = bed.onNetwork(bed.nnve("nnve1", NNVE1));
        Host a = bed.networkHost("hv1", HV1, NNVE1, UnaryOperator.identity(), NNVE1);
        Host b = bed.networkHost("hv2", HV2, NNVE1, UnaryOperator.identity(), NNVE1);
        bed.await(a.tnve.activate(spec(1, VN1), Migration.NONE));
        LocalTag old = n.vap(VN1).orElseThrow().tag();

        n.kill();
        Bridge fresh = bed.onNetwork(bed.nnve("nnve1", NNVE1));
        // Another station connects first and is given the lowest free tag: the one VN1 had.
        bed.await(b.tnve.activate(spec(100, SplitNveTestBed.VN3), Migration.NONE));
        assertThat(fresh.vap(SplitNveTestBed.VN3).orElseThrow().tag()).isEqualTo(old);

        bed.run(a.stack.timers().keepAlive().multipliedBy(3));

        assertThat(a.tnve.state(vsi(1))).isEqualTo(TsiState.ACTIVATED);
        assertThat(fresh.state(a, vsi(1))).as("the station believes VSI 1 ACTIVATED; the restarted nNVE must hold it too")
                .isEqualTo(TsiState.ACTIVATED);
        LocalTag now = fresh.vap(VN1).orElseThrow().tag();
        assertThat(now).isNotEqualTo(old);
        assertThat(a.tnve.localTag(VN1)).as("station and nNVE agree on the new tag").contains(now);
        assertThat(fresh.state(b, vsi(100))).isEqualTo(TsiState.ACTIVATED);
    }

    @Test
    void operations_in_flight_when_the_active_nnve_is_lost_complete_on_the_standby_and_both_sides_agree() {
        Bridge n1 = bed.onNetwork(bed.nnve("nnve1", NNVE1));
        Bridge n2 = bed.onNetwork(bed.nnve("nnve2", NNVE2));
        Host h = bed.networkHost("hv1", HV1, NNVE1, b -> b.standby(NNVE2));
        for (int i = 1; i <= 10; i++) {
            bed.await(h.tnve.activate(spec(i, i % 2 == 0 ? VN1 : VN2), Migration.NONE));
        }
        MemoryBridge.Port active = (MemoryBridge.Port) n1.stack.link();
        active.down(true);
        List<CompletableFuture<?>> ops = new ArrayList<>();
        for (int i = 11; i <= 15; i++) {
            ops.add(h.vm.created(spec(i, VN1)));
        }
        for (int i = 1; i <= 3; i++) {
            ops.add(h.vm.suspended(vsi(i)));
        }
        ops.add(h.vm.shutdown(vsi(4)));
        bed.settle(CompletableFuture.allOf(ops.stream().map(f -> f.handle((v, e) -> null)).toArray(CompletableFuture[]::new)),
                Duration.ofMinutes(2));
        bed.run(n1.stack.timers().bridgeKeepAliveTimeout().multipliedBy(2));
        active.down(false); // the lost nNVE comes back: the station stays where it is
        bed.run(h.stack.timers().keepAlive().multipliedBy(2));

        for (CompletableFuture<?> f : ops) {
            assertThat(f).isDone();
            assertThat(failureOf(f)).as("an operation caught by the failover is moved, not lost").isNull();
        }
        assertThat(h.tnve.activeBridge()).isEqualTo(NNVE2);
        assertThat(n1.nnve.tsis()).as("the VN is on one nNVE only").isEmpty();
        for (int i = 1; i <= 15; i++) {
            TsiState expected = i <= 3 ? TsiState.ASSOCIATED : i == 4 ? TsiState.INIT : TsiState.ACTIVATED;
            assertThat(h.tnve.state(vsi(i))).as("station, VSI %d", i).isEqualTo(expected);
            assertThat(n2.state(h, vsi(i))).as("standby nNVE, VSI %d", i).isEqualTo(expected);
        }
        assertThat(h.tnve.localTag(VN1)).contains(n2.vap(VN1).orElseThrow().tag());
    }

    // ------------------------------------------------------------------ station crash

    @Test
    void a_crashed_station_is_de_associated_by_the_nnve_after_the_keep_alive_timeout_and_its_tags_return_to_the_pool() {
        Bridge n = bed.onNetwork(bed.nnve("nnve1", NNVE1, NnveConfig.builder().nveName("nnve1").tagRange(100, 101).build(),
                AuthorizationPolicy.allowAll(), SplitNveTestBed.nva()));
        Host h = bed.networkHost("hv1", HV1, NNVE1, UnaryOperator.identity(), NNVE1);
        int count = 10;
        for (int i = 1; i <= count; i++) {
            bed.await(h.tnve.activate(spec(i, i % 2 == 0 ? VN1 : VN2), Migration.NONE));
        }
        assertThat(n.nnve.totalTsis()).isEqualTo(count);
        assertThat(n.nnve.vaps()).hasSize(2);

        ((MemoryBridge.Port) h.link).down(true);
        bed.run(Duration.ofSeconds(1));
        assertThat(n.nnve.totalTsis()).as("nothing freed before the timeout").isEqualTo(count);

        Duration timeout = n.stack.timers().bridgeKeepAliveTimeout();
        bed.run(timeout.plus(timeout.dividedBy(4)).plusSeconds(1));

        assertThat(n.nnve.tsis()).isEmpty();
        assertThat(n.nnve.totalTsis()).isZero();
        assertThat(n.nnve.vaps()).isEmpty();
        assertThat(n.events(VapEvent.class)).filteredOn(e -> e.newState() == VapState.VN_DISCONNECTED)
                .extracting(VapEvent::vn).containsExactlyInAnyOrder(VN1, VN2);
        assertThat(n.nnve.counters().keepAliveTimeouts()).isEqualTo(count);
        assertThat(n.nva.mappings(NvaView.MAPPING)).isEmpty();
        assertThat(n.nva.mappings(NvaView.FORWARDING)).isEmpty();
        assertThat(n.nnve.dataPlaneView().tagOfVn(n.port(), VN1)).isEmpty();
        assertThat(n.nnve.dataPlaneView().vnOfTag(n.port(), LocalTag.of(100))).isEmpty();
        assertThat(n.nnve.dataPlaneView().vnOfTag(n.port(), LocalTag.of(101))).isEmpty();

        // Both tags of the two-tag range are free again: another station gets two VNs connected.
        Host other = bed.networkHost("hv2", HV2, NNVE1, UnaryOperator.identity(), NNVE1);
        LocalTag a = bed.await(other.tnve.vnConnect(VN1));
        LocalTag b = bed.await(other.tnve.vnConnect(SplitNveTestBed.VN3));
        assertThat(List.of(a.vid(), b.vid())).containsExactlyInAnyOrder(100, 101);
    }

    @Test
    void a_station_whose_link_comes_back_after_the_nnve_timed_it_out_gets_every_vsi_back_with_its_keep_alives() {
        Bridge n = bed.onNetwork(bed.nnve("nnve1", NNVE1));
        Host h = bed.networkHost("hv1", HV1, NNVE1, UnaryOperator.identity(), NNVE1);
        for (int i = 1; i <= 4; i++) {
            bed.await(h.tnve.activate(spec(i, i % 2 == 0 ? VN1 : VN2), Migration.NONE));
        }
        bed.await(h.tnve.associate(spec(5, VN1), Migration.NONE));
        MemoryBridge.Port port = (MemoryBridge.Port) h.link;
        port.down(true);
        Duration timeout = n.stack.timers().bridgeKeepAliveTimeout();
        bed.run(timeout.multipliedBy(2));
        assertThat(n.nnve.tsis()).isEmpty();

        port.down(false);
        bed.run(h.stack.timers().keepAlive().multipliedBy(2).plusSeconds(1));

        for (int i = 1; i <= 4; i++) {
            assertThat(n.state(h, vsi(i))).isEqualTo(TsiState.ACTIVATED);
            assertThat(h.tnve.state(vsi(i))).isEqualTo(TsiState.ACTIVATED);
        }
        assertThat(n.state(h, vsi(5))).isEqualTo(TsiState.ASSOCIATED);
        assertThat(h.tnve.state(vsi(5))).isEqualTo(TsiState.ASSOCIATED);
        assertThat(h.tnve.localTag(VN1)).contains(n.vap(VN1).orElseThrow().tag());
        assertThat(h.tnve.localTag(VN2)).contains(n.vap(VN2).orElseThrow().tag());
        assertThat(n.view(NvaView.FORWARDING)).hasSize(4);
        assertThat(n.view(NvaView.MAPPING)).hasSize(5);
    }

    @Test
    void a_restarted_station_that_recreates_some_of_its_vms_ends_with_exactly_those_on_the_nnve() {
        Bridge n = bed.onNetwork(bed.nnve("nnve1", NNVE1));
        MemoryBridge.Port port = bed.network().attach("hv1", HV1);
        Host before = bed.host("hv1", port, NNVE1, UnaryOperator.identity());
        before.stack.ecp().setAddressing(NNVE1, org.splitnve.ecptransport.ecp.EcpAddressing.unicast());
        for (int i = 1; i <= 6; i++) {
            bed.await(before.tnve.activate(spec(i, VN1), Migration.NONE));
        }
        bed.await(before.tnve.vnConnect(VN2));

        // The hypervisor's agent restarts: a new tNVE on the same MAC that knows nothing.
        before.tnve.close();
        before.stack.close();
        Host after = bed.networkHost("hv1", HV1, NNVE1, UnaryOperator.identity(), NNVE1);
        for (int i = 1; i <= 3; i++) {
            bed.await(after.vm.created(spec(i, VN1)));
        }
        bed.run(n.stack.timers().bridgeKeepAliveTimeout().multipliedBy(2));

        assertThat(n.nnve.tsis()).extracting(v -> v.key().vsiId()).containsExactlyInAnyOrder(vsi(1), vsi(2), vsi(3));
        assertThat(n.nnve.tsis()).allSatisfy(v -> assertThat(v.state()).isEqualTo(TsiState.ACTIVATED));
        assertThat(n.vap(VN2)).as("the forgotten VN anchor timed out with the rest").isEmpty();
        assertThat(after.tnve.localTag(VN1)).contains(n.vap(VN1).orElseThrow().tag());
        assertThat(n.view(NvaView.MAPPING)).hasSize(3);
    }

    @Test
    void after_the_nnve_disconnected_a_vn_the_station_can_connect_it_again_and_gets_a_tag_both_sides_agree_on() {
        Bridge n = bed.nnve("nnve1", NNVE1);
        Host h = bed.directHost("hv1", HV1, n, lossy(Seeds.random("e2e-reconnect").nextLong()));
        bed.await(h.tnve.vnConnect(VN1));
        bed.await(h.tnve.activate(spec(1, VN1), Migration.NONE));

        bed.await(n.nnve.disconnectVn(n.port(), VN1, "maintenance"));
        bed.run(Duration.ofSeconds(1));
        assertThat(h.tnve.localTag(VN1)).as(Seeds.replay()).isEmpty();
        assertThat(h.tnve.state(vsi(1))).as(Seeds.replay()).isEqualTo(TsiState.INIT);

        LocalTag again = bed.await(h.tnve.vnConnect(VN1));
        bed.await(h.vm.created(spec(1, VN1)));
        bed.run(h.stack.timers().keepAlive().multipliedBy(2));

        assertThat(n.vap(VN1).orElseThrow().tag()).as(Seeds.replay()).isEqualTo(again);
        assertThat(h.tnve.localTag(VN1)).as(Seeds.replay()).contains(again);
        assertThat(n.state(h, vsi(1))).as(Seeds.replay()).isEqualTo(TsiState.ACTIVATED);
        assertThat(n.state(h, h.tnve.anchorId(VN1))).as(Seeds.replay()).isEqualTo(TsiState.ASSOCIATED);
    }

    // ------------------------------------------------------------------ random operations

    static Stream<Arguments> runs() {
        return Seeds.cases("splitnve-e2e-random", 10, SplittableRandom::nextLong);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void after_random_lifecycle_operations_on_a_lossy_link_station_and_nnve_agree_on_every_vsi(Seeds.Case<Long> c) {
        SplittableRandom r = new SplittableRandom(c.value());
        // The station's and the nNVE's options vary too: reservation (Pre-Associate-RR), the migration indication.
        org.splitnve.tnve.TnveConfig config = org.splitnve.tnve.TnveConfig.builder().reserveResources(r.nextBoolean())
                .migrationIndication(r.nextInt(4) != 0).build();
        Bridge n = bed.nnve("nnve1", NNVE1, NnveConfig.builder().nveName("nnve1").echoMigrationIndication(r.nextInt(4) != 0).build(),
                AuthorizationPolicy.allowAll(), SplitNveTestBed.nva());
        Host h = bed.directHost("hv1", HV1, n, lossy(r.nextLong()), b -> b.config(config));
        randomOperationsThenAgreement(c.describe() + ", " + config + ", echo " + n.nnve.config().echoMigrationIndication(), r, n,
                List.of(h));
    }

    static Stream<Arguments> sharedPortRuns() {
        return Seeds.cases("splitnve-e2e-random-shared-port", 10, SplittableRandom::nextLong);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sharedPortRuns")
    void after_random_operations_of_two_stations_sharing_one_nnve_port_each_station_agrees_with_the_nnve(Seeds.Case<Long> c) {
        SplittableRandom r = new SplittableRandom(c.value());
        Bridge n = bed.onNetwork(bed.nnve("nnve1", NNVE1));
        Host a = bed.networkHost("hv1", HV1, NNVE1, UnaryOperator.identity(), NNVE1);
        Host b = bed.networkHost("hv2", HV2, NNVE1, UnaryOperator.identity(), NNVE1);
        randomOperationsThenAgreement(c.describe(), r, n, List.of(a, b));
    }

    private void randomOperationsThenAgreement(String ctx, SplittableRandom r, Bridge n, List<Host> hosts) {
        VnId[] vns = {VN1, VN2};
        int vms = 20;
        List<CompletableFuture<?>> stationOps = new ArrayList<>();
        List<CompletableFuture<?>> bridgeOps = new ArrayList<>();
        int calls = 60 + r.nextInt(60);
        for (int i = 0; i < calls; i++) {
            Host h = hosts.get(r.nextInt(hosts.size()));
            int vm = 1 + r.nextInt(vms);
            VsiId id = vsi(vm);
            VnId vn = vns[vm % 2];
            TsiSpec s = spec(vm, vn, addresses(r, vm));
            int op = r.nextInt(16);
            switch (op) {
                case 0, 1 -> stationOps.add(h.vm.created(s));
                case 2 -> stationOps.add(h.tnve.associate(s, Migration.values()[r.nextInt(3)]));
                case 3 -> stationOps.add(h.tnve.activate(id, Migration.values()[r.nextInt(3)]));
                case 4 -> stationOps.add(h.vm.suspended(id));
                case 5 -> stationOps.add(h.vm.resumed(id));
                case 6, 7 -> stationOps.add(h.vm.shutdown(id));
                case 8 -> stationOps.add(h.vm.paused(id));
                case 9 -> stationOps.add(h.tnve.updateAddresses(id, addressList(r, vm)));
                case 10 -> stationOps.add(h.vm.migrateIn(s));
                case 11 -> stationOps.add(h.vm.migrateOut(id));
                case 12 -> stationOps.add(h.tnve.vnConnect(vn));
                case 13 -> stationOps.add(r.nextInt(3) == 0 ? h.tnve.vnDisconnect(vn) : h.tnve.deassociate(id));
                case 14 -> bridgeOps.add(n.nnve.deassociate(n.key(h, id), "random operator"));
                default -> bridgeOps.add(r.nextInt(4) == 0 ? n.nnve.disconnectVn(n.port(), vn, "random operator")
                        : h.tnve.activate(s, Migration.NONE));
            }
            if (r.nextInt(3) == 0) {
                bed.run(Duration.ofNanos(r.nextLong(3_000_000_000L)));
            }
        }
        List<CompletableFuture<?>> every = new ArrayList<>(stationOps);
        every.addAll(bridgeOps);
        bed.settle(CompletableFuture.allOf(every.stream().map(f -> f.handle((v, e) -> null)).toArray(CompletableFuture[]::new)),
                Duration.ofMinutes(10));
        for (CompletableFuture<?> f : stationOps) {
            assertThat(f).as("every station future completes; " + ctx).isDone();
            assertThat(failureOf(f)).as("a station failure is a typed TnveException; " + ctx)
                    .satisfiesAnyOf(e -> assertThat(e).isNull(), e -> assertThat(e).isInstanceOf(TnveException.class));
        }
        for (CompletableFuture<?> f : bridgeOps) {
            assertThat(f).as("every nNVE future completes; " + ctx).isDone();
            assertThat(failureOf(f)).as("a failure is typed; " + ctx).satisfiesAnyOf(e -> assertThat(e).isNull(),
                    e -> assertThat(e).isInstanceOf(NnveException.class), e -> assertThat(e).isInstanceOf(TnveException.class));
        }

        // Keep-alives re-send what each station holds; the nNVE's keep-alive timeout drops what none does.
        Duration timeout = n.stack.timers().bridgeKeepAliveTimeout();
        bed.run(timeout.multipliedBy(3));

        for (Host h : hosts) {
            Map<VsiId, TsiState> station = new TreeMap<>(java.util.Comparator.comparing(VsiId::toString));
            for (TsiStatus st : h.tnve.tsis()) {
                assertThat(st.busy()).as("no operation left running; " + ctx).isFalse();
                if (st.state() != TsiState.INIT) {
                    station.put(st.vsiId(), st.state());
                }
            }
            Map<VsiId, TsiState> bridge = new TreeMap<>(java.util.Comparator.comparing(VsiId::toString));
            for (TsiView v : n.nnve.tsis()) {
                if (v.key().station().equals(h.mac())) {
                    bridge.put(v.key().vsiId(), v.state());
                }
            }
            assertThat(bridge).as("the nNVE's view of every VSI of " + h.name + " equals the station's; " + ctx).isEqualTo(station);
            for (VnId vn : vns) {
                List<TsiView> held = n.nnve.tsis().stream().filter(v -> v.key().station().equals(h.mac()) && v.vn().equals(vn)).toList();
                if (h.tnve.localTag(vn).isPresent() || !held.isEmpty()) {
                    // A VN may have several tags on a port (Req-7): a station that asks for a free VID is given it
                    // beside the tag another station got. What must agree is the station's tag and its own TSIs'.
                    LocalTag tag = h.tnve.localTag(vn).orElse(null);
                    assertThat(tag).as(h.name + "'s tag of " + vn + " is one of the nNVE's for it; " + ctx).isNotNull()
                            .isIn(n.vap(vn).map(VapView::tags).orElse(List.of()));
                    for (TsiView v : held) {
                        assertThat(v.tag()).as("the nNVE holds " + v.key().vsiId() + " of " + h.name + " with the station's tag of " + vn + "; " + ctx)
                                .isEqualTo(tag);
                    }
                }
            }
        }
        for (VapView vap : n.nnve.vaps()) {
            assertThat(vap.associatedTsis()).as(ctx)
                    .isEqualTo((int) n.nnve.tsis().stream().filter(v -> v.vn().equals(vap.vn())).count());
        }
        assertThat(n.nva.counts(NvaView.MAPPING)).as("the NVA mapping view is what the held TSIs publish; " + ctx)
                .isEqualTo(expectedNva(n, false));
        assertThat(n.nva.counts(NvaView.FORWARDING)).as("the NVA forwarding view is what the activated TSIs publish; " + ctx)
                .isEqualTo(expectedNva(n, true));
    }

    static Stream<Arguments> activeActiveRuns() {
        return Seeds.cases("splitnve-e2e-random-active-active", 10, SplittableRandom::nextLong);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("activeActiveRuns")
    void after_random_operations_of_an_active_active_station_every_nnve_agrees_with_the_station_about_its_own_binding(
            Seeds.Case<Long> c) {
        String ctx = c.describe();
        SplittableRandom r = new SplittableRandom(c.value());
        Bridge n1 = bed.onNetwork(bed.nnve("nnve1", NNVE1));
        Bridge n2 = bed.onNetwork(bed.nnve("nnve2", NNVE2));
        Host h = bed.networkHost("hv1", HV1, NNVE1, b -> b.bridgeMode(org.splitnve.tnve.BridgeMode.ACTIVE_ACTIVE));
        bed.await(h.tnve.assignVn(VN1, NNVE1));
        bed.await(h.tnve.assignVn(VN1, NNVE2));
        List<CompletableFuture<?>> ops = new ArrayList<>();
        int calls = 40 + r.nextInt(40);
        for (int i = 0; i < calls; i++) {
            int vm = 1 + r.nextInt(12);
            VnId vn = vm % 3 == 0 ? VN2 : VN1;
            TsiSpec s = spec(vm, vn, addresses(r, vm));
            Bridge n = r.nextBoolean() ? n1 : n2;
            ops.add(switch (r.nextInt(10)) {
                case 0, 1 -> h.vm.created(s);
                case 2 -> h.vm.suspended(vsi(vm));
                case 3 -> h.vm.resumed(vsi(vm));
                case 4 -> h.vm.shutdown(vsi(vm));
                case 5 -> h.tnve.updateAddresses(vsi(vm), addressList(r, vm));
                case 6 -> h.tnve.associate(s, Migration.NONE);
                case 7 -> n.nnve.deassociate(n.key(h, vsi(vm)), "random operator");
                case 8 -> h.tnve.vnConnect(vn);
                default -> h.tnve.activate(s, Migration.NONE);
            });
            if (r.nextInt(3) == 0) {
                bed.run(Duration.ofNanos(r.nextLong(3_000_000_000L)));
            }
        }
        bed.settle(CompletableFuture.allOf(ops.stream().map(f -> f.handle((v, e) -> null)).toArray(CompletableFuture[]::new)),
                Duration.ofMinutes(10));
        for (CompletableFuture<?> f : ops) {
            assertThat(f).as(ctx).isDone();
            assertThat(failureOf(f)).as("typed; " + ctx).satisfiesAnyOf(e -> assertThat(e).isNull(),
                    e -> assertThat(e).isInstanceOf(NnveException.class), e -> assertThat(e).isInstanceOf(TnveException.class));
        }
        bed.run(n1.stack.timers().bridgeKeepAliveTimeout().multipliedBy(3));

        for (Bridge n : List.of(n1, n2)) {
            Map<VsiId, TsiState> station = new TreeMap<>(java.util.Comparator.comparing(VsiId::toString));
            for (TsiStatus st : h.tnve.tsis()) {
                TsiState on = st.perBridge().getOrDefault(n.mac, TsiState.INIT);
                if (on != TsiState.INIT) {
                    station.put(st.vsiId(), on);
                }
            }
            Map<VsiId, TsiState> bridge = new TreeMap<>(java.util.Comparator.comparing(VsiId::toString));
            n.nnve.tsis().forEach(v -> bridge.put(v.key().vsiId(), v.state()));
            assertThat(bridge).as(n.name + " agrees with the station's binding to it; " + ctx).isEqualTo(station);
            if (n == n2) {
                assertThat(n.vap(VN2)).as("VN2 is on the primary nNVE only; " + ctx).isEmpty();
            }
            for (VnId vn : List.of(VN1, VN2)) {
                if (n.vap(vn).isPresent()) {
                    assertThat(h.tnve.localTag(vn, n.mac)).as(ctx).isEqualTo(n.vap(vn).map(VapView::tag));
                }
            }
        }
        // An nNVE-initiated De-Associate (Req-9) removes the TSI from that nNVE only; the station does not put it back
        // there, so a VN1 TSI may end on one of the two. Without such de-associates it is on both: see the
        // active-active requirement test.
        for (TsiStatus st : h.tnve.tsis()) {
            if (st.vn().equals(VN2)) {
                assertThat(st.perBridge().getOrDefault(NNVE2, TsiState.INIT)).as("VN2 is not assigned to nnve2; " + ctx)
                        .isEqualTo(TsiState.INIT);
            }
        }
    }

    private static Map<TsiMapping, Integer> expectedNva(Bridge n, boolean activatedOnly) {
        Map<TsiMapping, Integer> out = new HashMap<>();
        for (TsiView v : n.nnve.tsis()) {
            if (activatedOnly && v.state() != TsiState.ACTIVATED) {
                continue;
            }
            java.util.Set<TsiMapping> mine = new java.util.LinkedHashSet<>();
            for (FilterEntry e : v.filter().entries()) {
                if (e.mac() != null || e.ip() != null) {
                    mine.add(new TsiMapping(v.vn(), e.mac(), e.ip(), n.nnve.config().nveName()));
                }
            }
            mine.forEach(m -> out.merge(m, 1, Integer::sum));
        }
        return out;
    }

    /** One to three addresses of VM {@code vm}, of one random kind. */
    private static TsiAddress[] addresses(SplittableRandom r, int vm) {
        int n = 1 + r.nextInt(3);
        int kind = r.nextInt(3);
        TsiAddress[] out = new TsiAddress[n];
        for (int k = 0; k < n; k++) {
            int which = r.nextInt(4);
            MacAddress mac = vmMac(vm * 16 + which);
            String v4 = "10.0." + vm + "." + (1 + which);
            out[k] = switch (kind) {
                case 0 -> TsiAddress.mac(mac);
                case 1 -> TsiAddress.ip(ip(r.nextBoolean() ? v4 : "2001:db8::" + Integer.toHexString(vm * 16 + which)));
                default -> TsiAddress.macIp(mac, ip(v4));
            };
        }
        return java.util.Arrays.stream(out).distinct().toArray(TsiAddress[]::new);
    }

    private static List<TsiAddress> addressList(SplittableRandom r, int vm) {
        return List.of(addresses(r, vm));
    }

    private static Throwable failureOf(CompletableFuture<?> f) {
        try {
            f.join();
            return null;
        } catch (CompletionException e) {
            return e.getCause();
        } catch (java.util.concurrent.CancellationException e) {
            return e;
        }
    }

}
