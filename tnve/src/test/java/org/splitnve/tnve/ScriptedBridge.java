package org.splitnve.tnve;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.splitnve.ecptransport.vdp.VdpChannel;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.AssociationTlv;
import org.splitnve.vdpcore.vdp.FilterEntry;
import org.splitnve.vdpcore.vdp.FilterInfo;
import org.splitnve.vdpcore.vdp.ManagerId;
import org.splitnve.vdpcore.vdp.ParsedVdpdu;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VdpErrorCode;
import org.splitnve.vdpcore.vdp.VdpTlvType;
import org.splitnve.vdpcore.vdp.VnId;
import org.splitnve.vdpcore.vdp.VsiId;
import org.splitnve.vdpcore.vdp.VsiStatus;

/**
 * A test bridge on the other end of a {@link VdpChannel}: it keeps a table of VSIs, allocates one tag per VN (released
 * with the VN's last VSI), and answers each request as its script says: success with the tag, an error with or
 * without keep, no answer, no 0x80 echo, or lldpad's refusal of Associate -> Pre-Associate.
 */
final class ScriptedBridge {

    /** How the bridge answers a request. */
    enum Answer { SUCCESS, KEEP_ERROR, ERROR, SILENT }

    /** One request as received: its TLVs (several for a split address set). */
    record Request(MacAddress from, ManagerId managerId, List<AssociationTlv> tlvs, long atNanos) {
        AssociationTlv first() {
            return tlvs.get(0);
        }

        VdpTlvType type() {
            return first().type();
        }

        VsiStatus status() {
            return first().status();
        }

        int entries() {
            return tlvs.stream().mapToInt(t -> t.filter().entries().size()).sum();
        }
    }

    record Held(VsiId vsiId, VnId vn, TsiState state, ManagerId managerId, AssociationTlv tlv, long refreshedNanos) {
    }

    final VdpChannel channel;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    final List<AssociationTlv> answersReceived = new CopyOnWriteArrayList<>();
    final Map<VsiId, Held> held = new HashMap<>();
    final Map<VnId, Integer> tags = new HashMap<>();
    int nextTag = 100;
    boolean echoMigration = true;
    boolean refuseDeactivate;
    VdpErrorCode error = VdpErrorCode.INSUFFICIENT_RESOURCES;
    Function<Request, Answer> script = r -> Answer.SUCCESS;

    ScriptedBridge(VdpChannel channel) {
        this.channel = channel;
        channel.addListener(this::onVdpdu);
    }

    MacAddress mac() {
        return channel.localMac();
    }

    /** Answer every request this way from now on. */
    void answerAll(Answer a) {
        script = r -> a;
    }

    /** Forgets every VSI and tag, as a restarted bridge; new tags start elsewhere. */
    void restart(int firstTag) {
        held.clear();
        tags.clear();
        nextTag = firstTag;
    }

    List<Request> requestsOf(VdpTlvType type) {
        return requests.stream().filter(r -> r.type().equals(type)).toList();
    }

    Request last() {
        return requests.get(requests.size() - 1);
    }

    TsiState state(VsiId id) {
        Held h = held.get(id);
        return h == null ? TsiState.INIT : h.state();
    }

    private void onVdpdu(MacAddress peer, ParsedVdpdu pdu) {
        for (List<AssociationTlv> message : ResponseHandler.byMessage(pdu.associations())) {
            List<AssociationTlv> group = List.copyOf(message);
            if (group.get(0).status().isResponse()) {
                answersReceived.addAll(group);
                continue;
            }
            Request r = new Request(peer, pdu.managerId(), group, channel.scheduler().nanoTime());
            requests.add(r);
            handle(r);
        }
    }

    private void handle(Request r) {
        Answer a = script.apply(r);
        if (a == Answer.SILENT) {
            return;
        }
        AssociationTlv first = r.first();
        VsiId id = first.vsiId();
        Held h = held.get(id);
        VdpTlvType type = first.type();
        boolean deactivate = h != null && h.state() == TsiState.ACTIVATED
                && (type.equals(VdpTlvType.PRE_ASSOCIATE) || type.equals(VdpTlvType.PRE_ASSOCIATE_RR));
        if (a == Answer.SUCCESS && deactivate && refuseDeactivate) {
            a = Answer.KEEP_ERROR;
        }
        VsiStatus.Builder st = VsiStatus.response().migrationIndicationValid(echoMigration && first.status().migrationIndicationValid());
        int tag = 0;
        if (a == Answer.SUCCESS) {
            VnId vn = VnId.ofGroupId(first.filter().entries().get(0).groupId());
            if (type.equals(VdpTlvType.DE_ASSOCIATE)) {
                held.remove(id);
                releaseIfUnused(vn);
            } else {
                tag = tags.computeIfAbsent(vn, k -> nextTag++);
                TsiState s = type.equals(VdpTlvType.ASSOCIATE) ? TsiState.ACTIVATED : TsiState.ASSOCIATED;
                held.put(id, new Held(id, vn, s, r.managerId(), first, channel.scheduler().nanoTime()));
            }
        } else {
            st.error(error).keep(a == Answer.KEEP_ERROR);
            if (a == Answer.ERROR && h != null) {
                held.remove(id);
                releaseIfUnused(h.vn());
            }
        }
        VsiStatus status = st.build();
        List<AssociationTlv> out = new ArrayList<>();
        for (AssociationTlv t : r.tlvs()) {
            List<FilterEntry> entries = new ArrayList<>();
            for (FilterEntry e : t.filter().entries()) {
                entries.add(tag == 0 ? e : e.withVid(tag));
            }
            out.add(t.toBuilder().status(status).filter(FilterInfo.of(t.filter().format(), entries)).build());
        }
        channel.send(r.from(), r.managerId(), out);
    }

    private void releaseIfUnused(VnId vn) {
        if (held.values().stream().noneMatch(x -> x.vn().equals(vn))) {
            tags.remove(vn);
        }
    }

    /** An unsolicited De-Associate (Req-6/Req-9): type 4, response bit clear. */
    void deassociate(MacAddress station, VsiId id) {
        Held h = held.remove(id);
        if (h == null) {
            throw new IllegalStateException("bridge does not hold " + id);
        }
        releaseIfUnused(h.vn());
        AssociationTlv t = h.tlv().toBuilder().type(VdpTlvType.DE_ASSOCIATE).status(VsiStatus.REQUEST).build();
        channel.send(station, h.managerId(), t);
    }

    /** Drops VSIs not refreshed within {@code timeoutNanos}, as a real bridge's keep-alive timer does. */
    void expire(MacAddress station, long timeoutNanos) {
        long now = channel.scheduler().nanoTime();
        for (Held h : List.copyOf(held.values())) {
            if (now - h.refreshedNanos() > timeoutNanos) {
                deassociate(station, h.vsiId());
            }
        }
    }
}
