package org.splitnve.ecptransport.ecp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.splitnve.ecptransport.clock.VirtualScheduler;
import org.splitnve.ecptransport.link.LinkException;
import org.splitnve.ecptransport.link.LinkFaults;
import org.splitnve.ecptransport.link.MemoryLink;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.ecp.EcpHeader;
import org.splitnve.vdpcore.ecp.EcpSubtype;
import org.splitnve.vdpcore.frame.EtherType;

/** One test per ECP rule, in virtual time: our engine against a scripted raw peer. */
class EcpEngineRulesTest {

    private static final MacAddress US = MacAddress.valueOf("02:00:00:00:00:01");
    private static final MacAddress PEER = MacAddress.valueOf("02:00:00:00:00:02");
    private static final Duration RTE8 = Duration.ofNanos(2_560_000);

    private VirtualScheduler clock;
    private MemoryLink raw;
    private EcpEngine engine;
    private final List<byte[]> seenByPeer = new ArrayList<>();
    private final List<String> delivered = new ArrayList<>();

    @BeforeEach
    void setUp() {
        clock = new VirtualScheduler();
        MemoryLink[] pair = MemoryLink.pair(clock, "us", US, "peer", PEER, LinkFaults.NONE);
        raw = pair[1];
        raw.addListener((f, t) -> {
            byte[] b = new byte[f.remaining()];
            f.get(b);
            seenByPeer.add(b);
        });
        engine = new EcpEngine(pair[0], clock, EcpConfig.DEFAULT, 42).start();
        engine.register(EcpSubtype.VDP, (peer, payload) -> delivered.add(peer + ":" + (payload.get(0) & 0xFF)));
    }

    private CompletableFuture<Void> sendOne(int marker) {
        return engine.send(PEER, EcpSubtype.VDP, ByteBuffer.wrap(new byte[] {(byte) marker, 1, 2, 3}));
    }

    private static int seq(byte[] frame) {
        return ((frame[16] & 0xFF) << 8) | (frame[17] & 0xFF);
    }

    private static int op(byte[] frame) {
        return EcpHeader.operation(((frame[14] & 0xFF) << 8) | (frame[15] & 0xFF));
    }

    private void peerSends(int operation, int subtype, int sequence, int version, byte... payload) throws LinkException {
        ByteBuffer b = ByteBuffer.allocate(60);
        US.writeTo(b);
        PEER.writeTo(b);
        b.putShort((short) EtherType.ECP);
        b.putShort((short) ((version << 12) | (operation << 10) | subtype)).putShort((short) sequence);
        b.put(payload);
        b.position(0);
        raw.send(b);
    }

    private void ack(byte[] request) throws LinkException {
        peerSends(1, 1, seq(request), 1);
    }

    @Test
    void aRequestIsPaddedToSixtyOctetsAndAddressedToTheNearestCustomerBridgeByDefault() {
        sendOne(7);
        clock.advance(Duration.ofMillis(1));
        assertThat(seenByPeer).hasSize(1);
        byte[] f = seenByPeer.get(0);
        assertThat(f).hasSize(60);
        assertThat(MacAddress.valueOf(java.util.Arrays.copyOf(f, 6))).isEqualTo(MacAddress.NEAREST_CUSTOMER_BRIDGE);
        assertThat(op(f)).isZero();
    }

    @Test
    void anAckCompletesTheSendersFuture() throws Exception {
        CompletableFuture<Void> f = sendOne(7);
        clock.advance(Duration.ofMillis(1));
        ack(seenByPeer.get(0));
        clock.advance(Duration.ofMillis(1));
        assertThat(f).isCompleted();
        assertThat(engine.counters(PEER).acked()).isEqualTo(1);
    }

    @Test
    void onlyOnePduIsOutstandingAndTheNextGoesAsSoonAsTheAckArrives() throws Exception {
        sendOne(1);
        sendOne(2);
        clock.advance(Duration.ofMillis(1));
        assertThat(seenByPeer).hasSize(1);
        ack(seenByPeer.get(0));
        clock.advance(Duration.ofNanos(100_000)); // far less than the 2.56 ms ack timer: no pacing
        assertThat(seenByPeer).hasSize(2);
        assertThat(seenByPeer.get(1)[18]).isEqualTo((byte) 2);
    }

    @Test
    void theSequenceNumberGrowsByOnePerNewPduNotPerRetransmission() throws Exception {
        sendOne(1);
        clock.advance(RTE8.multipliedBy(2).plusNanos(100_000)); // first send plus two retransmissions
        assertThat(seenByPeer).hasSize(3);
        assertThat(seq(seenByPeer.get(1))).isEqualTo(seq(seenByPeer.get(0)));
        ack(seenByPeer.get(2));
        sendOne(2);
        clock.advance(Duration.ofMillis(1));
        int expected = seq(seenByPeer.get(0)) == 0xFFFF ? 1 : seq(seenByPeer.get(0)) + 1;
        assertThat(seq(seenByPeer.get(3))).isEqualTo(expected);
    }

    @Test
    void anUnackedPduIsRetransmittedEveryAckTimeoutAndSentAtMostRPlusOneTimes() {
        CompletableFuture<Void> f = sendOne(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(seenByPeer).hasSize(4); // R = 3
        assertThat(engine.counters(PEER).retransmitted()).isEqualTo(3);
        assertThat(f).isCompletedExceptionally();
    }

    @Test
    void aPduThatRunsOutOfRetriesIsReportedToItsSenderWithItsSequenceNumber() {
        CompletableFuture<Void> f = sendOne(1);
        clock.advance(Duration.ofSeconds(1));
        ExecutionException e = org.assertj.core.api.Assertions.catchThrowableOfType(ExecutionException.class, f::get);
        EcpDeliveryException d = (EcpDeliveryException) e.getCause();
        assertThat(d.reason()).isEqualTo(EcpDeliveryException.Reason.RETRIES_EXHAUSTED);
        assertThat(d.sequence()).isEqualTo(seq(seenByPeer.get(0)));
        assertThat(d.attempts()).isEqualTo(4);
        assertThat(engine.counters(PEER).failed()).isEqualTo(1);
    }

    @Test
    void afterAFailedPduTheNextOneGoesOut() {
        sendOne(1);
        CompletableFuture<Void> second = sendOne(2);
        clock.advance(RTE8.multipliedBy(4).plusNanos(100_000));
        assertThat(seenByPeer).hasSize(5);
        assertThat(seenByPeer.get(4)[18]).isEqualTo((byte) 2);
        assertThat(second).isNotDone();
    }

    @Test
    void theSequenceNumberSkipsZeroOnWrap() {
        EcpPeer p = new EcpPeer(PEER, EcpAddressing.nearestCustomerBridge(), 0xFFFF);
        assertThat(p.takeSequence()).isEqualTo(0xFFFF);
        assertThat(p.takeSequence()).isEqualTo(1);
    }

    @Test
    void theFirstSequenceNumberIsRandomAndNeverZero() {
        java.util.Set<Integer> firsts = new java.util.HashSet<>();
        for (long seed = 0; seed < 20; seed++) {
            VirtualScheduler c = new VirtualScheduler();
            MemoryLink[] pair = MemoryLink.pair(c, "a", US, "b", PEER, LinkFaults.NONE);
            List<Integer> seqs = new ArrayList<>();
            pair[1].addListener((f, t) -> seqs.add(((f.get(16) & 0xFF) << 8) | (f.get(17) & 0xFF)));
            EcpEngine e = new EcpEngine(pair[0], c, EcpConfig.DEFAULT, seed).start();
            e.send(PEER, EcpSubtype.VDP, ByteBuffer.wrap(new byte[] {1}));
            c.advance(Duration.ofMillis(1));
            assertThat(seqs.get(0)).isNotZero();
            firsts.add(seqs.get(0));
        }
        assertThat(firsts.size()).isGreaterThan(15);
    }

    @Test
    void aNewRequestIsAckedAndDeliveredOnce() throws Exception {
        peerSends(0, 1, 100, 1, (byte) 9);
        clock.advance(Duration.ofMillis(1));
        assertThat(delivered).containsExactly(PEER + ":9");
        assertThat(seenByPeer).hasSize(1);
        assertThat(op(seenByPeer.get(0))).isEqualTo(1);
        assertThat(seq(seenByPeer.get(0))).isEqualTo(100);
    }

    @Test
    void anAckGoesToTheSourceOfTheRequestNotToTheGroupAddress() throws Exception {
        peerSends(0, 1, 100, 1, (byte) 9);
        clock.advance(Duration.ofMillis(1));
        byte[] ack = seenByPeer.get(0);
        assertThat(MacAddress.valueOf(java.util.Arrays.copyOf(ack, 6))).isEqualTo(PEER);
        assertThat(ack).hasSize(18);
    }

    @Test
    void aDuplicateIsAckedButNotDeliveredAgain() throws Exception {
        peerSends(0, 1, 100, 1, (byte) 9);
        peerSends(0, 1, 100, 1, (byte) 9);
        clock.advance(Duration.ofMillis(1));
        assertThat(delivered).hasSize(1);
        assertThat(seenByPeer).hasSize(2);
        assertThat(engine.counters(PEER).duplicates()).isEqualTo(1);
    }

    @Test
    void aSequenceNumberOtherThanTheLastDeliveredIsNewEvenIfItGoesBackwards() throws Exception {
        peerSends(0, 1, 100, 1, (byte) 1);
        peerSends(0, 1, 50, 1, (byte) 2);
        clock.advance(Duration.ofMillis(1));
        assertThat(delivered).hasSize(2);
    }

    @Test
    void aBadVersionIsDroppedCountedAndNotAcked() throws Exception {
        peerSends(0, 1, 100, 2, (byte) 1);
        clock.advance(Duration.ofMillis(1));
        assertThat(delivered).isEmpty();
        assertThat(seenByPeer).isEmpty();
        assertThat(engine.portCounters().malformed()).isEqualTo(1);
    }

    @Test
    void anUndefinedOperationIsDroppedCountedAndNotAcked() throws Exception {
        peerSends(2, 1, 100, 1, (byte) 1);
        peerSends(3, 1, 101, 1, (byte) 1);
        clock.advance(Duration.ofMillis(1));
        assertThat(seenByPeer).isEmpty();
        assertThat(engine.portCounters().malformed()).isEqualTo(2);
    }

    @Test
    void anUnknownSubtypeIsDroppedCountedAndNotAcked() throws Exception {
        peerSends(0, 2, 100, 1, (byte) 1);
        peerSends(0, 0x3FF, 101, 1, (byte) 1);
        clock.advance(Duration.ofMillis(1));
        assertThat(seenByPeer).isEmpty();
        assertThat(engine.portCounters().unknownSubtype()).isEqualTo(2);
    }

    @Test
    void anAckThatMatchesNothingOutstandingIsCountedAndIgnored() throws Exception {
        CompletableFuture<Void> f = sendOne(1);
        clock.advance(Duration.ofMillis(1));
        peerSends(1, 1, seq(seenByPeer.get(0)) ^ 0x10, 1);
        clock.advance(Duration.ofMillis(1));
        assertThat(f).isNotDone();
        assertThat(engine.counters(PEER).unexpectedAcks()).isEqualTo(1);
    }

    @Test
    void negotiatedTimersApplyFromTheNextTransmission() {
        engine.setTimers(1, 14);
        CompletableFuture<Void> f = sendOne(1);
        clock.advance(Duration.ofMillis(100));
        assertThat(seenByPeer).hasSize(1); // RTE 14 is 164 ms
        clock.advance(Duration.ofMillis(400));
        assertThat(seenByPeer).hasSize(2); // R = 1: two sends in all
        assertThat(f).isCompletedExceptionally();
    }

    @Test
    void unicastAddressingSendsRequestsToThePeersOwnMac() {
        engine.setAddressing(PEER, EcpAddressing.unicast());
        sendOne(1);
        clock.advance(Duration.ofMillis(1));
        assertThat(MacAddress.valueOf(java.util.Arrays.copyOf(seenByPeer.get(0), 6))).isEqualTo(PEER);
    }

    @Test
    void closingTheEngineFailsEveryPendingPdu() {
        CompletableFuture<Void> a = sendOne(1);
        CompletableFuture<Void> b = sendOne(2);
        clock.advance(Duration.ofMillis(1));
        engine.close();
        clock.advance(Duration.ofMillis(1));
        assertThat(a).isCompletedExceptionally();
        assertThat(b).isCompletedExceptionally();
    }

    @Test
    void anUpperLayerThatThrowsDoesNotStopTheEngine() throws Exception {
        EcpEngine e2 = engine;
        List<Integer> got = new ArrayList<>();
        VirtualScheduler c = clock;
        e2.register(EcpSubtype.PE_CSP, (peer, payload) -> {
            got.add(1);
            throw new IllegalStateException("observer bug");
        });
        peerSends(0, 2, 7, 1, (byte) 1);
        peerSends(0, 2, 8, 1, (byte) 1);
        c.advance(Duration.ofMillis(1));
        assertThat(got).hasSize(2);
        assertThat(seenByPeer).hasSize(2);
    }

    @Test
    void aPeerListenerLearnsThatThePeerStoppedAnswering() {
        List<Boolean> states = new ArrayList<>();
        engine.addPeerListener((peer, reachable, why, counters) -> states.add(reachable));
        sendOne(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(states).containsExactly(false);
    }

    @Test
    void twoPeersOnOnePortHaveIndependentState() throws Exception {
        MacAddress other = MacAddress.valueOf("02:00:00:00:00:03");
        engine.send(other, EcpSubtype.VDP, ByteBuffer.wrap(new byte[] {1}));
        sendOne(2);
        clock.advance(Duration.ofMillis(1));
        assertThat(seenByPeer).hasSize(2); // one outstanding per peer, not per port
        assertThat(engine.peers()).contains(PEER, other);
    }

    @Test
    void aLateCopyOfAnEarlierPduIsADuplicateWhileItsRetransmissionsCanStillBeInFlight() throws Exception {
        peerSends(0, 1, 100, 1, (byte) 1);
        peerSends(0, 1, 101, 1, (byte) 2);
        peerSends(0, 1, 100, 1, (byte) 1); // a reordered copy of the first
        clock.advance(Duration.ofMillis(1));
        assertThat(delivered).hasSize(2);
        assertThat(engine.counters(PEER).duplicates()).isEqualTo(1);
        assertThat(seenByPeer).hasSize(3); // still acked
    }

    @Test
    void pastThatHorizonAReusedSequenceNumberIsNewSoARestartedPeerIsNotSwallowed() throws Exception {
        peerSends(0, 1, 1, 1, (byte) 1);
        peerSends(0, 1, 2, 1, (byte) 2);
        clock.advance(Duration.ofSeconds(1));
        peerSends(0, 1, 1, 1, (byte) 3);
        clock.advance(Duration.ofMillis(1));
        assertThat(delivered).hasSize(3);
    }

    @Test
    void aLateCopyIsStillADuplicateAfterManyNewerPdusWereDelivered() throws Exception {
        // A bounded ring of recent numbers forgot the copy's original after 16 newer PDUs
        // (found by the faulty-link property test, seed 3962028730550681117).
        peerSends(0, 1, 100, 1, (byte) 1);
        for (int s = 101; s < 140; s++) {
            peerSends(0, 1, s, 1, (byte) 2);
        }
        peerSends(0, 1, 100, 1, (byte) 1);
        clock.advance(Duration.ofMillis(1));
        assertThat(delivered).hasSize(40);
        assertThat(engine.counters(PEER).duplicates()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ bounded state

    private void sendFrom(MacAddress from, int operation, int sequence, byte... payload) throws LinkException {
        ByteBuffer b = ByteBuffer.allocate(60);
        US.writeTo(b);
        from.writeTo(b);
        b.putShort((short) EtherType.ECP);
        b.putShort((short) ((1 << 12) | (operation << 10) | 1)).putShort((short) sequence);
        b.put(payload);
        b.position(0);
        raw.send(b);
    }

    @Test
    void malformedFramesStrayAcksAndUnknownSubtypesMakeNoPeer() throws Exception {
        peerSends(0, 1, 100, 2, (byte) 1); // bad version
        peerSends(2, 1, 101, 1, (byte) 1); // undefined operation
        peerSends(1, 1, 102, 1); // an ack for nothing we sent
        peerSends(0, 5, 103, 1, (byte) 1); // a subtype nobody registered
        clock.advance(Duration.ofMillis(1));
        assertThat(engine.peers()).isEmpty();
        assertThat(engine.portCounters()).isEqualTo(new EcpPortCounters(4, 0, 0, 0, 2, 1, 1, 0));
    }

    @Test
    void requestsFromMoreNewPeersThanThePortKeepsAreDroppedUnackedUntilSomeAreIdle() throws Exception {
        engine.close();
        seenByPeer.clear();
        MemoryLink[] pair = MemoryLink.pair(clock, "us2", US, "peer2", PEER, LinkFaults.NONE);
        raw = pair[1];
        raw.addListener((f, t) -> seenByPeer.add(new byte[f.remaining()]));
        engine = new EcpEngine(pair[0], clock, EcpConfig.DEFAULT.withMaxPeers(4), 42).start();
        engine.register(EcpSubtype.VDP, (peer, payload) -> delivered.add(peer.toString()));
        for (int i = 0; i < 10; i++) {
            sendFrom(MacAddress.valueOf(0x020000001000L + i), 0, 7, (byte) i);
        }
        clock.advance(Duration.ofMillis(1));
        assertThat(engine.peers()).hasSize(4);
        assertThat(delivered).hasSize(4);
        assertThat(seenByPeer).as("only the requests that found a place are acked").hasSize(4);
        assertThat(engine.portCounters().peersRefused()).isEqualTo(6);

        clock.advance(Duration.ofMillis(50)); // past the time a copy of their PDUs can still arrive: idle
        sendFrom(MacAddress.valueOf("02:00:00:00:20:00"), 0, 9, (byte) 1);
        clock.advance(Duration.ofMillis(1));
        assertThat(engine.peers()).containsExactly(MacAddress.valueOf("02:00:00:00:20:00"));
        assertThat(engine.portCounters().peersEvicted()).isEqualTo(4);
        assertThat(delivered).hasSize(5);
    }

    @Test
    void aPeerWithSomethingOutstandingIsNeverForgotten() throws Exception {
        engine.close();
        MemoryLink[] pair = MemoryLink.pair(clock, "us2", US, "peer2", PEER, LinkFaults.NONE);
        raw = pair[1];
        engine = new EcpEngine(pair[0], clock, EcpConfig.DEFAULT.withMaxPeers(1).withTimers(7, 20), 42).start();
        engine.register(EcpSubtype.VDP, (peer, payload) -> delivered.add(peer.toString()));
        CompletableFuture<Void> f = sendOne(1); // outstanding for 8 x 10 s
        clock.advance(Duration.ofSeconds(1));
        sendFrom(MacAddress.valueOf("02:00:00:00:20:00"), 0, 9, (byte) 1);
        clock.advance(Duration.ofMillis(1));
        assertThat(engine.peers()).containsExactly(PEER);
        assertThat(f).isNotDone();
        assertThat(engine.portCounters().peersRefused()).isEqualTo(1);
    }

    @Test
    void eachPeerRetransmitsOnTheTimersNegotiatedWithIt() {
        MacAddress other = MacAddress.valueOf("02:00:00:00:00:03");
        engine.setPeerTimers(PEER, new EcpTimers(1, 14));
        sendOne(1);
        engine.send(other, EcpSubtype.VDP, ByteBuffer.wrap(new byte[] {1}));
        clock.advance(Duration.ofMillis(100));
        assertThat(engine.counters(PEER).retransmitted()).isZero(); // RTE 14 is 164 ms
        assertThat(engine.counters(other).retransmitted()).isEqualTo(3); // the port's RTE 8: 2.56 ms, R 3
        clock.advance(Duration.ofMillis(400));
        assertThat(engine.counters(PEER).retransmitted()).isEqualTo(1); // R 1
        engine.setPeerTimers(PEER, null);
        assertThat(engine.timers(PEER)).isEqualTo(new EcpTimers(3, 8));
    }
}
