package org.splitnve.tnve;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.ecptransport.ecp.EcpAddressing;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VnId;

/**
 * Which bridge(s) a VN's TSIs go to (Req-3, Req-4, {@link BridgeMode}): one active bridge with a standby, each VN on
 * its assigned bridge, or each VN on all its bridges. It hears which bridges are lost and heard again, fails over from
 * a lost active bridge to the standby, moves TSIs when a VN is re-assigned, and is the one place the station sets ECP
 * addressing: one bridge as configured (nearest-customer-bridge, unicast or a group MAC), several each by unicast. Touched on the protocol thread, except the
 * active bridge and the assignments, which any thread reads.
 */
final class BridgeSelection {

    private static final Logger LOG = LoggerFactory.getLogger(BridgeSelection.class);

    private final String port;
    private final BridgeMode mode;
    private final BiConsumer<MacAddress, EcpAddressing> addressing;
    private final EcpAddressing configured;
    private final Listeners listeners;
    private final TsiTable tsis;
    private final RequestSender requests;
    private volatile MacAddress active;
    private volatile MacAddress standby;
    private final Map<VnId, List<MacAddress>> assigned = new ConcurrentHashMap<>();
    private final Set<MacAddress> lost = new HashSet<>();
    private final Set<MacAddress> unicast = new HashSet<>();
    private boolean closed;

    /**
     * @param addressing sets how ECP addresses one peer (the engine's {@code setAddressing})
     * @param configured how to address the one bridge there is (docs/PROTOCOL.md 4.3), or null to leave ECP's default
     */
    BridgeSelection(String port, BridgeMode mode, MacAddress active, MacAddress standby,
                    BiConsumer<MacAddress, EcpAddressing> addressing, EcpAddressing configured, Listeners listeners, TsiTable tsis,
                    RequestSender requests) {
        this.port = port;
        this.mode = mode;
        this.active = active;
        this.standby = standby;
        this.addressing = addressing;
        this.configured = configured;
        this.listeners = listeners;
        this.tsis = tsis;
        this.requests = requests;
    }

    void start() {
        ensureAddressing();
    }

    /** From now on losses and recoveries change nothing. */
    void close() {
        closed = true;
    }

    BridgeMode mode() {
        return mode;
    }

    /** The bridge everything goes to in ACTIVE_STANDBY mode, the default one in the others. Any thread. */
    MacAddress active() {
        return active;
    }

    MacAddress standby() {
        return standby;
    }

    /** The bridges the VN's TSIs go to, first the one whose state they report. Any thread. */
    List<MacAddress> bridgesFor(VnId vn) {
        return switch (mode) {
            case ACTIVE_STANDBY -> List.of(active);
            case PER_VN, ACTIVE_ACTIVE -> assigned.getOrDefault(vn, List.of(active));
        };
    }

    /** PER_VN: the VN moves to {@code bridge}; ACTIVE_ACTIVE: the VN is on {@code bridge} too. Its TSIs follow. */
    void assign(VnId vn, MacAddress bridge, CompletableFuture<Void> done) {
        switch (mode) {
            case ACTIVE_STANDBY -> {
                done.completeExceptionally(new IllegalStateException("assignVn needs PER_VN or ACTIVE_ACTIVE, not " + mode));
                return;
            }
            case PER_VN -> assigned.put(vn, List.of(bridge));
            case ACTIVE_ACTIVE -> {
                List<MacAddress> l = new ArrayList<>(assigned.getOrDefault(vn, List.of()));
                if (!l.contains(bridge)) {
                    l.add(bridge);
                }
                assigned.put(vn, List.copyOf(l));
            }
        }
        LOG.info("tnve {}: {} assigned to bridge(s) {} ({})", port, vn, assigned.get(vn), mode);
        ensureAddressing();
        reconcile(vn);
        done.complete(null);
    }

    /**
     * One bridge is addressed as configured (docs/PROTOCOL.md 4.3); with more than one, requests must go to each
     * bridge's unicast MAC, not to a group every bridge hears.
     */
    private void ensureAddressing() {
        Set<MacAddress> all = new LinkedHashSet<>();
        all.add(active);
        if (standby != null) {
            all.add(standby);
        }
        assigned.values().forEach(all::addAll);
        if (all.size() < 2) {
            if (configured != null && unicast.isEmpty()) {
                addressing.accept(active, configured);
            }
            return;
        }
        for (MacAddress b : all) {
            if (unicast.add(b)) {
                addressing.accept(b, EcpAddressing.unicast());
            }
        }
    }

    /** Moves the TSIs of a VN onto the bridges now assigned to it. */
    private void reconcile(VnId vn) {
        for (Tsi tsi : tsis.all()) {
            if (tsi.spec.vn().equals(vn)) {
                reconcile(tsi);
            }
        }
    }

    /**
     * Puts one TSI on its VN's bridges and takes it off the others. A TSI with an operation in progress is left to it;
     * the station calls this again when an operation ends that was sent to a bridge the VN has left meanwhile.
     */
    void reconcile(Tsi tsi) {
        if (tsi.current != null || !StationTsiMachine.allows(tsi.committed, StationTsiMachine.Event.RE_ESTABLISH)) {
            return;
        }
        VnId vn = tsi.spec.vn();
        List<MacAddress> want = bridgesFor(vn);
        for (Binding b : List.copyOf(tsi.bindings.values())) {
            if (!want.contains(b.bridge) && StationTsiMachine.allows(b.state, StationTsiMachine.Event.LEAVE_BRIDGE)) {
                requests.release(b, vn + " moved off this bridge");
            }
        }
        for (MacAddress m : want) {
            Binding b = tsi.bindings.get(m);
            if (b == null || b.state == TsiState.INIT) {
                requests.reestablish(tsi, m, vn + " assigned to this bridge");
            }
        }
    }

    /** ECP gave the peer up, or heard it again. */
    void onEcpPeer(MacAddress peer, boolean reachable, String why) {
        if (reachable) {
            peerHeard(peer, "ECP: " + why);
        } else {
            peerLost(peer, "ECP: " + why);
        }
    }

    /** The bridge is suspect; in active-standby mode, losing the active bridge fails over to a standby not lost. */
    void peerLost(MacAddress bridge, String why) {
        if (closed || !lost.add(bridge)) {
            return;
        }
        LOG.warn("tnve {}: bridge {} lost: {}", port, bridge, why);
        listeners.fire(l -> l.onPeerLost(bridge, why));
        if (mode == BridgeMode.ACTIVE_STANDBY && bridge.equals(active) && standby != null && !lost.contains(standby)) {
            failover(why);
        }
    }

    private void peerHeard(MacAddress bridge, String why) {
        if (closed || !lost.remove(bridge)) {
            return;
        }
        LOG.info("tnve {}: bridge {} heard again ({}); re-sending every current TLV to it", port, bridge, why);
        requests.reestablishAll(bridge, null, "bridge heard again");
        requests.releaseOwed(bridge);
    }

    /**
     * A response came from the bridge. If it was lost, this is its being heard again, as when ECP hears it: it may have
     * restarted meanwhile, so every current TLV goes back to it at once. A loss to an unanswered request leaves ECP's
     * view of the peer alone, so for such a loss no word from ECP would ever come.
     */
    void answered(MacAddress bridge) {
        peerHeard(bridge, "it answered a request");
    }

    private void failover(String why) {
        MacAddress from = active;
        MacAddress to = standby;
        active = to;
        standby = from;
        LOG.warn("tnve {}: failover from {} to {} ({}); re-associating every VSI on {}", port, from, to, why, to);
        listeners.fire(l -> l.onFailover(from, to));
        for (Tsi tsi : tsis.all()) {
            Binding old = tsi.bindings.get(from);
            if (old != null) {
                boolean held = old.state != TsiState.INIT || old.outstanding != null;
                List<PendingRequest> dropped = requests.abandon(old);
                tsis.move(old, StationTsiMachine.Event.BRIDGE_GIVEN_UP, "failover to " + to);
                for (PendingRequest p : dropped) {
                    requests.answer(p, new Outcome.Moved("failover from " + from + " to " + to));
                }
                if (held) {
                    // Given up is not gone: it may still forward for the VSI beside the standby (Req-3).
                    requests.release(old, "failed over to " + to);
                }
            }
            if (tsi.current == null) {
                requests.reestablish(tsi, to, "failover from " + from);
            }
        }
    }
}
