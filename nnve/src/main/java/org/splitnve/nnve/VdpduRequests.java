package org.splitnve.nnve;

import java.util.ArrayList;
import java.util.List;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.AssociationTlv;
import org.splitnve.vdpcore.vdp.ManagerId;
import org.splitnve.vdpcore.vdp.ParsedVdpdu;
import org.splitnve.vdpcore.vdp.RejectedTlv;
import org.splitnve.vdpcore.vdp.VdpTlvType;
import org.splitnve.vdpcore.vdp.VsiId;

/**
 * What one received VDPDU asks of the bridge, in the order of its TLVs: station requests (the consecutive TLVs of one
 * VSI, type and filter format, an address set split over several TLVs being one request, docs/PROTOCOL.md 4.1),
 * requests refused whole because one of their TLVs did not decode, and station responses. A request is applied whole
 * or not at all: a bad TLV in the middle of an address set does not leave the TLVs before and after it to be applied
 * as two smaller requests.
 */
final class VdpduRequests {

    /** One thing to handle. */
    sealed interface Item permits Serve, Refuse, Response {
    }

    /** A request whose every TLV decoded. */
    record Serve(Request request) implements Item {
    }

    /**
     * A request with at least one TLV that did not decode, its TLVs in order. A rejected TLV whose VSI ID cannot be
     * read is a request of its own.
     */
    record Refuse(MacAddress peer, ManagerId managerId, List<Part> parts, RejectedTlv firstRejected) implements Item {
    }

    /** A TLV with the response bit set: the station answering the bridge. */
    record Response(AssociationTlv tlv) implements Item {
    }

    /** One TLV of a request: decoded ({@code tlv}) or not ({@code rejected}); exactly one is set. */
    record Part(AssociationTlv tlv, RejectedTlv rejected) {

        VsiId vsiId() {
            return tlv != null ? tlv.vsiId() : rejected.vsiId();
        }

        VdpTlvType type() {
            return tlv != null ? tlv.type() : rejected.type();
        }
    }

    private VdpduRequests() {
    }

    static List<Item> of(MacAddress peer, ParsedVdpdu pdu) {
        RejectedTlv[] bad = new RejectedTlv[pdu.associationCount()];
        for (RejectedTlv r : pdu.rejected()) {
            bad[r.index()] = r;
        }
        List<Item> out = new ArrayList<>();
        List<Part> group = new ArrayList<>();
        int good = 0;
        for (int i = 0; i < bad.length; i++) {
            Part part = bad[i] != null ? new Part(null, bad[i]) : new Part(pdu.associations().get(good++), null);
            if (part.tlv() != null && part.tlv().status().isResponse()) {
                close(peer, pdu.managerId(), group, out);
                out.add(new Response(part.tlv()));
                continue;
            }
            if (!group.isEmpty() && !continues(group.get(0), part)) {
                close(peer, pdu.managerId(), group, out);
            }
            group.add(part);
        }
        close(peer, pdu.managerId(), group, out);
        return out;
    }

    /** Whether {@code next} belongs to the request that {@code first} starts: same type and VSI, and the same format when both decoded. */
    private static boolean continues(Part first, Part next) {
        boolean same = first.vsiId() != null && first.vsiId().equals(next.vsiId()) && first.type() == next.type();
        return same && (first.tlv() == null || next.tlv() == null || first.tlv().filter().format() == next.tlv().filter().format());
    }

    private static void close(MacAddress peer, ManagerId mgr, List<Part> group, List<Item> out) {
        if (group.isEmpty()) {
            return;
        }
        RejectedTlv firstRejected = null;
        List<AssociationTlv> tlvs = new ArrayList<>(group.size());
        for (Part p : group) {
            if (p.rejected() != null) {
                firstRejected = firstRejected == null ? p.rejected() : firstRejected;
            } else {
                tlvs.add(p.tlv());
            }
        }
        out.add(firstRejected == null ? new Serve(new Request(peer, mgr, List.copyOf(tlvs)))
                : new Refuse(peer, mgr, List.copyOf(group), firstRejected));
        group.clear();
    }
}
