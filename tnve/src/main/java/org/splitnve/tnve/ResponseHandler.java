package org.splitnve.tnve;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.ecptransport.vdp.VdpChannel;
import org.splitnve.ecptransport.vdp.VdpListener;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.MalformedFrameException;
import org.splitnve.vdpcore.vdp.AssociationTlv;
import org.splitnve.vdpcore.vdp.FilterEntry;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.ParsedVdpdu;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VdpErrorCode;
import org.splitnve.vdpcore.vdp.VsiStatus;

/**
 * What bridges send the station: responses, matched to the outstanding request of the VSI's {@link Binding} on that
 * bridge (their tag learned, their 0x80 echo checked), and the bridges' own requests (Req-6, Req-9), which
 * {@link BridgeRequests} answers and applies. Anything else is counted and dropped. Runs on the protocol thread.
 */
final class ResponseHandler implements VdpListener {

    private static final Logger LOG = LoggerFactory.getLogger(ResponseHandler.class);

    private final VdpChannel channel;
    private final StationCounters counters;
    private final Listeners listeners;
    private final TsiTable tsis;
    private final TagBook tags;
    private final RequestSender requests;
    private final BridgeSelection bridges;
    private final BridgeRequests bridgeRequests;
    private final String port;
    /** Deliberate defects for the conformance suite's mutation tests; empty outside them. */
    private final Set<StationFault> faults;
    private boolean closed;

    ResponseHandler(VdpChannel channel, StationCounters counters, Listeners listeners, TsiTable tsis, TagBook tags,
                    RequestSender requests, BridgeSelection bridges, Set<StationFault> faults) {
        this.channel = channel;
        this.counters = counters;
        this.listeners = listeners;
        this.tsis = tsis;
        this.tags = tags;
        this.requests = requests;
        this.bridges = bridges;
        this.bridgeRequests = new BridgeRequests(channel, counters, listeners, tsis, requests, faults);
        this.port = channel.portName();
        this.faults = faults;
    }

    /** From now on everything received is ignored. */
    void close() {
        closed = true;
    }

    @Override
    public void onVdpdu(MacAddress peer, ParsedVdpdu pdu) {
        if (closed) {
            return;
        }
        try {
            receive(peer, pdu);
        } catch (RuntimeException e) {
            counters.badInput.incrementAndGet();
            LOG.error("tnve {}: VDPDU from {} could not be handled; dropped", port, peer, e);
        }
    }

    @Override
    public void onMalformed(MacAddress peer, MalformedFrameException e) {
        counters.badInput.incrementAndGet();
        LOG.warn("tnve {}: malformed VDPDU from {}: {}", port, peer, e.getMessage());
    }

    private void receive(MacAddress peer, ParsedVdpdu pdu) {
        tsis.beginBatch();
        try {
            receiveAll(peer, pdu);
        } finally {
            tsis.endBatch(peer);
        }
    }

    private void receiveAll(MacAddress peer, ParsedVdpdu pdu) {
        if (!pdu.rejected().isEmpty()) {
            counters.badInput.addAndGet(pdu.rejected().size());
            pdu.rejected().forEach(r -> LOG.warn("tnve {}: undecodable TLV from {} ignored: {}", port, peer, r));
        }
        for (List<AssociationTlv> group : byMessage(pdu.associations())) {
            AssociationTlv first = group.get(0);
            if (!first.status().isResponse()) {
                bridgeRequests.received(peer, pdu.managerId(), group);
                continue;
            }
            onResponse(peer, group);
        }
    }

    /**
     * The association TLVs of a VDPDU as requests and responses: consecutive TLVs for one VSI, of one type and one
     * direction, are one request or response (an address set split over several TLVs).
     */
    static List<List<AssociationTlv>> byMessage(List<AssociationTlv> all) {
        List<List<AssociationTlv>> messages = new ArrayList<>();
        int i = 0;
        while (i < all.size()) {
            AssociationTlv first = all.get(i);
            int j = i + 1;
            while (j < all.size() && all.get(j).vsiId().equals(first.vsiId()) && all.get(j).type().equals(first.type())
                    && all.get(j).status().isResponse() == first.status().isResponse()) {
                j++;
            }
            messages.add(all.subList(i, j));
            i = j;
        }
        return messages;
    }

    private void onResponse(MacAddress peer, List<AssociationTlv> group) {
        AssociationTlv first = group.get(0);
        Tsi tsi = tsis.get(first.vsiId());
        Binding b = tsi == null ? null : tsi.bindings.get(peer);
        PendingRequest p = b == null ? null : b.outstanding;
        if (p == null || !p.type.equals(first.type())) {
            counters.unmatched.incrementAndGet();
            LOG.info("tnve {}: response {} from {} for VSI {} matches no outstanding request; counted and dropped", port,
                    first.type(), peer, first.vsiId());
            return;
        }
        counters.responses.incrementAndGet();
        bridges.answered(peer);
        // Every TLV of the answer counts: the request succeeded only if each of its TLVs did (docs/PROTOCOL.md 4.1).
        VsiStatus st = first.status();
        List<VdpErrorCode> errors = new ArrayList<>(group.size());
        LocalTag tag = null;
        for (AssociationTlv t : group) {
            VsiStatus s = t.status();
            errors.add(s.error());
            if ((!s.error().isSuccess() || s.hardError()) && st.error().isSuccess() && !st.hardError()) {
                st = s;
            }
            for (FilterEntry e : t.filter().entries()) {
                if (e.vid() != FilterEntry.NULL_VID && tag == null) {
                    tag = LocalTag.of(e.vid());
                }
            }
        }
        boolean echoed = first.status().migrationIndicationValid();
        ResponseEvent ev = new ResponseEvent(tsi.id(), peer, first.type(), st.error(), tag, st.keep(), st.hardError(), echoed, errors);
        if (LOG.isDebugEnabled()) {
            LOG.debug("tnve {}: VSI {} <- {}: {} {} {}", port, tsi.id(), peer, first.type(), st, tag);
        }
        listeners.fire(l -> l.onResponse(ev));
        if (p.status.migrationIndicationValid() && !echoed && requests.indication.markLegacy(peer)) {
            LOG.warn("tnve {}: bridge {} did not echo 0x80: legacy peer, no more migration indication to it", port, peer);
            listeners.fire(l -> l.onLegacyPeer(peer, "no 0x80 echo: migration indication unsupported"));
        }
        if (st.error().isSuccess() && !st.hardError() || faults.contains(StationFault.REPORT_REFUSAL_AS_SUCCESS)) {
            if (tag != null && !p.deAssociate() && tags.learn(b, p.type, tag) && p.kind == PendingRequest.Kind.KEEP_ALIVE) {
                // A keep-alive answered with another tag: the bridge has lost its state (restart). Put everything back.
                requests.reestablishAll(b.bridge, b, "keep-alive answered with another tag");
                tags.confirm(b.bridge, tsi.spec.vn());
            }
            requests.complete(b, p, new Outcome.Success(tag, echoed));
        } else {
            TsiState after = StationTsiMachine.target(b.state, StationTsiMachine.refused(st.keep()));
            requests.complete(b, p, new Outcome.Failed(new VdpRefusedException(tsi.id(), peer, st.error(), st.keep(), st.hardError(),
                    after)));
        }
    }
}
