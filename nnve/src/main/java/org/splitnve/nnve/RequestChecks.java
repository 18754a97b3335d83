package org.splitnve.nnve;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
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
import org.splitnve.vdpcore.vdp.VdpErrorCode;
import org.splitnve.vdpcore.vdp.VdpTlvType;
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
     * Filter formats with a GroupID only where EVB negotiation allows them with the requesting station (the bridge's
     * BGID and the station's SGID, docs/PROTOCOL.md section 2); otherwise error 1, invalid format.
     */
    static void groupIdNegotiated(Request req, boolean usable) throws Refusal {
        if (req.format().hasGroupId() && !usable) {
            throw new Refusal(VdpErrorCode.INVALID_FORMAT, "filter format " + req.format() + " carries a GroupID, which EVB did not"
                    + " negotiate with " + req.peer() + " (BGID and SGID must both be set)");
        }
    }

    /**
     * The VN a request names. Formats with a GroupID name it in every entry, and a TSI belongs to
     * one VN, so all entries must agree. Formats without one name it by non-null VIDs that must be
     * tags of one VN connected on the port ({@code vnOfTag} answers null for a tag that is not).
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
        VnId vn = null;
        for (FilterEntry e : es) {
            if (e.vid() == FilterEntry.NULL_VID) {
                throw new Refusal(VdpErrorCode.INVALID_VID_GROUPID_OR_MAC, "filter format " + req.format()
                        + " has no GroupID, so its VIDs must be tags of a VN connected on " + port + ", not null");
            }
            VnId of = vnOfTag.apply(e.vid());
            if (of == null) {
                throw new Refusal(VdpErrorCode.INVALID_VID_GROUPID_OR_MAC, "VID " + e.vid() + " is not the tag of any VN on " + port);
            }
            if (vn != null && !vn.equals(of)) {
                throw new Refusal(VdpErrorCode.INVALID_VID_GROUPID_OR_MAC, "entries carry tags of " + vn + " and " + of
                        + "; a TSI has one VN");
            }
            vn = of;
        }
        return vn;
    }

    /**
     * The non-null VIDs the entries ask for, in entry order, without repeats: each is to be a tag of the VN on the
     * port (Req-7: one or more), which {@code VapTable.tagsFor} checks; empty when all leave the tag to the bridge.
     */
    static Set<Integer> requestedVids(Request req) {
        Set<Integer> out = new LinkedHashSet<>();
        for (FilterEntry e : req.entries()) {
            if (e.vid() != FilterEntry.NULL_VID) {
                out.add(e.vid());
            }
        }
        return out;
    }

    /** A held VSI stays in its VN: it must be de-associated before it asks for another. */
    static void sameVn(TsiView held, VnId vn) throws Refusal {
        if (!held.vn().equals(vn)) {
            throw new Refusal(VdpErrorCode.INVALID_VID_GROUPID_OR_MAC, "the VSI is in " + held.vn()
                    + "; De-Associate it before asking for " + vn);
        }
    }

    /**
     * Whether the request repeats what is held, so that it is a keep-alive (a refresh) and not an
     * update: the same type ID and version, Manager ID, filter format and entries, a null VID
     * standing for the tag the bridge assigned that entry.
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
        for (int i = 0; i < es.size(); i++) {
            FilterEntry e = es.get(i);
            FilterEntry h = had.get(i);
            if (e.vid() == FilterEntry.NULL_VID ? !e.withVid(h.vid()).equals(h) : !e.equals(h)) {
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

    /**
     * The wrong rules of the deliberate defects switched on ({@link BridgeFault}), for the conformance suite's
     * mutation tests; with none on (always, outside them) every request passes.
     *
     * @param old what the port holds for the VSI, or {@code null}
     */
    static void injectedRefusals(Set<BridgeFault> faults, Request req, TsiMachine.Transition tr, TsiView old) throws Refusal {
        if (faults.isEmpty()) {
            return;
        }
        boolean pre = req.type() == VdpTlvType.PRE_ASSOCIATE || req.type() == VdpTlvType.PRE_ASSOCIATE_RR;
        BridgeFault defect = faults.contains(BridgeFault.REQUIRE_PRE_ASSOCIATE) && old == null && req.type() == VdpTlvType.ASSOCIATE
                ? BridgeFault.REQUIRE_PRE_ASSOCIATE
                : faults.contains(BridgeFault.REFUSE_PRE_ASSOCIATE) && pre ? BridgeFault.REFUSE_PRE_ASSOCIATE
                : faults.contains(BridgeFault.REFUSE_REFRESH) && old != null && tr.to() == old.state() && sameAs(old, req) ? BridgeFault.REFUSE_REFRESH
                : faults.contains(BridgeFault.REFUSE_MIGRATION_IN) && req.migrationIn() ? BridgeFault.REFUSE_MIGRATION_IN
                : faults.contains(BridgeFault.REFUSE_NVO3_IP_FORMATS) && req.format().hasIp() ? BridgeFault.REFUSE_NVO3_IP_FORMATS
                : faults.contains(BridgeFault.REFUSE_FORMATS_WITHOUT_GROUPID) && !req.format().hasGroupId() ? BridgeFault.REFUSE_FORMATS_WITHOUT_GROUPID
                : null;
        if (defect != null) {
            boolean format = defect == BridgeFault.REFUSE_NVO3_IP_FORMATS || defect == BridgeFault.REFUSE_FORMATS_WITHOUT_GROUPID;
            throw new Refusal(format ? VdpErrorCode.INVALID_FORMAT : VdpErrorCode.OTHER_FAILURE, "deliberate defect " + defect);
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

    /**
     * Req-9: the held entries the nNVE removes, those with the address (MAC and IP) of an entry of {@code gone}; every
     * one of {@code gone} must name a held entry.
     */
    static List<FilterEntry> entriesNamed(TsiView held, List<FilterEntry> gone) throws Refusal {
        List<FilterEntry> out = new ArrayList<>(gone.size());
        for (FilterEntry g : gone) {
            boolean found = false;
            for (FilterEntry h : held.filter().entries()) {
                if (sameAddress(g, h)) {
                    found = true;
                    if (!out.contains(h)) {
                        out.add(h);
                    }
                }
            }
            if (!found) {
                throw new Refusal(VdpErrorCode.INVALID_VID_GROUPID_OR_MAC, "the TSI has no entry with the address of " + g);
            }
        }
        if (out.isEmpty()) {
            throw new Refusal(VdpErrorCode.OTHER_FAILURE, "no address to remove");
        }
        return out;
    }

    /** Req-9: the held entries that stay when {@code gone} are removed; at least one must (removing all is a De-Associate). */
    static List<FilterEntry> entriesNotNamed(TsiView held, List<FilterEntry> gone) throws Refusal {
        List<FilterEntry> out = new ArrayList<>();
        for (FilterEntry h : held.filter().entries()) {
            if (gone.stream().noneMatch(g -> sameAddress(g, h))) {
                out.add(h);
            }
        }
        if (out.isEmpty()) {
            throw new Refusal(VdpErrorCode.OTHER_FAILURE, "removing every address of the TSI is a De-Associate");
        }
        return out;
    }

    /** Whether two entries name the same address: MAC and IP, whatever their VID and priority. */
    static boolean sameAddress(FilterEntry a, FilterEntry b) {
        return java.util.Objects.equals(a.mac(), b.mac()) && java.util.Objects.equals(a.ip(), b.ip());
    }
}
