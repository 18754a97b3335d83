package org.splitnve.tnve;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.splitnve.ecptransport.ecp.EcpAddressing;
import org.splitnve.ecptransport.link.LinkFaults;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.AssociationTlv;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.ParsedVdpdu;
import org.splitnve.vdpcore.vdp.VdpTlvType;
import org.splitnve.vdpcore.vdp.VnId;

/**
 * The parts of a station over a test bed's channel, without a {@link Station} around them, so that a test drives one
 * part directly and sees what the others make of it. Bridge losses and ECP addressing are recorded before they act.
 */
final class StationParts {

    /** A loss reported by the request sender. */
    record Loss(MacAddress bridge, String why) {
    }

    final TnveTestBed bed;
    final List<Loss> losses = new ArrayList<>();
    final List<Map.Entry<MacAddress, EcpAddressing>> addressing = new ArrayList<>();
    final StationCounters counters = new StationCounters();
    final Listeners listeners;
    final TagBook tags;
    final TsiTable tsis;
    final RequestSender requests;
    final BridgeSelection bridges;
    final ResponseHandler responses;

    /** The first of the bed's bridges is the active one. */
    StationParts(TnveTestBed bed, TnveConfig config, BridgeMode mode, MacAddress standby) {
        this.bed = bed;
        listeners = bed.listeners();
        tags = new TagBook(bed.channel.portName(), listeners);
        tsis = new TsiTable(bed.channel.portName(), listeners, tags, this::bridgesFor);
        requests = new RequestSender(bed.channel, () -> TnveTestBed.TIMERS, config, counters, tags, tsis, bed.clock::execute,
                this::lost, bridge -> true, () -> true);
        MacAddress active = bed.bridges.keySet().iterator().next();
        bridges = new BridgeSelection(bed.channel.portName(), mode, active, standby, (peer, a) -> addressing.add(Map.entry(peer, a)),
                null, listeners, tsis, requests);
        responses = new ResponseHandler(bed.channel, counters, listeners, tsis, tags, requests, bridges, config.faults());
    }

    /** One bridge, active-standby without a standby, default configuration. */
    static StationParts single(TnveConfig config) {
        return new StationParts(TnveTestBed.pair(LinkFaults.NONE), config, BridgeMode.ACTIVE_STANDBY, null);
    }

    private List<MacAddress> bridgesFor(VnId vn) {
        return bridges.bridgesFor(vn);
    }

    private void lost(MacAddress bridge, String why) {
        losses.add(new Loss(bridge, why));
        bridges.peerLost(bridge, why);
    }

    /** Answers from the bridges reach the response handler from now on. */
    StationParts listen() {
        bed.channel.addListener(responses);
        return this;
    }

    /** A TSI of {@code vn} known to the table (state Init everywhere). */
    Tsi tsi(int n, VnId vn) {
        Tsi t = new Tsi(TnveTestBed.spec(n, vn, TnveTestBed.mac(n)), false);
        tsis.add(t);
        return t;
    }

    /**
     * The TSI held on {@code bridge} as if the bridge had accepted {@code type} with {@code tag}, and committed in that
     * state. Nothing is sent: the scripted bridge knows nothing of it.
     */
    Binding held(Tsi tsi, MacAddress bridge, VdpTlvType type, LocalTag tag) {
        Binding b = tsi.binding(bridge);
        b.outstanding = new PendingRequest(PendingRequest.Kind.OPERATION, type, requests.status(Migration.NONE, bridge), "setup",
                o -> { });
        if (tag != null) {
            tags.learn(b, type, tag);
        }
        requests.complete(b, b.outstanding, new Outcome.Success(tag, true));
        tsi.committed = b.state;
        tsis.publish(tsi);
        return b;
    }

    /** A VDPDU from a bridge as the channel hands it over. */
    static ParsedVdpdu pdu(AssociationTlv... tlvs) {
        return new ParsedVdpdu(TnveTestBed.MGR, List.of(tlvs), List.of(), List.of(), 0);
    }
}
