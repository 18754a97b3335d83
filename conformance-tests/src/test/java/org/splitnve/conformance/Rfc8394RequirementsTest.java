package org.splitnve.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitnve.conformance.SplitNveTestBed.VN1;
import static org.splitnve.conformance.SplitNveTestBed.VN2;
import static org.splitnve.conformance.SplitNveTestBed.ip;
import static org.splitnve.conformance.SplitNveTestBed.spec;
import static org.splitnve.conformance.SplitNveTestBed.vmMac;
import static org.splitnve.conformance.SplitNveTestBed.vsi;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.splitnve.conformance.SplitNveTestBed.Bridge;
import org.splitnve.conformance.SplitNveTestBed.BridgeDeactivated;
import org.splitnve.conformance.SplitNveTestBed.BridgeDeassociated;
import org.splitnve.conformance.SplitNveTestBed.Deactivated;
import org.splitnve.conformance.SplitNveTestBed.Failover;
import org.splitnve.conformance.SplitNveTestBed.Host;
import org.splitnve.conformance.SplitNveTestBed.Migrated;
import org.splitnve.ecptransport.ecp.EcpAddressing;
import org.splitnve.ecptransport.ecp.EcpConfig;
import org.splitnve.ecptransport.link.LinkFaults;
import org.splitnve.ecptransport.link.MemoryBridge;
import org.splitnve.ecptransport.link.MemoryLink;
import org.splitnve.nnve.NnveConfig;
import org.splitnve.nnve.NnveException;
import org.splitnve.nnve.RefusalEvent;
import org.splitnve.nnve.TsiView;
import org.splitnve.nnve.VapEvent;
import org.splitnve.nnve.VapState;
import org.splitnve.nnve.VapView;
import org.splitnve.nnve.nva.InMemoryNva;
import org.splitnve.nnve.nva.NvaView;
import org.splitnve.nnve.nva.TsiMapping;
import org.splitnve.nnve.policy.PolicyFile;
import org.splitnve.nvedataplane.DropReason;
import org.splitnve.tnve.BridgeMode;
import org.splitnve.tnve.Migration;
import org.splitnve.tnve.ResponseEvent;
import org.splitnve.tnve.TnveConfig;
import org.splitnve.tnve.TsiAddress;
import org.splitnve.tnve.TsiResult;
import org.splitnve.tnve.TsiSpec;
import org.splitnve.tnve.UndeliverableException;
import org.splitnve.tnve.VdpRefusedException;
import org.splitnve.tnve.VnEvent;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.ecp.EcpHeader;
import org.splitnve.vdpcore.vdp.AssociationTlv;
import org.splitnve.vdpcore.vdp.FilterEntry;
import org.splitnve.vdpcore.vdp.FilterFormat;
import org.splitnve.vdpcore.vdp.FilterInfo;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.ManagerId;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VdpErrorCode;
import org.splitnve.vdpcore.vdp.VdpEncoder;
import org.splitnve.vdpcore.vdp.VdpTlvType;
import org.splitnve.vdpcore.vdp.Vdpdu;
import org.splitnve.vdpcore.vdp.VsiStatus;
import org.splitnve.vdpcore.vdp.VsiId;

/**
 * RFC 8394 section 4, Req-1 to Req-13, each shown end to end: our tNVE against our nNVE over
 * in-memory links in virtual time, asserting on what the station reports and on what the bridge
 * (its TSI and VAP views, data plane hooks and NVA) holds.
 */
class Rfc8394RequirementsTest {

    static final MacAddress HV1 = MacAddress.valueOf("02:00:00:00:0a:01");
    static final MacAddress HV2 = MacAddress.valueOf("02:00:00:00:0a:02");
    static final MacAddress NNVE1 = MacAddress.valueOf("02:00:00:00:0b:01");
    static final MacAddress NNVE2 = MacAddress.valueOf("02:00:00:00:0b:02");
    static final Duration SHORT = Duration.ofMillis(200);
    /** A locally administered group address, outside the reserved 01-80-C2-00-00-0x. */
    static final MacAddress ECP_GROUP = MacAddress.valueOf("03:00:00:00:ec:01");

    final SplitNveTestBed bed = new SplitNveTestBed();

    private Host direct(Bridge n) {
        return bed.directHost("hv1", HV1, n, LinkFaults.NONE);
    }

    private static TsiMapping macMapping(MacAddress mac, Bridge n) {
        return new TsiMapping(VN1, mac, null, n.nnve.config().nveName());
    }

    private static List<AssociationTlv> tlvsFor(Bridge n, VsiId id) {
        return n.receivedTlvs().stream().filter(t -> t.vsiId().equals(id)).toList();
    }

    // ------------------------------------------------------------------ Req-1

    /** A frame as a station's NIC received it. */
    private record Seen(MacAddress src, MacAddress dst, int etherType) {
    }

    /** Every frame arriving at the station's NIC from now on. */
    private static List<Seen> seenBy(Host h) {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        h.link.addListener((f, ts) -> {
            ByteBuffer b = f.duplicate();
            int at = b.position();
            seen.add(new Seen(MacAddress.read(b, at + 6), MacAddress.read(b, at), b.getShort(at + 12) & 0xFFFF));
        });
        return seen;
    }

    @Test
    void req1_stations_behind_a_bridged_network_reach_the_shipped_nnve_by_unicast_or_a_configured_group_and_hear_every_answer_at_their_own_mac() {
        // The shipped bridge: splitnve bridge's ECP settings, plus the group address it is told to listen to.
        Bridge n = bed.onNetwork(bed.nnve("nnve1", NNVE1), EcpConfig.DEFAULT.listeningTo(ECP_GROUP));
        Host byUnicast = bed.networkHost("hv1", HV1, NNVE1, b -> b.addressing(EcpAddressing.unicast()));
        Host byGroup = bed.networkHost("hv2", HV2, NNVE1, b -> b.addressing(EcpAddressing.group(ECP_GROUP)));
        List<Seen> atHv1 = seenBy(byUnicast);
        List<Seen> atHv2 = seenBy(byGroup);

        TsiResult r1 = bed.await(byUnicast.tnve.activate(spec(1, VN1), Migration.NONE));
        TsiResult r2 = bed.await(byGroup.tnve.activate(spec(2, VN1), Migration.NONE));

        assertThat(r1.state()).isEqualTo(TsiState.ACTIVATED);
        assertThat(r2.state()).isEqualTo(TsiState.ACTIVATED);
        assertThat(n.state(byUnicast, vsi(1))).isEqualTo(TsiState.ACTIVATED);
        assertThat(n.state(byGroup, vsi(2))).isEqualTo(TsiState.ACTIVATED);
        assertThat(n.vap(VN1)).get().extracting(VapView::tag).isEqualTo(r1.tag()).isEqualTo(r2.tag());
        assertThat(n.view(NvaView.FORWARDING)).containsExactlyInAnyOrder(macMapping(vmMac(1), n), macMapping(vmMac(2), n));

        // The NVE's own De-Associate reaches the station behind the network too (Req-6, Req-9 over Req-1).
        bed.await(n.nnve.deassociate(n.key(byGroup, vsi(2)), "operator"));
        bed.run(SHORT);
        assertThat(byGroup.tnve.state(vsi(2))).isEqualTo(TsiState.INIT);
        assertThat(byGroup.events(BridgeDeassociated.class)).containsExactly(new BridgeDeassociated(vsi(2), NNVE1));

        for (List<Seen> seen : List.of(atHv1, atHv2)) {
            List<Seen> fromNnve = seen.stream().filter(f -> f.src().equals(NNVE1) && f.etherType() == 0x8940).toList();
            assertThat(fromNnve).as("acks, responses and De-Associates from the nNVE").isNotEmpty();
            MacAddress station = seen == atHv1 ? HV1 : HV2;
            assertThat(fromNnve).as("every ECPDU the nNVE sent went to the station's own MAC")
                    .allSatisfy(f -> assertThat(f.dst()).isEqualTo(station));
        }
        assertThat(n.tsi(byGroup, vsi(2))).isEmpty();
        assertThat(n.state(byUnicast, vsi(1))).isEqualTo(TsiState.ACTIVATED);
    }

    @Test
    void req1_a_station_that_keeps_the_nearest_customer_bridge_address_does_not_cross_the_network_and_is_told_so() {
        Bridge n = bed.onNetwork(bed.nnve("nnve1", NNVE1));
        Host h = bed.networkHost("hv1", HV1, NNVE1, UnaryOperator.identity());

        Throwable t = bed.failure(h.tnve.activate(spec(1, VN1), Migration.NONE));

        assertThat(t).as("the request is reported undeliverable, typed").isInstanceOf(UndeliverableException.class);
        assertThat(bed.network().filtered()).as("the bridged network dropped the frames to 01-80-C2-00-00-00").isPositive();
        assertThat(h.tnve.state(vsi(1))).isEqualTo(TsiState.INIT);
        assertThat(n.received).as("nothing reached the nNVE").isEmpty();
        assertThat(n.nnve.tsis()).isEmpty();
    }

    @Test
    void req1_two_nnves_on_one_segment_serve_neither_a_request_sent_to_the_broadcast_address() throws Exception {
        Bridge n1 = bed.onNetwork(bed.nnve("nnve1", NNVE1));
        Bridge n2 = bed.onNetwork(bed.nnve("nnve2", NNVE2));
        MemoryBridge.Port rogue = bed.network().attach("rogue", HV1);
        AssociationTlv pre = AssociationTlv.builder().type(VdpTlvType.PRE_ASSOCIATE).status(VsiStatus.REQUEST).typeId(1).typeVersion(1)
                .vsiId(vsi(1)).filter(FilterInfo.of(FilterFormat.GROUPID_MAC_VID, FilterEntry.builder().vn(VN1.value()).mac(vmMac(1))
                        .vid(FilterEntry.NULL_VID).build())).build();
        ByteBuffer frame = ByteBuffer.allocate(200);
        MacAddress.valueOf("ff:ff:ff:ff:ff:ff").writeTo(frame);
        HV1.writeTo(frame);
        frame.putShort((short) 0x8940);
        EcpHeader.write(frame, 0, 1, 7);
        new VdpEncoder().encode(Vdpdu.of(SplitNveTestBed.MGR, pre), frame);
        frame.flip();

        rogue.send(frame);
        bed.run(SHORT);

        for (Bridge n : List.of(n1, n2)) {
            assertThat(n.received).as(n.name + " took no VDPDU").isEmpty();
            assertThat(n.nnve.tsis()).isEmpty();
            assertThat(n.stack.ecp().misaddressed()).as(n.name + " counted the ECPDU as someone else's").isEqualTo(1);
        }
    }

    // ------------------------------------------------------------------ Req-2

    @Test
    void req2_several_stations_share_one_nnve_port_across_the_bridged_network_with_separate_tsi_state_and_one_tag_per_vn() {
        Bridge n = bed.onNetwork(bed.nnve("nnve1", NNVE1));
        Host a = bed.networkHost("hv1", HV1, NNVE1, UnaryOperator.identity(), NNVE1);
        Host b = bed.networkHost("hv2", HV2, NNVE1, UnaryOperator.identity(), NNVE1);

        // The same VSI ID from both stations: two TSI instances, told apart by the station MAC.
        TsiResult ra = bed.await(a.tnve.activate(spec(1, VN1), Migration.NONE));
        TsiResult rb = bed.await(b.tnve.associate(spec(1, VN1, TsiAddress.mac(vmMac(2))), Migration.NONE));
        TsiResult rb2 = bed.await(b.tnve.activate(spec(3, VN2), Migration.NONE));

        assertThat(n.nnve.ports()).hasSize(1);
        assertThat(n.state(a, vsi(1))).isEqualTo(TsiState.ACTIVATED);
        assertThat(n.state(b, vsi(1))).isEqualTo(TsiState.ASSOCIATED);
        assertThat(n.tsi(a, vsi(1)).orElseThrow().macs()).containsExactly(vmMac(1));
        assertThat(n.tsi(b, vsi(1)).orElseThrow().macs()).containsExactly(vmMac(2));
        assertThat(a.tnve.state(vsi(1))).isEqualTo(TsiState.ACTIVATED);
        assertThat(b.tnve.state(vsi(1))).isEqualTo(TsiState.ASSOCIATED);

        VapView vap = n.vap(VN1).orElseThrow();
        assertThat(vap.associatedTsis()).isEqualTo(2);
        assertThat(ra.tag()).isEqualTo(vap.tag()).isEqualTo(rb.tag());
        assertThat(a.tnve.localTag(VN1)).contains(vap.tag());
        assertThat(b.tnve.localTag(VN1)).contains(vap.tag());
        assertThat(rb2.tag()).isEqualTo(n.vap(VN2).orElseThrow().tag()).isNotEqualTo(vap.tag());
        assertThat(n.events(VapEvent.class)).as("one VN_Connect per VN on the port, whatever the number of stations")
                .filteredOn(e -> e.newState() == VapState.VN_CONNECTED).extracting(VapEvent::vn).containsExactly(VN1, VN2);

        // One station leaving does not touch the other's instance.
        bed.await(b.tnve.deassociate(vsi(1)));
        assertThat(n.state(b, vsi(1))).isEqualTo(TsiState.INIT);
        assertThat(n.state(a, vsi(1))).isEqualTo(TsiState.ACTIVATED);
        assertThat(n.vap(VN1).orElseThrow().associatedTsis()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ Req-3

    @Test
    void req3_an_active_standby_station_moves_every_tsi_to_the_standby_nnve_when_the_active_one_is_lost() {
        Bridge n1 = bed.onNetwork(bed.nnve("nnve1", NNVE1));
        Bridge n2 = bed.onNetwork(bed.nnve("nnve2", NNVE2));
        Host h = bed.networkHost("hv1", HV1, NNVE1, b -> b.standby(NNVE2).bridgeMode(BridgeMode.ACTIVE_STANDBY));
        List<TsiSpec> specs = List.of(spec(1, VN1), spec(2, VN1), spec(3, VN2));
        for (TsiSpec s : specs) {
            bed.await(h.tnve.activate(s, Migration.NONE));
        }
        for (TsiSpec s : specs) {
            assertThat(n1.state(h, s.vsiId())).isEqualTo(TsiState.ACTIVATED);
            assertThat(n2.state(h, s.vsiId())).as("only one nNVE per VN").isEqualTo(TsiState.INIT);
        }

        ((MemoryBridge.Port) n1.stack.link()).down(true);
        bed.run(h.stack.timers().keepAlive().plusSeconds(5));

        assertThat(h.events(Failover.class)).containsExactly(new Failover(NNVE1, NNVE2));
        assertThat(h.tnve.activeBridge()).isEqualTo(NNVE2);
        for (TsiSpec s : specs) {
            assertThat(h.tnve.state(s.vsiId())).isEqualTo(TsiState.ACTIVATED);
            assertThat(h.tnve.tsi(s.vsiId()).orElseThrow().perBridge()).containsEntry(NNVE2, TsiState.ACTIVATED);
            assertThat(n2.state(h, s.vsiId())).as("re-associated and activated on the standby").isEqualTo(TsiState.ACTIVATED);
        }
        assertThat(h.tnve.localTag(VN1)).contains(n2.vap(VN1).orElseThrow().tag());
        assertThat(n2.view(NvaView.FORWARDING)).hasSize(3);

        // The lost nNVE lets go once the station stops refreshing: each VN ends on one nNVE only.
        bed.run(n1.stack.timers().bridgeKeepAliveTimeout().multipliedBy(2));
        assertThat(n1.nnve.tsis()).isEmpty();
        assertThat(n1.view(NvaView.MAPPING)).isEmpty();
        for (TsiSpec s : specs) {
            assertThat(n2.state(h, s.vsiId())).isEqualTo(TsiState.ACTIVATED);
        }
    }

    @Test
    void req3_after_a_failover_the_station_de_associates_on_the_nnve_it_gave_up_so_no_two_nnves_forward_for_one_tsi() {
        Bridge n1 = bed.onNetwork(bed.nnve("nnve1", NNVE1));
        Bridge n2 = bed.onNetwork(bed.nnve("nnve2", NNVE2));
        Host h = bed.networkHost("hv1", HV1, NNVE1, b -> b.standby(NNVE2).bridgeMode(BridgeMode.ACTIVE_STANDBY));
        bed.await(h.tnve.activate(spec(1, VN1), Migration.NONE));
        bed.await(h.tnve.activate(spec(2, VN1), Migration.NONE));

        // nnve1 misses a keep-alive (its cable is out for a moment): the station fails over to nnve2.
        MemoryBridge.Port cable = (MemoryBridge.Port) n1.stack.link();
        cable.down(true);
        bed.clock.runUntil(() -> !h.events(Failover.class).isEmpty(), h.stack.timers().keepAlive().plusSeconds(5));
        assertThat(h.events(Failover.class)).containsExactly(new Failover(NNVE1, NNVE2));
        bed.run(Duration.ofSeconds(2));
        cable.down(false);
        bed.run(Duration.ofSeconds(2));

        assertThat(n2.state(h, vsi(1))).isEqualTo(TsiState.ACTIVATED);
        assertThat(n2.state(h, vsi(2))).isEqualTo(TsiState.ACTIVATED);
        assertThat(n1.nnve.tsis()).as("the station de-associated them on the nNVE it gave up").isEmpty();
        assertThat(n1.view(NvaView.FORWARDING)).isEmpty();
        assertThat(n1.nnve.counters().keepAliveTimeouts()).as("well before nnve1's own keep-alive timeout").isZero();
        assertThat(n2.view(NvaView.FORWARDING)).hasSize(2);

        // And nothing brings them back there: nnve1 gets no keep-alive for them.
        bed.run(h.stack.timers().keepAlive().multipliedBy(2));
        assertThat(n1.nnve.tsis()).isEmpty();
        assertThat(n2.nnve.tsis()).hasSize(2);
    }

    @Test
    void req3_a_vn_moved_to_another_nnve_leaves_the_old_one_even_for_a_tsi_whose_operation_was_in_flight() {
        Bridge n1 = bed.onNetwork(bed.nnve("nnve1", NNVE1));
        Bridge n2 = bed.onNetwork(bed.nnve("nnve2", NNVE2));
        Host h = bed.networkHost("hv1", HV1, NNVE1, b -> b.bridgeMode(BridgeMode.PER_VN), NNVE1);
        bed.await(h.tnve.assignVn(VN1, NNVE1));
        bed.await(h.tnve.activate(spec(1, VN1), Migration.NONE));

        // The VN moves to nnve2 while VSI 2's activation is on its way to nnve1.
        var inFlight = h.tnve.activate(spec(2, VN1), Migration.NONE);
        var moved = h.tnve.assignVn(VN1, NNVE2);
        bed.await(inFlight);
        bed.await(moved);
        bed.run(Duration.ofSeconds(1));

        for (int n : new int[] {1, 2}) {
            assertThat(n2.state(h, vsi(n))).as("VSI " + n + " on the VN's bridge").isEqualTo(TsiState.ACTIVATED);
            assertThat(n1.state(h, vsi(n))).as("VSI " + n + " off the bridge the VN left").isEqualTo(TsiState.INIT);
        }
        bed.run(h.stack.timers().keepAlive().multipliedBy(2));
        assertThat(n1.nnve.tsis()).isEmpty();
        assertThat(n1.view(NvaView.FORWARDING)).isEmpty();
        assertThat(n2.view(NvaView.FORWARDING)).hasSize(2);
    }

    // ------------------------------------------------------------------ Req-4

    @Test
    void req4_an_active_active_station_holds_the_same_tsi_activated_on_two_nnves_for_one_vn_each_with_its_own_tag() {
        InMemoryNva nva = SplitNveTestBed.nva();
        Bridge n1 = bed.onNetwork(bed.nnve("nnve1", NNVE1, NnveConfig.builder().nveName("nnve1").build(),
                org.splitnve.nnve.policy.AuthorizationPolicy.allowAll(), nva));
        Bridge n2 = bed.onNetwork(bed.nnve("nnve2", NNVE2, NnveConfig.builder().nveName("nnve2").tagRange(100, 200).build(),
                org.splitnve.nnve.policy.AuthorizationPolicy.allowAll(), nva));
        Host h = bed.networkHost("hv1", HV1, NNVE1, b -> b.bridgeMode(BridgeMode.ACTIVE_ACTIVE));
        bed.await(h.tnve.assignVn(VN1, NNVE1));
        bed.await(h.tnve.assignVn(VN1, NNVE2));

        TsiResult r = bed.await(h.tnve.activate(spec(1, VN1), Migration.NONE));

        assertThat(h.tnve.bridgesFor(VN1)).containsExactlyInAnyOrder(NNVE1, NNVE2);
        assertThat(n1.state(h, vsi(1))).isEqualTo(TsiState.ACTIVATED);
        assertThat(n2.state(h, vsi(1))).isEqualTo(TsiState.ACTIVATED);
        LocalTag t1 = n1.vap(VN1).orElseThrow().tag();
        LocalTag t2 = n2.vap(VN1).orElseThrow().tag();
        assertThat(r.tagsByBridge()).containsEntry(NNVE1, t1).containsEntry(NNVE2, t2);
        assertThat(h.tnve.localTag(VN1, NNVE1)).contains(t1);
        assertThat(h.tnve.localTag(VN1, NNVE2)).contains(t2);
        assertThat(h.tnve.tsi(vsi(1)).orElseThrow().perBridge())
                .containsEntry(NNVE1, TsiState.ACTIVATED).containsEntry(NNVE2, TsiState.ACTIVATED);
        assertThat(nva.mappings(NvaView.FORWARDING)).containsExactlyInAnyOrder(macMapping(vmMac(1), n1), macMapping(vmMac(1), n2));

        bed.await(h.tnve.deassociate(vsi(1)));
        assertThat(n1.state(h, vsi(1))).isEqualTo(TsiState.INIT);
        assertThat(n2.state(h, vsi(1))).isEqualTo(TsiState.INIT);
        assertThat(nva.mappings(NvaView.MAPPING)).isEmpty();
    }

    // ------------------------------------------------------------------ Req-5

    @Test
    void req5_the_station_connects_and_disconnects_a_vn_and_the_nnve_vap_follows() {
        Bridge n = bed.nnve("nnve1", NNVE1);
        Host h = direct(n);

        LocalTag tag = bed.await(h.tnve.vnConnect(VN1));

        VapView vap = n.vap(VN1).orElseThrow();
        assertThat(vap.state()).isEqualTo(VapState.VN_CONNECTED);
        assertThat(vap.tag()).isEqualTo(tag);
        assertThat(vap.context().name()).isEqualTo("vn-5001");
        assertThat(n.state(h, h.tnve.anchorId(VN1))).as("the VN anchor holds the VAP").isEqualTo(TsiState.ASSOCIATED);
        assertThat(h.tnve.localTag(VN1)).contains(tag);
        assertThat(h.events(VnEvent.class)).extracting(VnEvent::vn, VnEvent::connected, VnEvent::tag).containsExactly(
                org.assertj.core.groups.Tuple.tuple(VN1, true, tag));
        assertThat(n.nnve.dataPlaneView().vnOfTag(n.port(), tag)).contains(VN1);

        bed.await(h.tnve.vnDisconnect(VN1));
        bed.run(SHORT);

        assertThat(n.vap(VN1)).isEmpty();
        assertThat(n.nnve.tsis()).isEmpty();
        assertThat(n.nnve.dataPlaneView().vnOfTag(n.port(), tag)).isEmpty();
        assertThat(n.events(VapEvent.class)).extracting(VapEvent::newState)
                .containsExactly(VapState.VN_CONNECTED, VapState.VN_DISCONNECTED);
        assertThat(h.tnve.localTag(VN1)).isEmpty();
        assertThat(h.events(VnEvent.class)).extracting(VnEvent::connected).containsExactly(true, false);
    }

    // ------------------------------------------------------------------ Req-6

    @Test
    void req6_the_nnve_disconnects_a_vn_and_the_station_sees_every_tsi_of_it_de_associated_and_the_vn_disconnected() {
        Bridge n = bed.nnve("nnve1", NNVE1);
        Host h = direct(n);
        bed.await(h.tnve.activate(spec(1, VN1), Migration.NONE));
        bed.await(h.tnve.associate(spec(2, VN1), Migration.NONE));
        bed.await(h.tnve.activate(spec(3, VN2), Migration.NONE));

        bed.await(n.nnve.disconnectVn(n.port(), VN1, "tenant network removed"));
        bed.run(SHORT);

        assertThat(h.events(BridgeDeassociated.class)).containsExactlyInAnyOrder(
                new BridgeDeassociated(vsi(1), NNVE1), new BridgeDeassociated(vsi(2), NNVE1));
        assertThat(h.tnve.state(vsi(1))).isEqualTo(TsiState.INIT);
        assertThat(h.tnve.state(vsi(2))).isEqualTo(TsiState.INIT);
        assertThat(h.tnve.localTag(VN1)).isEmpty();
        assertThat(h.events(VnEvent.class)).filteredOn(e -> e.vn().equals(VN1) && !e.connected()).hasSize(1);
        assertThat(n.vap(VN1)).isEmpty();
        assertThat(n.state(h, vsi(1))).isEqualTo(TsiState.INIT);
        assertThat(n.state(h, vsi(2))).isEqualTo(TsiState.INIT);
        assertThat(n.nnve.counters().bridgeDeassociates()).isEqualTo(2);
        assertThat(n.nnve.counters().stationAcks()).as("the station answered both De-Associates").isEqualTo(2);
        assertThat(n.view(NvaView.MAPPING)).extracting(TsiMapping::vn).containsOnly(VN2);

        // The other VN is untouched on both sides.
        assertThat(h.tnve.state(vsi(3))).isEqualTo(TsiState.ACTIVATED);
        assertThat(n.state(h, vsi(3))).isEqualTo(TsiState.ACTIVATED);
        assertThat(h.tnve.localTag(VN2)).contains(n.vap(VN2).orElseThrow().tag());

        Throwable again = bed.failure(n.nnve.disconnectVn(n.port(), VN1, "twice"));
        assertThat(again).isInstanceOf(NnveException.UnknownVap.class);
    }

    // ------------------------------------------------------------------ Req-7

    @Test
    void req7_a_null_vid_is_answered_with_the_local_tag_of_the_vn_and_station_and_nnve_agree_on_one_tag_per_vn() {
        Bridge n = bed.nnve("nnve1", NNVE1);
        Host h = direct(n);

        TsiResult r1 = bed.await(h.tnve.activate(spec(1, VN1), Migration.NONE));
        TsiResult r2 = bed.await(h.tnve.activate(spec(2, VN2), Migration.NONE));
        TsiResult r3 = bed.await(h.tnve.activate(spec(3, VN1), Migration.NONE));

        AssociationTlv first = tlvsFor(n, vsi(1)).get(0);
        assertThat(first.filter().entries()).as("the station asked with the null VID").extracting(FilterEntry::vid)
                .containsOnly(FilterEntry.NULL_VID);
        assertThat(first.filter().entries()).extracting(FilterEntry::groupId).containsOnly(VN1.groupId());

        LocalTag t1 = n.vap(VN1).orElseThrow().tag();
        LocalTag t2 = n.vap(VN2).orElseThrow().tag();
        assertThat(t1).isNotEqualTo(t2);
        assertThat(r1.tag()).isEqualTo(t1).isEqualTo(r3.tag());
        assertThat(r2.tag()).isEqualTo(t2);
        assertThat(h.tnve.localTag(VN1)).contains(t1);
        assertThat(h.tnve.localTag(VN2)).contains(t2);
        assertThat(n.tsi(h, vsi(1)).orElseThrow().filter().entries()).extracting(FilterEntry::vid).containsOnly(t1.vid());
        assertThat(n.tsi(h, vsi(2)).orElseThrow().tag()).isEqualTo(t2);
        assertThat(n.nnve.dataPlaneView().vnOfTag(n.port(), t1)).contains(VN1);
        assertThat(n.nnve.dataPlaneView().vnOfTag(n.port(), t2)).contains(VN2);
        assertThat(n.dataPlane(SplitNveTestBed.Mapped.class)).extracting(SplitNveTestBed.Mapped::vn, SplitNveTestBed.Mapped::tag)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(VN1, t1), org.assertj.core.groups.Tuple.tuple(VN2, t2));
    }

    @Test
    void req7_a_tsi_negotiates_several_tags_for_its_vn_within_the_pool_and_each_means_that_vn_on_the_port() {
        Bridge n = bed.nnve("nnve1", NNVE1, NnveConfig.builder().nveName("nnve1").tagRange(100, 300).build(),
                org.splitnve.nnve.policy.AuthorizationPolicy.allowAll(), SplitNveTestBed.nva());
        Host h = direct(n);
        TsiSpec twoTags = spec(1, VN1).toBuilder().vids(120, 220).build();

        TsiResult r = bed.await(h.tnve.activate(twoTags, Migration.NONE));

        assertThat(r.state()).isEqualTo(TsiState.ACTIVATED);
        assertThat(tlvsFor(n, vsi(1)).get(0).filter().entries()).as("one entry per address and VID")
                .extracting(FilterEntry::vid).containsExactly(120, 220);
        VapView vap = n.vap(VN1).orElseThrow();
        assertThat(vap.tags()).containsExactly(LocalTag.of(120), LocalTag.of(220));
        assertThat(n.tsi(h, vsi(1)).orElseThrow().tags()).containsExactly(LocalTag.of(120), LocalTag.of(220));
        assertThat(n.nnve.dataPlaneView().vnOfTag(n.port(), LocalTag.of(120))).contains(VN1);
        assertThat(n.nnve.dataPlaneView().vnOfTag(n.port(), LocalTag.of(220))).contains(VN1);
        assertThat(n.dataPlane(SplitNveTestBed.Mapped.class)).extracting(SplitNveTestBed.Mapped::tag)
                .containsExactly(LocalTag.of(120), LocalTag.of(220));

        // A null VID gets the VN's first tag; another VN gets a tag of its own.
        assertThat(bed.await(h.tnve.activate(spec(2, VN1), Migration.NONE)).tag()).isEqualTo(LocalTag.of(120));
        LocalTag other = bed.await(h.tnve.activate(spec(3, VN2), Migration.NONE)).tag();
        assertThat(other).isNotIn(LocalTag.of(120), LocalTag.of(220));

        // A VID that is another VN's tag, or outside the pool, is refused with error 5 and changes nothing.
        Throwable taken = bed.failure(h.tnve.activate(spec(4, VN1).toBuilder().vids(120, other.vid()).build(), Migration.NONE));
        assertThat(((VdpRefusedException) taken).error()).isEqualTo(VdpErrorCode.INVALID_VID_GROUPID_OR_MAC);
        Throwable outside = bed.failure(h.tnve.activate(spec(5, VN1).toBuilder().vids(120, 4000).build(), Migration.NONE));
        assertThat(((VdpRefusedException) outside).error()).isEqualTo(VdpErrorCode.INVALID_VID_GROUPID_OR_MAC);
        assertThat(n.vap(VN1).orElseThrow().tags()).containsExactly(LocalTag.of(120), LocalTag.of(220));

        // A tag no TSI uses any more is released; the VN keeps its first while it has TSIs.
        bed.await(h.tnve.deassociate(vsi(1)));
        assertThat(n.vap(VN1).orElseThrow().tags()).containsExactly(LocalTag.of(120));
        assertThat(n.nnve.dataPlaneView().vnOfTag(n.port(), LocalTag.of(220))).isEmpty();
        assertThat(n.dataPlane(SplitNveTestBed.Unmapped.class)).extracting(SplitNveTestBed.Unmapped::tag).containsExactly(LocalTag.of(220));
    }

    // ------------------------------------------------------------------ Req-8

    @Test
    void req8_the_station_associates_activates_deactivates_and_de_associates_and_the_nva_mapping_and_forwarding_views_follow() {
        Bridge n = bed.nnve("nnve1", NNVE1);
        Host h = direct(n);
        TsiMapping m = macMapping(vmMac(1), n);

        TsiResult r = bed.await(h.tnve.associate(spec(1, VN1), Migration.NONE));
        assertThat(r.state()).isEqualTo(TsiState.ASSOCIATED);
        assertThat(h.tnve.state(vsi(1))).isEqualTo(TsiState.ASSOCIATED);
        assertThat(n.state(h, vsi(1))).isEqualTo(TsiState.ASSOCIATED);
        assertThat(n.view(NvaView.MAPPING)).containsExactly(m);
        assertThat(n.view(NvaView.FORWARDING)).isEmpty();
        assertThat(n.nnve.dataPlaneView().activeTsis()).isEmpty();

        bed.await(h.tnve.activate(vsi(1), Migration.NONE));
        assertThat(h.tnve.state(vsi(1))).isEqualTo(TsiState.ACTIVATED);
        assertThat(n.state(h, vsi(1))).isEqualTo(TsiState.ACTIVATED);
        assertThat(n.view(NvaView.MAPPING)).containsExactly(m);
        assertThat(n.view(NvaView.FORWARDING)).containsExactly(m);
        assertThat(n.nnve.dataPlaneView().activeTsis()).extracting(v -> v.key().vsiId()).containsExactly(vsi(1));

        bed.await(h.tnve.deactivate(vsi(1), Migration.NONE));
        assertThat(h.tnve.state(vsi(1))).isEqualTo(TsiState.ASSOCIATED);
        assertThat(n.state(h, vsi(1))).isEqualTo(TsiState.ASSOCIATED);
        assertThat(n.view(NvaView.MAPPING)).containsExactly(m);
        assertThat(n.view(NvaView.FORWARDING)).isEmpty();
        assertThat(n.vap(VN1)).as("deactivate keeps VN membership and tag").isPresent();

        bed.await(h.tnve.deassociate(vsi(1)));
        assertThat(h.tnve.state(vsi(1))).isEqualTo(TsiState.INIT);
        assertThat(n.state(h, vsi(1))).isEqualTo(TsiState.INIT);
        assertThat(n.view(NvaView.MAPPING)).isEmpty();
        assertThat(n.view(NvaView.FORWARDING)).isEmpty();
        assertThat(n.vap(VN1)).isEmpty();

        assertThat(tlvsFor(n, vsi(1))).extracting(AssociationTlv::type).containsSubsequence(VdpTlvType.PRE_ASSOCIATE,
                VdpTlvType.ASSOCIATE, VdpTlvType.PRE_ASSOCIATE, VdpTlvType.DE_ASSOCIATE);
        assertThat(n.dataPlane(SplitNveTestBed.Activated.class)).hasSize(1);
        assertThat(n.dataPlane(SplitNveTestBed.Deactivated.class)).hasSize(1);
    }

    // ------------------------------------------------------------------ Req-9

    @Test
    void req9_the_nnve_de_associates_one_tsi_and_the_station_drops_it_while_the_others_stay() {
        Bridge n = bed.nnve("nnve1", NNVE1);
        Host h = direct(n);
        bed.await(h.tnve.activate(spec(1, VN1), Migration.NONE));
        bed.await(h.tnve.activate(spec(2, VN1), Migration.NONE));

        bed.await(n.nnve.deassociate(n.key(h, vsi(1)), "operator"));
        bed.run(SHORT);

        assertThat(h.events(BridgeDeassociated.class)).containsExactly(new BridgeDeassociated(vsi(1), NNVE1));
        assertThat(h.tnve.state(vsi(1))).isEqualTo(TsiState.INIT);
        assertThat(n.state(h, vsi(1))).isEqualTo(TsiState.INIT);
        assertThat(n.view(NvaView.MAPPING)).containsExactly(macMapping(vmMac(2), n));
        assertThat(n.view(NvaView.FORWARDING)).containsExactly(macMapping(vmMac(2), n));
        assertThat(h.tnve.state(vsi(2))).isEqualTo(TsiState.ACTIVATED);
        assertThat(n.state(h, vsi(2))).isEqualTo(TsiState.ACTIVATED);
        assertThat(n.vap(VN1).orElseThrow().associatedTsis()).isEqualTo(1);
        assertThat(h.tnve.localTag(VN1)).contains(n.vap(VN1).orElseThrow().tag());

        // What the bridge sent was a De-Associate request (response bit clear), answered by the station.
        assertThat(n.nnve.counters().stationAcks()).isEqualTo(1);
        assertThat(bed.failure(n.nnve.deassociate(n.key(h, vsi(1)), "again"))).isInstanceOf(NnveException.UnknownTsi.class);

        // A later keep-alive does not bring it back: the station really let go.
        bed.run(h.stack.timers().keepAlive().multipliedBy(2));
        assertThat(n.state(h, vsi(1))).isEqualTo(TsiState.INIT);
        assertThat(n.state(h, vsi(2))).isEqualTo(TsiState.ACTIVATED);
    }

    @Test
    void req9_the_nnve_deactivates_a_tsi_on_its_own_and_the_station_and_the_nva_views_follow_and_stay_so() {
        Bridge n = bed.nnve("nnve1", NNVE1);
        Host h = direct(n);
        for (int vsi : new int[] {1, 2}) {
            bed.await(h.tnve.activate(spec(vsi, VN1), Migration.NONE));
        }
        long acks = n.nnve.counters().stationAcks();

        bed.await(n.nnve.deactivate(n.key(h, vsi(1)), "operator: quarantine"));
        bed.run(SHORT);

        assertThat(h.events(BridgeDeactivated.class)).containsExactly(new BridgeDeactivated(vsi(1), NNVE1));
        assertThat(h.tnve.state(vsi(1))).isEqualTo(TsiState.ASSOCIATED);
        assertThat(n.state(h, vsi(1))).isEqualTo(TsiState.ASSOCIATED);
        assertThat(n.view(NvaView.MAPPING)).containsExactlyInAnyOrder(macMapping(vmMac(1), n), macMapping(vmMac(2), n));
        assertThat(n.view(NvaView.FORWARDING)).containsExactly(macMapping(vmMac(2), n));
        assertThat(n.nnve.counters().stationAcks()).as("the station answered the unsolicited Pre-Associate").isEqualTo(acks + 1);
        assertThat(n.dataPlane(SplitNveTestBed.Deactivated.class)).singleElement()
                .satisfies(d -> assertThat(d.mayHaveMoved()).as("the nNVE's decision is no migration").isFalse());

        // The station's keep-alives repeat Pre-Associate now, so nothing activates it again behind the nNVE's back.
        bed.run(h.stack.timers().keepAlive().multipliedBy(3));
        assertThat(h.tnve.state(vsi(1))).isEqualTo(TsiState.ASSOCIATED);
        assertThat(n.state(h, vsi(1))).isEqualTo(TsiState.ASSOCIATED);
        assertThat(n.nnve.counters().keepAliveTimeouts()).isZero();
        assertThat(n.state(h, vsi(2))).isEqualTo(TsiState.ACTIVATED);

        // The station may activate it again: its own decision.
        bed.await(h.tnve.activate(vsi(1), Migration.NONE));
        assertThat(n.state(h, vsi(1))).isEqualTo(TsiState.ACTIVATED);
        assertThat(bed.failure(n.nnve.deactivate(n.key(h, vsi(3)), "no such TSI"))).isInstanceOf(NnveException.UnknownTsi.class);
    }

    @Test
    void req9_the_nnve_removes_some_addresses_of_a_tsi_and_the_station_keeps_the_others_in_the_same_state() {
        Bridge n = bed.nnve("nnve1", NNVE1);
        Host h = direct(n);
        MacAddress m1 = vmMac(1);
        MacAddress m2 = vmMac(2);
        MacAddress m3 = vmMac(3);
        bed.await(h.tnve.activate(spec(1, VN1, TsiAddress.mac(m1), TsiAddress.mac(m2), TsiAddress.mac(m3)), Migration.NONE));
        List<FilterEntry> held = n.tsi(h, vsi(1)).orElseThrow().filter().entries();

        bed.await(n.nnve.removeAddresses(n.key(h, vsi(1)), List.of(held.get(1)), "operator: address reclaimed"));
        bed.run(SHORT);

        assertThat(h.events(SplitNveTestBed.BridgeRemovedAddresses.class)).containsExactly(
                new SplitNveTestBed.BridgeRemovedAddresses(vsi(1), NNVE1, List.of(TsiAddress.mac(m2))));
        assertThat(h.events(BridgeDeassociated.class)).as("a removal is not a De-Associate of the TSI").isEmpty();
        assertThat(h.tnve.state(vsi(1))).isEqualTo(TsiState.ACTIVATED);
        assertThat(n.tsi(h, vsi(1)).orElseThrow().macs()).containsExactly(m1, m3);
        assertThat(n.view(NvaView.FORWARDING)).containsExactlyInAnyOrder(macMapping(m1, n), macMapping(m3, n));

        // Keep-alives carry the set without the removed address: nothing brings it back.
        bed.run(h.stack.timers().keepAlive().multipliedBy(2));
        assertThat(n.tsi(h, vsi(1)).orElseThrow().macs()).containsExactly(m1, m3);
        assertThat(n.state(h, vsi(1))).isEqualTo(TsiState.ACTIVATED);
        assertThat(n.view(NvaView.MAPPING)).containsExactlyInAnyOrder(macMapping(m1, n), macMapping(m3, n));

        // Removing every address is a De-Associate; the API says so instead of guessing.
        List<FilterEntry> rest = n.tsi(h, vsi(1)).orElseThrow().filter().entries();
        assertThat(bed.failure(n.nnve.removeAddresses(n.key(h, vsi(1)), rest, "all"))).isInstanceOf(NnveException.InvalidChange.class);
        assertThat(n.state(h, vsi(1))).isEqualTo(TsiState.ACTIVATED);
    }

    // ------------------------------------------------------------------ Req-10

    @Test
    void req10_the_station_adds_removes_and_updates_mac_ipv4_ipv6_and_mac_ip_addresses_and_the_filter_and_nva_follow() {
        Bridge n = bed.nnve("nnve1", NNVE1);
        Host h = direct(n);
        String nve = n.nnve.config().nveName();
        MacAddress m1 = vmMac(1);
        MacAddress m2 = vmMac(2);
        bed.await(h.tnve.activate(spec(1, VN1, TsiAddress.mac(m1)), Migration.NONE));

        step(n, h, List.of(TsiAddress.mac(m1), TsiAddress.mac(m2)), FilterFormat.GROUPID_MAC_VID,
                Set.of(new TsiMapping(VN1, m1, null, nve), new TsiMapping(VN1, m2, null, nve)));
        step(n, h, List.of(TsiAddress.mac(m2)), FilterFormat.GROUPID_MAC_VID, Set.of(new TsiMapping(VN1, m2, null, nve)));
        step(n, h, List.of(TsiAddress.ip(ip("10.0.0.1")), TsiAddress.ip(ip("10.0.0.2"))), FilterFormat.GROUPID_IP_VID,
                Set.of(new TsiMapping(VN1, null, ip("10.0.0.1"), nve), new TsiMapping(VN1, null, ip("10.0.0.2"), nve)));
        step(n, h, List.of(TsiAddress.ip(ip("2001:db8::1"))), FilterFormat.GROUPID_IP_VID,
                Set.of(new TsiMapping(VN1, null, ip("2001:db8::1"), nve)));
        step(n, h, List.of(TsiAddress.macIp(m1, ip("10.0.0.1")), TsiAddress.macIp(m1, ip("2001:db8::1"))),
                FilterFormat.GROUPID_MAC_IP_VID,
                Set.of(new TsiMapping(VN1, m1, ip("10.0.0.1"), nve), new TsiMapping(VN1, m1, ip("2001:db8::1"), nve)));

        TsiView v = n.tsi(h, vsi(1)).orElseThrow();
        assertThat(v.macs()).containsExactly(m1);
        assertThat(v.ips()).containsExactly(ip("10.0.0.1"), ip("2001:db8::1"));
        assertThat(n.vap(VN1).orElseThrow().associatedTsis()).as("an update is not a new TSI").isEqualTo(1);
    }

    @Test
    void req10_added_removed_and_updated_addresses_are_what_the_data_plane_forwards_for_mac_ip_and_ip_alone() {
        Bridge n = bed.nnve("nnve1", NNVE1, NnveConfig.builder().nveName("192.0.2.1").build(),
                org.splitnve.nnve.policy.AuthorizationPolicy.allowAll(), SplitNveTestBed.nva());
        Host h = direct(n);
        DataPath dp = n.dataPlane("192.0.2.1");
        MacAddress far = MacAddress.valueOf("02:00:00:00:0f:01");
        n.nva.publish(new TsiMapping(VN1, far, ip("10.0.0.99"), "192.0.2.2"), NvaView.MAPPING);
        n.nva.publish(new TsiMapping(VN1, far, ip("10.0.0.99"), "192.0.2.2"), NvaView.FORWARDING);
        MacAddress m1 = vmMac(1);
        MacAddress m2 = vmMac(2);
        int tag = bed.await(h.tnve.activate(spec(1, VN1, TsiAddress.mac(m1)), Migration.NONE)).tag().vid();
        var counters = dp.dp.counters();

        dp.fromVm(far, m1, tag, ip("10.0.0.1"), ip("10.0.0.99"));
        dp.fromVm(far, m2, tag, ip("10.0.0.2"), ip("10.0.0.99"));
        assertThat(dp.toRouter).as("only the registered MAC gets through").hasSize(1);

        // Add m2: both forward.
        bed.await(h.tnve.updateAddresses(vsi(1), List.of(TsiAddress.mac(m1), TsiAddress.mac(m2))));
        dp.fromVm(far, m2, tag, ip("10.0.0.2"), ip("10.0.0.99"));
        assertThat(dp.toRouter).hasSize(2);

        // Remove m1: only m2 forwards.
        bed.await(h.tnve.updateAddresses(vsi(1), List.of(TsiAddress.mac(m2))));
        dp.fromVm(far, m1, tag, ip("10.0.0.1"), ip("10.0.0.99"));
        assertThat(dp.toRouter).hasSize(2);
        assertThat(counters.drops(DropReason.SOURCE_NOT_ACTIVATED)).isEqualTo(2);

        // Update to a MAC/IP pair: the MAC forwards from its IP only.
        bed.await(h.tnve.updateAddresses(vsi(1), List.of(TsiAddress.macIp(m2, ip("10.0.0.2")))));
        dp.fromVm(far, m2, tag, ip("10.0.0.2"), ip("10.0.0.99"));
        dp.fromVm(far, m2, tag, ip("10.0.0.3"), ip("10.0.0.99"));
        assertThat(dp.toRouter).hasSize(3);
        assertThat(counters.drops(DropReason.SPOOFED_SOURCE_IP)).isEqualTo(1);

        // Update to an IP address alone (format 0x05): the VM forwards from it whatever its MAC, and its ARP is answered.
        bed.await(h.tnve.updateAddresses(vsi(1), List.of(TsiAddress.ip(ip("10.0.0.7")))));
        assertThat(n.tsi(h, vsi(1)).orElseThrow().filter().format()).isEqualTo(FilterFormat.GROUPID_IP_VID);
        MacAddress any = MacAddress.valueOf("02:00:00:00:0e:07");
        dp.fromVm(far, any, tag, ip("10.0.0.7"), ip("10.0.0.99"));
        assertThat(dp.toRouter).hasSize(4);
        dp.arpFromVm(any, tag, ip("10.0.0.7"), ip("10.0.0.99"));
        assertThat(counters.count(org.splitnve.nvedataplane.DataPlaneCounters.Event.ARP_ANSWERED)).isEqualTo(1);
        dp.fromVm(far, any, tag, ip("10.0.0.2"), ip("10.0.0.99"));
        assertThat(dp.toRouter).as("its old address no longer").hasSize(4);
        assertThat(counters.drops(DropReason.SPOOFED_SOURCE_IP)).isEqualTo(2);
    }

    private void step(Bridge n, Host h, List<TsiAddress> addresses, FilterFormat format, Set<TsiMapping> expected) {
        TsiResult r = bed.await(h.tnve.updateAddresses(vsi(1), addresses));
        assertThat(r.state()).as("an update keeps the state").isEqualTo(TsiState.ACTIVATED);
        assertThat(h.tnve.state(vsi(1))).isEqualTo(TsiState.ACTIVATED);
        TsiView v = n.tsi(h, vsi(1)).orElseThrow();
        assertThat(v.state()).isEqualTo(TsiState.ACTIVATED);
        assertThat(v.filter().format()).isEqualTo(format);
        assertThat(v.filter().entries()).hasSize(addresses.size());
        assertThat(new HashSet<>(n.view(NvaView.MAPPING))).isEqualTo(expected);
        assertThat(new HashSet<>(n.view(NvaView.FORWARDING))).isEqualTo(expected);
    }

    // ------------------------------------------------------------------ Req-11

    /**
     * Req-11 asks that the nNVE and the end device authenticate each other. VDP carries no
     * credentials: mutual authentication proper (802.1X port authentication, MACsec) is out of
     * VDP's scope and belongs to a security issue of its own. What VDP can and does do is
     * authorization: the nNVE admits only the stations and VSI Manager IDs its policy names, into
     * the VNs and with the addresses it allows, and refuses the rest with the right VDP error code
     * (4 for a refused station, manager or VN, 5 for a refused address), keeping its state.
     */
    @Test
    void req11_the_nnve_admits_only_the_stations_and_manager_ids_its_policy_names_and_refuses_others_with_the_right_vdp_error() throws Exception {
        PolicyFile policy = PolicyFile.parse("""
                # hv1 may put VMs of the snvmgr manager into VN 5001, with the VM MAC range only
                allow vn 5001 station %s manager snvmgr addresses 02:00:00:aa:00:00/ff:ff:ff:ff:ff:00
                """.formatted(HV1));
        Bridge n = bed.onNetwork(bed.nnve("nnve1", NNVE1, NnveConfig.builder().nveName("nnve1").build(), policy, SplitNveTestBed.nva()));
        Host a = bed.networkHost("hv1", HV1, NNVE1, UnaryOperator.identity(), NNVE1);
        Host b = bed.networkHost("hv2", HV2, NNVE1, UnaryOperator.identity(), NNVE1);

        bed.await(a.tnve.activate(spec(1, VN1), Migration.NONE));
        assertThat(a.tnve.state(vsi(1))).isEqualTo(TsiState.ACTIVATED);
        assertThat(n.state(a, vsi(1))).isEqualTo(TsiState.ACTIVATED);

        refused(n, b, bed.failure(b.tnve.activate(spec(2, VN1), Migration.NONE)), vsi(2), VdpErrorCode.OTHER_FAILURE);
        TsiSpec rogue = TsiSpec.builder().vsiId(vsi(3)).managerId(ManagerId.ofName("rogue")).vn(VN1)
                .address(TsiAddress.mac(vmMac(3))).build();
        refused(n, a, bed.failure(a.tnve.activate(rogue, Migration.NONE)), vsi(3), VdpErrorCode.OTHER_FAILURE);
        refused(n, a, bed.failure(a.tnve.activate(spec(4, VN2), Migration.NONE)), vsi(4), VdpErrorCode.OTHER_FAILURE);
        TsiSpec spoof = spec(5, VN1, TsiAddress.mac(MacAddress.valueOf("02:00:00:bb:00:01")));
        refused(n, a, bed.failure(a.tnve.activate(spoof, Migration.NONE)), vsi(5), VdpErrorCode.INVALID_VID_GROUPID_OR_MAC);

        assertThat(n.nnve.tsis()).extracting(v -> v.key().vsiId()).containsExactly(vsi(1));
        assertThat(n.vap(VN2)).isEmpty();
        assertThat(n.view(NvaView.MAPPING)).containsExactly(macMapping(vmMac(1), n));
        assertThat(n.nnve.counters().refusals()).isEqualTo(4);
    }

    private static void refused(Bridge n, Host h, Throwable t, VsiId id, VdpErrorCode code) {
        assertThat(t).isInstanceOf(VdpRefusedException.class);
        VdpRefusedException r = (VdpRefusedException) t;
        assertThat(r.error()).isEqualTo(code);
        assertThat(r.keep()).as("refused with keep").isTrue();
        assertThat(r.bridge()).isEqualTo(n.mac);
        assertThat(h.tnve.state(id)).isEqualTo(TsiState.INIT);
        assertThat(n.state(h, id)).isEqualTo(TsiState.INIT);
        assertThat(n.events(RefusalEvent.class)).filteredOn(e -> e.key() != null && e.key().vsiId().equals(id))
                .extracting(RefusalEvent::error).containsOnly(code).isNotEmpty();
        assertThat(n.events(RefusalEvent.class)).filteredOn(e -> e.key() != null && e.key().vsiId().equals(id))
                .allSatisfy(e -> assertThat(e.key().station()).isEqualTo(h.mac()));
    }

    // ------------------------------------------------------------------ Req-12

    @Test
    void req12_the_whole_exchange_is_layer_2_ecp_and_lldp_frames_with_no_ip_packet_anywhere() {
        Bridge n = bed.nnve("nnve1", NNVE1);
        MemoryLink[] l = bed.pair("hv1", HV1, "nnve1-hv1", NNVE1, LinkFaults.NONE);
        List<byte[]> frames = new CopyOnWriteArrayList<>();
        for (MemoryLink end : l) {
            end.addListener((f, ts) -> {
                byte[] b = new byte[f.remaining()];
                f.duplicate().get(b);
                frames.add(b);
            });
        }
        n.serve(l[1]);
        Host h = bed.host("hv1", l[0], NNVE1, UnaryOperator.identity());

        TsiSpec s = spec(1, VN1, TsiAddress.macIp(vmMac(1), ip("10.0.0.1")), TsiAddress.macIp(vmMac(1), ip("2001:db8::1")));
        bed.await(h.tnve.vnConnect(VN2));
        bed.await(h.vm.created(s));
        assertThat(n.tsi(h, vsi(1)).orElseThrow().ips()).as("IP addresses travel inside VDP TLVs").hasSize(2);
        bed.await(h.vm.suspended(vsi(1)));
        bed.await(h.vm.resumed(vsi(1)));
        bed.run(Duration.ofSeconds(25)); // LLDP and VDP keep-alives
        bed.await(n.nnve.deassociate(n.key(h, vsi(1)), "operator"));
        bed.await(h.tnve.vnDisconnect(VN2));
        bed.run(SHORT);
        assertThat(n.nnve.tsis()).isEmpty();
        assertThat(h.tnve.state(vsi(1))).isEqualTo(TsiState.INIT);

        assertThat((long) frames.size()).as("every frame sent was recorded").isEqualTo(l[0].sent() + l[1].sent());
        Set<Integer> types = new HashSet<>();
        List<String> offending = new ArrayList<>();
        for (byte[] f : frames) {
            ByteBuffer b = ByteBuffer.wrap(f);
            int type = f.length >= 14 ? b.getShort(12) & 0xFFFF : -1;
            MacAddress dst = f.length >= 14 ? MacAddress.read(b, 0) : null;
            boolean l2Dst = dst != null && (dst.equals(HV1) || dst.equals(NNVE1) || (dst.toLong() & ~0xFL) == 0x0180C2000000L);
            if ((type != 0x8940 && type != 0x88CC) || !l2Dst) {
                offending.add(f.length + " octets, EtherType " + Integer.toHexString(type) + " to " + dst);
            }
            types.add(type);
        }
        assertThat(offending).as("frames that are not ECP or LLDP to a peer or a reserved group").isEmpty();
        assertThat(types).containsExactlyInAnyOrder(0x8940, 0x88CC);
    }

    // ------------------------------------------------------------------ Req-13

    @Test
    void req13_a_migration_destination_sends_m_with_the_indication_valid_and_the_nnve_records_it_while_a_create_says_explicitly_no_migration() {
        Bridge n = bed.nnve("nnve1", NNVE1);
        Host h = direct(n);

        bed.await(h.vm.migrateIn(spec(1, VN1)));

        List<AssociationTlv> in = tlvsFor(n, vsi(1));
        assertThat(in).isNotEmpty().allSatisfy(t -> {
            assertThat(t.status().migrationIndicationValid()).isTrue();
            assertThat(t.status().m()).isTrue();
            assertThat(t.status().s()).isFalse();
        });
        TsiView migrated = n.tsi(h, vsi(1)).orElseThrow();
        assertThat(migrated.state()).isEqualTo(TsiState.ACTIVATED);
        assertThat(migrated.migration()).isTrue();
        assertThat(n.dataPlane(Migrated.class)).extracting(m -> m.tsi().key().vsiId()).containsExactly(vsi(1));
        assertThat(h.events(ResponseEvent.class)).filteredOn(e -> e.vsiId().equals(vsi(1)))
                .isNotEmpty().allSatisfy(e -> assertThat(e.migrationEchoed()).as("the nNVE echoes 0x80").isTrue());
        assertThat(h.tnve.isLegacy(NNVE1)).isFalse();

        bed.await(h.vm.created(spec(2, VN1)));

        List<AssociationTlv> created = tlvsFor(n, vsi(2));
        assertThat(created).isNotEmpty().allSatisfy(t -> {
            assertThat(t.status().migrationIndicationValid()).as("0x80: M and S are authoritative").isTrue();
            assertThat(t.status().m()).isFalse();
            assertThat(t.status().s()).isFalse();
        });
        TsiView plain = n.tsi(h, vsi(2)).orElseThrow();
        assertThat(plain.state()).isEqualTo(TsiState.ACTIVATED);
        assertThat(plain.migration()).isFalse();
        assertThat(n.dataPlane(Migrated.class)).extracting(m -> m.tsi().key().vsiId()).containsExactly(vsi(1));
        assertThat(h.tnve.state(vsi(2))).isEqualTo(TsiState.ACTIVATED);
    }

    @Test
    void req13_a_migration_source_marks_its_deactivate_with_s_and_only_then_does_the_nnve_hold_frames_for_the_new_location() {
        Bridge n = bed.nnve("nnve1", NNVE1);
        Host h = direct(n);
        bed.await(h.vm.created(spec(1, VN1)));
        bed.await(h.vm.created(spec(2, VN1)));

        bed.await(h.vm.migrateOut(vsi(1)));
        bed.await(h.tnve.deactivate(vsi(2), Migration.NONE));

        assertThat(tlvsFor(n, vsi(1))).last().satisfies(t -> {
            assertThat(t.type()).isEqualTo(VdpTlvType.PRE_ASSOCIATE);
            assertThat(t.status().migrationIndicationValid()).isTrue();
            assertThat(t.status().s()).isTrue();
        });
        assertThat(tlvsFor(n, vsi(2))).last().satisfies(t -> {
            assertThat(t.status().migrationIndicationValid()).isTrue();
            assertThat(t.status().s()).as("explicitly not a migration").isFalse();
        });
        assertThat(n.dataPlane(Deactivated.class)).extracting(d -> d.tsi().key().vsiId(), Deactivated::mayHaveMoved)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(vsi(1), true), org.assertj.core.groups.Tuple.tuple(vsi(2), false));
        assertThat(n.state(h, vsi(1))).isEqualTo(TsiState.ASSOCIATED);
        assertThat(n.state(h, vsi(2))).isEqualTo(TsiState.ASSOCIATED);
    }

    @Test
    void req13_a_legacy_station_that_sends_m_without_the_indication_is_a_migration_destination_as_802_1q_says() {
        Bridge n = bed.nnve("nnve1", NNVE1);
        Host h = bed.directHost("hv1", HV1, n, LinkFaults.NONE,
                b -> b.config(TnveConfig.builder().migrationIndication(false).build()));

        bed.await(h.vm.migrateIn(spec(1, VN1)));

        assertThat(tlvsFor(n, vsi(1))).isNotEmpty().allSatisfy(t -> {
            assertThat(t.status().migrationIndicationValid()).isFalse();
            assertThat(t.status().m()).isTrue();
        });
        assertThat(n.tsi(h, vsi(1)).orElseThrow().migration()).isTrue();
        assertThat(n.dataPlane(Migrated.class)).extracting(m -> m.tsi().key().vsiId()).containsExactly(vsi(1));
        assertThat(h.events(ResponseEvent.class)).filteredOn(e -> e.vsiId().equals(vsi(1)))
                .isNotEmpty().allSatisfy(e -> assertThat(e.migrationEchoed()).as("no 0x80 to echo").isFalse());

        // A legacy deactivate without S says nothing about migration: frames may still be held.
        bed.await(h.tnve.deactivate(vsi(1), Migration.NONE));
        assertThat(n.dataPlane(Deactivated.class)).extracting(Deactivated::mayHaveMoved).containsExactly(true);
    }
}
