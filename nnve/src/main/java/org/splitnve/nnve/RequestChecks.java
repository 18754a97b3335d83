package org.splitnve.nnve;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.nnve.policy.AuthorizationPolicy;
import org.splitnve.nnve.policy.AuthorizationRequest;
import org.splitnve.nnve.policy.PolicyDecision;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.AssociationTlv;
import org.splitnve.vdpcore.vdp.FilterEntry;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.VdpErrorCode;
import org.splitnve.vdpcore.vdp.VnId;

/**
 * The bridge's rules for one station request, as functions of the request and what the port holds:
 * each returns its answer or throws the {@link Refusal} the station gets. They keep no state, so
 * every rule can be tested alone and the engine reads as the order in which it applies them.
 */
final class RequestChecks {

    private static final Logger LOG = LoggerFactory.getLogger(RequestChecks.class);

    private RequestChecks() {
    }

    /**
     * The VN a request names. Formats with a GroupID name it in every entry, and a TSI belongs to
     * one VN, so all entries must agree. Formats without one name it by a non-null VID that must be
     * the tag of a VN connected on the port ({@code vnOfTag} answers null for a tag that is not).
     */
    static VnId vn(Request req, String port, IntFunction<VnId> vnOfTag) throws Refusal {
        List<FilterEntry> es = req.entries();
        if (req.format().hasGroupId()) {
            long g = es.get(0).groupId();
            for (FilterEntry e : es) {
                if (e.groupId() != g) {
                    throw new Refusal(VdpErrorCode.INVALID_VID_GROUPID_OR_MAC, "entries name GroupIDs " + g + " and "
                            + e.groupId() + "; a TSI belongs to one VN");
                }
            }
            return VnId.ofGroupId(g);
        }
        int vid = es.get(0).vid();
        if (vid == FilterEntry.NULL_VID) {
            throw new Refusal(VdpErrorCode.INVALID_VID_GROUPID_OR_MAC, "filter format " + req.format()
                    + " has no GroupID, so its VID must be the tag of a VN connected on " + port + ", not null");
        }
        for (FilterEntry e : es) {
            if (e.vid() != vid) {
                throw new Refusal(VdpErrorCode.INVALID_VID_GROUPID_OR_MAC, "entries carry VIDs " + vid + " and " + e.vid()
                        + "; a TSI has one VN and one tag");
            }
        }
        VnId vn = vnOfTag.apply(vid);
        if (vn == null) {
            throw new Refusal(VdpErrorCode.INVALID_VID_GROUPID_OR_MAC, "VID " + vid + " is not the tag of any VN on " + port);
        }
        return vn;
    }

    /** The one non-null VID the entries ask for, or the null VID when all leave it to the bridge. */
    static int requestedVid(Request req) throws Refusal {
        int vid = FilterEntry.NULL_VID;
        for (FilterEntry e : req.entries()) {
            if (e.vid() == FilterEntry.NULL_VID) {
                continue;
            }
            if (vid != FilterEntry.NULL_VID && vid != e.vid()) {
                throw new Refusal(VdpErrorCode.INVALID_VID_GROUPID_OR_MAC, "entries ask for VIDs " + vid + " and " + e.vid()
                        + "; a VN has one tag on a port");
            }
            vid = e.vid();
        }
        return vid;
    }

    /** A held VSI stays in its VN: it must be de-associated before it asks for another. */
    static void sameVn(TsiView held, VnId vn) throws Refusal {
        if (!held.vn().equals(vn)) {
            throw new Refusal(VdpErrorCode.INVALID_VID_GROUPID_OR_MAC, "the VSI is in " + held.vn()
                    + "; De-Associate it before asking for " + vn);
        }
    }

    /** A VN has one tag on a port: a requested VID other than null must be that tag. */
    static void vidIsTag(int vid, VnId vn, LocalTag tag, String port) throws Refusal {
        if (vid != FilterEntry.NULL_VID && vid != tag.vid()) {
            throw new Refusal(VdpErrorCode.INVALID_VID_GROUPID_OR_MAC, "VID " + vid + " asked, but " + vn + " has " + tag + " on " + port);
        }
    }

    /**
     * Whether the request repeats what is held, so that it is a keep-alive (a refresh) and not an
     * update: the same type ID and version, Manager ID, filter format and entries, a null VID
     * standing for the tag the bridge assigned.
     */
    static boolean sameAs(TsiView held, Request req) {
        AssociationTlv f = req.first();
        if (f.typeId() != held.typeId() || f.typeVersion() != held.typeVersion() || !req.managerId().equals(held.managerId())
                || req.format() != held.filter().format()) {
            return false;
        }
        List<FilterEntry> es = req.entries();
        List<FilterEntry> had = held.filter().entries();
        if (es.size() != had.size()) {
            return false;
        }
        int tag = held.tag().vid();
        for (int i = 0; i < es.size(); i++) {
            FilterEntry e = es.get(i);
            FilterEntry h = had.get(i);
            if (e.vid() == FilterEntry.NULL_VID ? !e.withVid(tag).equals(h) : !e.equals(h)) {
                return false;
            }
        }
        return true;
    }

    /** {@link #authorize(Request, VnId, String, AuthorizationPolicy, Optional)} on a port that does not authenticate. */
    static void authorize(Request req, VnId vn, String port, AuthorizationPolicy policy) throws Refusal {
        authorize(req, vn, port, policy, Optional.empty());
    }

    /**
     * Req-11: asks the policy whether the station may put the TSI into {@code vn} with the addresses
     * of its entries; {@code identity} is the EAP identity it authenticated with on the port, if the
     * port authenticates ({@link PortAdmission}). A VN refused is error 4, an address refused error 5;
     * a policy that throws refuses with error 4 rather than letting a broken policy admit anyone.
     */
    static void authorize(Request req, VnId vn, String port, AuthorizationPolicy policy, Optional<String> identity) throws Refusal {
        List<MacAddress> macs = new ArrayList<>(2);
        List<InetAddress> ips = new ArrayList<>(2);
        for (FilterEntry e : req.entries()) {
            if (e.mac() != null && !macs.contains(e.mac())) {
                macs.add(e.mac());
            }
            if (e.ip() != null && !ips.contains(e.ip())) {
                ips.add(e.ip());
            }
        }
        PolicyDecision d;
        try {
            d = policy.authorize(new AuthorizationRequest(port, req.peer(), req.managerId(), vn, macs, ips, identity));
        } catch (RuntimeException e) {
            LOG.error("nnve {}: authorization policy failed on {} from {}", port, req.vsiId(), req.peer(), e);
            throw new Refusal(VdpErrorCode.OTHER_FAILURE, "authorization policy failed: " + e);
        }
        switch (d.outcome()) {
            case ALLOW -> {
            }
            case DENY_VN -> throw new Refusal(VdpErrorCode.OTHER_FAILURE, "policy: " + d.detail() + " [" + d.rule() + "]");
            case DENY_ADDRESS -> throw new Refusal(VdpErrorCode.INVALID_VID_GROUPID_OR_MAC, "policy: " + d.detail() + " [" + d.rule() + "]");
        }
    }

    /** A new TSI must fit both the port's limit and the nNVE's. */
    static void withinLimits(int heldOnPort, int heldInTotal, NnveConfig config, String port) throws Refusal {
        if (heldOnPort >= config.maxTsisPerPort()) {
            throw new Refusal(VdpErrorCode.INSUFFICIENT_RESOURCES, "port " + port + " holds its limit of "
                    + config.maxTsisPerPort() + " TSIs");
        }
        if (heldInTotal >= config.maxTsis()) {
            throw new Refusal(VdpErrorCode.INSUFFICIENT_RESOURCES, "the nNVE holds its limit of " + config.maxTsis() + " TSIs");
        }
    }
}
