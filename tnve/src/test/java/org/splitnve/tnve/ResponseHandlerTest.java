package org.splitnve.tnve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitnve.tnve.StationParts.pdu;
import static org.splitnve.tnve.TnveTestBed.BRIDGE;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.splitnve.vdpcore.MalformedFrameException;
import org.splitnve.vdpcore.vdp.AssociationTlv;
import org.splitnve.vdpcore.vdp.FilterEntry;
import org.splitnve.vdpcore.vdp.FilterInfo;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.ParsedVdpdu;
import org.splitnve.vdpcore.vdp.RejectedTlv;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VdpErrorCode;
import org.splitnve.vdpcore.vdp.VdpTlvType;
import org.splitnve.vdpcore.vdp.VnId;
import org.splitnve.vdpcore.vdp.VsiStatus;

/** What bridges send the station, handed to the response handler as the channel would. */
class ResponseHandlerTest {

    private static final VnId VN = VnId.of(5001);
    private static final VnId VN2 = VnId.of(5002);

    private final StationParts p = StationParts.single(TnveConfig.DEFAULT);
    private final List<Outcome> outcomes = new ArrayList<>();

    private void send(Binding b, PendingRequest.Kind kind, VdpTlvType type) {
        p.requests.send(b, kind, type, p.requests.status(Migration.NONE, b.bridge), kind.name().toLowerCase(), outcomes::add);
    }

    /** The TSI's TLV of {@code type} with {@code status}, its entries carrying {@code tag} (null: the null VID). */
    private static AssociationTlv tlv(Tsi t, VdpTlvType type, VsiStatus status, LocalTag tag) {
        return AssociationTlv.builder().type(type).status(status).typeId(t.spec.typeId()).typeVersion(t.spec.typeVersion())
                .vsiId(t.spec.vsiId()).filter(FilterInfo.of(t.spec.filterFormat(), t.spec.entries(tag))).build();
    }

    private static VsiStatus success(boolean echo) {
        return VsiStatus.response().migrationIndicationValid(echo).build();
    }

    private static VsiStatus refusal(VdpErrorCode error, boolean keep) {
        return VsiStatus.response().migrationIndicationValid(true).error(error).keep(keep).build();
    }

    @Test
    void a_response_to_the_outstanding_request_completes_it_learns_the_tag_and_is_reported() {
        Tsi t = p.tsi(1, VN);
        Binding b = t.binding(BRIDGE);
        send(b, PendingRequest.Kind.OPERATION, VdpTlvType.PRE_ASSOCIATE);
        p.responses.onVdpdu(BRIDGE, pdu(tlv(t, VdpTlvType.PRE_ASSOCIATE, success(true), LocalTag.of(100))));

        assertThat(outcomes).containsExactly(new Outcome.Success(LocalTag.of(100), true));
        assertThat(b.state).isEqualTo(TsiState.ASSOCIATED);
        assertThat(p.tags.known(BRIDGE, VN)).isEqualTo(LocalTag.of(100));
        assertThat(p.bed.events(ResponseEvent.class)).singleElement().satisfies(e -> {
            assertThat(e.vsiId()).isEqualTo(t.id());
            assertThat(e.tag()).isEqualTo(LocalTag.of(100));
            assertThat(e.migrationEchoed()).isTrue();
        });
        assertThat(p.bed.events(VnEvent.class)).singleElement().satisfies(e -> assertThat(e.connected()).isTrue());
        assertThat(p.counters.snapshot().responses()).isEqualTo(1);
    }

    @Test
    void a_response_matching_no_outstanding_request_is_counted_and_dropped() {
        Tsi t = p.tsi(1, VN);
        Tsi idle = p.tsi(2, VN);
        Binding b = t.binding(BRIDGE);
        send(b, PendingRequest.Kind.OPERATION, VdpTlvType.PRE_ASSOCIATE);
        p.responses.onVdpdu(BRIDGE, pdu(tlv(t, VdpTlvType.ASSOCIATE, success(true), LocalTag.of(100))));
        p.responses.onVdpdu(BRIDGE, pdu(tlv(idle, VdpTlvType.PRE_ASSOCIATE, success(true), LocalTag.of(100))));
        p.responses.onVdpdu(BRIDGE, pdu(tlv(new Tsi(TnveTestBed.spec(9, VN), false), VdpTlvType.PRE_ASSOCIATE, success(true), null)));

        assertThat(p.counters.snapshot().unmatchedResponses()).isEqualTo(3);
        assertThat(p.counters.snapshot().responses()).isZero();
        assertThat(outcomes).isEmpty();
        assertThat(b.outstanding).isNotNull();
        assertThat(p.bed.events).isEmpty();
    }

    @Test
    void a_bridge_that_does_not_echo_0x80_becomes_legacy_once() {
        Tsi t1 = p.tsi(1, VN);
        Tsi t2 = p.tsi(2, VN);
        send(t1.binding(BRIDGE), PendingRequest.Kind.OPERATION, VdpTlvType.PRE_ASSOCIATE);
        send(t2.binding(BRIDGE), PendingRequest.Kind.OPERATION, VdpTlvType.PRE_ASSOCIATE);
        p.responses.onVdpdu(BRIDGE, pdu(tlv(t1, VdpTlvType.PRE_ASSOCIATE, success(false), LocalTag.of(100)),
                tlv(t2, VdpTlvType.PRE_ASSOCIATE, success(false), LocalTag.of(100))));

        assertThat(p.requests.indication.isLegacy(BRIDGE)).isTrue();
        assertThat(p.bed.events(TnveTestBed.Legacy.class)).singleElement().satisfies(e -> assertThat(e.what()).contains("0x80"));
        assertThat(outcomes).containsExactly(new Outcome.Success(LocalTag.of(100), false), new Outcome.Success(LocalTag.of(100), false));
    }

    @Test
    void a_refusal_fails_the_request_with_the_state_it_leaves_on_that_bridge() {
        Tsi t = p.tsi(1, VN);
        Binding b = p.held(t, BRIDGE, VdpTlvType.PRE_ASSOCIATE, LocalTag.of(100));
        send(b, PendingRequest.Kind.OPERATION, VdpTlvType.ASSOCIATE);
        p.responses.onVdpdu(BRIDGE, pdu(tlv(t, VdpTlvType.ASSOCIATE, refusal(VdpErrorCode.OTHER_FAILURE, true), null)));
        send(b, PendingRequest.Kind.OPERATION, VdpTlvType.ASSOCIATE);
        VsiStatus hard = VsiStatus.response().hardError(true).build();
        p.responses.onVdpdu(BRIDGE, pdu(tlv(t, VdpTlvType.ASSOCIATE, hard, null)));

        assertThat(outcomes).extracting(o -> (VdpRefusedException) ((Outcome.Failed) o).error()).satisfiesExactly(
                e -> {
                    assertThat(e.keep()).isTrue();
                    assertThat(e.error()).isEqualTo(VdpErrorCode.OTHER_FAILURE);
                    assertThat(e.stateAfter()).isEqualTo(TsiState.ASSOCIATED);
                },
                e -> {
                    assertThat(e.hardError()).as("success with the hard error bit is a refusal").isTrue();
                    assertThat(e.stateAfter()).isEqualTo(TsiState.INIT);
                });
        assertThat(b.state).isEqualTo(TsiState.INIT);
    }

    @ParameterizedTest
    @EnumSource(value = PendingRequest.Kind.class, names = {"KEEP_ALIVE", "OPERATION"})
    void another_tag_in_answer_to_a_keep_alive_re_establishes_every_tsi_on_that_bridge_and_to_an_operation_nothing(
            PendingRequest.Kind kind) {
        Tsi t1 = p.tsi(1, VN);
        Binding b1 = p.held(t1, BRIDGE, VdpTlvType.ASSOCIATE, LocalTag.of(100));
        Binding b2 = p.held(p.tsi(2, VN2), BRIDGE, VdpTlvType.PRE_ASSOCIATE, LocalTag.of(101));
        send(b1, kind, VdpTlvType.ASSOCIATE);
        p.responses.onVdpdu(BRIDGE, pdu(tlv(t1, VdpTlvType.ASSOCIATE, success(true), LocalTag.of(300))));
        p.bed.run(Duration.ofMillis(10));

        assertThat(p.bed.events(TnveTestBed.TagChanged.class))
                .containsExactly(new TnveTestBed.TagChanged(VN, BRIDGE, LocalTag.of(100), LocalTag.of(300)));
        assertThat(p.tags.confirmed(BRIDGE, VN)).isEqualTo(LocalTag.of(300));
        assertThat(b1.idle()).isTrue();
        if (kind == PendingRequest.Kind.OPERATION) {
            assertThat(b2.idle()).isTrue();
            assertThat(p.tags.confirmed(BRIDGE, VN2)).isEqualTo(LocalTag.of(101));
            return;
        }
        assertThat(p.tags.confirmed(BRIDGE, VN2)).as("to be confirmed by the re-establishment").isNull();
        assertThat(b2.outstanding.kind).isEqualTo(PendingRequest.Kind.REESTABLISH);
        assertThat(p.bed.bridge().last().first().vsiId()).isEqualTo(b2.tsi.id());
        assertThat(p.bed.bridge().last().first().filter().entries()).allSatisfy(e -> assertThat(e.vid()).isEqualTo(FilterEntry.NULL_VID));
    }

    @Test
    void a_bridge_de_associate_is_answered_drops_the_tsi_releases_its_vn_and_is_reported() {
        Tsi t = p.tsi(1, VN);
        p.held(t, BRIDGE, VdpTlvType.ASSOCIATE, LocalTag.of(100));
        p.responses.onVdpdu(BRIDGE, pdu(tlv(t, VdpTlvType.DE_ASSOCIATE, VsiStatus.REQUEST, LocalTag.of(100))));
        p.bed.run(Duration.ofMillis(10));

        assertThat(p.bed.bridge().answersReceived).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(VdpTlvType.DE_ASSOCIATE);
            assertThat(a.status().isResponse()).isTrue();
            assertThat(a.status().error()).isEqualTo(VdpErrorCode.SUCCESS);
        });
        assertThat(p.bed.events(TnveTestBed.Deassociated.class)).containsExactly(new TnveTestBed.Deassociated(t.id(), BRIDGE));
        assertThat(p.bed.events(TsiEvent.class)).last().satisfies(e -> {
            assertThat(e.newState()).isEqualTo(TsiState.INIT);
            assertThat(e.why()).isEqualTo("De-Associate from the bridge");
        });
        assertThat(p.tags.known(BRIDGE, VN)).isNull();
        assertThat(p.tsis.get(t.id())).as("settled and forgotten").isNull();
        assertThat(p.counters.snapshot().bridgeDeassociates()).isEqualTo(1);
    }

    @Test
    void a_bridge_de_associate_for_a_tsi_not_held_is_answered_and_changes_nothing() {
        Tsi t = p.tsi(1, VN);
        t.binding(BRIDGE);
        p.responses.onVdpdu(BRIDGE, pdu(tlv(t, VdpTlvType.DE_ASSOCIATE, VsiStatus.REQUEST, null)));
        p.responses.onVdpdu(BRIDGE, pdu(tlv(new Tsi(TnveTestBed.spec(9, VN), false), VdpTlvType.DE_ASSOCIATE, VsiStatus.REQUEST, null)));
        p.bed.run(Duration.ofMillis(10));

        assertThat(p.bed.bridge().answersReceived).hasSize(2);
        assertThat(p.bed.events).isEmpty();
        assertThat(p.counters.snapshot().bridgeDeassociates()).isEqualTo(2);
    }

    @Test
    void a_bridge_de_associate_crossing_ours_completes_ours_at_once() {
        Tsi t = p.tsi(1, VN);
        Binding b = p.held(t, BRIDGE, VdpTlvType.ASSOCIATE, LocalTag.of(100));
        send(b, PendingRequest.Kind.OPERATION, VdpTlvType.DE_ASSOCIATE);
        p.responses.onVdpdu(BRIDGE, pdu(tlv(t, VdpTlvType.DE_ASSOCIATE, VsiStatus.REQUEST, null)));

        assertThat(outcomes).containsExactly(new Outcome.Success(null, false));
        assertThat(b.idle()).isTrue();
        assertThat(b.state).isEqualTo(TsiState.INIT);
    }

    @Test
    void requests_other_than_de_associate_and_undecodable_tlvs_count_as_bad_input() {
        Tsi t = p.tsi(1, VN);
        MalformedFrameException bad = new MalformedFrameException("truncated", 3, VdpErrorCode.INVALID_FORMAT, ByteBuffer.allocate(4));
        RejectedTlv r = new RejectedTlv(VdpTlvType.ASSOCIATE, 0, new byte[4], null, bad);
        p.responses.onVdpdu(BRIDGE, pdu(tlv(t, VdpTlvType.ASSOCIATE, VsiStatus.REQUEST, null)));
        p.responses.onVdpdu(BRIDGE, new ParsedVdpdu(TnveTestBed.MGR, List.of(), List.of(r, r), List.of(), 0));
        p.responses.onMalformed(BRIDGE, bad);

        assertThat(p.counters.snapshot().badInput()).isEqualTo(4);
        assertThat(p.bed.events).isEmpty();
    }

    @Test
    void after_close_nothing_received_is_handled() {
        Tsi t = p.tsi(1, VN);
        send(t.binding(BRIDGE), PendingRequest.Kind.OPERATION, VdpTlvType.PRE_ASSOCIATE);
        p.responses.close();
        p.responses.onVdpdu(BRIDGE, pdu(tlv(t, VdpTlvType.PRE_ASSOCIATE, success(true), LocalTag.of(100))));
        assertThat(outcomes).isEmpty();
        assertThat(p.counters.snapshot()).isEqualTo(new TnveCounters(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void consecutive_tlvs_of_one_vsi_type_and_direction_are_one_request_or_response() {
        Tsi a = p.tsi(1, VN);
        Tsi b = p.tsi(2, VN);
        AssociationTlv req = tlv(a, VdpTlvType.ASSOCIATE, VsiStatus.REQUEST, null);
        AssociationTlv resp = tlv(a, VdpTlvType.ASSOCIATE, success(true), null);
        List<List<AssociationTlv>> messages = ResponseHandler.byMessage(List.of(req, req, resp, tlv(b, VdpTlvType.ASSOCIATE,
                success(true), null), tlv(a, VdpTlvType.PRE_ASSOCIATE, success(true), null), resp));
        assertThat(messages).extracting(List::size).containsExactly(2, 1, 1, 1, 1);
        assertThat(ResponseHandler.byMessage(List.of())).isEmpty();
    }
}
