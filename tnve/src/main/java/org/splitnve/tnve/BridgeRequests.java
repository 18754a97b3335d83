package org.splitnve.tnve;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.ecptransport.vdp.VdpChannel;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.AssociationTlv;
import org.splitnve.vdpcore.vdp.FilterEntry;
import org.splitnve.vdpcore.vdp.ManagerId;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VdpTlvType;
import org.splitnve.vdpcore.vdp.VsiStatus;

/**
 * What a bridge asks of the station on its own (Req-6, Req-9, its keep-alive timeout; docs/PROTOCOL.md 4.6): a
 * De-Associate of the whole TSI, a De-Associate of some of its addresses, or a Pre-Associate that deactivates it. Each
 * is answered at the bridge's own MAC, applied to the VSI's state on that bridge, and told to the listeners; a keep-alive
 * or re-establishment of the station's that crossed it is overtaken, since the bridge refuses what crossed its own
 * request. Runs on the protocol thread.
 */
record BridgeRequests(VdpChannel channel, StationCounters counters, Listeners listeners, TsiTable tsis, RequestSender requests,
                      Set<StationFault> faults) {

    // The station engine's one log category, as operators configure it.
    private static final Logger LOG = LoggerFactory.getLogger(ResponseHandler.class);

    private String port() {
        return channel.portName();
    }

    /** A request from a bridge: the consecutive TLVs of one VSI and type. */
    void received(MacAddress bridge, ManagerId managerId, List<AssociationTlv> group) {
        AssociationTlv first = group.get(0);
        VdpTlvType type = first.type();
        boolean deactivate = type == VdpTlvType.PRE_ASSOCIATE || type == VdpTlvType.PRE_ASSOCIATE_RR;
        if (type != VdpTlvType.DE_ASSOCIATE && !deactivate) {
            counters.badInput.incrementAndGet();
            LOG.warn("tnve {}: unexpected {} request from {} for VSI {} ignored (a bridge asks only to deactivate or de-associate)",
                    port(), type, bridge, first.vsiId());
            return;
        }
        answer(bridge, managerId, group);
        Tsi tsi = tsis.get(first.vsiId());
        Binding b = tsi == null ? null : tsi.bindings.get(bridge);
        if (b == null || b.state == TsiState.INIT) {
            (deactivate ? counters.bridgeDeactivates : counters.bridgeDeassociates).incrementAndGet();
            LOG.info("tnve {}: {} from {} for VSI {} that is not held there; answered", port(), type, bridge, first.vsiId());
            return;
        }
        if (deactivate) {
            deactivated(b);
            return;
        }
        if (faults.contains(StationFault.IGNORE_BRIDGE_DEASSOCIATE)) {
            return;
        }
        List<TsiAddress> named = named(tsi.spec, group);
        if (!named.isEmpty() && named.size() < tsi.spec.addresses().size()) {
            removed(b, named);
        } else {
            deassociated(b);
        }
    }

    /** Echoes every TLV with the response bit and success, to the bridge's own MAC. */
    private void answer(MacAddress bridge, ManagerId managerId, List<AssociationTlv> group) {
        AssociationTlv first = group.get(0);
        List<AssociationTlv> answer = new ArrayList<>(group.size());
        for (AssociationTlv t : group) {
            answer.add(t.toBuilder().status(VsiStatus.response().migrationIndicationValid(t.status().migrationIndicationValid()).build())
                    .build());
        }
        try {
            channel.reply(bridge, managerId, answer).whenComplete((ok, e) -> {
                if (e != null) {
                    LOG.warn("tnve {}: answer to {} of VSI {} not delivered to {}: {}", port(), first.type(), first.vsiId(), bridge,
                            e.getMessage());
                }
            });
        } catch (IllegalArgumentException e) {
            LOG.warn("tnve {}: cannot answer {} of VSI {}: {}", port(), first.type(), first.vsiId(), e.getMessage());
        }
    }

    private void deassociated(Binding b) {
        counters.bridgeDeassociates.incrementAndGet();
        LOG.warn("tnve {}: bridge {} de-associated VSI {}", port(), b.bridge, b.tsi.id());
        PendingRequest crossing = b.outstanding;
        tsis.move(b, StationTsiMachine.Event.BRIDGE_DE_ASSOCIATE, "De-Associate from the bridge");
        if (crossing != null && crossing.deAssociate() && b.outstanding == crossing) {
            // Our De-Associate crossed the bridge's: the VSI is gone either way, and a bridge that no longer
            // holds it (lldpad) never answers ours, so it is done now rather than at the response wait.
            requests.complete(b, crossing, new Outcome.Success(null, false));
        } else if (crossing != null) {
            requests.overtaken(b, crossing, "the bridge de-associated the VSI");
        }
        listeners.fire(l -> l.onBridgeDeassociate(b.tsi.id(), b.bridge));
        tsis.settle(b.tsi, "De-Associate from the bridge");
    }

    private void deactivated(Binding b) {
        counters.bridgeDeactivates.incrementAndGet();
        if (b.outstanding != null) {
            requests.overtaken(b, b.outstanding, "the bridge deactivated the VSI");
        }
        if (b.state == TsiState.ACTIVATED) {
            LOG.warn("tnve {}: bridge {} deactivated VSI {}", port(), b.bridge, b.tsi.id());
            tsis.move(b, StationTsiMachine.Event.BRIDGE_DEACTIVATE, "Pre-Associate from the bridge");
            // Keep-alives repeat what the bridge holds now, so they do not activate it again.
            b.currentType = requests.preAssociateType();
            b.currentStatus = requests.status(Migration.NONE, b.bridge);
        }
        listeners.fire(l -> l.onBridgeDeactivate(b.tsi.id(), b.bridge));
        tsis.settle(b.tsi, "Pre-Associate from the bridge");
    }

    private void removed(Binding b, List<TsiAddress> gone) {
        counters.bridgeRemovals.incrementAndGet();
        Tsi tsi = b.tsi;
        LOG.warn("tnve {}: bridge {} removed {} of VSI {}", port(), b.bridge, gone, tsi.id());
        if (b.outstanding != null) {
            requests.overtaken(b, b.outstanding, "the bridge removed addresses of the VSI");
        }
        tsis.move(b, StationTsiMachine.Event.BRIDGE_REMOVED_ADDRESSES, "De-Associate of some addresses from the bridge");
        // The TSI no longer has them: keep-alives and later operations carry the rest, and a refused
        // operation in progress does not bring them back either.
        tsi.spec = without(tsi.spec, gone);
        if (tsi.current != null && tsi.current.previousSpec != null) {
            tsi.current.previousSpec = without(tsi.current.previousSpec, gone);
        }
        listeners.fire(l -> l.onBridgeRemovedAddresses(tsi.id(), b.bridge, gone));
        tsis.publish(tsi);
    }

    private static TsiSpec without(TsiSpec spec, List<TsiAddress> gone) {
        List<TsiAddress> rest = new ArrayList<>(spec.addresses());
        rest.removeAll(gone);
        return rest.isEmpty() || rest.size() == spec.addresses().size() ? spec : spec.withAddresses(rest);
    }

    /** The TSI's addresses that the bridge's TLVs name, by MAC and IP. */
    private static List<TsiAddress> named(TsiSpec spec, List<AssociationTlv> group) {
        List<TsiAddress> out = new ArrayList<>();
        List<FilterEntry> mine = spec.entries(null);
        for (int i = 0; i < spec.addresses().size(); i++) {
            FilterEntry m = mine.get(i);
            boolean hit = group.stream().flatMap(t -> t.filter().entries().stream())
                    .anyMatch(e -> Objects.equals(e.mac(), m.mac()) && Objects.equals(e.ip(), m.ip()));
            if (hit) {
                out.add(spec.addresses().get(i));
            }
        }
        return out;
    }
}
