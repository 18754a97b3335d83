package org.splitnve.conformance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.splitnve.ecptransport.lldp.EvbOperating;
import org.splitnve.ecptransport.lldp.LldpNeighbor;
import org.splitnve.vdpcore.ecp.EcpHeader;
import org.splitnve.vdpcore.lldp.EvbMode;
import org.splitnve.vdpcore.lldp.EvbTlv;
import org.splitnve.vdpcore.vdp.AssociationTlv;
import org.splitnve.vdpcore.vdp.FilterEntry;
import org.splitnve.vdpcore.vdp.FilterFormat;
import org.splitnve.vdpcore.vdp.FilterInfo;
import org.splitnve.vdpcore.vdp.VdpTlvType;
import org.splitnve.vdpcore.vdp.VsiId;
import org.splitnve.vdpcore.vdp.VsiStatus;

/**
 * The checks run against a station: the suite is a bridge. The station is driven by its own
 * administrator, so the suite waits for its first request and then answers as a bridge
 * ({@link StationResponder}, which answers every request on a thread of its own). The checks follow
 * one VSI, the one of the station's first request, through its life: they run in order, share what
 * earlier ones saw, and the last one ends the VSI with a bridge-initiated De-Associate.
 */
final class StationChecks {

    private static final int VDP = 1;
    /**
     * The retries after error 2 with keep that a station may send within the refusal window, each after a longer wait: a
     * capped exponential back-off of six tries (splitnve's station: 0.25 s doubling) passes, a refresh at a steady period
     * or a retry every keep-alive fails.
     */
    static final int MAX_KEEP_RETRIES = 6;

    private final Probe probe;
    private StationResponder bridge;
    private EvbOperating negotiated;
    private StationResponder.FirstRequest firstCopies;
    private StationResponder.Exchange first;
    /** The tracked VSI and its request as the station first sent it. */
    private PeerTlv request;
    private VsiId vsi;
    /** The station's current TLV as a keep-alive must repeat it: the request with the VIDs we granted. */
    private AssociationTlv current;
    private StationResponder.Exchange keepAlive;
    private final Map<String, Outcome> ignored = new LinkedHashMap<>();

    private StationChecks(Probe probe) {
        this.probe = probe;
    }

    static List<Check> all(Probe probe) {
        StationChecks c = new StationChecks(probe);
        List<Check> out = new ArrayList<>();
        out.add(new Check("evb.tlv", "The station advertises an EVB TLV in station mode over LLDP.", p -> c.evbTlv()));
        out.add(new Check("evb.negotiation", "The station operates each of R, RTE, RWD and RKA at the larger of the two ends' values and sets ROL exactly when the bridge's value won.", p -> c.evbNegotiation()));
        out.add(new Check("evb.groupid", "The station asks for GroupID (SGID) and echoes the bridge's BGID.", p -> c.evbGroupId()));
        out.add(new Check("ecp.retransmission", "Unacknowledged, the station sends its ECPDU again with the same sequence number, at most R+1 times in all.", p -> c.ecpRetransmission()));
        out.add(new Check("vdp.request", "The station's first VDP request is a well-formed VDPDU: Manager ID, association TLVs that decode.", p -> c.vdpRequest()));
        out.add(new Check("ecp.ack", "The station acknowledges our response with its sequence number.", p -> c.ecpAck()));
        out.add(new Check("ecp.duplicate-suppressed", "A frame repeating the sequence number of our last delivered one is acknowledged and not delivered (a De-Associate sent so is ignored).", p -> c.ecpDuplicate()));
        out.add(new Check("vdp.keep-alive", "The station re-sends its current TLV unchanged within its keep-alive period.", p -> c.vdpKeepAlive()));
        out.add(new Check("vdp.null-vid", "A station that asked with the null VID keeps the VID the bridge assigned.", p -> c.vdpNullVid()));
        out.add(new Check("ecp.sequence-wrap", "Our ECPDUs on both sides of the sequence wrap (0xFFFF, then 1) are acknowledged and delivered.", p -> c.ecpWrap()));
        out.add(new Check("ecp.bad-version-ignored", "An ECPDU of version 2 is dropped: no ack, and the VSI it would de-associate stays.", p -> c.ecpIgnored("ecp.bad-version-ignored")));
        out.add(new Check("ecp.unknown-subtype-ignored", "An ECPDU of an unknown subtype is dropped: no ack, and the VSI it would de-associate stays.", p -> c.ecpIgnored("ecp.unknown-subtype-ignored")));
        out.add(new Check("ecp.bad-operation-ignored", "An ECPDU with operation 2 is dropped: no ack, and the VSI it would de-associate stays.", p -> c.ecpIgnored("ecp.bad-operation-ignored")));
        out.add(new Check("vdp.migration-echo", "A station that sets migration indication valid (0x80) keeps it once the bridge echoed it.", p -> c.migrationEcho()));
        out.add(new Check("vdp.migration-m-s", "M and S are never both set with migration indication valid (0x80).", p -> c.migrationMs()));
        out.add(new Check("vdp.associate-to-pre-associate", "A Pre-Associate for an associated VSI (RFC 8394 Deactivate) keeps the VID the bridge assigned and becomes the keep-alive.", p -> c.associateToPreAssociate()));
        for (FilterFormat f : FilterFormat.values()) {
            out.add(new Check("vdp.filter." + formatName(f),
                    "Requests in filter format " + f + " (code " + probe.options().codePoints().code(f) + ") are well-formed" + (f.hasIp() ? " (an NVO3 IP filter format)" : "") + ".",
                    p -> c.filterFormat(f)));
        }
        out.add(new Check("vdp.refused-keep", "Refused with error 2 and keep, the station retries that VSI at most " + MAX_KEEP_RETRIES
                + " times, each after a longer wait, and does not go on as if it succeeded (no keep-alives for it).", p -> c.refused(StationResponder.RefusalKind.KEEP)));
        out.add(new Check("vdp.refused-invalid", "Refused with error 5, the station neither retries that VSI nor refreshes it as if it succeeded.",
                p -> c.refused(StationResponder.RefusalKind.INVALID)));
        out.add(new Check("vdp.refused-hard-error", "Refused with a hard error, the station neither retries that VSI nor refreshes it as if it succeeded.",
                p -> c.refused(StationResponder.RefusalKind.HARD)));
        out.add(new Check("vdp.keep-alive-timeout-de-associate", "After the bridge's unsolicited De-Associate (as on its keep-alive timeout) the station acks it and stops refreshing the VSI with the revoked VID.", p -> c.keepAliveTimeoutDeAssociate()));
        return out;
    }

    static String formatName(FilterFormat f) {
        return f.name().toLowerCase(Locale.ROOT).replace('_', '-').replace("groupid", "group");
    }

    // ---- EVB ----

    private Outcome evbTlv() throws InterruptedException {
        // Running before the peer is known: the station may send its first request the moment it hears us.
        bridge = new StationResponder(probe).start();
        Optional<LldpNeighbor> n = probe.awaitPeer(EvbMode.STATION, probe.options().peerTimeout());
        if (n.isEmpty()) {
            bridge.close();
            bridge = null;
            return Outcome.fail("no LLDP neighbour with an EVB TLV in station mode within " + probe.options().peerTimeout().toSeconds() + " s");
        }
        EvbTlv t = n.get().evb();
        return Outcome.pass("peer " + n.get().mac() + " advertises " + t);
    }

    private Outcome evbNegotiation() throws Exception {
        // A station echoes the bridge's status once it has heard our TLV, and takes our timers as floors.
        Outcome o = EvbNegotiationCheck.run(probe, "station", t -> t.bridgeStatus() == probe.ourEvb().bridgeStatus()
                && t.rwd() >= probe.ourEvb().rwd() && t.rka() >= probe.ourEvb().rka(),
                "echoed our bridge status " + probe.ourEvb().bridgeStatus() + " with our timers");
        negotiated = probe.operating();
        return o;
    }

    private Outcome evbGroupId() {
        EvbTlv t = probe.peerEvb();
        if (t == null) {
            return Outcome.untested("no EVB TLV from the station");
        }
        if (!t.sgid()) {
            return Outcome.fail("the station does not ask for GroupID (SGID clear, station status " + t.stationStatus()
                    + "): without GroupID it cannot name its VN (RFC 8394 section 5)");
        }
        if (!probe.ourEvb().bgid()) {
            return Outcome.notApplicable("we do not advertise BGID");
        }
        return Outcome.when(t.bgid(), "SGID set and our BGID echoed: " + t, "SGID set but our BGID is not echoed: " + t);
    }

    // ---- the station's first request ----

    private Outcome ecpRetransmission() throws Exception {
        Optional<StationResponder.FirstRequest> f = awaitFirst();
        if (f.isEmpty()) {
            return Outcome.untested("the station sent no VDP request within " + probe.options().stationWait().toSeconds() + " s of the start (make it associate a VSI while the suite runs)");
        }
        StationResponder.FirstRequest r = f.get();
        int n = r.copies().size();
        int retries = op().r();
        String what = n + " cop" + (n == 1 ? "y" : "ies") + " of the first request (sequence " + r.sequence() + ") before our ack "
                + r.waited().toMillis() + " ms after the first; R " + retries + ", ack timer " + probe.operating().ackTimeout().toNanos() / 1000 + " us" + PeerPdu.gaps(r.copies());
        if (n < 2) {
            return Outcome.fail(what + ": not retransmitted without an ack");
        }
        return Outcome.when(n <= retries + 1, what, what + ": more than R+1 = " + (retries + 1));
    }

    private Optional<StationResponder.FirstRequest> awaitFirst() throws InterruptedException {
        if (bridge == null) {
            return Optional.empty();
        }
        if (firstCopies == null) {
            firstCopies = bridge.awaitFirst(probe.options().stationWait()).orElse(null);
        }
        return Optional.ofNullable(firstCopies);
    }

    private Outcome vdpRequest() throws Exception {
        if (awaitFirst().isEmpty()) {
            return Outcome.fail("the station sent no VDP request within " + probe.options().stationWait().toSeconds() + " s of the start");
        }
        Optional<StationResponder.Exchange> ex = bridge.exchanges().await(0, e -> true, responseWait());
        if (ex.isEmpty()) {
            return Outcome.fail("the first PDU (sequence " + firstCopies.sequence() + ") was not an ECP data PDU we could take as new");
        }
        first = ex.get();
        PeerPdu p = first.pdu();
        if (p.subtype() != VDP) {
            return Outcome.fail("the first data PDU has ECP subtype " + p.subtype() + ", not VDP");
        }
        if (p.problem() != null) {
            return Outcome.fail("the VDPDU (sequence " + p.sequence() + ") does not parse: " + p.problem());
        }
        List<String> bad = p.tlvs().stream().filter(t -> t.decodeError() != null).map(t -> t.typeName() + ": " + t.decodeError()).toList();
        if (!bad.isEmpty()) {
            return Outcome.fail("undecodable TLV in sequence " + p.sequence() + ": " + String.join("; ", bad) + " (" + p.tlvs() + ")");
        }
        if (first.requests().isEmpty()) {
            return Outcome.fail("the first VDPDU (sequence " + p.sequence() + ") carries no request, only " + p.tlvs());
        }
        request = first.requests().get(0);
        AssociationTlv a = request.typed();
        vsi = a.vsiId();
        current = granted(a);
        String answer = first.answers().stream().filter(x -> x.vsiId().equals(vsi)).findFirst()
                .map(x -> "answered (our sequence " + first.answerSeq() + ") with success, " + x.filter()
                        + (x.status().migrationIndicationValid() ? ", 0x80 echoed" : ""))
                .orElse("not answered");
        return Outcome.pass(request.typeName() + " request (TLV type " + request.type() + String.format(", status 0x%02x", request.status())
                + ", Manager ID " + bridge.managerOf(vsi) + ", type ID " + a.typeId() + " v" + a.typeVersion() + ", VSI " + a.vsiId().format() + " " + a.vsiId()
                + ", filter format " + request.filterFormat() + " " + a.filter() + ") in sequence " + p.sequence()
                + (p.tlvs().size() > 1 ? " with " + (p.tlvs().size() - 1) + " more TLVs" : "") + "; " + answer);
    }

    /** The request as its keep-alive must repeat it: null VIDs replaced by what we granted. */
    private AssociationTlv granted(AssociationTlv a) {
        List<FilterEntry> entries = new ArrayList<>();
        for (FilterEntry e : a.filter().entries()) {
            entries.add(e.vid() == FilterEntry.NULL_VID ? e.withVid(bridge.grantedVid(a.vsiId(), e)) : e);
        }
        return a.toBuilder().filter(FilterInfo.of(a.filter().format(), entries)).build();
    }

    private boolean tracking() {
        return current != null;
    }

    private Outcome notTracking() {
        return Outcome.untested("no well-formed request from the station to work with (see vdp.request)");
    }

    private Outcome ecpAck() throws Exception {
        if (!tracking()) {
            return notTracking();
        }
        if (first.answerSeq() < 0) {
            return Outcome.untested("we sent no response to ack");
        }
        Optional<PeerPdu> ack = probe.awaitAck(first.ackMark(), first.answerSeq(), ackWait());
        return ack.map(a -> Outcome.pass("ack for our response's sequence " + first.answerSeq() + " after " + (a.nanos() - first.answeredNanos()) / 1000 + " us"))
                .orElseGet(() -> Outcome.fail("no ack for our response's sequence " + first.answerSeq() + " within " + ackWait().toMillis() + " ms"));
    }

    // ---- ECP duplicate suppression, keep-alives ----

    private Outcome ecpDuplicate() throws Exception {
        if (!tracking()) {
            return notTracking();
        }
        AssociationTlv de = deAssociate();
        int from = bridge.exchanges().mark();
        long t0 = System.nanoTime();
        Optional<StationResponder.Sent> sent = bridge.repeatLastSequence(EcpHeader.word(1, 0, VDP), vdpdu(de), ackWait());
        if (sent.isEmpty()) {
            return Outcome.untested("our last PDU was not acked, so the station holds no sequence number of ours to repeat");
        }
        int seq = sent.get().seq();
        Optional<PeerPdu> ack = probe.awaitAck(sent.get().ackMark(), seq, ackWait());
        Optional<StationResponder.Exchange> ka = awaitRequest(from, keepAliveLimit());
        String sentWhat = "a De-Associate for the VSI under our last sequence number " + seq;
        if (ack.isEmpty()) {
            return Outcome.fail(sentWhat + " was not acknowledged within " + ackWait().toMillis() + " ms");
        }
        Optional<String> reacted = reaction(from, ka.map(StationResponder.Exchange::index).orElse(Integer.MAX_VALUE));
        if (reacted.isPresent()) {
            return Outcome.fail(sentWhat + " was acked and delivered: the station " + reacted.get());
        }
        if (ka.isEmpty()) {
            return Outcome.fail(sentWhat + " was acked, but no request for the VSI came in the " + keepAliveLimit().toMillis() + " ms after it (the station dropped the VSI?)");
        }
        keepAlive = ka.get();
        PeerTlv t = ka.get().requestFor(vsi).orElseThrow();
        String diff = difference(t, current);
        if (diff != null) {
            return Outcome.fail(sentWhat + " was acked, and then the station's next request for the VSI changed: " + diff);
        }
        return Outcome.pass(sentWhat + " was acked and not delivered: the next keep-alive, " + (ka.get().pdu().nanos() - t0) / 1_000_000
                + " ms later, still carries " + t.typeName() + " " + current.filter());
    }

    /** What the station did that shows it delivered our De-Associate, between two exchanges, if anything. */
    private Optional<String> reaction(int from, int until) {
        byte[] b = BridgeChecks.bytes(vsi);
        for (StationResponder.Exchange e : bridge.exchanges().since(from, x -> x.index() < until)) {
            for (PeerTlv t : e.responses()) {
                if (t.sameVsi(b)) {
                    return Optional.of("answered it (" + t.typeName() + String.format(" response, status 0x%02x", t.status()) + ", its sequence " + e.pdu().sequence() + ")");
                }
            }
        }
        return Optional.empty();
    }

    /** Why a request differs from the current TLV, or {@code null} when it repeats it. */
    private static String difference(PeerTlv t, AssociationTlv want) {
        if (t.typed() == null) {
            return "malformed: " + t.decodeError();
        }
        AssociationTlv got = t.typed();
        if (!got.type().equals(want.type())) {
            return got.type() + " instead of " + want.type();
        }
        if (!got.filter().equals(want.filter())) {
            return "filter " + got.filter() + " instead of " + want.filter();
        }
        if (!got.status().equals(want.status())) {
            return "status " + got.status() + " instead of " + want.status();
        }
        if (got.typeId() != want.typeId() || got.typeVersion() != want.typeVersion()) {
            return "type ID " + got.typeId() + " v" + got.typeVersion() + " instead of " + want.typeId() + " v" + want.typeVersion();
        }
        return null;
    }

    private Optional<StationResponder.Exchange> awaitRequest(int from, Duration timeout) throws InterruptedException {
        return bridge.exchanges().await(from, e -> e.requests(vsi), timeout);
    }

    private Outcome vdpKeepAlive() throws Exception {
        if (!tracking()) {
            return notTracking();
        }
        if (keepAlive == null) {
            Optional<StationResponder.Exchange> ka = awaitRequest(first.index() + 1, keepAliveLimit());
            if (ka.isEmpty()) {
                return Outcome.fail("no request for the VSI within " + keepAliveLimit().toMillis() + " ms after its first (keep-alive "
                        + op().keepAlive().toMillis() + " ms at RKA " + op().rka() + ")");
            }
            keepAlive = ka.get();
        }
        StationResponder.Exchange before = bridge.exchanges().since(0, e -> e.index() < keepAlive.index() && e.requests(vsi))
                .stream().reduce((a, b) -> b).orElse(first);
        long gap = (keepAlive.pdu().nanos() - before.pdu().nanos()) / 1_000_000;
        PeerTlv t = keepAlive.requestFor(vsi).orElseThrow();
        String diff = difference(t, current);
        String what = "keep-alive " + gap + " ms after the previous request (RKA " + op().rka() + ": " + op().keepAlive().toMillis() + " ms, limit "
                + keepAliveLimit().toMillis() + " ms)";
        if (diff != null) {
            return Outcome.fail(what + " is not the current TLV: " + diff);
        }
        return Outcome.when(gap <= keepAliveLimit().toMillis(), what + ", " + t.typeName() + " " + current.filter() + " unchanged",
                what + ": too late");
    }

    private Outcome vdpNullVid() {
        if (!tracking()) {
            return notTracking();
        }
        List<Integer> asked = request.typed().filter().entries().stream().map(FilterEntry::vid).distinct().toList();
        if (!asked.contains(FilterEntry.NULL_VID)) {
            return Outcome.notApplicable("the station asked for VID " + asked.stream().map(String::valueOf).collect(Collectors.joining(", ")) + " itself, not the null VID");
        }
        if (keepAlive == null) {
            return Outcome.untested("no keep-alive to look at (see vdp.keep-alive)");
        }
        FilterInfo got = keepAlive.requestFor(vsi).flatMap(PeerTlv::association).map(AssociationTlv::filter).orElse(null);
        if (got == null) {
            return Outcome.fail("the keep-alive does not decode");
        }
        List<Integer> kept = got.entries().stream().map(FilterEntry::vid).distinct().toList();
        List<Integer> granted = current.filter().entries().stream().map(FilterEntry::vid).distinct().toList();
        return Outcome.when(kept.equals(granted), "asked with VID 0, we assigned " + granted + ", the keep-alive carries " + kept,
                "asked with VID 0, we assigned " + granted + ", but the keep-alive carries " + kept);
    }

    // ---- ECP sequence wrap and frames to drop ----

    private Outcome ecpWrap() throws Exception {
        if (!tracking()) {
            return notTracking();
        }
        int from = bridge.exchanges().mark();
        bridge.forceSequences(0xFFFF, 1);
        Duration limit = keepAliveLimit().multipliedBy(2);
        Optional<StationResponder.Exchange> a = bridge.exchanges().await(from, e -> e.answerSeq() == 0xFFFF, limit);
        Optional<StationResponder.Exchange> b = a.isEmpty() ? Optional.empty()
                : bridge.exchanges().await(a.get().index() + 1, e -> e.answerSeq() == 1, limit);
        if (a.isEmpty() || b.isEmpty()) {
            bridge.clearForcedSequences();
            return Outcome.untested("the station sent no " + (a.isEmpty() ? "" : "second ") + "request to answer within " + limit.toMillis() + " ms");
        }
        List<String> faults = new ArrayList<>();
        for (StationResponder.Exchange e : List.of(a.get(), b.get())) {
            if (probe.awaitAck(e.ackMark(), e.answerSeq(), ackWait()).isEmpty()) {
                faults.add("no ack for our sequence " + e.answerSeq());
            }
        }
        Optional<StationResponder.Exchange> next = awaitRequest(b.get().index() + 1, keepAliveLimit());
        if (next.isEmpty()) {
            faults.add("no request for the VSI within " + keepAliveLimit().toMillis() + " ms after the answer under sequence 1 (the station dropped it, or the VSI)");
        } else {
            String diff = difference(next.get().requestFor(vsi).orElseThrow(), current);
            if (diff != null) {
                faults.add("the next request for the VSI changed: " + diff);
            }
        }
        String answered = "answered station sequences " + a.get().pdu().sequence() + " and " + b.get().pdu().sequence() + " under ours 0xFFFF and 1";
        return faults.isEmpty()
                ? Outcome.pass(answered + ": both acked, and the next keep-alive came " + (next.get().pdu().nanos() - b.get().answeredNanos()) / 1_000_000 + " ms later, unchanged")
                : Outcome.fail(answered + ": " + String.join("; ", faults));
    }

    /** The three frames a station must drop, sent one after the other; one keep-alive afterwards shows the VSI stayed. */
    private Outcome ecpIgnored(String id) throws Exception {
        if (!tracking()) {
            return notTracking();
        }
        if (ignored.isEmpty()) {
            sendIgnored();
        }
        return ignored.get(id);
    }

    private void sendIgnored() throws Exception {
        byte[] payload = vdpdu(deAssociate());
        record Probe1(String id, String what, int word) {
        }
        List<Probe1> frames = List.of(new Probe1("ecp.bad-version-ignored", "version 2", EcpHeader.word(2, 0, VDP)),
                new Probe1("ecp.unknown-subtype-ignored", "subtype 1023", EcpHeader.word(1, 0, 0x3FF)),
                new Probe1("ecp.bad-operation-ignored", "operation 2", EcpHeader.word(1, 2, VDP)));
        Map<String, String> faults = new LinkedHashMap<>();
        Map<String, String> sent = new LinkedHashMap<>();
        int from = 0;
        for (Probe1 f : frames) {
            from = bridge.exchanges().mark();
            StationResponder.Sent s = bridge.sendRaw(f.word(), payload);
            sent.put(f.id(), "an ECPDU of " + f.what() + String.format(" (word 0x%04x, sequence %d)", f.word(), s.seq()) + " carrying a De-Associate for the VSI");
            Thread.sleep(ackWait().toMillis());
            boolean acked = probe.acksSince(s.ackMark()).stream().anyMatch(a -> a.sequence() == s.seq());
            Optional<String> reacted = reaction(from, Integer.MAX_VALUE);
            if (acked || reacted.isPresent()) {
                faults.put(f.id(), (acked ? "was acknowledged" : "") + (acked && reacted.isPresent() ? " and " : "") + reacted.map(r -> "was delivered: the station " + r).orElse(""));
            }
        }
        Optional<StationResponder.Exchange> ka = awaitRequest(from, keepAliveLimit());
        String after;
        if (ka.isEmpty()) {
            after = "did not come within " + keepAliveLimit().toMillis() + " ms";
        } else {
            String diff = difference(ka.get().requestFor(vsi).orElseThrow(), current);
            // An ack of our answer to it shows that the station still receives: silence toward the probes was a choice.
            boolean acked = ka.get().answerSeq() >= 0 && probe.awaitAck(ka.get().ackMark(), ka.get().answerSeq(), ackWait()).isPresent();
            after = diff != null ? "changed: " + diff : acked ? null : "came, but our answer to it (sequence " + ka.get().answerSeq() + ") was not acknowledged";
        }
        for (Probe1 f : frames) {
            String what = sent.get(f.id());
            if (faults.containsKey(f.id())) {
                ignored.put(f.id(), Outcome.fail(what + " " + faults.get(f.id())));
            } else if (after != null) {
                ignored.put(f.id(), Outcome.fail(what + ": no ack within " + ackWait().toMillis() + " ms, but after all three dropped-frame probes (version 2, subtype 1023, operation 2) the next keep-alive " + after));
            } else {
                ignored.put(f.id(), Outcome.pass(what + ": no ack within " + ackWait().toMillis() + " ms, and the keep-alive after the last probe still carries "
                        + typeName(current) + " " + current.filter() + ", and the station acked our answer to it"));
            }
        }
    }

    // ---- what the station sent on its own ----

    private List<PeerTlv> allRequests() {
        List<PeerTlv> out = new ArrayList<>();
        if (bridge != null) {
            bridge.exchanges().since(0, e -> true).forEach(e -> out.addAll(e.requests()));
        }
        return out;
    }

    private static String statuses(List<PeerTlv> ts) {
        return ts.stream().map(t -> String.format("0x%02x", t.status())).distinct().collect(Collectors.joining(", "));
    }

    private Outcome migrationEcho() {
        int bit = probe.options().codePoints().migrationIndicationValidBit();
        List<PeerTlv> all = allRequests();
        if (bit == 0) {
            return Outcome.notApplicable("no migration indication bit configured");
        }
        if (all.isEmpty()) {
            return Outcome.untested("the station sent no request");
        }
        List<PeerTlv> with = all.stream().filter(t -> (t.status() & bit) != 0).toList();
        if (with.isEmpty()) {
            return Outcome.untested("the station never set " + String.format("0x%02x", bit) + " in " + all.size() + " requests (statuses " + statuses(all)
                    + "): legacy for RFC 8394 Req-13");
        }
        // After our first echo to a VSI, the station's later requests for it must still carry the bit.
        PeerTlv firstWith = with.get(0);
        List<PeerTlv> later = all.subList(all.indexOf(firstWith) + 1, all.size()).stream().filter(t -> Arrays.equals(t.vsiIdBytes(), firstWith.vsiIdBytes())).toList();
        long dropped = later.stream().filter(t -> (t.status() & bit) == 0).count();
        if (dropped > 0) {
            return Outcome.fail("the station set 0x80 and we echoed it, but " + dropped + " of its " + later.size() + " later requests for that VSI went without it (statuses " + statuses(later) + ")");
        }
        return Outcome.pass("the station set 0x80 in " + with.size() + " of " + all.size() + " requests (statuses " + statuses(all) + "); we echoed it and its "
                + later.size() + " later requests for that VSI kept it");
    }

    private Outcome migrationMs() {
        int bit = probe.options().codePoints().migrationIndicationValidBit();
        List<PeerTlv> all = allRequests();
        List<PeerTlv> ms = all.stream().filter(t -> (t.status() & 0x30) != 0).toList();
        if (ms.isEmpty()) {
            return Outcome.untested("the station set neither M nor S in " + all.size() + " requests (statuses " + (all.isEmpty() ? "none" : statuses(all)) + ")");
        }
        List<PeerTlv> both = ms.stream().filter(t -> (t.status() & 0x30) == 0x30 && bit != 0 && (t.status() & bit) != 0).toList();
        if (!both.isEmpty()) {
            return Outcome.fail("M and S both set with 0x80 (invalid, error 1) in " + both.size() + " requests: " + both.get(0));
        }
        Map<String, Long> seen = ms.stream().collect(Collectors.groupingBy(t -> t.typeName() + ((t.status() & 0x10) != 0 ? " with M" : "")
                + ((t.status() & 0x20) != 0 ? " with S" : "") + (bit != 0 && (t.status() & bit) != 0 ? " and 0x80" : " without 0x80"), LinkedHashMap::new, Collectors.counting()));
        return Outcome.pass("M/S seen: " + seen + "; never both with 0x80; answered with success");
    }

    private Outcome associateToPreAssociate() throws InterruptedException {
        if (bridge == null) {
            return Outcome.untested("no bridge side ran");
        }
        List<StationResponder.Exchange> all = bridge.exchanges().since(0, e -> true);
        for (StationResponder.Exchange e : all) {
            for (PeerTlv t : e.requests()) {
                if (t.type() != VdpTlvType.ASSOCIATE.value() || t.typed() == null) {
                    continue;
                }
                byte[] id = t.vsiIdBytes();
                Optional<StationResponder.Exchange> pre = all.stream().filter(x -> x.index() > e.index())
                        .filter(x -> x.requests().stream().anyMatch(y -> Arrays.equals(y.vsiIdBytes(), id) && (y.type() == 1 || y.type() == 2))).findFirst();
                if (pre.isEmpty()) {
                    continue;
                }
                return judgePreAssociate(t, pre.get());
            }
        }
        return Outcome.untested("not seen: the station did not move a VSI from Associate to Pre-Associate while the suite ran");
    }

    private Outcome judgePreAssociate(PeerTlv assoc, StationResponder.Exchange pre) throws InterruptedException {
        byte[] id = assoc.vsiIdBytes();
        VsiId v = assoc.typed().vsiId();
        PeerTlv p = pre.requests().stream().filter(y -> Arrays.equals(y.vsiIdBytes(), id)).findFirst().orElseThrow();
        if (p.typed() == null) {
            return Outcome.fail("the Pre-Associate for " + v + " does not decode: " + p.decodeError());
        }
        List<Integer> granted = pre.answers().stream().filter(a -> a.vsiId().equals(v)).flatMap(a -> a.filter().entries().stream()).map(FilterEntry::vid).distinct().toList();
        List<Integer> asked = p.typed().filter().entries().stream().map(FilterEntry::vid).distinct().toList();
        if (asked.contains(FilterEntry.NULL_VID)) {
            return Outcome.fail("the Pre-Associate for associated VSI " + v + " asks with the null VID instead of keeping its VID (" + p.typed().filter() + ")");
        }
        Optional<StationResponder.Exchange> next = bridge.exchanges().await(pre.index() + 1,
                x -> x.requests().stream().anyMatch(y -> Arrays.equals(y.vsiIdBytes(), id)), keepAliveLimit());
        if (next.isEmpty()) {
            return Outcome.fail("Associate then " + p.typeName() + " for " + v + " keeping VID " + asked + ", answered " + granted + ", but no keep-alive for it within " + keepAliveLimit().toMillis() + " ms");
        }
        PeerTlv k = next.get().requests().stream().filter(y -> Arrays.equals(y.vsiIdBytes(), id)).findFirst().orElseThrow();
        return Outcome.when(k.type() == p.type(), "Associate then " + p.typeName() + " for " + v + " keeping VID " + asked + "; answered with success, and the keep-alive is the " + k.typeName(),
                "Associate then " + p.typeName() + " for " + v + ", but the next keep-alive is a " + k.typeName());
    }

    private Outcome filterFormat(FilterFormat f) {
        int code = probe.options().codePoints().code(f);
        List<PeerTlv> used = allRequests().stream().filter(t -> t.filterFormat() == code).toList();
        if (used.isEmpty()) {
            return Outcome.notApplicable("the station did not use it");
        }
        List<PeerTlv> bad = used.stream().filter(t -> t.decodeError() != null).toList();
        if (!bad.isEmpty()) {
            return Outcome.fail(bad.size() + " of " + used.size() + " requests in format " + code + " do not decode: " + bad.get(0).decodeError() + " (" + bad.get(0) + ")");
        }
        Map<String, Long> byType = used.stream().collect(Collectors.groupingBy(PeerTlv::typeName, LinkedHashMap::new, Collectors.counting()));
        return Outcome.pass("used in " + used.size() + " requests " + byType + ", all decoded; e.g. " + used.get(0).typed().filter());
    }

    // ---- refusals ----

    private Outcome refused(StationResponder.RefusalKind kind) throws Exception {
        if (bridge == null) {
            return Outcome.untested("no bridge side ran");
        }
        return RefusalCheck.run(probe, bridge, kind, ackWait(), keepAliveLimit());
    }

    // ---- last: the bridge ends the VSI ----

    private Outcome keepAliveTimeoutDeAssociate() throws Exception {
        try {
            if (!tracking()) {
                return notTracking();
            }
            return deAssociateAndWatch();
        } finally {
            if (bridge != null) {
                bridge.close();
            }
        }
    }

    private Outcome deAssociateAndWatch() throws Exception {
        int from = bridge.exchanges().mark();
        StationResponder.Sent s = bridge.send(bridge.managerOf(vsi), List.of(deAssociate()));
        bridge.revoke(vsi);
        long t0 = s.nanos();
        Optional<PeerPdu> ack = probe.awaitAck(s.ackMark(), s.seq(), ackWait());
        String sent = "our De-Associate (type 4, response bit clear, sequence " + s.seq() + ") for " + current.filter();
        if (ack.isEmpty()) {
            return Outcome.fail(sent + " was not acknowledged within " + ackWait().toMillis() + " ms");
        }
        Optional<StationResponder.Exchange> next = awaitRequest(from, keepAliveLimit());
        Optional<String> answered = reaction(from, Integer.MAX_VALUE);
        String reply = answered.map(r -> "; the station " + r).orElse("; the station sent no VDP response to it");
        if (next.isEmpty()) {
            String quiet = sent + " was acked" + reply + ", and then no request for the VSI for " + keepAliveLimit().toMillis() + " ms (keep-alive "
                    + op().keepAlive().toMillis() + " ms)";
            String dead = stillAlive(from, t0);
            return dead == null ? Outcome.pass(quiet + "; the station is still there: it acked our next PDU" + (others(t0).isEmpty() ? "" : " and refreshed its other VSIs"))
                    : Outcome.fail(quiet + ", but " + dead + ": a station that is gone is silent too, so this shows nothing");
        }
        long after = (next.get().pdu().nanos() - t0) / 1_000_000;
        PeerTlv t = next.get().requestFor(vsi).orElseThrow();
        if (t.type() == VdpTlvType.DE_ASSOCIATE.value()) {
            return Outcome.pass(sent + " was acked" + reply + "; " + after + " ms later the station sent a De-Associate of its own for it: " + t);
        }
        List<Integer> vids = t.association().map(a -> a.filter().entries().stream().map(FilterEntry::vid).distinct().toList()).orElse(List.of());
        List<Integer> old = current.filter().entries().stream().map(FilterEntry::vid).distinct().toList();
        boolean nullVid = vids.stream().allMatch(v -> v == FilterEntry.NULL_VID) && !vids.isEmpty();
        if (nullVid) {
            return Outcome.pass(sent + " was acked" + reply + "; " + after + " ms later the station asked afresh with the null VID: " + t.typeName() + " " + t.typed().filter());
        }
        return Outcome.fail(sent + " was acked" + reply + ", but " + after + " ms later the station still refreshed the VSI as "
                + t.typeName() + " with VID " + vids + (vids.equals(old) ? ", the revoked one" : "") + ": it kept the VSI the bridge took away");
    }

    /**
     * Why the station's silence after our De-Associate shows nothing, or {@code null} when it is still
     * there: it refreshed the other VSIs it was refreshing before, and it acks a De-Associate sent again.
     */
    private String stillAlive(int from, long t0) throws Exception {
        List<VsiId> others = others(t0);
        if (!others.isEmpty() && bridge.exchanges().since(from, e -> others.stream().anyMatch(e::requests)).isEmpty()) {
            return "it stopped refreshing its other VSIs " + others + " as well";
        }
        StationResponder.Sent again = bridge.send(bridge.managerOf(vsi), List.of(deAssociate()));
        if (probe.awaitAck(again.ackMark(), again.seq(), ackWait()).isEmpty()) {
            return "it did not acknowledge the De-Associate sent again (sequence " + again.seq() + ") within " + ackWait().toMillis() + " ms";
        }
        return null;
    }

    /**
     * The VSIs other than the tracked one (and the refused ones) the station refreshed in the keep-alive
     * limit before {@code t0}, and did not de-associate there.
     */
    private List<VsiId> others(long t0) {
        long since = t0 - keepAliveLimit().toNanos();
        Map<VsiId, VdpTlvType> last = new LinkedHashMap<>();
        bridge.exchanges().since(0, e -> e.pdu().nanos() >= since && e.pdu().nanos() <= t0).stream()
                .flatMap(e -> e.requests().stream()).map(PeerTlv::typed).filter(java.util.Objects::nonNull)
                .forEach(a -> last.put(a.vsiId(), a.type()));
        return last.entrySet().stream().filter(e -> !e.getKey().equals(vsi) && !bridge.refuses(e.getKey())
                && !e.getValue().equals(VdpTlvType.DE_ASSOCIATE)).map(Map.Entry::getKey).toList();
    }

    // ---- helpers ----

    /** The bridge-initiated De-Associate of the tracked VSI, with the filter the station holds. */
    private AssociationTlv deAssociate() {
        return current.toBuilder().type(VdpTlvType.DE_ASSOCIATE).status(VsiStatus.REQUEST).build();
    }

    /** A VDPDU for the tracked VSI under the station's Manager ID, as a bridge sends it. */
    private byte[] vdpdu(AssociationTlv tlv) {
        return bridge.vdpdu(bridge.managerOf(vsi), List.of(tlv));
    }

    private static String typeName(AssociationTlv a) {
        return new PeerTlv(a.type().value(), new byte[0], a, null).typeName();
    }

    private EvbOperating op() {
        EvbOperating now = probe.operating();
        return negotiated != null ? negotiated : now;
    }

    /** How long the station may take to ack: R+1 sends of its ack timer, plus our slack. */
    private Duration ackWait() {
        EvbOperating o = op();
        return o.ackTimeout().multipliedBy(o.r() + 1L).plus(probe.options().responseTimeout());
    }

    private Duration responseWait() {
        return ackWait();
    }

    /** One keep-alive period and a half, plus our slack for the far side's scheduling. */
    private Duration keepAliveLimit() {
        return op().keepAlive().multipliedBy(3).dividedBy(2).plus(probe.options().responseTimeout());
    }
}
