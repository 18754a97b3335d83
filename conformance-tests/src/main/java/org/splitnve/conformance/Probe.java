package org.splitnve.conformance;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.ecptransport.clock.RealScheduler;
import org.splitnve.ecptransport.link.Link;
import org.splitnve.ecptransport.link.LinkException;
import org.splitnve.ecptransport.lldp.EvbOperating;
import org.splitnve.ecptransport.lldp.LldpAgent;
import org.splitnve.ecptransport.lldp.EvbCeilings;
import org.splitnve.ecptransport.lldp.LldpAgentConfig;
import org.splitnve.ecptransport.lldp.LldpNeighbor;
import org.splitnve.vdpcore.HexDump;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.ecp.EcpHeader;
import org.splitnve.vdpcore.frame.EtherType;
import org.splitnve.vdpcore.lldp.EvbMode;
import org.splitnve.vdpcore.lldp.EvbTlv;
import org.splitnve.vdpcore.vdp.AssociationTlv;
import org.splitnve.vdpcore.vdp.ManagerId;
import org.splitnve.vdpcore.vdp.VdpDecoder;
import org.splitnve.vdpcore.vdp.VdpEncoder;
import org.splitnve.vdpcore.vdp.Vdpdu;

/**
 * The suite's hands on the wire. It runs an LLDP agent with the EVB TLV of the role it plays, and
 * speaks ECP itself, frame by frame, rather than through {@code EcpEngine}: checks must send what
 * a correct engine never would (a repeated sequence number, version 2, an unknown subtype, a
 * sequence number about to wrap) and must see every copy the peer sends, retransmissions included.
 *
 * <p>Frames from the peer are kept in two {@link Mailbox}es, data PDUs and acks. Data PDUs are
 * acknowledged at once unless a check turns {@link #autoAck(boolean)} off. Against a station the
 * first one is held: acknowledged only when its second copy arrives, on the receive thread, so a
 * station's ack timer of a few milliseconds is met however busy the machine is.
 */
public final class Probe implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Probe.class);
    private static final int VDP_SUBTYPE = 1;
    private static final int MIN_FRAME = 60;

    private final Link link;
    private final ConformanceOptions options;
    private final RealScheduler clock;
    private final VdpEncoder encoder;
    private final VdpDecoder decoder;
    private final Mailbox<PeerPdu> data = new Mailbox<>();
    private final Mailbox<PeerPdu> acks = new Mailbox<>();
    private final AtomicLong ignoredFrames = new AtomicLong();
    private final ByteBuffer tx = ByteBuffer.allocate(1600);
    private final Link.FrameListener listener = this::onFrame;
    private volatile LldpAgent lldp;
    private volatile MacAddress peer;
    private volatile boolean autoAck;
    private final Object holdLock = new Object();
    private boolean holdArmed;
    private int heldSeq = -1;
    /** Touched only on the link's receive thread. */
    private int lastDataSequence = -1;
    private long heldAckNanos = -1;
    private int sequence;

    public Probe(Link link, ConformanceOptions options) {
        this.link = Objects.requireNonNull(link);
        this.options = Objects.requireNonNull(options);
        this.clock = new RealScheduler("conformance-" + link.name());
        this.encoder = new VdpEncoder(options.codePoints());
        this.decoder = new VdpDecoder(options.codePoints());
        this.peer = options.peerMac();
        this.autoAck = true;
        // Against a station its first request must go unacknowledged until the retransmission
        // check has seen a second copy, and a station may send it the moment it hears our LLDP.
        this.holdArmed = options.role() == PeerRole.STATION;
        this.sequence = 1 + new java.util.Random(options.seed()).nextInt(0xFFFE);
    }

    /** Starts listening and advertising our EVB TLV for the role the suite plays. */
    public Probe start() {
        link.addListener(listener);
        startLldp(options.evbPolicy());
        return this;
    }

    public Link link() {
        return link;
    }

    public ConformanceOptions options() {
        return options;
    }

    public MacAddress self() {
        return link.macAddress();
    }

    /** The peer's MAC once known (given, or learnt from its LLDP), else {@code null}. */
    public MacAddress peer() {
        return peer;
    }

    /** Replaces the LLDP agent with one advertising {@code policy}; the new TLV goes out at once. */
    public synchronized void startLldp(EvbTlv policy) {
        LldpAgent old = lldp;
        if (old != null) {
            old.close();
        }
        LldpAgentConfig base = policy.mode() == EvbMode.BRIDGE ? LldpAgentConfig.bridge() : LldpAgentConfig.station();
        // The probe negotiates as the standard says, whatever the peer advertises: no ceilings on the peer's timers.
        lldp = new LldpAgent(link, clock, base.withEvbPolicy(policy).withCeilings(EvbCeilings.NONE)
                .withIntervals(Duration.ofSeconds(1), 4, Duration.ofSeconds(5))).start();
        LOG.info("conformance {}: advertising EVB {}", link.name(), policy);
    }

    /**
     * Waits for a neighbour whose EVB TLV is in {@code mode} (and that is the given peer, when one
     * was given), and takes it as the peer.
     */
    public Optional<LldpNeighbor> awaitPeer(EvbMode mode, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            for (LldpNeighbor n : lldp.neighbors()) {
                if (n.evb() != null && n.evb().mode() == mode && (options.peerMac() == null || options.peerMac().equals(n.mac()))) {
                    if (peer == null) {
                        LOG.info("conformance {}: peer {} ({} mode)", link.name(), n.mac(), mode);
                    }
                    peer = n.mac();
                    return Optional.of(n);
                }
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        return Optional.empty();
    }

    /** The peer's EVB TLV as last received, or {@code null}. */
    public EvbTlv peerEvb() {
        return lldp.receivedEvb();
    }

    /** Our EVB TLV as transmitted now. */
    public EvbTlv ourEvb() {
        return lldp.outgoingEvb();
    }

    /** Both ends' operating values, as our negotiation computes them from the peer's TLV. */
    public EvbOperating operating() {
        return lldp.operating();
    }

    /** Waits until the peer's EVB TLV satisfies {@code match}. */
    public Optional<EvbTlv> awaitPeerEvb(Predicate<EvbTlv> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            EvbTlv now = lldp.receivedEvb();
            if (now != null && match.test(now)) {
                return Optional.of(now);
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        return Optional.empty();
    }

    public void autoAck(boolean on) {
        autoAck = on;
    }

    /**
     * Ends the hold on the station's first data PDU: acks it now if its second copy never came.
     *
     * @return when it was acknowledged ({@link System#nanoTime()}), or -1 if no PDU was held
     */
    public long releaseHold() throws LinkException {
        int seq;
        synchronized (holdLock) {
            holdArmed = false;
            if (heldSeq == -1 || heldAckNanos != -1) {
                return heldAckNanos;
            }
            seq = heldSeq;
            heldAckNanos = System.nanoTime();
        }
        sendAck(seq);
        return heldAckNanos;
    }

    public int markData() {
        return data.mark();
    }

    public int markAcks() {
        return acks.mark();
    }

    /** The next sequence number of ours, skipping 0 as ECP does on wrap. */
    public synchronized int nextSequence() {
        int s = sequence;
        sequence = sequence == 0xFFFF ? 1 : sequence + 1;
        return s;
    }

    /** Makes {@code next} the next sequence number of ours, so a check can walk us across the wrap. */
    public synchronized void setNextSequence(int next) {
        sequence = next & 0xFFFF;
    }

    public ManagerId managerId() {
        return options.managerId();
    }

    /** Sends the TLVs in one VDPDU with our Manager ID under a new sequence number; returns it. */
    public int sendVdp(List<AssociationTlv> tlvs) throws LinkException {
        int seq = nextSequence();
        sendVdp(seq, tlvs);
        return seq;
    }

    public void sendVdp(int seq, List<AssociationTlv> tlvs) throws LinkException {
        sendEcp(EcpHeader.word(1, 0, VDP_SUBTYPE), seq, vdpdu(tlvs));
    }

    /** The VDPDU bytes (our Manager ID, the TLVs, End) for these TLVs. */
    public byte[] vdpdu(List<AssociationTlv> tlvs) {
        return vdpdu(options.managerId(), tlvs);
    }

    /**
     * The VDPDU bytes under {@code manager}: as a bridge the suite answers under the station's
     * Manager ID, which peers such as lldpad match with the VSI ID.
     */
    public byte[] vdpdu(ManagerId manager, List<AssociationTlv> tlvs) {
        ByteBuffer b = ByteBuffer.allocate(1500);
        encoder.encode(Vdpdu.of(manager, tlvs, List.of()), b);
        b.flip();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /** A VDPDU from hand-made association TLVs, each already with its TLV header. */
    public byte[] rawVdpdu(byte[]... tlvs) {
        ByteBuffer b = ByteBuffer.allocate(1500);
        b.put(PeerVdpdu.managerTlv(options.managerId()));
        for (byte[] t : tlvs) {
            b.put(t);
        }
        b.putShort((short) 0).flip();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /** Sends one ECP frame exactly as given: header word, sequence number and payload. */
    public void sendEcp(int word, int seq, byte[] payload) throws LinkException {
        sendEcpTo(options.ecpDestination() != null ? options.ecpDestination()
                : peer != null && options.unicastEcp() ? peer : MacAddress.NEAREST_CUSTOMER_BRIDGE, word, seq, payload);
    }

    /** Sends one ECP frame to {@code dst} whatever the options say: a check of how the peer answers unicast. */
    public synchronized void sendEcpTo(MacAddress dst, int word, int seq, byte[] payload) throws LinkException {
        tx.clear();
        dst.writeTo(tx);
        link.macAddress().writeTo(tx);
        tx.putShort((short) EtherType.ECP).putShort((short) word).putShort((short) seq).put(payload);
        while (tx.position() < MIN_FRAME) {
            tx.put((byte) 0);
        }
        tx.flip();
        link.send(tx);
        LOG.debug("conformance {}: sent ECP word {} seq {} ({} octets of payload)", link.name(), String.format("0x%04x", word), seq, payload.length);
    }

    public void sendAck(int seq) throws LinkException {
        sendEcp(EcpHeader.word(1, 1, VDP_SUBTYPE), seq, new byte[0]);
    }

    /** The peer's ack for {@code seq} arriving after {@code mark}. */
    public Optional<PeerPdu> awaitAck(int mark, int seq, Duration timeout) throws InterruptedException {
        return acks.await(mark, a -> a.sequence() == seq, timeout);
    }

    public List<PeerPdu> acksSince(int mark) {
        return acks.since(mark, a -> true);
    }

    /**
     * The first association TLV in a data PDU after {@code mark} that matches, retransmissions
     * skipped: a late copy of an earlier answer must not pass for the answer to a later request.
     */
    public Optional<PeerTlv> awaitTlv(int mark, Predicate<PeerTlv> match, Duration timeout) throws InterruptedException {
        Optional<PeerPdu> pdu = data.await(mark, p -> !p.repeat() && p.tlvs().stream().anyMatch(match), timeout);
        return pdu.flatMap(p -> p.tlvs().stream().filter(match).findFirst());
    }

    /** The first data PDU after {@code mark} that matches. */
    public Optional<PeerPdu> awaitPdu(int mark, Predicate<PeerPdu> match, Duration timeout) throws InterruptedException {
        return data.await(mark, match, timeout);
    }

    public List<PeerPdu> dataSince(int mark) {
        return data.since(mark, p -> true);
    }

    /** Frames that were neither ECP from the peer nor LLDP: other stations, other protocols. */
    public long ignoredFrames() {
        return ignoredFrames.get();
    }

    private void onFrame(ByteBuffer frame, long nanos) {
        ByteBuffer f = frame.duplicate();
        int start = f.position();
        if (f.remaining() < 18 || (f.getShort(start + 12) & 0xFFFF) != EtherType.ECP) {
            return;
        }
        MacAddress dst = MacAddress.read(f, start);
        MacAddress src = MacAddress.read(f, start + 6);
        if (src.equals(link.macAddress()) || (peer != null && !peer.equals(src))) {
            ignoredFrames.incrementAndGet();
            return;
        }
        int word = f.getShort(start + 14) & 0xFFFF;
        int seq = f.getShort(start + 16) & 0xFFFF;
        byte[] payload = new byte[f.remaining() - 18];
        f.position(start + 18);
        f.get(payload);
        long at = System.nanoTime();
        int op = (word >>> 10) & 3;
        if (op == 1) {
            acks.add(new PeerPdu(dst, word, seq, null, List.of(), null, false, at));
            return;
        }
        PeerVdpdu.Parsed parsed = (word & 0x3FF) == VDP_SUBTYPE ? PeerVdpdu.read(payload, options.managerId(), decoder)
                : new PeerVdpdu.Parsed(null, List.of(), "ECP subtype " + (word & 0x3FF) + " is not VDP");
        String problem = parsed.problem();
        if (problem != null) {
            LOG.info("conformance {}: peer's PDU seq {} does not parse: {}\n{}", link.name(), seq, problem, HexDump.format(payload));
        }
        boolean repeat = op == 0 && seq == lastDataSequence;
        if (op == 0) {
            lastDataSequence = seq;
        }
        data.add(new PeerPdu(dst, word, seq, parsed.managerId(), parsed.tlvs(), problem, repeat, at));
        boolean ack = autoAck && op == 0;
        if (op == 0) {
            synchronized (holdLock) {
                if (holdArmed && heldSeq == -1) {
                    heldSeq = seq;
                    ack = false;
                } else if (holdArmed && seq == heldSeq) {
                    holdArmed = false;
                    heldAckNanos = System.nanoTime();
                    ack = true;
                }
            }
        }
        if (ack) {
            try {
                sendAck(seq);
            } catch (LinkException e) {
                LOG.warn("conformance {}: could not ack seq {}: {}", link.name(), seq, e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        link.removeListener(listener);
        LldpAgent a = lldp;
        if (a != null) {
            a.close();
        }
        clock.close();
    }
}
