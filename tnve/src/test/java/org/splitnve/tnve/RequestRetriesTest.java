package org.splitnve.tnve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitnve.tnve.TnveTestBed.BRIDGE;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.splitnve.ecptransport.ecp.EcpConfig;
import org.splitnve.ecptransport.ecp.EcpEngine;
import org.splitnve.ecptransport.link.LinkFaults;
import org.splitnve.ecptransport.link.MemoryLink;
import org.splitnve.ecptransport.vdp.VdpChannel;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VdpDecoder;
import org.splitnve.vdpcore.vdp.VdpEncoder;
import org.splitnve.vdpcore.vdp.VdpErrorCode;
import org.splitnve.vdpcore.vdp.VdpTlvType;
import org.splitnve.vdpcore.vdp.VnId;

/** Requests sent again after a failure that may pass: error 2 with keep, or a failed delivery; bounded, then reported. */
class RequestRetriesTest {

    private static final VnId VN = VnId.of(5001);
    private final List<Outcome> outcomes = new ArrayList<>();

    private static void send(StationParts p, Binding b, PendingRequest.Kind kind, List<Outcome> outcomes) {
        p.requests.send(b, kind, VdpTlvType.ASSOCIATE, p.requests.status(Migration.NONE, BRIDGE), "activate", outcomes::add);
    }

    @Test
    void error_2_with_keep_is_retried_with_doubling_waits_until_it_succeeds() {
        StationParts p = StationParts.single(TnveConfig.DEFAULT).listen();
        ScriptedBridge bridge = p.bed.bridge();
        bridge.error = VdpErrorCode.INSUFFICIENT_RESOURCES;
        bridge.script = r -> bridge.requests.size() <= 3 ? ScriptedBridge.Answer.KEEP_ERROR : ScriptedBridge.Answer.SUCCESS;
        Binding b = p.held(p.tsi(1, VN), BRIDGE, VdpTlvType.PRE_ASSOCIATE, LocalTag.of(100));
        send(p, b, PendingRequest.Kind.OPERATION, outcomes);
        p.bed.clock.runUntil(() -> !outcomes.isEmpty(), Duration.ofSeconds(60));

        assertThat(outcomes).singleElement().isInstanceOf(Outcome.Success.class);
        assertThat(bridge.requests).hasSize(4);
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < bridge.requests.size(); i++) {
            gaps.add((bridge.requests.get(i).atNanos() - bridge.requests.get(i - 1).atNanos()) / 1_000_000);
        }
        assertThat(gaps).satisfiesExactly(g -> assertThat(g).isBetween(250L, 260L), g -> assertThat(g).isBetween(500L, 510L),
                g -> assertThat(g).isBetween(1000L, 1010L));
        assertThat(b.state).isEqualTo(TsiState.ACTIVATED);
        assertThat(p.counters.snapshot().retries()).isEqualTo(3);
    }

    @Test
    void error_2_with_keep_that_lasts_fails_after_the_retries_with_the_waits_capped() {
        StationParts p = StationParts.single(TnveConfig.builder().retry(new RetryPolicy(Duration.ofMillis(100), Duration.ofMillis(300), 4))
                .build()).listen();
        ScriptedBridge bridge = p.bed.bridge();
        bridge.error = VdpErrorCode.INSUFFICIENT_RESOURCES;
        bridge.answerAll(ScriptedBridge.Answer.KEEP_ERROR);
        Binding b = p.held(p.tsi(1, VN), BRIDGE, VdpTlvType.PRE_ASSOCIATE, LocalTag.of(100));
        send(p, b, PendingRequest.Kind.OPERATION, outcomes);
        p.bed.clock.runUntil(() -> !outcomes.isEmpty(), Duration.ofSeconds(60));

        assertThat(bridge.requests).hasSize(5);
        long last = (bridge.requests.get(4).atNanos() - bridge.requests.get(3).atNanos()) / 1_000_000;
        assertThat(last).as("100, 200, 300, 300 ms").isBetween(300L, 310L);
        assertThat(outcomes).singleElement().satisfies(o -> assertThat(((Outcome.Failed) o).error()).isInstanceOfSatisfying(
                VdpRefusedException.class, e -> assertThat(e.error()).isEqualTo(VdpErrorCode.INSUFFICIENT_RESOURCES)));
        assertThat(b.state).isEqualTo(TsiState.ASSOCIATED);
        assertThat(b.idle()).isTrue();
    }

    @Test
    void hard_errors_other_refusals_and_keep_alives_are_not_retried() {
        StationParts p = StationParts.single(TnveConfig.DEFAULT).listen();
        ScriptedBridge bridge = p.bed.bridge();
        bridge.error = VdpErrorCode.OTHER_FAILURE;
        bridge.answerAll(ScriptedBridge.Answer.KEEP_ERROR);
        Binding b = p.held(p.tsi(1, VN), BRIDGE, VdpTlvType.PRE_ASSOCIATE, LocalTag.of(100));
        send(p, b, PendingRequest.Kind.OPERATION, outcomes);
        bridge.error = VdpErrorCode.INSUFFICIENT_RESOURCES;
        send(p, b, PendingRequest.Kind.KEEP_ALIVE, outcomes);
        bridge.answerAll(ScriptedBridge.Answer.ERROR);
        send(p, b, PendingRequest.Kind.OPERATION, outcomes);
        p.bed.clock.runUntil(() -> outcomes.size() == 3, Duration.ofSeconds(60));

        assertThat(outcomes).hasSize(3).allMatch(o -> o instanceof Outcome.Failed);
        assertThat(p.counters.snapshot().retries()).isZero();
    }

    /**
     * The first request reaching a bridge whose VDP is not up yet is not acknowledged (lldpad's ECP starts after its
     * LLDP): it is sent again after a wait, and gets through once the bridge listens.
     */
    @Test
    void a_request_ecp_could_not_deliver_is_sent_again_and_gets_through_once_the_bridge_listens() {
        TnveTestBed bed = new TnveTestBed();
        MemoryLink[] l = MemoryLink.pair(bed.clock, "station", TnveTestBed.STATION, "bridge", BRIDGE, LinkFaults.NONE);
        bed.stationEcp = new EcpEngine(l[0], bed.clock, EcpConfig.DEFAULT, 1).start();
        bed.channel = new VdpChannel(bed.stationEcp, bed.clock, new VdpDecoder(), new VdpEncoder());
        EcpEngine bridgeEcp = new EcpEngine(l[1], bed.clock, EcpConfig.DEFAULT, 2).start(); // no VDP on it yet
        bed.bridges.put(BRIDGE, null);
        StationParts p = new StationParts(bed, TnveConfig.DEFAULT, BridgeMode.ACTIVE_STANDBY, null).listen();
        Tsi t = p.tsi(1, VN);
        p.requests.send(t.binding(BRIDGE), PendingRequest.Kind.OPERATION, VdpTlvType.PRE_ASSOCIATE,
                p.requests.status(Migration.NONE, BRIDGE), "associate", outcomes::add);
        bed.clock.advance(Duration.ofMillis(100));
        assertThat(p.counters.snapshot().undeliverable()).isEqualTo(1);
        assertThat(outcomes).as("not reported while it is retried").isEmpty();

        bed.bridges.put(BRIDGE, new ScriptedBridge(new VdpChannel(bridgeEcp, bed.clock, new VdpDecoder(), new VdpEncoder())));
        bed.clock.runUntil(() -> !outcomes.isEmpty(), Duration.ofSeconds(5));
        assertThat(outcomes).singleElement().isInstanceOf(Outcome.Success.class);
        assertThat(t.binding(BRIDGE).state).isEqualTo(TsiState.ASSOCIATED);
    }

    @Test
    void a_request_that_stays_undeliverable_is_reported_when_the_retries_run_out() {
        StationParts p = new StationParts(TnveTestBed.pair(LinkFaults.NONE.withLoss(1.0)), TnveConfig.DEFAULT, BridgeMode.ACTIVE_STANDBY,
                null);
        Binding b = p.held(p.tsi(1, VN), BRIDGE, VdpTlvType.PRE_ASSOCIATE, LocalTag.of(100));
        send(p, b, PendingRequest.Kind.OPERATION, outcomes);
        p.bed.clock.runUntil(() -> !outcomes.isEmpty(), Duration.ofSeconds(60));
        assertThat(outcomes).singleElement().satisfies(o -> assertThat(((Outcome.Failed) o).error()).isInstanceOf(UndeliverableException.class));
        assertThat(p.counters.snapshot().undeliverable()).isEqualTo(1 + RetryPolicy.DEFAULT.attempts());
        assertThat(p.counters.snapshot().retries()).isEqualTo(RetryPolicy.DEFAULT.attempts());
        assertThat(b.state).isEqualTo(TsiState.ASSOCIATED);
    }
}
