package org.splitnve.conformance;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.splitnve.ecptransport.lldp.EvbOperating;
import org.splitnve.ecptransport.lldp.LldpNeighbor;
import org.splitnve.vdpcore.MacAddress;
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
 * The checks run against a bridge: the suite is a station. Every check uses VSI IDs of its own, so
 * the bridge's state from one check cannot make another pass or fail.
 */
final class BridgeChecks {

    /** A tag to use in VID-only formats when the bridge hands back no tag of its own (legacy echo of VID 0). */
    static final int FALLBACK_VID = 100;

    private final Probe probe;
    private final long nonce;
    private int next;

    private BridgeChecks(Probe probe) {
        this.probe = probe;
        this.nonce = 0x5C0F0000_00000000L | (probe.options().seed() & 0xFFFF_FFFFL) << 8;
    }

    static List<Check> all(Probe probe) {
        BridgeChecks c = new BridgeChecks(probe);
        List<Check> out = new ArrayList<>();
        out.add(new Check("evb.tlv", "The bridge advertises an EVB TLV in bridge mode over LLDP.", p -> c.evbTlv()));
        out.add(new Check("evb.negotiation", "The bridge operates each of R, RTE, RWD and RKA at the larger of the two ends' values and sets ROL exactly when the station's value won.", p -> c.evbNegotiation()));
        out.add(new Check("evb.groupid", "The bridge advertises GroupID support (BGID) and echoes the station's SGID.", p -> c.evbGroupId()));
        out.add(new Check("ecp.ack", "The bridge acknowledges an ECPDU with its sequence number.", p -> c.ecpAck()));
        out.add(new Check("ecp.duplicate-suppressed", "A repeated sequence number is acknowledged again but not delivered again (one VDP response).", p -> c.ecpDuplicate()));
        out.add(new Check("ecp.retransmission", "Unacknowledged, the bridge sends its ECPDU again with the same sequence number, at most R+1 times in all.", p -> c.ecpRetransmission()));
        out.add(new Check("ecp.sequence-wrap", "ECPDUs on both sides of the sequence wrap (0xFFFF, then 1) are acknowledged and delivered.", p -> c.ecpWrap()));
        out.add(new Check("ecp.bad-version-ignored", "An ECPDU of version 2 is dropped: no ack, no VDP response.", p -> c.ecpIgnored(2, 0, 1, "version 2")));
        out.add(new Check("ecp.unknown-subtype-ignored", "An ECPDU of an unknown subtype is dropped: no ack, no VDP response.", p -> c.ecpIgnored(1, 0, 0x3FF, "subtype 1023")));
        out.add(new Check("ecp.bad-operation-ignored", "An ECPDU with operation 2 is dropped: no ack, no VDP response.", p -> c.ecpIgnored(1, 2, 1, "operation 2")));
        out.add(new Check("ecp.answers-to-requester", "The bridge acks and answers a request sent to its own MAC, and sends every ECPDU to the station's MAC,"
                + " never to a group address (RFC 8394 Req-1 and Req-2: a group address does not cross a bridge).", p -> c.answersToRequester()));
        out.add(new Check("vdp.pre-associate", "The bridge answers a Pre-Associate with a success response for the same VSI.", p -> c.simple(VdpTlvType.PRE_ASSOCIATE)));
        out.add(new Check("vdp.pre-associate-rr", "The bridge answers a Pre-Associate with resource reservation with a success response.", p -> c.simple(VdpTlvType.PRE_ASSOCIATE_RR)));
        out.add(new Check("vdp.associate", "The bridge answers an Associate with a success response for the same VSI.", p -> c.simple(VdpTlvType.ASSOCIATE)));
        out.add(new Check("vdp.de-associate", "The bridge answers a De-Associate of an associated VSI with a success response.", p -> c.deAssociate()));
        out.add(new Check("vdp.null-vid", "A request with GroupID and the null VID gets a VID chosen by the bridge (1..4094) in the response.", p -> c.nullVid()));
        out.add(new Check("vdp.vn-tag-shared", "Two VSIs on the same VN and port get the same local tag.", p -> c.tagShared()));
        for (FilterFormat f : FilterFormat.values()) {
            out.add(new Check("vdp.filter." + StationChecks.formatName(f),
                    "The bridge accepts filter format " + f + " (code " + probe.options().codePoints().code(f) + ")" + (f.hasIp() ? ", an NVO3 IP filter format" : "") + ".",
                    p -> c.filterFormat(f)));
        }
        out.add(new Check("vdp.error.unknown-filter-format", "A request with an unknown filter format is refused with error 1 (invalid format).", p -> c.badRequest(Bad.UNKNOWN_FILTER_FORMAT)));
        out.add(new Check("vdp.error.unknown-vsi-id-format", "A request with an unknown VSI ID format is refused with error 1 (invalid format).", p -> c.badRequest(Bad.UNKNOWN_VSI_ID_FORMAT)));
        out.add(new Check("vdp.error.entry-count", "A request whose entry count overruns its TLV is refused with error 1 (invalid format).", p -> c.badRequest(Bad.ENTRY_COUNT)));
        out.add(new Check("vdp.error.groupid-zero", "A request with GroupID 0 is refused with error 5 (invalid VID, GroupID or MAC).", p -> c.badRequest(Bad.GROUPID_ZERO)));
        out.add(new Check("vdp.error.vid-4095", "A request with VID 4095 is refused with error 5 (invalid VID, GroupID or MAC).", p -> c.badRequest(Bad.VID_4095)));
        out.add(new Check("vdp.error.multicast-mac", "A request with a multicast MAC address is refused with error 5 (invalid VID, GroupID or MAC).", p -> c.badRequest(Bad.MULTICAST_MAC)));
        out.add(new Check("vdp.error.m-and-s", "A request with M and S both set and migration indication valid (0x80) is refused with error 1.", p -> c.badRequest(Bad.M_AND_S)));
        out.add(new Check("vdp.error.unknown-address-family", "An NVO3 IP entry with an unknown address family is refused with error 1.", p -> c.badRequest(Bad.UNKNOWN_AF)));
        out.add(new Check("vdp.error.multicast-ip", "An NVO3 IP entry with a multicast address is refused with error 5.", p -> c.badRequest(Bad.MULTICAST_IP)));
        out.add(new Check("vdp.keep-alive", "Re-sending the current Associate (a keep-alive) gets a success response with the same VID.", p -> c.keepAlive()));
        out.add(new Check("vdp.migration-m", "An Associate with M and migration indication valid (0x80) on the migration destination succeeds.", p -> c.migrationM()));
        out.add(new Check("vdp.migration-echo", "The bridge echoes bit 0x80 in its response to a request with migration indication valid.", p -> c.migrationEcho()));
        out.add(new Check("vdp.associate-to-pre-associate", "A Pre-Associate for an associated VSI (RFC 8394 Deactivate) succeeds and keeps its VID.", p -> c.associateToPreAssociate(false)));
        out.add(new Check("vdp.migration-s", "A Pre-Associate with S and 0x80 for an associated VSI (migration source, suspend) succeeds.", p -> c.associateToPreAssociate(true)));
        out.add(new Check("vdp.keep-alive-timeout", "Without keep-alives the bridge sends an unsolicited De-Associate within its keep-alive timeout.", p -> c.keepAliveTimeout()));
        return out;
    }

    // ---- EVB ----

    private Outcome evbTlv() throws InterruptedException {
        Optional<LldpNeighbor> n = probe.awaitPeer(EvbMode.BRIDGE, probe.options().peerTimeout());
        if (n.isEmpty()) {
            return Outcome.fail("no LLDP neighbour with an EVB TLV in bridge mode within " + probe.options().peerTimeout().toSeconds() + " s");
        }
        return Outcome.pass("peer " + n.get().mac() + " advertises " + n.get().evb());
    }

    private Outcome evbNegotiation() throws Exception {
        // A bridge echoes the station's status once it has heard our TLV.
        return EvbNegotiationCheck.run(probe, "bridge", t -> t.stationStatus() == probe.ourEvb().stationStatus(),
                "echoed our station status " + probe.ourEvb().stationStatus());
    }

    private Outcome evbGroupId() {
        EvbTlv t = probe.peerEvb();
        if (t == null) {
            return Outcome.untested("no EVB TLV from the bridge");
        }
        if (!t.bgid()) {
            return Outcome.fail("the bridge does not advertise BGID: without GroupID a station cannot name its VN (RFC 8394 section 5), and no"
                    + " GroupID filter format is usable with it: " + t);
        }
        return Outcome.when(t.sgid(), "BGID set and SGID echoed: " + t, "BGID set but the station's SGID is not echoed: " + t);
    }

    // ---- ECP ----

    private Outcome ecpAck() throws Exception {
        VsiId v = vsi();
        int acks = probe.markAcks();
        long t0 = System.nanoTime();
        int seq = probe.sendVdp(List.of(request(VdpTlvType.PRE_ASSOCIATE, v, group(0))));
        Optional<PeerPdu> ack = probe.awaitAck(acks, seq, responseWait());
        cleanup(v);
        return ack.map(a -> Outcome.pass("ack for sequence " + seq + " after " + micros(a.nanos() - t0) + " us"))
                .orElseGet(() -> Outcome.fail("no ack for sequence " + seq + " within " + responseWait().toMillis() + " ms"));
    }

    private Outcome ecpDuplicate() throws Exception {
        VsiId v = vsi();
        byte[] payload = probe.vdpdu(List.of(request(VdpTlvType.ASSOCIATE, v, group(0))));
        int data = probe.markData();
        int acks = probe.markAcks();
        int seq = probe.nextSequence();
        int word = EcpHeader.word(1, 0, 1);
        probe.sendEcp(word, seq, payload);
        Optional<PeerPdu> first = probe.awaitAck(acks, seq, responseWait());
        if (first.isEmpty()) {
            return Outcome.fail("no ack for the first copy of sequence " + seq);
        }
        int acks2 = probe.markAcks();
        probe.sendEcp(word, seq, payload);
        Optional<PeerPdu> second = probe.awaitAck(acks2, seq, responseWait());
        Thread.sleep(responseWait().toMillis());
        // Response TLVs for the VSI, one copy of each PDU: two answers may share one VDPDU.
        Map<Integer, Long> perPdu = new HashMap<>();
        probe.dataSince(data).forEach(p -> perPdu.put(p.sequence(), p.tlvs().stream().filter(t -> t.isResponse() && t.sameVsi(bytes(v))).count()));
        long responses = perPdu.values().stream().mapToLong(Long::longValue).sum();
        cleanup(v);
        if (second.isEmpty()) {
            return Outcome.fail("the repeated sequence " + seq + " was not acknowledged");
        }
        return Outcome.when(responses == 1, "both copies acked, one VDP response",
                responses + " VDP responses to one request sent twice under sequence " + seq);
    }

    private Outcome ecpRetransmission() throws Exception {
        VsiId v = vsi();
        EvbOperating op = probe.operating();
        int data = probe.markData();
        probe.autoAck(false);
        Optional<PeerPdu> pdu;
        List<PeerPdu> copies;
        try {
            probe.sendVdp(List.of(request(VdpTlvType.ASSOCIATE, v, group(0))));
            pdu = probe.awaitPdu(data, p -> p.tlvs().stream().anyMatch(t -> t.isResponse() && t.sameVsi(bytes(v))), responseWait());
            if (pdu.isEmpty()) {
                return Outcome.fail("no VDP response to retransmit");
            }
            // All R+1 sends fit in (R+1) ack timers; add the response slack for scheduling on the far side.
            Thread.sleep(op.ackTimeout().multipliedBy(op.r() + 2).plus(probe.options().responseTimeout()).toMillis());
            int seq = pdu.get().sequence();
            copies = probe.dataSince(data).stream().filter(p -> p.sequence() == seq).toList();
            probe.sendAck(seq);
        } finally {
            probe.autoAck(true);
            cleanup(v);
        }
        int n = copies.size();
        String timing = PeerPdu.gaps(copies);
        if (n < 2) {
            return Outcome.fail("the response (sequence " + pdu.get().sequence() + ") was sent once and never again without an ack");
        }
        return Outcome.when(n <= op.r() + 1, n + " copies of sequence " + pdu.get().sequence() + " (R " + op.r() + ", ack timer " + op.ackTimeout().toNanos() / 1000 + " us)" + timing,
                n + " copies of sequence " + pdu.get().sequence() + ", more than R+1 = " + (op.r() + 1) + timing);
    }

    private Outcome ecpWrap() throws Exception {
        probe.setNextSequence(0xFFFF);
        List<String> faults = new ArrayList<>();
        List<Integer> seqs = new ArrayList<>();
        List<VsiId> used = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            VsiId v = vsi();
            used.add(v);
            int acks = probe.markAcks();
            int data = probe.markData();
            int seq = probe.sendVdp(List.of(request(VdpTlvType.ASSOCIATE, v, group(0))));
            seqs.add(seq);
            if (probe.awaitAck(acks, seq, responseWait()).isEmpty()) {
                faults.add("no ack for sequence " + seq);
            }
            if (awaitResponse(data, v, VdpTlvType.ASSOCIATE).isEmpty()) {
                faults.add("no VDP response to sequence " + seq);
            }
        }
        for (VsiId v : used) {
            cleanup(v);
        }
        return faults.isEmpty() ? Outcome.pass("sequences " + seqs + " both acked and answered") : Outcome.fail(String.join("; ", faults));
    }

    /**
     * Silence proves nothing by itself: a bridge that is gone or deaf is silent too. So the same
     * request goes again right after, as a valid ECPDU, and must be acked and answered.
     */
    private Outcome ecpIgnored(int version, int operation, int subtype, String what) throws Exception {
        VsiId v = vsi();
        byte[] payload = probe.vdpdu(List.of(request(VdpTlvType.ASSOCIATE, v, group(0))));
        int acks = probe.markAcks();
        int data = probe.markData();
        int seq = probe.nextSequence();
        probe.sendEcp(EcpHeader.word(version, operation, subtype), seq, payload);
        Thread.sleep(responseWait().toMillis());
        boolean acked = probe.acksSince(acks).stream().anyMatch(a -> a.sequence() == seq);
        boolean answered = probe.dataSince(data).stream().anyMatch(p -> p.tlvs().stream().anyMatch(t -> t.sameVsi(bytes(v))));
        if (acked || answered) {
            cleanup(v);
            return Outcome.fail("an ECPDU with " + what + " was " + (acked ? "acknowledged" : "") + (acked && answered ? " and " : "") + (answered ? "answered by VDP" : ""));
        }
        int acks2 = probe.markAcks();
        int data2 = probe.markData();
        int valid = probe.nextSequence();
        probe.sendEcp(EcpHeader.word(1, 0, 1), valid, payload);
        Optional<PeerTlv> answer = awaitResponse(data2, v, VdpTlvType.ASSOCIATE);
        Optional<PeerPdu> ack = probe.awaitAck(acks2, valid, answer.isPresent() ? responseWait() : Duration.ZERO);
        cleanup(v);
        String silent = "no ack and no VDP response to the ECPDU with " + what + " (sequence " + seq + ") within " + responseWait().toMillis() + " ms";
        if (ack.isEmpty() || answer.isEmpty()) {
            return Outcome.fail(silent + ", but the same request sent right after as a valid ECPDU (sequence " + valid + ") was "
                    + (ack.isEmpty() ? "not acknowledged" : "acknowledged") + (answer.isEmpty() ? " and not answered" : " and answered")
                    + " either: the silence shows nothing about " + what);
        }
        return Outcome.pass(silent + "; the same request sent right after as a valid ECPDU (sequence " + valid + ") was acked and answered");
    }

    private Outcome answersToRequester() throws Exception {
        MacAddress bridge = probe.peer();
        VsiId v = vsi();
        int acks = probe.markAcks();
        int data = probe.markData();
        int seq = probe.nextSequence();
        probe.sendEcpTo(bridge, EcpHeader.word(1, 0, 1), seq, probe.vdpdu(List.of(request(VdpTlvType.ASSOCIATE, v, group(0)))));
        Optional<PeerTlv> answer = awaitResponse(data, v, VdpTlvType.ASSOCIATE);
        Optional<PeerPdu> ack = probe.awaitAck(acks, seq, answer.isPresent() ? responseWait() : Duration.ZERO);
        cleanup(v);
        if (ack.isEmpty() || answer.isEmpty()) {
            return Outcome.fail("a request sent to the bridge's own MAC " + bridge + " (sequence " + seq + ") was " + (ack.isEmpty() ? "not acknowledged" : "acknowledged")
                    + (answer.isEmpty() ? " and not answered" : " and answered") + " within " + responseWait().toMillis() + " ms");
        }
        List<PeerPdu> all = new ArrayList<>(probe.acksSince(0));
        all.addAll(probe.dataSince(0));
        List<PeerPdu> elsewhere = all.stream().filter(p -> !p.destination().equals(probe.self())).toList();
        String unicast = "a request to the bridge's own MAC " + bridge + " was acked and answered";
        if (!elsewhere.isEmpty()) {
            PeerPdu e = elsewhere.get(0);
            return Outcome.fail(unicast + ", but " + elsewhere.size() + " of the " + all.size() + " ECPDUs the bridge sent us went to "
                    + elsewhere.stream().map(p -> p.destination().toString()).distinct().toList() + " instead of our MAC " + probe.self()
                    + " (e.g. the " + (e.isAck() ? "ack" : "data PDU") + " of sequence " + e.sequence() + ")");
        }
        return Outcome.pass(unicast + "; all " + all.size() + " ECPDUs the bridge sent us went to our MAC " + probe.self());
    }

    // ---- VDP ----

    private Outcome simple(VdpTlvType type) throws Exception {
        VsiId v = vsi();
        Optional<PeerTlv> r = exchange(request(type, v, group(0)));
        cleanup(v);
        return judgeSuccess(r, type);
    }

    private Outcome deAssociate() throws Exception {
        VsiId v = vsi();
        Optional<PeerTlv> a = exchange(request(VdpTlvType.ASSOCIATE, v, group(0)));
        if (a.isEmpty() || a.get().errorCode() != 0) {
            return Outcome.untested("the VSI could not be associated first: " + a.map(Object::toString).orElse("no response"));
        }
        FilterInfo granted = a.get().association().map(AssociationTlv::filter).orElse(group(0));
        return judgeSuccess(exchange(request(VdpTlvType.DE_ASSOCIATE, v, granted)), VdpTlvType.DE_ASSOCIATE);
    }

    private Outcome nullVid() throws Exception {
        if (!groupIdUsable()) {
            return Outcome.untested("GroupID was not negotiated: without a GroupID to name the VN a null VID asks for nothing");
        }
        VsiId v = vsi();
        Optional<PeerTlv> r = exchange(request(VdpTlvType.ASSOCIATE, v, group(0)));
        cleanup(v);
        Outcome ok = judgeSuccess(r, VdpTlvType.ASSOCIATE);
        if (ok.verdict() != Verdict.PASS) {
            return ok;
        }
        Optional<Integer> vid = r.get().firstVid();
        return Outcome.when(vid.isPresent() && vid.get() >= 1 && vid.get() <= 4094, "the bridge assigned VID " + vid.orElse(0),
                "the response carries VID " + vid.map(String::valueOf).orElse("?") + ", not a VID chosen by the bridge");
    }

    private Outcome tagShared() throws Exception {
        if (!groupIdUsable()) {
            return Outcome.untested("GroupID was not negotiated: the station names the tag itself");
        }
        VsiId a = vsi();
        VsiId b = vsi();
        Optional<PeerTlv> ra = exchange(request(VdpTlvType.ASSOCIATE, a, group(0)));
        Optional<PeerTlv> rb = exchange(request(VdpTlvType.ASSOCIATE, b, group(0)));
        cleanup(a);
        cleanup(b);
        Optional<Integer> va = ra.flatMap(PeerTlv::firstVid);
        Optional<Integer> vb = rb.flatMap(PeerTlv::firstVid);
        if (va.isEmpty() || vb.isEmpty() || ra.get().errorCode() != 0 || rb.get().errorCode() != 0) {
            return Outcome.fail("responses: " + ra.map(Object::toString).orElse("none") + " / " + rb.map(Object::toString).orElse("none"));
        }
        if (va.get() == 0) {
            return Outcome.fail("the bridge assigned no VID (null VID echoed)");
        }
        return Outcome.when(va.equals(vb), "both got VID " + va.get(), "VIDs " + va.get() + " and " + vb.get() + " for one VN on one port");
    }

    private Outcome filterFormat(FilterFormat f) throws Exception {
        if (f.hasGroupId() && !groupIdUsable()) {
            return Outcome.untested("GroupID was not negotiated (bridge BGID " + (probe.peerEvb() != null && probe.peerEvb().bgid()) + ")");
        }
        int vid = f.hasGroupId() ? 0 : anchorTag();
        VsiId v = vsi();
        FilterInfo filter = FilterInfo.of(f, entry(f, vid, 0));
        Optional<PeerTlv> r = exchange(request(VdpTlvType.ASSOCIATE, v, filter));
        cleanup(v);
        Outcome ok = judgeSuccess(r, VdpTlvType.ASSOCIATE);
        if (ok.verdict() != Verdict.PASS) {
            return ok;
        }
        int fmt = probe.options().codePoints().code(f);
        if (r.get().filterFormat() != fmt) {
            return Outcome.fail("the response carries filter format " + r.get().filterFormat() + ", not " + fmt);
        }
        Optional<Integer> assigned = r.get().firstVid();
        if (vid == 0 && (assigned.isEmpty() || assigned.get() < 1 || assigned.get() > 4094)) {
            return Outcome.fail("asked with the null VID, the response carries VID " + assigned.map(String::valueOf).orElse("?")
                    + ", not a VID chosen by the bridge: " + r.get());
        }
        return Outcome.pass("accepted; response " + r.get().association().map(t -> t.filter().toString()).orElse("?"));
    }

    /** The local tag of our VN on this port, refreshed now so that it is still connected when used. */
    private int anchorTag() throws Exception {
        VsiId anchor = new VsiId.Uuid(new UUID(nonce, 0));
        Optional<PeerTlv> r = exchange(request(VdpTlvType.ASSOCIATE, anchor, group(0)));
        return r.flatMap(PeerTlv::firstVid).filter(v -> v != 0).orElse(FALLBACK_VID);
    }

    enum Bad { UNKNOWN_FILTER_FORMAT, UNKNOWN_VSI_ID_FORMAT, ENTRY_COUNT, GROUPID_ZERO, VID_4095, MULTICAST_MAC, M_AND_S, UNKNOWN_AF, MULTICAST_IP }

    private Outcome badRequest(Bad bad) throws Exception {
        if (!groupIdUsable() && bad != Bad.VID_4095 && bad != Bad.MULTICAST_MAC && bad != Bad.UNKNOWN_FILTER_FORMAT) {
            return Outcome.untested("GroupID was not negotiated, and this bad request is built on a GroupID filter format");
        }
        if (bad == Bad.M_AND_S && migrationBitDisabled()) {
            return Outcome.notApplicable(MIGRATION_BIT_DISABLED);
        }
        VsiId v = vsi();
        byte[] vsiBytes = bytes(v);
        int expected = switch (bad) {
            case UNKNOWN_FILTER_FORMAT, UNKNOWN_VSI_ID_FORMAT, ENTRY_COUNT, M_AND_S, UNKNOWN_AF -> 1;
            case GROUPID_ZERO, VID_4095, MULTICAST_MAC, MULTICAST_IP -> 5;
        };
        int status = bad == Bad.M_AND_S ? probe.options().codePoints().migrationIndicationValidBit() | 0x30 : 0;
        int vsiFormat = bad == Bad.UNKNOWN_VSI_ID_FORMAT ? 9 : 5;
        int fmt;
        int count = 1;
        ByteBuffer e = ByteBuffer.allocate(64);
        switch (bad) {
            case UNKNOWN_FILTER_FORMAT -> {
                fmt = 0x7E;
                e.putShort((short) 0);
            }
            case ENTRY_COUNT -> {
                fmt = 3;
                count = 3;
                e.putInt(vn()).putShort((short) 0);
            }
            case GROUPID_ZERO -> {
                fmt = 3;
                e.putInt(0).putShort((short) 0);
            }
            case VID_4095 -> {
                fmt = 1;
                e.putShort((short) 4095);
            }
            case MULTICAST_MAC -> {
                fmt = 2;
                e.put(new byte[] {0x01, 0x00, 0x5e, 0x10, 0x20, 0x30}).putShort((short) anchorTag());
            }
            case UNKNOWN_AF -> {
                fmt = probe.options().codePoints().code(FilterFormat.GROUPID_IP_VID);
                e.putInt(vn()).put((byte) 9).put(new byte[] {10, 77, 0, 9}).putShort((short) 0);
            }
            case MULTICAST_IP -> {
                fmt = probe.options().codePoints().code(FilterFormat.GROUPID_IP_VID);
                e.putInt(vn()).put((byte) 1).put(new byte[] {(byte) 224, 0, 0, 9}).putShort((short) 0);
            }
            default -> {
                fmt = 3;
                e.putInt(vn()).putShort((short) 0);
            }
        }
        e.flip();
        ByteBuffer tlv = ByteBuffer.allocate(2 + 25 + e.remaining());
        int len = 25 + e.remaining();
        tlv.putShort((short) ((VdpTlvType.ASSOCIATE.value() << 9) | len)).put((byte) status).put(new byte[] {0, 0x12, 0x67}).put((byte) 1)
                .put((byte) vsiFormat).put(vsiBytes).put((byte) fmt).putShort((short) count).put(e);
        int data = probe.markData();
        probe.sendEcp(EcpHeader.word(1, 0, 1), probe.nextSequence(), probe.rawVdpdu(tlv.array()));
        Optional<PeerTlv> r = probe.awaitTlv(data, t -> t.isResponse() && t.sameVsi(vsiBytes), responseWait());
        if (r.isPresent() && r.get().errorCode() == 0) {
            cleanup(v);
        }
        if (r.isEmpty()) {
            return Outcome.fail("no response within " + responseWait().toMillis() + " ms (a bad request must be answered with an error, not dropped)");
        }
        return Outcome.when(r.get().errorCode() == expected, "refused with error " + expected + (r.get().hardError() ? " (hard error)" : ""),
                "answered with error " + r.get().errorCode() + ", expected " + expected + ": " + r.get());
    }

    private Outcome keepAlive() throws Exception {
        VsiId v = vsi();
        Optional<PeerTlv> first = exchange(request(VdpTlvType.ASSOCIATE, v, group(0)));
        if (first.isEmpty() || first.get().errorCode() != 0 || first.get().association().isEmpty()) {
            return Outcome.untested("the VSI could not be associated: " + first.map(Object::toString).orElse("no response"));
        }
        FilterInfo granted = first.get().association().get().filter();
        Optional<PeerTlv> again = exchange(request(VdpTlvType.ASSOCIATE, v, granted));
        cleanup(v);
        Outcome ok = judgeSuccess(again, VdpTlvType.ASSOCIATE);
        if (ok.verdict() != Verdict.PASS) {
            return ok;
        }
        return Outcome.when(again.get().firstVid().equals(first.get().firstVid()), "keep-alive answered with VID " + again.get().firstVid().orElse(0),
                "VID changed from " + first.get().firstVid().orElse(0) + " to " + again.get().firstVid().orElse(0) + " on a keep-alive");
    }

    private Outcome migrationM() throws Exception {
        if (migrationBitDisabled()) {
            return Outcome.notApplicable(MIGRATION_BIT_DISABLED);
        }
        VsiId v = vsi();
        VsiStatus st = VsiStatus.request().migrationIndicationValid(true).m(true).build();
        Optional<PeerTlv> r = exchange(request(VdpTlvType.ASSOCIATE, v, group(0)).toBuilder().status(st).build());
        cleanup(v);
        return judgeSuccess(r, VdpTlvType.ASSOCIATE);
    }

    private Outcome migrationEcho() throws Exception {
        if (migrationBitDisabled()) {
            return Outcome.notApplicable(MIGRATION_BIT_DISABLED);
        }
        VsiId v = vsi();
        VsiStatus st = VsiStatus.request().migrationIndicationValid(true).build();
        Optional<PeerTlv> r = exchange(request(VdpTlvType.ASSOCIATE, v, group(0)).toBuilder().status(st).build());
        cleanup(v);
        Outcome ok = judgeSuccess(r, VdpTlvType.ASSOCIATE);
        if (ok.verdict() != Verdict.PASS) {
            return ok;
        }
        return Outcome.when(r.get().bit80(), "0x80 echoed: the bridge supports unambiguous migration indication",
                "no 0x80 echo (status " + String.format("0x%02x", r.get().status()) + "): a legacy bridge for RFC 8394 Req-13");
    }

    private Outcome associateToPreAssociate(boolean withS) throws Exception {
        VsiId v = vsi();
        Optional<PeerTlv> a = exchange(request(VdpTlvType.ASSOCIATE, v, group(0)));
        if (a.isEmpty() || a.get().errorCode() != 0 || a.get().association().isEmpty()) {
            return Outcome.untested("the VSI could not be associated first: " + a.map(Object::toString).orElse("no response"));
        }
        FilterInfo granted = a.get().association().get().filter();
        VsiStatus st = withS ? VsiStatus.request().migrationIndicationValid(true).s(true).build() : VsiStatus.REQUEST;
        Optional<PeerTlv> r = exchange(request(VdpTlvType.PRE_ASSOCIATE, v, granted).toBuilder().status(st).build());
        cleanup(v);
        Outcome ok = judgeSuccess(r, VdpTlvType.PRE_ASSOCIATE);
        if (ok.verdict() != Verdict.PASS) {
            return ok;
        }
        return Outcome.when(r.get().firstVid().equals(a.get().firstVid()), "Associated -> Pre-Associated, VID " + r.get().firstVid().orElse(0) + " kept",
                "VID changed from " + a.get().firstVid().orElse(0) + " to " + r.get().firstVid().orElse(0));
    }

    private Outcome keepAliveTimeout() throws Exception {
        VsiId v = vsi();
        Optional<PeerTlv> a = exchange(request(VdpTlvType.ASSOCIATE, v, group(0)));
        if (a.isEmpty() || a.get().errorCode() != 0) {
            return Outcome.untested("the VSI could not be associated: " + a.map(Object::toString).orElse("no response"));
        }
        long t0 = System.nanoTime();
        EvbOperating op = probe.operating();
        // docs/PROTOCOL.md 3.3: ((1 + 2R) x ack timer + keep-alive) x 1.5, plus our slack for the far side's scheduling.
        Duration limit = op.ackTimeout().multipliedBy(1 + 2L * op.r()).plus(op.keepAlive()).multipliedBy(3).dividedBy(2)
                .plus(probe.options().responseTimeout()).plus(Duration.ofSeconds(2));
        int data = probe.markData();
        Optional<PeerTlv> de = probe.awaitTlv(data, t -> t.type() == 4 && !t.isResponse() && t.sameVsi(bytes(v)), limit);
        if (de.isEmpty()) {
            cleanup(v);
            return Outcome.fail("no De-Associate within " + limit.toMillis() + " ms of the last request (RKA " + op.rka() + ", keep-alive " + op.keepAlive().toMillis() + " ms)");
        }
        return Outcome.pass("unsolicited De-Associate after " + (System.nanoTime() - t0) / 1_000_000 + " ms (limit " + limit.toMillis() + " ms, keep-alive " + op.keepAlive().toMillis() + " ms)");
    }

    // ---- helpers ----

    private Outcome judgeSuccess(Optional<PeerTlv> r, VdpTlvType type) {
        if (r.isEmpty()) {
            return Outcome.fail("no " + type + " response within " + responseWait().toMillis() + " ms");
        }
        PeerTlv t = r.get();
        if (t.type() != type.value()) {
            return Outcome.fail("answered with " + t.typeName() + " instead of " + type + ": " + t);
        }
        if (t.decodeError() != null) {
            return Outcome.fail("the response is malformed: " + t.decodeError());
        }
        if (t.errorCode() != 0 || t.keep() || t.hardError()) {
            return Outcome.fail("refused with error " + t.errorCode() + (t.keep() ? ", keep" : "") + (t.hardError() ? ", hard error" : "") + ": " + t);
        }
        return Outcome.pass("success: " + t.association().map(Object::toString).orElse(t.toString()));
    }

    private Optional<PeerTlv> exchange(AssociationTlv tlv) throws Exception {
        int data = probe.markData();
        probe.sendVdp(List.of(tlv));
        return awaitResponse(data, tlv.vsiId(), tlv.type());
    }

    private Optional<PeerTlv> awaitResponse(int mark, VsiId v, VdpTlvType type) throws InterruptedException {
        byte[] b = bytes(v);
        return probe.awaitTlv(mark, t -> t.isResponse() && t.sameVsi(b), responseWait());
    }

    /** De-associates a VSI a check used; a bridge that already dropped it may not answer, which is fine here. */
    private void cleanup(VsiId v) throws Exception {
        int data = probe.markData();
        probe.sendVdp(List.of(request(VdpTlvType.DE_ASSOCIATE, v, group(0))));
        probe.awaitTlv(data, t -> t.isResponse() && t.sameVsi(bytes(v)), Duration.ofMillis(500));
    }

    /**
     * How long a response may take: the station's response wait of docs/PROTOCOL.md 3.3,
     * ((1 + 2R) x ack timer + resource wait) x 1.5, plus our slack. Waiting for an answer ends when it
     * comes; only checks that must see none wait it out, so a lower RWD on both ends shortens them.
     */
    private Duration responseWait() {
        EvbOperating op = probe.operating();
        return op.ackTimeout().multipliedBy(1 + 2L * op.r()).plus(op.resourceWait()).multipliedBy(3).dividedBy(2)
                .plus(probe.options().responseTimeout());
    }

    private static final String MIGRATION_BIT_DISABLED =
            "the migration indication bit is disabled in the code points (splitnve.codepoint.status.migrationIndicationValid=0)";

    private boolean migrationBitDisabled() {
        return probe.options().codePoints().migrationIndicationValidBit() == 0;
    }

    private boolean groupIdUsable() {
        return probe.peerEvb() != null && probe.operating().groupIdUsable();
    }

    private int vn() {
        return probe.options().vn();
    }

    private VsiId vsi() {
        return new VsiId.Uuid(new UUID(nonce, ++next));
    }

    static byte[] bytes(VsiId v) {
        ByteBuffer b = ByteBuffer.allocate(16);
        v.writeTo(b);
        return b.array();
    }

    private FilterInfo group(int vid) {
        return groupIdUsable() ? FilterInfo.of(FilterFormat.GROUPID_VID, FilterEntry.builder().vn(vn()).vid(vid).build())
                : FilterInfo.of(FilterFormat.VID, FilterEntry.builder().vid(vid == 0 ? FALLBACK_VID : vid).build());
    }

    private FilterEntry entry(FilterFormat f, int vid, int index) throws UnknownHostException {
        FilterEntry.Builder b = FilterEntry.builder().vid(vid);
        if (f.hasGroupId()) {
            b.vn(vn());
        }
        if (f.hasMac()) {
            b.mac(MacAddress.valueOf(0x02005E100000L | (next & 0xFFFF) << 4 | index));
        }
        if (f.hasIp()) {
            b.ip(InetAddress.getByAddress(new byte[] {10, 77, (byte) (next >> 8), (byte) next}));
        }
        return b.build();
    }

    private AssociationTlv request(VdpTlvType type, VsiId v, FilterInfo filter) {
        return AssociationTlv.builder().type(type).status(VsiStatus.REQUEST).typeId(0x1267).typeVersion(1).vsiId(v).filter(filter).build();
    }

    private static long micros(long nanos) {
        return nanos / 1000;
    }
}
