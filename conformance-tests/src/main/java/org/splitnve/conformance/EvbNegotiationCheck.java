package org.splitnve.conformance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.splitnve.vdpcore.lldp.EvbTlv;

/**
 * The EVB negotiation check, the same against a bridge and a station: once the peer has heard our
 * TLV, each of its R, RTE, RWD and RKA is at least ours, with ROL set exactly where ours won (ties
 * included); then we raise our RWD above the peer's and it must adopt it with ROL, and after we
 * restore ours it must come back, so that the next check runs against the values it started with.
 */
final class EvbNegotiationCheck {

    /** How long a peer may take to answer a changed TLV: LLDP's 30 s slow interval and some. */
    static final Duration LLDP_TURN = Duration.ofSeconds(35);

    private EvbNegotiationCheck() {
    }

    /**
     * @param peer      "bridge" or "station", for the reason
     * @param heardUs   true of the peer's TLV once it reflects ours
     * @param heardWhat what {@code heardUs} looks for, for the reason when it never comes
     */
    static Outcome run(Probe probe, String peer, Predicate<EvbTlv> heardUs, String heardWhat) throws InterruptedException {
        Optional<EvbTlv> heard = probe.awaitPeerEvb(heardUs, probe.options().peerTimeout());
        if (heard.isEmpty()) {
            return Outcome.fail("the " + peer + "'s EVB TLV never " + heardWhat + "; last: " + probe.peerEvb() + ", ours " + probe.ourEvb());
        }
        EvbTlv t = heard.get();
        EvbTlv ours = probe.ourEvb();
        List<String> wrong = timerFaults(t, ours);
        if (!wrong.isEmpty()) {
            return Outcome.fail(String.join("; ", wrong) + " (ours " + ours + ", " + peer + "'s " + t + ")");
        }
        int raised = Math.min(31, t.rwd() + 1);
        if (raised == t.rwd()) {
            return Outcome.pass(peer + " operates at the larger values (" + t + "); its RWD is already 31, so adoption of a larger one is not tried");
        }
        EvbTlv policy = probe.options().evbPolicy();
        long t0 = System.nanoTime();
        Optional<EvbTlv> adopted;
        probe.startLldp(policy.toBuilder().rwd(raised).build());
        try {
            adopted = probe.awaitPeerEvb(x -> x.rwd() == raised && x.rolRwd(), LLDP_TURN);
        } finally {
            probe.startLldp(policy);
        }
        long took = (System.nanoTime() - t0) / 1_000_000;
        // Whatever happened, wait for the peer's TLV of our restored values: the next checks read it.
        Optional<EvbTlv> back = probe.awaitPeerEvb(x -> x.rwd() == t.rwd(), LLDP_TURN);
        if (adopted.isEmpty()) {
            return Outcome.fail("after we advertised RWD " + raised + " the " + peer + " kept " + probe.peerEvb() + " for " + LLDP_TURN.toSeconds() + " s");
        }
        return Outcome.pass(peer + " operates at R " + t.r() + " RTE " + t.rte() + " RWD " + t.rwd() + " RKA " + t.rka()
                + " against ours R " + ours.r() + " RTE " + ours.rte() + " RWD " + ours.rwd() + " RKA " + ours.rka()
                + ", adopted RWD " + raised + " with ROL " + took + " ms after we raised it"
                + (back.isPresent() ? " and went back to " + t.rwd() + " when we restored ours"
                        : ", but still showed " + probe.peerEvb() + " " + LLDP_TURN.toSeconds() + " s after we restored ours"));
    }

    static List<String> timerFaults(EvbTlv peer, EvbTlv ours) {
        List<String> wrong = new ArrayList<>();
        if (peer.r() < ours.r()) {
            wrong.add("R " + peer.r() + " is below ours " + ours.r());
        }
        if (peer.rte() < ours.rte()) {
            wrong.add("RTE " + peer.rte() + " is below ours " + ours.rte());
        }
        if (peer.rwd() < ours.rwd()) {
            wrong.add("RWD " + peer.rwd() + " is below ours " + ours.rwd());
        } else if (peer.rolRwd() != (peer.rwd() == ours.rwd())) {
            wrong.add("ROL for RWD is " + peer.rolRwd() + " with RWD " + peer.rwd() + " against ours " + ours.rwd());
        }
        if (peer.rka() < ours.rka()) {
            wrong.add("RKA " + peer.rka() + " is below ours " + ours.rka());
        } else if (peer.rolRka() != (peer.rka() == ours.rka())) {
            wrong.add("ROL for RKA is " + peer.rolRka() + " with RKA " + peer.rka() + " against ours " + ours.rka());
        }
        return wrong;
    }
}
