package org.splitnve.ecptransport.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.splitnve.ecptransport.ecp.EcpConfig;
import org.splitnve.ecptransport.lldp.EvbOperating;
import org.splitnve.ecptransport.lldp.LldpAgent;
import org.splitnve.ecptransport.lldp.LldpAgentConfig;
import org.splitnve.ecptransport.testing.LiveVeth;
import org.splitnve.ecptransport.testing.LldptoolEvb;
import org.splitnve.ecptransport.testing.OurPort;
import org.splitnve.testsupport.Lldpad;
import org.splitnve.testsupport.LldpadConfig;
import org.splitnve.testsupport.LldpadScenarios;
import org.splitnve.testsupport.Prerequisites;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.lldp.EvbMode;
import org.splitnve.vdpcore.lldp.EvbTlv;

/**
 * Our LLDP agent against lldpad over a veth pair, in both roles. Each side is given different timers so that every
 * max(local, received) rule and every ROL bit is exercised; lldptool shows lldpad's side: with {@code -n} the TLV
 * it received (ours), without it the TLV it sends.
 */
class LldpadEvbInteropTest {

    private static final Duration NEGOTIATION = Duration.ofSeconds(20);
    /** Polls 50 ms apart (plus two lldptool runs each) that must agree: a little over two seconds. */
    private static final int STABLE_POLLS = 40;

    /** One agent against one lldpad, set up once for all the checks of a role. */
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    abstract static class AgainstLldpad {

        LiveVeth veth;
        OurPort ours;
        Lldpad lldpad;
        EvbTlv shownAsReceived;
        EvbTlv shownAsSent;
        LldpAgent.EvbState ourState;

        abstract LldpAgentConfig ourConfig();

        abstract LldpadConfig lldpadConfig();

        @BeforeAll
        void setUp() throws Exception {
            LldpadScenarios.requirePrerequisites();
            Prerequisites.requireLibpcap();
            veth = LiveVeth.create("evb-ours", MacAddress.valueOf("02:00:00:00:0d:01"), "evb-lldpad",
                    MacAddress.valueOf("02:00:00:00:0d:02"));
            ours = veth.track(OurPort.onEndA(veth, ourConfig(), EcpConfig.DEFAULT, 7)).start();
            lldpad = veth.track(Lldpad.start(veth.nsB(), veth.ifB(), lldpadConfig()));
            lldpad.waitForEvbPeer(NEGOTIATION);
            // Both sides change what they send after hearing the other. We send at once; lldpad stores our TLV at
            // once (lldptool -n shows it) but its own answer only changes at its next transmission, up to about a
            // second later. So wait until both views match ours and have stayed so for two seconds.
            int[] stable = {0};
            boolean settled = OurPort.await(NEGOTIATION, () -> {
                LldpAgent.EvbState state = ours.agent().evbState();
                EvbTlv received = LldptoolEvb.parse(lldptool(true));
                EvbTlv sent = LldptoolEvb.parse(lldptool(false));
                boolean same = received != null && received.equals(state.outgoing()) && sent != null
                        && sent.equals(state.received()) && received.equals(shownAsReceived) && sent.equals(shownAsSent);
                shownAsReceived = received;
                shownAsSent = sent;
                ourState = ours.agent().evbState();
                stable[0] = same && ourState.equals(state) ? stable[0] + 1 : 0;
                return stable[0] >= STABLE_POLLS;
            });
            if (!settled) {
                // Leave the comparison to the tests, which then show both sides.
                System.err.println("EVB did not settle: lldpad received " + shownAsReceived + ", lldpad sent "
                        + shownAsSent + ", we hold " + ourState);
            }
        }

        @AfterAll
        void tearDown() {
            if (veth != null) {
                veth.close();
            }
        }

        String lldptool(boolean neighbor) {
            return neighbor
                    ? lldpad.lldptool("-t", "-n", "-i", veth.ifB(), "-g", "ncb", "-V", "evb")
                    : lldpad.lldptool("-t", "-i", veth.ifB(), "-g", "ncb", "-V", "evb");
        }

        @Test
        void evbIsNegotiatedWithThePeerInTheOppositeMode() {
            EvbMode ourMode = ourConfig().evbPolicy().mode();
            assertThat(ourState.received()).isNotNull();
            assertThat(ourState.received().mode()).isNotEqualTo(ourMode);
            assertThat(ourState.operating().peerMode()).isEqualTo(ourState.received().mode());
            assertThat(shownAsReceived.mode()).isEqualTo(ourMode);
        }

        @Test
        void lldpadShowsTheTlvOurAgentSends() {
            assertThat(shownAsReceived).isEqualTo(ourState.outgoing());
        }

        @Test
        void ourAgentHoldsTheTlvLldpadSends() {
            assertThat(ourState.received()).isEqualTo(shownAsSent);
        }

        @Test
        void bothSidesOperateWithTheLargerOfEachTimer() {
            EvbOperating op = ourState.operating();
            EvbTlv mine = ourConfig().evbPolicy();
            assertThat(op.r()).isEqualTo(shownAsSent.r()).isEqualTo(Math.max(mine.r(), lldpadR()));
            assertThat(op.rte()).isEqualTo(shownAsSent.rte()).isEqualTo(Math.max(mine.rte(), lldpadRte()));
            assertThat(op.rwd()).isEqualTo(shownAsSent.rwd()).isEqualTo(Math.max(mine.rwd(), lldpadRwd()));
            assertThat(op.rka()).isEqualTo(shownAsSent.rka()).isEqualTo(Math.max(mine.rka(), lldpadRka()));
            // The ECP engine runs on the negotiated R and RTE.
            assertThat(ours.engine().config().maxRetries()).isEqualTo(op.r());
            assertThat(ours.engine().config().rte()).isEqualTo(op.rte());
        }

        @Test
        void eachSideSetsRolWhenTheValueItReceivedIsAtLeastItsOwn() {
            // lldpad compares its own setting with the value in the TLV it received, which is the other side's
            // operating value (already the maximum), ties going to the remote: once both sides have heard each
            // other, each ROL bit is set on both sides. We do the same.
            EvbTlv mine = ourConfig().evbPolicy();
            EvbTlv ourTlv = ourState.outgoing();
            String both = "we send " + ourTlv + ", lldpad sends " + shownAsSent;
            assertThat(ourTlv.rolRwd()).as(both).isEqualTo(mine.rwd() <= shownAsSent.rwd()).isTrue();
            assertThat(ourTlv.rolRka()).as(both).isEqualTo(mine.rka() <= shownAsSent.rka()).isTrue();
            assertThat(shownAsSent.rolRwd()).as(both).isEqualTo(lldpadRwd() <= ourTlv.rwd()).isTrue();
            assertThat(shownAsSent.rolRka()).as(both).isEqualTo(lldpadRka() <= ourTlv.rka()).isTrue();
        }

        @Test
        void groupIdFormatsAreUsableOnBothSides() {
            assertThat(ourState.operating().groupIdUsable()).isTrue();
            // lldpad enables them for VDP when its outgoing TLV carries both BGID and SGID.
            assertThat(shownAsSent.bgid()).isTrue();
            assertThat(shownAsSent.sgid()).isTrue();
        }

        abstract int lldpadR();

        abstract int lldpadRte();

        abstract int lldpadRwd();

        abstract int lldpadRka();
    }

    @Nested
    class OurBridgeAgainstAnLldpadStation extends AgainstLldpad {

        @Override
        LldpAgentConfig ourConfig() {
            return LldpAgentConfig.bridge().withEvbPolicy(EvbTlv.builder().mode(EvbMode.BRIDGE)
                    .bridgeStatus(EvbTlv.BGID | EvbTlv.RRCAP).r(3).rte(12).rwd(20).rka(16).build());
        }

        @Override
        LldpadConfig lldpadConfig() {
            return LldpadConfig.of(LldpadConfig.Role.STATION).withGroupId(true)
                    .withEcpRetries(lldpadR()).withEcpRte(lldpadRte()).withVdpRwd(lldpadRwd()).withVdpRka(lldpadRka());
        }

        @Override
        int lldpadR() {
            return 5;
        }

        @Override
        int lldpadRte() {
            return 10;
        }

        @Override
        int lldpadRwd() {
            return 18;
        }

        @Override
        int lldpadRka() {
            return 21; // the most our EVB ceilings take from a neighbour (EvbCeilings.DEFAULT)
        }

        @Test
        void theBridgeEchoesTheStationsStatusAndTheStationEchoesTheBridges() {
            assertThat(ourState.outgoing().stationStatus()).isEqualTo(shownAsSent.stationStatus());
            assertThat(shownAsSent.bridgeStatus()).isEqualTo(ourState.outgoing().bridgeStatus());
        }
    }

    @Nested
    class OurStationAgainstAnLldpadBridge extends AgainstLldpad {

        @Override
        LldpAgentConfig ourConfig() {
            return LldpAgentConfig.station();
        }

        @Override
        LldpadConfig lldpadConfig() {
            return LldpadConfig.of(LldpadConfig.Role.BRIDGE).withGroupId(true)
                    .withEcpRetries(lldpadR()).withEcpRte(lldpadRte()).withVdpRwd(lldpadRwd()).withVdpRka(lldpadRka());
        }

        @Override
        int lldpadR() {
            return 2;
        }

        @Override
        int lldpadRte() {
            return 14;
        }

        @Override
        int lldpadRwd() {
            return 21; // the most our EVB ceilings take from a neighbour (EvbCeilings.DEFAULT)
        }

        @Override
        int lldpadRka() {
            return 20;
        }

        @Test
        void withoutReflectiveRelayFromTheBridgeOurStationReportsItOff() {
            // lldpad's bridge does not offer reflective relay by default, so it cannot grant our RRREQ.
            assertThat(shownAsSent.rrctr()).isFalse();
            assertThat(ourState.outgoing().rrreq()).isTrue();
            assertThat(ourState.outgoing().rrstat()).isZero();
            assertThat(ourState.operating().reflectiveRelay()).isFalse();
        }
    }
}
