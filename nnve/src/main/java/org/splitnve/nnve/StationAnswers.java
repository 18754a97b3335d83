package org.splitnve.nnve;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.ecptransport.log.RateLimitedLog;
import org.splitnve.ecptransport.vdp.VdpChannel;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.AssociationTlv;
import org.splitnve.vdpcore.vdp.FilterInfo;
import org.splitnve.vdpcore.vdp.ManagerId;
import org.splitnve.vdpcore.vdp.RejectedTlv;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VdpErrorCode;
import org.splitnve.vdpcore.vdp.VsiId;
import org.splitnve.vdpcore.vdp.VsiStatus;

/**
 * How one port answers station requests: every TLV of a request echoed with its status, to the requester's own MAC
 * (docs/PROTOCOL.md 4.3), counted and told to the listeners; refusals with their error and keep; TLVs that did not
 * decode echoed raw, alone or in their place within a request refused whole. Refusals, what cannot be answered and
 * what is not delivered are logged a few lines a second at most per reason ({@code dropped}): stations decide how often
 * they happen. Runs on the protocol thread.
 */
record StationAnswers(VdpChannel channel, PortOwner owner, RateLimitedLog dropped) {

    /** The answers of a port, with its log of refusals. */
    static StationAnswers of(VdpChannel channel, PortOwner owner) {
        return new StationAnswers(channel, owner, RateLimitedLog.of(LOG, "nnve " + channel.portName(), channel.scheduler()::nanoTime));
    }

    // The bridge engine's one log category, as operators configure it.
    private static final Logger LOG = LoggerFactory.getLogger(NnvePort.class);
    /** The reason of a refusal in the rate-limited log, one per error code. */
    private static final String[] REFUSED = new String[16];

    static {
        for (int i = 0; i < REFUSED.length; i++) {
            REFUSED[i] = "refused with error " + i;
        }
    }

    private String name() {
        return channel.portName();
    }

    private Counters counters() {
        return owner.counters();
    }

    /**
     * A request with a TLV that did not decode is refused whole (docs/PROTOCOL.md 4.1): the bad TLVs are echoed with
     * their own error, the good ones with the first bad one's, all with keep, each in its place in one VDPDU.
     */
    void refuseWhole(VdpduRequests.Refuse f) {
        if (f.parts().size() == 1 || fault(BridgeFault.DROP_BAD_REQUESTS)) {
            answerRejected(f.peer(), f.managerId(), f.firstRejected());
            return;
        }
        RejectedTlv first = f.firstRejected();
        VsiStatus status = VsiStatus.response().migrationIndicationValid((first.value()[0] & 0x80) != 0
                && owner.config().echoMigrationIndication()).keep(true).error(first.error()).build();
        List<VdpChannel.OutgoingTlv> answer = new ArrayList<>(f.parts().size());
        for (VdpduRequests.Part part : f.parts()) {
            if (part.rejected() != null) {
                counters().rejectedTlvs.incrementAndGet();
                answer.add(VdpChannel.OutgoingTlv.raw(part.type(), withFaults(part.rejected().responseValue())));
            } else {
                answer.add(VdpChannel.OutgoingTlv.of(part.tlv().toBuilder().status(status).build()));
            }
        }
        counters().refusals.incrementAndGet();
        counters().response(first.error().value());
        TsiKey key = new TsiKey(name(), f.peer(), first.vsiId());
        String why = "TLV #" + first.index() + " of the request does not decode (" + first.cause().reason() + "); the whole request is refused";
        dropped.warn("refused whole", "nnve {}: {} {} from {} refused with error {}, keep: {}", name(), first.type(), first.vsiId(),
                f.peer(), first.error(), why);
        channel.replyAll(f.peer(), f.managerId(), answer).whenComplete((ok, e) -> {
            if (e != null) {
                undelivered("answer to a refused " + first.type() + " for " + first.vsiId(), f.peer(), e);
            }
        });
        owner.publish(l -> l.onRefused(new RefusalEvent(name(), key, first, first.error(), why)));
    }

    /** Answers a TLV that did not decode, alone, by echoing it with its error and keep. */
    void answerRejected(MacAddress peer, ManagerId mgr, RejectedTlv r) {
        byte[] v = r.value();
        if (!r.answerable() || (v[0] & 0x40) != 0 || fault(BridgeFault.DROP_BAD_REQUESTS)) {
            counters().unanswerableTlvs.incrementAndGet();
            dropped.warn("unanswerable TLV", "nnve {}: from {} {} cannot be answered ({}); dropped", name(), peer, r, !r.answerable() ? "too short to carry a VSI ID"
                    : (v[0] & 0x40) != 0 ? "it is a response" : "deliberate defect " + BridgeFault.DROP_BAD_REQUESTS);
            return;
        }
        // An unreadable VSI ID format is named by its raw octets, so events and logs still tell requests apart.
        VsiId id = r.vsiId() != null ? r.vsiId() : new VsiId.Local(Arrays.copyOfRange(v, 6, 22));
        counters().rejectedTlvs.incrementAndGet();
        counters().response(r.error().value());
        dropped.warn("rejected TLV", "nnve {}: from {} {} {} refused with error {}: {}", name(), peer, r.type(), id, r.error(),
                r.cause().reason());
        channel.replyRaw(peer, mgr, r.type(), withFaults(r.responseValue())).whenComplete((ok, e) -> {
            if (e != null) {
                undelivered("answer to a rejected " + r.type() + " for " + id, peer, e);
            }
        });
        TsiKey key = new TsiKey(name(), peer, id);
        owner.publish(l -> l.onRefused(new RefusalEvent(name(), key, r, r.error(), r.cause().reason())));
    }

    /** Refuses a request of a VSI now in {@code state}, answering every TLV with the refusal's error. */
    void refuse(TsiKey key, TsiState state, Request req, Refusal r) {
        counters().refusals.incrementAndGet();
        dropped.warn(REFUSED[r.error.value() & 0x0F], "nnve {}: {} {} from {} refused with error {}{} ({}); stays {}", name(), req.type(),
                req.vsiId(), req.peer(),
                r.error, r.keep ? ", keep" : "", r.why, state);
        respond(key, req, null, r.error, r.keep);
        owner.publish(l -> l.onRefused(new RefusalEvent(name(), key, null, r.error, r.why)));
    }

    /** Echoes every TLV of the request, null VIDs answered with the VID of the same entry of {@code assigned} (when given). */
    void respond(TsiKey key, Request req, FilterInfo assigned, VdpErrorCode error, boolean keep) {
        boolean mi = req.status().migrationIndicationValid() && owner.config().echoMigrationIndication()
                && !fault(BridgeFault.NO_MIGRATION_ECHO);
        VsiStatus status = VsiStatus.response().migrationIndicationValid(mi).keep(keep).error(error).build();
        List<AssociationTlv> out = req.answer(status, fault(BridgeFault.ECHO_NULL_VID) ? null : assigned);
        counters().response(error.value());
        try {
            // To the requester's own MAC (docs/PROTOCOL.md 4.3), whatever group the request came to.
            channel.reply(req.peer(), req.managerId(), out).whenComplete((ok, e) -> {
                if (e != null) {
                    undelivered("response to " + req.type() + " " + req.vsiId(), req.peer(), e);
                }
            });
        } catch (RuntimeException e) {
            undelivered("response to " + req.type() + " " + req.vsiId(), req.peer(), e);
        }
        owner.publish(l -> l.onResponse(new ResponseEvent(key, req.type(), error, keep, out.size())));
    }

    private boolean fault(BridgeFault f) {
        return owner.config().faults().contains(f);
    }

    /** The echo of an undecodable TLV, with the wrong error code when that deliberate defect is on. */
    private byte[] withFaults(byte[] answer) {
        if (fault(BridgeFault.WRONG_ERROR_CODE)) {
            answer[0] = (byte) (answer[0] & 0xF0 | 2);
        }
        return answer;
    }

    void undelivered(String what, MacAddress peer, Throwable e) {
        counters().undelivered.incrementAndGet();
        dropped.warn("not delivered", "nnve {}: {} to {} not delivered: {}", name(), what, peer, e.toString());
    }
}
