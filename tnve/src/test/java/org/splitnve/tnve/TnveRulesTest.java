package org.splitnve.tnve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitnve.tnve.TnveTestBed.mac;
import static org.splitnve.tnve.TnveTestBed.spec;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.splitnve.ecptransport.link.LinkFaults;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.AssociationTlv;
import org.splitnve.vdpcore.vdp.FilterEntry;
import org.splitnve.vdpcore.vdp.FilterFormat;
import org.splitnve.vdpcore.vdp.FilterInfo;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VdpErrorCode;
import org.splitnve.vdpcore.vdp.VdpTlvType;
import org.splitnve.vdpcore.vdp.VnId;
import org.splitnve.vdpcore.vdp.VsiStatus;

/** One test per station rule, against one scripted bridge. */
class TnveRulesTest {

    private static final VnId VN = VnId.of(5001);

    @Test
    void associating_with_a_null_vid_gets_the_tag_and_connects_the_vn_implicitly() {
        TnveTestBed r = TnveTestBed.single(TnveConfig.DEFAULT);
        TsiResult res = r.await(r.tnve.associate(spec(1, VN, mac(1)), Migration.NONE));

        ScriptedBridge.Request req = r.bridge().last();
        assertThat(req.type()).isEqualTo(VdpTlvType.PRE_ASSOCIATE);
        assertThat(req.first().filter().format()).isEqualTo(FilterFormat.GROUPID_MAC_VID);
        assertThat(req.first().filter().entries()).allSatisfy(e -> {
            assertThat(e.vid()).isEqualTo(FilterEntry.NULL_VID);
            assertThat(e.groupId()).isEqualTo(VN.groupId());
        });
        assertThat(res.state()).isEqualTo(TsiState.ASSOCIATED);
        assertThat(res.tag()).isEqualTo(LocalTag.of(100));
        assertThat(res.migrationEchoed()).isTrue();
        assertThat(r.tnve.localTag(VN)).contains(LocalTag.of(100));
        assertThat(r.tnve.state(TnveTestBed.vsi(1))).isEqualTo(TsiState.ASSOCIATED);
        assertThat(r.events(VnEvent.class)).singleElement().satisfies(e -> {
            assertThat(e.connected()).isTrue();
            assertThat(e.tag()).isEqualTo(LocalTag.of(100));
            assertThat(e.why()).contains("implicit");
        });
    }

    @Test
    void an_explicit_vn_connect_pre_associates_the_anchor_vsi_with_a_null_vid_and_completes_with_the_tag() {
        TnveTestBed r = TnveTestBed.single(TnveConfig.DEFAULT);
        LocalTag tag = r.await(r.tnve.vnConnect(VN));

        ScriptedBridge.Request req = r.bridge().last();
        assertThat(req.type()).isEqualTo(VdpTlvType.PRE_ASSOCIATE);
        assertThat(req.first().vsiId()).isEqualTo(r.tnve.anchorId(VN));
        assertThat(req.first().filter().format()).isEqualTo(FilterFormat.GROUPID_VID);
        assertThat(req.first().filter().entries()).singleElement().satisfies(e -> {
            assertThat(e.vid()).isZero();
            assertThat(e.groupId()).isEqualTo(VN.groupId());
        });
        assertThat(tag).isEqualTo(LocalTag.of(100));
        assertThat(r.events(VnEvent.class)).singleElement().satisfies(e -> assertThat(e.why()).contains("explicit"));

        int before = r.bridge().requests.size();
        assertThat(r.await(r.tnve.vnConnect(VN))).isEqualTo(tag);
        assertThat(r.bridge().requests).hasSize(before);
        // A TSI of a connected VN asks for the known tag, not the null VID.
        r.await(r.tnve.associate(spec(1, VN, mac(1)), Migration.NONE));
        assertThat(r.bridge().last().first().filter().entries().get(0).vid()).isEqualTo(100);
    }

    @Test
    void the_anchor_id_is_derived_from_station_mac_and_vn_deterministically() {
        VnId other = VnId.of(7);
        assertThat(Station.anchorId(TnveTestBed.STATION, VN)).isEqualTo(Station.anchorId(TnveTestBed.STATION, VN));
        assertThat(Station.anchorId(TnveTestBed.STATION, VN)).isNotEqualTo(Station.anchorId(TnveTestBed.STATION, other));
        assertThat(Station.anchorId(TnveTestBed.STATION, VN)).isNotEqualTo(Station.anchorId(TnveTestBed.BRIDGE, VN));
    }

    @Test
    void activate_of_an_associated_vsi_sends_associate_with_the_tag() {
        TnveTestBed r = TnveTestBed.single(TnveConfig.DEFAULT);
        r.await(r.tnve.associate(spec(1, VN, mac(1)), Migration.NONE));
        TsiResult res = r.await(r.tnve.activate(TnveTestBed.vsi(1), Migration.NONE));

        ScriptedBridge.Request req = r.bridge().last();
        assertThat(req.type()).isEqualTo(VdpTlvType.ASSOCIATE);
        assertThat(req.first().filter().entries().get(0).vid()).isEqualTo(100);
        assertThat(req.status().migrationIndicationValid()).isTrue();
        assertThat(req.status().m()).isFalse();
        assertThat(req.status().s()).isFalse();
        assertThat(res.state()).isEqualTo(TsiState.ACTIVATED);
        assertThat(r.bridge().state(TnveTestBed.vsi(1))).isEqualTo(TsiState.ACTIVATED);
    }

    @Test
    void activate_from_init_with_a_spec_sends_associate_directly() {
        TnveTestBed r = TnveTestBed.single(TnveConfig.DEFAULT);
        TsiResult res = r.await(r.tnve.activate(spec(1, VN, mac(1)), Migration.NONE));
        assertThat(r.bridge().requests).singleElement().satisfies(q -> assertThat(q.type()).isEqualTo(VdpTlvType.ASSOCIATE));
        assertThat(res.state()).isEqualTo(TsiState.ACTIVATED);
        assertThat(res.tag()).isEqualTo(LocalTag.of(100));
    }

    @Test
    void deactivate_of_an_activated_vsi_sends_pre_associate() {
        TnveTestBed r = TnveTestBed.single(TnveConfig.DEFAULT);
        r.await(r.tnve.activate(spec(1, VN, mac(1)), Migration.NONE));
        TsiResult res = r.await(r.tnve.deactivate(TnveTestBed.vsi(1), Migration.NONE));
        assertThat(r.bridge().last().type()).isEqualTo(VdpTlvType.PRE_ASSOCIATE);
        assertThat(res.state()).isEqualTo(TsiState.ASSOCIATED);
        assertThat(r.bridge().state(TnveTestBed.vsi(1))).isEqualTo(TsiState.ASSOCIATED);
    }

    @Test
    void reserving_resources_associates_with_pre_associate_rr() {
        TnveTestBed r = TnveTestBed.single(TnveConfig.builder().reserveResources(true).build());
        r.await(r.tnve.associate(spec(1, VN, mac(1)), Migration.NONE));
        assertThat(r.bridge().last().type()).isEqualTo(VdpTlvType.PRE_ASSOCIATE_RR);
    }

    @Test
    void a_refusal_with_keep_keeps_the_previous_state_and_fails_with_the_error_code() {
        TnveTestBed r = TnveTestBed.single(TnveConfig.DEFAULT);
        r.await(r.tnve.associate(spec(1, VN, mac(1)), Migration.NONE));
        r.bridge().error = VdpErrorCode.INSUFFICIENT_RESOURCES;
        r.bridge().answerAll(ScriptedBridge.Answer.KEEP_ERROR);

        Throwable t = r.failure(r.tnve.activate(TnveTestBed.vsi(1), Migration.NONE));
        assertThat(t).isInstanceOfSatisfying(VdpRefusedException.class, e -> {
            assertThat(e.error()).isEqualTo(VdpErrorCode.INSUFFICIENT_RESOURCES);
            assertThat(e.keep()).isTrue();
            assertThat(e.stateAfter()).isEqualTo(TsiState.ASSOCIATED);
        });
        assertThat(r.tnve.state(TnveTestBed.vsi(1))).isEqualTo(TsiState.ASSOCIATED);
        assertThat(r.events(ResponseEvent.class)).last().satisfies(e -> {
            assertThat(e.keep()).isTrue();
            assertThat(e.error()).isEqualTo(VdpErrorCode.INSUFFICIENT_RESOURCES);
        });
    }

    @Test
    void a_refusal_without_keep_returns_the_vsi_to_init() {
        TnveTestBed r = TnveTestBed.single(TnveConfig.DEFAULT);
        r.await(r.tnve.associate(spec(1, VN, mac(1)), Migration.NONE));
        r.bridge().error = VdpErrorCode.OTHER_FAILURE;
        r.bridge().answerAll(ScriptedBridge.Answer.ERROR);
        Throwable t = r.failure(r.tnve.activate(TnveTestBed.vsi(1), Migration.NONE));
        assertThat(t).isInstanceOfSatisfying(VdpRefusedException.class, e -> assertThat(e.stateAfter()).isEqualTo(TsiState.INIT));
        assertThat(r.tnve.state(TnveTestBed.vsi(1))).isEqualTo(TsiState.INIT);
    }

    @Test
    void an_unanswered_request_fails_with_response_timeout_after_the_response_wait_and_the_vsi_is_reported() {
        TnveTestBed r = TnveTestBed.single(TnveConfig.DEFAULT);
        r.await(r.tnve.associate(spec(1, VN, mac(1)), Migration.NONE));
        r.bridge().answerAll(ScriptedBridge.Answer.SILENT);
        CompletableFuture<TsiResult> f = r.tnve.activate(TnveTestBed.vsi(1), Migration.NONE);
        Duration wait = TnveTestBed.TIMERS.responseWait();
        r.run(wait.minusMillis(5));
        assertThat(f).isNotDone();
        Throwable t = r.failure(f);
        assertThat(t).isInstanceOfSatisfying(ResponseTimeoutException.class, e -> {
            assertThat(e.vsiId()).isEqualTo(TnveTestBed.vsi(1));
            assertThat(e.waited()).isEqualTo(wait);
            assertThat(e.type()).isEqualTo(VdpTlvType.ASSOCIATE);
        });
        assertThat(r.tnve.state(TnveTestBed.vsi(1))).isEqualTo(TsiState.INIT);
        assertThat(r.events(TsiEvent.class)).last().satisfies(e -> {
            assertThat(e.vsiId()).isEqualTo(TnveTestBed.vsi(1));
            assertThat(e.newState()).isEqualTo(TsiState.INIT);
            assertThat(e.why()).contains("unanswered");
        });
        assertThat(r.events(TnveTestBed.PeerLost.class)).isNotEmpty();
        assertThat(r.counters().timeouts()).isEqualTo(1);
    }

    @Test
    void a_vsi_started_again_by_the_caller_told_of_its_failure_is_not_forgotten_with_the_old_one() {
        TnveTestBed r = TnveTestBed.single(TnveConfig.DEFAULT);
        TsiSpec spec = spec(1, VN, mac(1));
        r.await(r.tnve.associate(spec, Migration.NONE));
        r.await(r.tnve.activate(TnveTestBed.vsi(1), Migration.NONE));
        r.bridge().answerAll(ScriptedBridge.Answer.SILENT);
        CompletableFuture<TsiResult> again = new CompletableFuture<>();
        // As a caller that goes on at once: told on the protocol thread that the deactivate failed, it de-associates the
        // VSI (already Init here) and, told that this is done, associates it again, all before the failed one returns.
        r.tnve.deactivate(TnveTestBed.vsi(1), Migration.NONE).whenComplete((ok, e) ->
                r.tnve.deassociate(TnveTestBed.vsi(1)).whenComplete((ok2, e2) -> {
                    r.bridge().answerAll(ScriptedBridge.Answer.SUCCESS);
                    r.tnve.associate(spec, Migration.NONE).whenComplete((res, e3) -> {
                        if (e3 != null) {
                            again.completeExceptionally(e3);
                        } else {
                            again.complete(res);
                        }
                    });
                }));
        TsiResult res = r.await(again);
        assertThat(res.state()).isEqualTo(TsiState.ASSOCIATED);
        assertThat(r.tnve.state(TnveTestBed.vsi(1))).isEqualTo(TsiState.ASSOCIATED);
        assertThat(r.counters().unmatchedResponses()).as("the new associate's answer found its request").isZero();
    }

    @Test
    void a_configured_response_timeout_overrides_the_vdp_response_wait() {
        TnveTestBed r = TnveTestBed.single(TnveConfig.builder().responseTimeout(Duration.ofSeconds(2)).build());
        r.bridge().answerAll(ScriptedBridge.Answer.SILENT);
        CompletableFuture<TsiResult> f = r.tnve.associate(spec(1, VN), Migration.NONE);
        r.run(Duration.ofMillis(1995));
        assertThat(f).isNotDone();
        r.run(Duration.ofMillis(10));
        assertThat(r.failure(f)).isInstanceOf(ResponseTimeoutException.class);
    }

    @Test
    void an_undeliverable_request_fails_with_undeliverable_exception() {
        TnveTestBed r = TnveTestBed.single(TnveConfig.DEFAULT, LinkFaults.NONE.withLoss(1.0));
        Throwable t = r.failure(r.tnve.associate(spec(1, VN, mac(1)), Migration.NONE));
        assertThat(t).isInstanceOf(UndeliverableException.class);
        assertThat(t.getCause()).isInstanceOf(org.splitnve.ecptransport.ecp.EcpDeliveryException.class);
        assertThat(r.tnve.state(TnveTestBed.vsi(1))).isEqualTo(TsiState.INIT);
        assertThat(r.counters().undeliverable()).as("sent again after each failure, then reported").isEqualTo(1 + RetryPolicy.DEFAULT.attempts());
    }

    @Test
    void keep_alive_re_sends_the_current_tlv_unchanged_every_rka() {
        TnveTestBed r = TnveTestBed.single(TnveConfig.DEFAULT);
        r.await(r.tnve.activate(spec(1, VN, mac(1), mac(2)), Migration.NONE));
        r.run(TnveTestBed.TIMERS.keepAlive());
        AssociationTlv first = r.bridge().last().first();
        int n = r.bridge().requests.size();
        for (int i = 0; i < 3; i++) {
            r.run(TnveTestBed.TIMERS.keepAlive());
            assertThat(r.bridge().requests).hasSize(n + i + 1);
            assertThat(r.bridge().last().first()).isEqualTo(first);
        }
        assertThat(first.type()).isEqualTo(VdpTlvType.ASSOCIATE);
        assertThat(first.filter().entries()).allSatisfy(e -> assertThat(e.vid()).isEqualTo(100));
        assertThat(r.tnve.state(TnveTestBed.vsi(1))).isEqualTo(TsiState.ACTIVATED);
        assertThat(r.counters().keepAlives()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void a_keep_alive_left_unanswered_is_reported_as_peer_loss() {
        TnveTestBed r = TnveTestBed.single(TnveConfig.DEFAULT);
        r.await(r.tnve.associate(spec(1, VN), Migration.NONE));
        r.bridge().answerAll(ScriptedBridge.Answer.SILENT);
        r.run(TnveTestBed.TIMERS.keepAlive().plus(TnveTestBed.TIMERS.responseWait()).plusMillis(10));
        assertThat(r.events(TnveTestBed.PeerLost.class)).singleElement().satisfies(e -> assertThat(e.why()).contains("keep-alive"));
        // A keep-alive failure does not drop the VSI: the next keep-alive may find the bridge again.
        assertThat(r.tnve.state(TnveTestBed.vsi(1))).isEqualTo(TsiState.ASSOCIATED);
    }

    @Test
    void a_bridge_de_associate_returns_the_vsi_to_init_reports_it_and_is_answered() {
        TnveTestBed r = TnveTestBed.single(TnveConfig.DEFAULT);
        r.await(r.tnve.activate(spec(1, VN, mac(1)), Migration.NONE));
        r.bridge().deassociate(TnveTestBed.STATION, TnveTestBed.vsi(1));
        r.run(Duration.ofMillis(50));

        assertThat(r.tnve.state(TnveTestBed.vsi(1))).isEqualTo(TsiState.INIT);
        assertThat(r.events(TnveTestBed.Deassociated.class)).containsExactly(new TnveTestBed.Deassociated(TnveTestBed.vsi(1), TnveTestBed.BRIDGE));
        assertThat(r.events(TsiEvent.class)).last().satisfies(e -> {
            assertThat(e.oldState()).isEqualTo(TsiState.ACTIVATED);
            assertThat(e.newState()).isEqualTo(TsiState.INIT);
        });
        assertThat(r.bridge().answersReceived).singleElement().satisfies(t -> {
            assertThat(t.type()).isEqualTo(VdpTlvType.DE_ASSOCIATE);
            assertThat(t.status().isResponse()).isTrue();
            assertThat(t.status().error()).isEqualTo(VdpErrorCode.SUCCESS);
            assertThat(t.vsiId()).isEqualTo(TnveTestBed.vsi(1));
        });
        // The VN's last TSI went: implicit VN_Disconnect.
        assertThat(r.events(VnEvent.class)).last().satisfies(e -> assertThat(e.connected()).isFalse());
        int n = r.bridge().requests.size();
        r.run(TnveTestBed.TIMERS.keepAlive().multipliedBy(2));
        assertThat(r.bridge().requests).as("no keep-alive for a de-associated VSI").hasSize(n);
    }

    @Test
    void a_bridge_that_does_not_echo_0x80_is_marked_legacy_and_gets_no_more_0x80() {
        TnveTestBed r = TnveTestBed.single(TnveConfig.DEFAULT);
        r.bridge().echoMigration = false;
        TsiResult res = r.await(r.tnve.associate(spec(1, VN), Migration.NONE));
        assertThat(r.bridge().last().status().migrationIndicationValid()).isTrue();
        assertThat(res.migrationEchoed()).isFalse();
        assertThat(r.tnve.isLegacy(TnveTestBed.BRIDGE)).isTrue();
        assertThat(r.events(TnveTestBed.Legacy.class)).singleElement().satisfies(e -> assertThat(e.what()).contains("0x80"));

        r.await(r.tnve.activate(TnveTestBed.vsi(1), Migration.TO_THIS_STATION));
        VsiStatus st = r.bridge().last().status();
        assertThat(st.migrationIndicationValid()).isFalse();
        assertThat(st.m()).as("legacy M semantics still apply").isTrue();
        r.run(TnveTestBed.TIMERS.keepAlive());
        assertThat(r.bridge().last().status().migrationIndicationValid()).isFalse();
    }

    @Test
    void the_migration_indication_can_be_turned_off() {
        TnveTestBed r = TnveTestBed.single(TnveConfig.builder().migrationIndication(false).build());
        r.await(r.tnve.associate(spec(1, VN), Migration.NONE));
        assertThat(r.bridge().last().status().migrationIndicationValid()).isFalse();
        assertThat(r.tnve.isLegacy(TnveTestBed.BRIDGE)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(TnveConfig.DeactivateFallback.class)
    void a_refused_deactivate_fails_with_deactivate_unsupported_and_applies_the_fallback(TnveConfig.DeactivateFallback fb) {
        TnveTestBed r = TnveTestBed.single(TnveConfig.builder().deactivateFallback(fb).build());
        r.bridge().refuseDeactivate = true;
        r.await(r.tnve.activate(spec(1, VN, mac(1)), Migration.NONE));
        Throwable t = r.failure(r.tnve.deactivate(TnveTestBed.vsi(1), Migration.NONE));

        TsiState expected = fb == TnveConfig.DeactivateFallback.DEASSOCIATE ? TsiState.ASSOCIATED : TsiState.ACTIVATED;
        assertThat(t).isInstanceOfSatisfying(DeactivateUnsupportedException.class, e -> {
            assertThat(e.fallback()).isEqualTo(fb);
            assertThat(e.stateAfter()).isEqualTo(expected);
        });
        assertThat(r.events(TnveTestBed.Legacy.class)).singleElement().satisfies(e -> assertThat(e.what()).contains("deactivate"));
        assertThat(r.tnve.state(TnveTestBed.vsi(1))).isEqualTo(expected);
        assertThat(r.bridge().state(TnveTestBed.vsi(1))).isEqualTo(expected);
        List<VdpTlvType> types = r.bridge().requests.stream().map(ScriptedBridge.Request::type).toList();
        if (fb == TnveConfig.DeactivateFallback.DEASSOCIATE) {
            assertThat(types).containsExactly(VdpTlvType.ASSOCIATE, VdpTlvType.PRE_ASSOCIATE, VdpTlvType.DE_ASSOCIATE,
                    VdpTlvType.PRE_ASSOCIATE);
        } else {
            assertThat(types).containsExactly(VdpTlvType.ASSOCIATE, VdpTlvType.PRE_ASSOCIATE);
        }
    }

    @Test
    void a_keep_alive_answered_with_another_tag_reports_the_change_and_re_establishes_everything() {
        TnveTestBed r = TnveTestBed.single(TnveConfig.DEFAULT);
        VnId other = VnId.of(6000);
        r.await(r.tnve.activate(spec(1, VN, mac(1)), Migration.NONE));
        r.await(r.tnve.associate(spec(2, other, mac(2)), Migration.NONE));
        assertThat(r.tnve.localTag(other)).contains(LocalTag.of(101));
        r.bridge().restart(300);
        int n = r.bridge().requests.size();
        r.run(TnveTestBed.TIMERS.keepAlive().plusMillis(100));

        assertThat(r.events(TnveTestBed.TagChanged.class)).extracting(TnveTestBed.TagChanged::vn).contains(VN, other);
        assertThat(r.bridge().state(TnveTestBed.vsi(1))).isEqualTo(TsiState.ACTIVATED);
        assertThat(r.bridge().state(TnveTestBed.vsi(2))).isEqualTo(TsiState.ASSOCIATED);
        assertThat(r.tnve.localTag(VN)).isPresent().get().isNotEqualTo(LocalTag.of(100));
        assertThat(r.tnve.localTag(other)).isPresent().get().isNotEqualTo(LocalTag.of(101));
        assertThat(r.bridge().requests.size()).isGreaterThan(n);
        assertThat(r.tnve.state(TnveTestBed.vsi(1))).isEqualTo(TsiState.ACTIVATED);
    }

    @Test
    void activate_of_an_unknown_vsi_without_its_spec_is_an_illegal_transition() {
        TnveTestBed r = TnveTestBed.single(TnveConfig.DEFAULT);
        assertThat(r.failure(r.tnve.activate(TnveTestBed.vsi(9), Migration.NONE))).isInstanceOf(IllegalTsiTransitionException.class);
        assertThat(r.failure(r.tnve.deactivate(TnveTestBed.vsi(9), Migration.NONE))).isInstanceOf(IllegalTsiTransitionException.class);
        assertThat(r.failure(r.tnve.updateAddresses(TnveTestBed.vsi(9), List.of()))).isInstanceOf(IllegalTsiTransitionException.class);
        assertThat(r.bridge().requests).isEmpty();
    }

    @Test
    void associate_of_an_activated_vsi_is_an_illegal_transition_and_changes_nothing() {
        TnveTestBed r = TnveTestBed.single(TnveConfig.DEFAULT);
        r.await(r.tnve.activate(spec(1, VN, mac(1)), Migration.NONE));
        int n = r.bridge().requests.size();
        assertThat(r.failure(r.tnve.associate(spec(1, VN, mac(7)), Migration.NONE))).isInstanceOf(IllegalTsiTransitionException.class);
        assertThat(r.bridge().requests).hasSize(n);
        assertThat(r.tnve.state(TnveTestBed.vsi(1))).isEqualTo(TsiState.ACTIVATED);
    }

    @Test
    void a_second_operation_on_a_vsi_is_queued_behind_the_first() {
        TnveTestBed r = TnveTestBed.single(TnveConfig.DEFAULT);
        CompletableFuture<TsiResult> a = r.tnve.associate(spec(1, VN, mac(1)), Migration.NONE);
        CompletableFuture<TsiResult> b = r.tnve.activate(TnveTestBed.vsi(1), Migration.NONE);
        r.clock.runReady();
        r.run(Duration.ofNanos(12_000));
        assertThat(r.bridge().requests).as("only the first request is out").hasSize(1);
        r.await(b);
        assertThat(a).isCompleted();
        assertThat(r.bridge().requests).extracting(ScriptedBridge.Request::type)
                .containsExactly(VdpTlvType.PRE_ASSOCIATE, VdpTlvType.ASSOCIATE);
        assertThat(r.tnve.state(TnveTestBed.vsi(1))).isEqualTo(TsiState.ACTIVATED);
    }

    @Test
    void an_address_update_re_sends_the_current_type_with_the_complete_new_set() {
        TnveTestBed r = TnveTestBed.single(TnveConfig.DEFAULT);
        r.await(r.tnve.activate(spec(1, VN, mac(1)), Migration.NONE));
        TsiResult res = r.await(r.tnve.updateAddresses(TnveTestBed.vsi(1), List.of(mac(1), mac(2), mac(3))));
        ScriptedBridge.Request req = r.bridge().last();
        assertThat(req.type()).isEqualTo(VdpTlvType.ASSOCIATE);
        assertThat(req.first().filter().entries()).extracting(FilterEntry::mac)
                .containsExactly(MacAddress.valueOf(0x020000000001L), MacAddress.valueOf(0x020000000002L), MacAddress.valueOf(0x020000000003L));
        assertThat(req.first().filter().entries()).allSatisfy(e -> assertThat(e.vid()).isEqualTo(100));
        assertThat(res.state()).isEqualTo(TsiState.ACTIVATED);
    }

    @Test
    void the_filter_format_follows_the_kind_of_addresses() throws Exception {
        InetAddress ip = InetAddress.getByName("192.0.2.10");
        MacAddress m = MacAddress.valueOf("02:00:00:00:10:01");
        assertThat(spec(1, VN).filterFormat()).isEqualTo(FilterFormat.GROUPID_VID);
        assertThat(spec(1, VN, TsiAddress.mac(m)).filterFormat()).isEqualTo(FilterFormat.GROUPID_MAC_VID);
        assertThat(spec(1, VN, TsiAddress.ip(ip)).filterFormat()).isEqualTo(FilterFormat.GROUPID_IP_VID);
        assertThat(spec(1, VN, TsiAddress.macIp(m, ip)).filterFormat()).isEqualTo(FilterFormat.GROUPID_MAC_IP_VID);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> spec(1, VN, TsiAddress.mac(m), TsiAddress.ip(ip)))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> spec(1, VN, TsiAddress.ip(InetAddress.getByName("224.0.0.1"))))
                .isInstanceOf(IllegalArgumentException.class);

        TnveTestBed r = TnveTestBed.single(TnveConfig.DEFAULT);
        r.await(r.tnve.associate(spec(1, VN, TsiAddress.macIp(m, ip)), Migration.NONE));
        assertThat(r.bridge().last().first().filter().format()).isEqualTo(FilterFormat.GROUPID_MAC_IP_VID);
        assertThat(r.bridge().last().first().filter().entries().get(0).ip()).isEqualTo(ip);
    }

    @Test
    void an_address_set_too_large_for_one_tlv_is_split_and_one_too_large_for_a_vdpdu_fails_typed() throws Exception {
        TnveTestBed r = TnveTestBed.single(TnveConfig.DEFAULT);
        List<TsiAddress> thirty = new ArrayList<>();
        List<TsiAddress> twoHundred = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            TsiAddress a = TsiAddress.macIp(MacAddress.valueOf(0x020000000000L | i), InetAddress.getByName("2001:db8::" + Integer.toHexString(i)));
            twoHundred.add(a);
            if (i <= 30) {
                thirty.add(a);
            }
        }
        r.await(r.tnve.associate(spec(1, VN, thirty.toArray(TsiAddress[]::new)), Migration.NONE));
        ScriptedBridge.Request req = r.bridge().last();
        assertThat(req.tlvs()).hasSizeGreaterThan(1);
        assertThat(req.entries()).isEqualTo(30);
        assertThat(r.tnve.state(TnveTestBed.vsi(1))).isEqualTo(TsiState.ASSOCIATED);

        int n = r.bridge().requests.size();
        assertThat(r.failure(r.tnve.associate(spec(2, VN, twoHundred.toArray(TsiAddress[]::new)), Migration.NONE)))
                .isInstanceOf(RequestTooLargeException.class);
        assertThat(r.bridge().requests).hasSize(n);
        assertThat(r.tnve.state(TnveTestBed.vsi(2))).isEqualTo(TsiState.INIT);
    }

    @Test
    void vn_disconnect_de_associates_every_tsi_of_the_vn_and_the_anchor() {
        TnveTestBed r = TnveTestBed.single(TnveConfig.DEFAULT);
        VnId other = VnId.of(6000);
        r.await(r.tnve.vnConnect(VN));
        r.await(r.tnve.activate(spec(1, VN, mac(1)), Migration.NONE));
        r.await(r.tnve.associate(spec(2, VN, mac(2)), Migration.NONE));
        r.await(r.tnve.associate(spec(3, other, mac(3)), Migration.NONE));
        r.await(r.tnve.vnDisconnect(VN));

        assertThat(r.bridge().requestsOf(VdpTlvType.DE_ASSOCIATE)).extracting(q -> q.first().vsiId())
                .containsExactlyInAnyOrder(TnveTestBed.vsi(1), TnveTestBed.vsi(2), r.tnve.anchorId(VN));
        assertThat(r.tnve.state(TnveTestBed.vsi(1))).isEqualTo(TsiState.INIT);
        assertThat(r.tnve.state(TnveTestBed.vsi(3))).isEqualTo(TsiState.ASSOCIATED);
        assertThat(r.tnve.localTag(VN)).isEmpty();
        assertThat(r.tnve.localTag(other)).isPresent();
        assertThat(r.events(VnEvent.class)).filteredOn(e -> e.vn().equals(VN) && !e.connected()).hasSize(1);
    }

    @Test
    void a_response_for_no_outstanding_request_is_counted_and_dropped() {
        TnveTestBed r = TnveTestBed.single(TnveConfig.DEFAULT);
        AssociationTlv stray = AssociationTlv.builder().type(VdpTlvType.ASSOCIATE).status(VsiStatus.response().build())
                .vsiId(TnveTestBed.vsi(42)).filter(FilterInfo.of(FilterFormat.GROUPID_VID, FilterEntry.builder().vn(VN.value()).vid(7).build()))
                .build();
        r.bridge().channel.send(TnveTestBed.STATION, TnveTestBed.MGR, stray);
        r.run(Duration.ofMillis(10));
        assertThat(r.counters().unmatchedResponses()).isEqualTo(1);
        assertThat(r.tnve.tsis()).isEmpty();
        // and the station still works
        assertThat(r.await(r.tnve.associate(spec(1, VN), Migration.NONE)).state()).isEqualTo(TsiState.ASSOCIATED);
    }

    @Test
    void a_listener_that_throws_does_not_break_the_station() {
        TnveTestBed r = TnveTestBed.single(TnveConfig.DEFAULT);
        r.tnve.addListener(new TnveListener() {
            @Override
            public void onTsiState(TsiEvent e) {
                throw new IllegalStateException("observer bug");
            }

            @Override
            public void onResponse(ResponseEvent e) {
                throw new IllegalStateException("observer bug");
            }
        });
        assertThat(r.await(r.tnve.activate(spec(1, VN), Migration.NONE)).state()).isEqualTo(TsiState.ACTIVATED);
        assertThat(r.events(TsiEvent.class)).isNotEmpty();
    }

    @Test
    void de_associate_sends_de_associate_and_returns_to_init() {
        TnveTestBed r = TnveTestBed.single(TnveConfig.DEFAULT);
        r.await(r.tnve.activate(spec(1, VN, mac(1)), Migration.NONE));
        TsiResult res = r.await(r.tnve.deassociate(TnveTestBed.vsi(1)));
        assertThat(r.bridge().last().type()).isEqualTo(VdpTlvType.DE_ASSOCIATE);
        assertThat(res.state()).isEqualTo(TsiState.INIT);
        assertThat(r.bridge().held).isEmpty();
        assertThat(r.tnve.tsis()).isEmpty();
        assertThat(r.await(r.tnve.deassociate(TnveTestBed.vsi(1))).state()).as("idempotent").isEqualTo(TsiState.INIT);
    }

    @Test
    void a_bridge_de_associate_crossing_ours_completes_ours_at_once_without_waiting_for_an_answer() {
        TnveTestBed r = TnveTestBed.single(TnveConfig.DEFAULT);
        r.await(r.tnve.activate(spec(1, VN, mac(1)), Migration.NONE));
        // A bridge that has already dropped the VSI (lldpad after its keep-alive timeout) never answers our De-Associate.
        r.bridge().answerAll(ScriptedBridge.Answer.SILENT);
        java.util.concurrent.CompletableFuture<TsiResult> ours = r.tnve.deassociate(TnveTestBed.vsi(1));
        r.run(Duration.ofMillis(1));
        r.bridge().deassociate(TnveTestBed.STATION, TnveTestBed.vsi(1));
        r.run(Duration.ofMillis(50));
        assertThat(ours).isCompleted();
        assertThat(r.await(ours).state()).isEqualTo(TsiState.INIT);
        assertThat(r.events(TnveTestBed.PeerLost.class)).as("the bridge answered in its own way; it is not lost").isEmpty();
    }
}
