package org.splitnve.nvedataplane;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.ecptransport.clock.Scheduler;
import org.splitnve.nnve.DataPlaneListener;
import org.splitnve.nnve.DataPlaneView;
import org.splitnve.nnve.TsiKey;
import org.splitnve.nnve.TsiView;
import org.splitnve.nnve.nva.VnContext;
import org.splitnve.nvedataplane.DataPlaneCounters.Event;
import org.splitnve.nvedataplane.codec.Arp;
import org.splitnve.nvedataplane.codec.Encapsulation;
import org.splitnve.nvedataplane.codec.EtherType;
import org.splitnve.nvedataplane.codec.Ethernet;
import org.splitnve.nvedataplane.codec.Ipv4;
import org.splitnve.nvedataplane.codec.Ipv6;
import org.splitnve.nvedataplane.codec.Malformation;
import org.splitnve.nvedataplane.codec.MulticastQuery;
import org.splitnve.nvedataplane.codec.Neighbor;
import org.splitnve.nvedataplane.codec.Tunnel;
import org.splitnve.nvedataplane.directory.DirectorySnapshot;
import org.splitnve.nvedataplane.directory.OverlayDirectory;
import org.splitnve.nvedataplane.port.BufferPool;
import org.splitnve.nvedataplane.port.DataPort;
import org.splitnve.nvedataplane.table.Keys;
import org.splitnve.nvedataplane.table.LongKeyTable;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.FilterEntry;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.VnId;

/**
 * The nNVE forwarding engine (PROTOCOL.md section 5): frames tagged with a VN's local tag on a
 * trunk port are checked against the Activated TSIs of that port and VN, then delivered to
 * another local port with that port's tag or encapsulated (VXLAN or Geneve) toward the remote
 * NVE; broadcast, multicast and unknown unicast are replicated head-end to every remote NVE of the
 * VN and to the VN's other local ports. Tunnel packets from the underlay are checked and delivered
 * with the local tag of the port of the Activated TSI that owns the inner destination.
 *
 * <p>Threads: frames are forwarded on the thread of the port that received them (a pcap receive
 * thread, or the sender's thread for in-memory ports), several at once if several ports deliver.
 * They read immutable snapshots of the tables, which control events (the nNVE's
 * {@link DataPlaneListener} calls on its protocol thread, directory changes) replace
 * copy-on-write; each forwarding thread has its own scratch buffer, so the forwarding path takes
 * no lock and allocates nothing. Timers (migration hold, ARP/ND retries) run on the scheduler.
 *
 * <p>The data plane is itself the {@link DataPlaneListener}: {@link Builder#view} registers it with
 * an nNVE, and tests may call its listener methods directly.
 */
public final class DataPlane implements DataPlaneListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DataPlane.class);
    private static final int MAX_VID = 4096;
    private static final long RESOLUTION_INTERVAL_NANOS = 1_000_000_000L;
    private static final int RESOLUTION_TRIES = 3;

    private final DataPort[] trunks;
    private final Map<String, Integer> trunkIndex = new HashMap<>();
    private final DataPort underlay;
    private final long underlayMac;
    private final UnderlayAddress local;
    private final long fixedNextHop;
    private final UnderlayAddress gateway;
    private final Encapsulation encapsulation;
    private final OverlayDirectory directory;
    private final Scheduler scheduler;
    private final Duration migrationHold;
    private final int maxFrame;
    private final int ttl;
    private final boolean acceptZeroUdp6Checksum;
    private final boolean verifyUdpChecksums;
    private final boolean answerAddressResolution;
    private final Duration neighborReachable;
    private final int queryMaxResponseMillis;
    private final BufferPool heldPool;
    private final int maxHeldPerTsi;
    private final int maxHeldPerNeighbor;
    private final DataPlaneCounters counters = new DataPlaneCounters();
    private final ThreadLocal<Scratch> scratch;

    // Control state: changed under `control`, published as `tables`.
    private final Object control = new Object();
    private final Map<Integer, Map<Integer, Integer>> mapped = new HashMap<>();
    private final LinkedHashMap<TsiKey, TsiView> active = new LinkedHashMap<>();
    private final Map<VnMac, MovedTsi> moved = new HashMap<>();
    private volatile Tables tables;

    private final Object neighborLock = new Object();
    private volatile LongKeyTable<NeighborEntry> neighbors = LongKeyTable.empty();
    private volatile boolean closed;

    private DataPlane(Builder b) {
        this.trunks = b.trunks.toArray(new DataPort[0]);
        this.underlay = Objects.requireNonNull(b.underlay, "underlay port is required");
        this.local = Objects.requireNonNull(b.local, "local underlay address is required");
        this.underlayMac = underlay.macAddress().toLong();
        this.fixedNextHop = b.nextHopMac == null ? -1 : b.nextHopMac.toLong();
        this.gateway = b.gateway;
        this.encapsulation = b.encapsulation;
        this.directory = Objects.requireNonNull(b.directory, "directory is required");
        this.scheduler = Objects.requireNonNull(b.scheduler, "scheduler is required");
        this.migrationHold = b.migrationHold;
        this.maxFrame = b.maxFrame;
        this.ttl = b.ttl;
        this.acceptZeroUdp6Checksum = b.acceptZeroUdp6Checksum;
        this.verifyUdpChecksums = b.verifyUdpChecksums;
        this.answerAddressResolution = b.answerAddressResolution;
        this.neighborReachable = b.neighborReachable;
        this.queryMaxResponseMillis = (int) b.queryMaxResponse.toMillis();
        this.maxHeldPerTsi = b.maxHeldPerTsi;
        this.maxHeldPerNeighbor = b.maxHeldPerNeighbor;
        this.heldPool = new BufferPool(maxFrame + 128, 1024);
        int scratchSize = maxFrame + 256;
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(scratchSize));
        if (gateway != null && gateway.isIpv6() != local.isIpv6()) {
            throw new IllegalArgumentException("gateway " + gateway + " and local address " + local + " are of different families");
        }
        for (int i = 0; i < trunks.length; i++) {
            if (trunkIndex.put(trunks[i].name(), i) != null) {
                throw new IllegalArgumentException("two trunk ports named " + trunks[i].name());
            }
        }
        synchronized (control) {
            rebuild();
        }
        for (int i = 0; i < trunks.length; i++) {
            int index = i;
            trunks[i].receiver((port, frame) -> onTrunkFrame(index, frame));
        }
        underlay.receiver((port, frame) -> onUnderlayFrame(frame));
        directory.addListener(this::onDirectoryChanged);
        if (b.view != null) {
            b.view.addListener(this);
            for (TsiView v : b.view.activeTsis()) {
                onTsiActivated(v);
            }
        }
        LOG.info("dataplane: {} trunk ports {}, underlay {} {} ({}), {}, next hop {}", trunks.length,
                Arrays.stream(trunks).map(DataPort::name).toList(), underlay.name(), local, underlay.macAddress(),
                encapsulation, fixedNextHop >= 0 ? b.nextHopMac : "ARP/ND" + (gateway == null ? "" : " via " + gateway));
    }

    /** Starts wiring a data plane. */
    public static Builder builder() {
        return new Builder();
    }

    public DataPlaneCounters counters() {
        return counters;
    }

    public UnderlayAddress localAddress() {
        return local;
    }

    public Encapsulation encapsulation() {
        return encapsulation;
    }

    /** The Activated TSIs this data plane forwards for, for logs and tests. */
    public List<TsiView> activeTsis() {
        synchronized (control) {
            return List.copyOf(active.values());
        }
    }

    /** MACs of moved TSIs whose frames are still tunnelled to their new NVE. */
    public int movedTsis() {
        return tables.moved().size();
    }

    /** The MAC resolved for an underlay neighbour, if any. */
    public java.util.Optional<MacAddress> neighbor(InetAddress ip) {
        UnderlayAddress u = UnderlayAddress.of(ip);
        NeighborEntry e = neighbors.get(neighborKey0(u), neighborKey1(u), u.low());
        return e == null || e.mac < 0 ? java.util.Optional.empty() : java.util.Optional.of(MacAddress.valueOf(e.mac));
    }

    // ---------------------------------------------------------------- control events

    @Override
    public void onVnMapped(String port, VnId vn, LocalTag tag, VnContext context) {
        Integer p = trunkIndex.get(port);
        if (p == null) {
            LOG.debug("dataplane: {} {} on {} is not one of our trunk ports; ignored", vn, tag, port);
            return;
        }
        synchronized (control) {
            Integer old = mapped.computeIfAbsent(p, k -> new HashMap<>()).put(tag.vid(), vn.value());
            rebuild();
            LOG.info("dataplane {}: {} now means {} (was {})", port, tag, vn, old == null ? "nothing" : VnId.of(old));
        }
    }

    @Override
    public void onVnUnmapped(String port, VnId vn, LocalTag tag) {
        Integer p = trunkIndex.get(port);
        if (p == null) {
            return;
        }
        synchronized (control) {
            Map<Integer, Integer> m = mapped.get(p);
            if (m != null && m.get(tag.vid()) != null && m.get(tag.vid()) == vn.value()) {
                m.remove(tag.vid());
            }
            rebuild();
        }
        LOG.info("dataplane {}: {} no longer means {}; its frames are dropped", port, tag, vn);
    }

    @Override
    public void onTsiActivated(TsiView tsi) {
        Integer p = trunkIndex.get(tsi.key().port());
        if (p == null) {
            LOG.debug("dataplane: TSI {} is on {}, not one of our trunk ports; ignored", tsi.key(), tsi.key().port());
            return;
        }
        List<MovedTsi> back = new ArrayList<>();
        synchronized (control) {
            active.remove(tsi.key());
            active.put(tsi.key(), tsi);
            mapped.computeIfAbsent(p, k -> new HashMap<>()).put(tsi.tag().vid(), tsi.vn().value());
            for (MacAddress mac : tsi.macs()) {
                MovedTsi mv = moved.remove(new VnMac(tsi.vn().value(), mac.toLong()));
                if (mv != null) {
                    back.add(mv);
                }
            }
            rebuild();
        }
        LOG.info("dataplane {}: TSI {} forwards in {} with {}: MACs {}, IPs {}", tsi.key().port(), tsi.key(), tsi.vn(), tsi.tag(),
                tsi.macs(), tsi.ips());
        for (MovedTsi mv : back) {
            // It came back (or moved between two of our ports) before its timer ended: what was held is its.
            if (mv.timer != null) {
                mv.timer.cancel();
            }
            LOG.info("dataplane: TSI {} ({} {}) is local again; delivering {} held frames", tsi.key(), tsi.vn(),
                    MacAddress.valueOf(mv.mac), mv.held.size());
            Scratch s = acquire();
            try {
                mv.held.drain(f -> {
                    sendRetagged(s, f, 0, f.limit(), false, p, tsi.tag().vid(), Event.MIGRATION_DELIVERED_LOCAL);
                });
            } finally {
                release(s);
            }
        }
    }

    @Override
    public void onTsiDeactivated(TsiView tsi, String why) {
        if (!trunkIndex.containsKey(tsi.key().port())) {
            return;
        }
        long now = scheduler.nanoTime();
        List<MovedTsi> started = new ArrayList<>();
        synchronized (control) {
            if (active.remove(tsi.key()) == null) {
                LOG.debug("dataplane: TSI {} deactivated but was not active here", tsi.key());
                return;
            }
            for (MacAddress mac : tsi.macs()) {
                int vni = tsi.vn().value();
                if (stillActive(vni, mac)) {
                    continue;
                }
                VnMac k = new VnMac(vni, mac.toLong());
                MovedTsi old = moved.get(k);
                if (old != null && old.timer != null) {
                    old.timer.cancel();
                }
                MovedTsi mv = new MovedTsi(tsi.key(), vni, mac.toLong(), now + migrationHold.toNanos(),
                        old != null ? old.held : new HeldFrames(heldPool, maxHeldPerTsi));
                moved.put(k, mv);
                started.add(mv);
            }
            rebuild();
        }
        LOG.info("dataplane {}: TSI {} no longer forwards ({}); in-flight frames for {} go to its new NVE for {}", tsi.key().port(),
                tsi.key(), why, tsi.macs(), migrationHold);
        for (MovedTsi mv : started) {
            mv.timer = scheduler.schedule(migrationHold, () -> expire(mv));
        }
    }

    @Override
    public void onActivatedWithMigration(TsiView tsi) {
        Integer p = trunkIndex.get(tsi.key().port());
        if (p == null) {
            return;
        }
        boolean v6 = tsi.ips().stream().anyMatch(a -> a instanceof Inet6Address);
        Scratch s = acquire();
        try {
            for (MacAddress mac : tsi.macs()) {
                sendIgmpQuery(s, p, tsi.tag().vid(), mac.toLong());
                if (v6) {
                    sendMldQuery(s, p, tsi.tag().vid(), mac.toLong());
                }
            }
        } finally {
            release(s);
        }
        LOG.info("dataplane {}: TSI {} arrived by migration: sent IGMP{} general query to {}", tsi.key().port(), tsi.key(),
                v6 ? " and MLD" : "", tsi.macs());
    }

    private boolean stillActive(int vni, MacAddress mac) {
        for (TsiView v : active.values()) {
            if (v.vn().value() == vni && v.macs().contains(mac)) {
                return true;
            }
        }
        return false;
    }

    private void expire(MovedTsi mv) {
        synchronized (control) {
            VnMac k = new VnMac(mv.vni, mv.mac);
            if (moved.get(k) == mv) {
                moved.remove(k);
                rebuild();
            }
        }
        int n = mv.held.clear();
        if (n > 0) {
            counters.drop(DropReason.MIGRATION_EXPIRED, n);
            LOG.warn("dataplane: migration timer of {} ({}) ended before its new NVE was known; dropped {} held frames", mv.key,
                    MacAddress.valueOf(mv.mac), n);
        } else {
            LOG.info("dataplane: migration timer of {} ({}) ended; no longer tunnelling its in-flight frames", mv.key,
                    MacAddress.valueOf(mv.mac));
        }
    }

    private void onDirectoryChanged() {
        Tables t = tables;
        if (t.moved().size() == 0) {
            return;
        }
        DirectorySnapshot d = directory.snapshot();
        for (MovedTsi mv : t.moved().values()) {
            UnderlayAddress r = d.remoteNve(mv.vni, mv.mac);
            if (r != null && mv.held.size() > 0) {
                LOG.info("dataplane: new NVE of {} ({}) is {}; tunnelling {} held frames", mv.key, MacAddress.valueOf(mv.mac), r,
                        mv.held.size());
                Scratch s = acquire();
                try {
                    flushMoved(s, mv, r);
                } finally {
                    release(s);
                }
            }
        }
    }

    /** Publishes new tables from the control state; called with {@code control} held. */
    private void rebuild() {
        int[][] vniByVid = new int[trunks.length][];
        LongKeyTable.Builder<Boolean> known = LongKeyTable.builder();
        for (int p = 0; p < trunks.length; p++) {
            vniByVid[p] = new int[MAX_VID];
            Arrays.fill(vniByVid[p], -1);
            Map<Integer, Integer> m = mapped.get(p);
            if (m != null) {
                for (Map.Entry<Integer, Integer> e : m.entrySet()) {
                    vniByVid[p][e.getKey()] = e.getValue();
                    known.put(Keys.vn(e.getValue()), 0, Boolean.TRUE);
                }
            }
        }
        LongKeyTable.Builder<LocalTsi> tsis = LongKeyTable.builder();
        LongKeyTable.Builder<MacAddress> ips = LongKeyTable.builder();
        Map<Integer, Set<Long>> flood = new LinkedHashMap<>();
        for (TsiView v : active.values()) {
            int p = trunkIndex.get(v.key().port());
            int vni = v.vn().value();
            for (MacAddress mac : v.macs()) {
                tsis.put(Keys.mac(vni), mac.toLong(), new LocalTsi(v, p, mac.toLong()));
            }
            for (FilterEntry e : v.filter().entries()) {
                if (e.mac() != null && e.ip() != null) {
                    ByteBuffer b = ByteBuffer.wrap(e.ip().getAddress());
                    if (e.ip() instanceof Inet6Address) {
                        ips.put(Keys.ipv6(vni), b.getLong(0), b.getLong(8), e.mac());
                    } else {
                        ips.put(Keys.ipv4(vni), b.getInt(0) & 0xFFFFFFFFL, 0, e.mac());
                    }
                }
            }
            flood.computeIfAbsent(vni, k -> new LinkedHashSet<>()).add(((long) p << 32) | v.tag().vid());
        }
        LongKeyTable.Builder<int[]> fl = LongKeyTable.builder();
        flood.forEach((vni, pairs) -> {
            int[] a = new int[pairs.size() * 2];
            int i = 0;
            for (long pv : pairs) {
                a[i++] = (int) (pv >>> 32);
                a[i++] = (int) pv;
            }
            fl.put(Keys.vn(vni), 0, a);
        });
        LongKeyTable.Builder<MovedTsi> mv = LongKeyTable.builder();
        for (MovedTsi m : moved.values()) {
            mv.put(Keys.mac(m.vni), m.mac, m);
            known.put(Keys.vn(m.vni), 0, Boolean.TRUE);
        }
        tables = new Tables(vniByVid, tsis.build(), fl.build(), ips.build(), mv.build(), known.build());
    }

    // ---------------------------------------------------------------- from stations

    private void onTrunkFrame(int p, ByteBuffer f) {
        if (closed) {
            return;
        }
        counters.increment(Event.RECEIVED_TRUNK);
        Scratch s = acquire();
        try {
            fromStation(s, p, f, f.position(), f.remaining());
        } catch (RuntimeException e) {
            counters.drop(DropReason.MALFORMED);
            LOG.warn("dataplane {}: frame of {} octets could not be forwarded", trunks[p].name(), f.remaining(), e);
        } finally {
            release(s);
        }
    }

    private void fromStation(Scratch s, int p, ByteBuffer f, int off, int len) {
        if (len < Ethernet.HEADER) {
            counters.drop(DropReason.MALFORMED);
            return;
        }
        if (len > maxFrame) {
            counters.drop(DropReason.TOO_LONG);
            return;
        }
        int outer = Ethernet.outerType(f, off);
        if (EtherType.isControl(outer)) {
            counters.drop(DropReason.CONTROL_FRAME);
            return;
        }
        if (outer != EtherType.VLAN) {
            counters.drop(DropReason.UNTAGGED);
            return;
        }
        if (len < Ethernet.TAGGED_HEADER) {
            counters.drop(DropReason.MALFORMED);
            return;
        }
        Tables t = tables;
        int vni = t.vniByVid()[p][Ethernet.vid(f, off)];
        if (vni < 0) {
            counters.drop(DropReason.UNKNOWN_TAG);
            return;
        }
        long src = Ethernet.source(f, off);
        if (Ethernet.isGroup(src)) {
            counters.drop(DropReason.SPOOFED_SOURCE_MAC);
            return;
        }
        LocalTsi me = t.tsis().get(Keys.mac(vni), src);
        if (me == null || me.port != p) {
            counters.drop(DropReason.SOURCE_NOT_ACTIVATED);
            return;
        }
        int type = f.getShort(off + 16) & 0xFFFF;
        int l3 = off + Ethernet.TAGGED_HEADER;
        int l3len = len - Ethernet.TAGGED_HEADER;
        if (type == EtherType.IPV4) {
            if (l3len < Ipv4.HEADER || (f.get(l3) & 0xF0) != 0x40) {
                counters.drop(DropReason.MALFORMED);
                return;
            }
            if (!me.mayUseIpv4(Ipv4.source(f, l3))) {
                counters.drop(DropReason.SPOOFED_SOURCE_IP);
                return;
            }
        } else if (type == EtherType.ARP) {
            if (Arp.validate(f, l3, l3len) != null) {
                counters.drop(DropReason.MALFORMED);
                return;
            }
            if (Arp.senderMac(f, l3) != src) {
                counters.drop(DropReason.SPOOFED_SOURCE_MAC);
                return;
            }
            int spa = Arp.senderIp(f, l3);
            if (!me.mayUseIpv4(spa)) {
                counters.drop(DropReason.SPOOFED_SOURCE_IP);
                return;
            }
            if (answerAddressResolution && Arp.operation(f, l3) == Arp.REQUEST) {
                int tpa = Arp.targetIp(f, l3);
                long mac = macOfIpv4(t, vni, tpa);
                if (mac >= 0 && mac != src && tpa != spa) {
                    answerArp(s, p, Ethernet.vid(f, off), src, spa, tpa, mac);
                    return;
                }
            }
        } else if (type == EtherType.IPV6) {
            if (l3len < Ipv6.HEADER || (f.get(l3) & 0xF0) != 0x60) {
                counters.drop(DropReason.MALFORMED);
                return;
            }
            long sh = Ipv6.sourceHigh(f, l3);
            long sl = Ipv6.sourceLow(f, l3);
            boolean unspecified = sh == 0 && sl == 0;
            int nd = Neighbor.is(f, l3, l3len, Neighbor.SOLICITATION) ? Neighbor.SOLICITATION
                    : Neighbor.is(f, l3, l3len, Neighbor.ADVERTISEMENT) ? Neighbor.ADVERTISEMENT : 0;
            if (nd != 0) {
                if (Neighbor.validate(f, l3, l3len) != null) {
                    counters.drop(DropReason.MALFORMED);
                    return;
                }
                long ll = Neighbor.linkLayerOption(f, l3,
                        nd == Neighbor.SOLICITATION ? Neighbor.OPTION_SOURCE_LL : Neighbor.OPTION_TARGET_LL);
                if (ll >= 0 && ll != src) {
                    counters.drop(DropReason.SPOOFED_SOURCE_MAC);
                    return;
                }
                long th = Neighbor.targetHigh(f, l3);
                long tl = Neighbor.targetLow(f, l3);
                boolean ok = nd == Neighbor.ADVERTISEMENT ? me.mayUseIpv6(th, tl) && (unspecified || me.mayUseIpv6(sh, sl))
                        : unspecified ? me.mayUseIpv6(th, tl) : me.mayUseIpv6(sh, sl);
                if (!ok) {
                    counters.drop(DropReason.SPOOFED_SOURCE_IP);
                    return;
                }
                if (answerAddressResolution && nd == Neighbor.SOLICITATION && !unspecified) {
                    long mac = macOfIpv6(t, vni, th, tl);
                    if (mac >= 0 && mac != src) {
                        answerNs(s, p, Ethernet.vid(f, off), src, sh, sl, th, tl, mac);
                        return;
                    }
                }
            } else if (!me.mayUseIpv6(sh, sl)) {
                counters.drop(DropReason.SPOOFED_SOURCE_IP);
                return;
            }
        }
        long dst = Ethernet.destination(f, off);
        if (!Ethernet.isGroup(dst)) {
            LocalTsi to = t.tsis().get(Keys.mac(vni), dst);
            if (to != null) {
                // The same port too: reflective relay, as a VEPA's bridge must (802.1Q 40.1).
                sendRetagged(s, f, off, len, true, to.port, to.vid, Event.DELIVERED_LOCAL);
                return;
            }
            MovedTsi mv = t.moved().get(Keys.mac(vni), dst);
            if (mv != null && !expired(mv)) {
                forwardMoved(s, mv, f, off, len, true, null);
                return;
            }
            UnderlayAddress r = directory.snapshot().remoteNve(vni, dst);
            if (r != null) {
                encapsulate(s, f, off, len, true, vni, r, Event.ENCAPSULATED);
                return;
            }
        }
        int copies = 0;
        int[] ports = t.flood().get(Keys.vn(vni), 0);
        // Unknown unicast stays off local ports: every local Activated TSI is known, and the
        // port may hold an Associated TSI with that MAC, which must receive nothing (RFC 8394 3.2).
        if (ports != null && Ethernet.isGroup(dst)) {
            for (int i = 0; i < ports.length; i += 2) {
                if (ports[i] != p) {
                    sendRetagged(s, f, off, len, true, ports[i], ports[i + 1], Event.FLOOD_COPIES_LOCAL);
                    copies++;
                }
            }
        }
        for (UnderlayAddress r : directory.snapshot().floodList(vni)) {
            encapsulate(s, f, off, len, true, vni, r, Event.FLOOD_COPIES_REMOTE);
            copies++;
        }
        if (copies == 0) {
            counters.drop(DropReason.NO_DESTINATION);
        }
    }

    private long macOfIpv4(Tables t, int vni, int ip) {
        MacAddress m = t.localIps().get(Keys.ipv4(vni), ip & 0xFFFFFFFFL, 0);
        if (m == null) {
            m = directory.snapshot().macOfIpv4(vni, ip);
        }
        return m == null ? -1 : m.toLong();
    }

    private long macOfIpv6(Tables t, int vni, long high, long low) {
        MacAddress m = t.localIps().get(Keys.ipv6(vni), high, low);
        if (m == null) {
            m = directory.snapshot().macOfIpv6(vni, high, low);
        }
        return m == null ? -1 : m.toLong();
    }

    private boolean expired(MovedTsi mv) {
        return scheduler.nanoTime() - mv.expiresNanos > 0;
    }

    // ---------------------------------------------------------------- from the underlay

    private void onUnderlayFrame(ByteBuffer f) {
        if (closed) {
            return;
        }
        counters.increment(Event.RECEIVED_UNDERLAY);
        Scratch s = acquire();
        try {
            fromUnderlay(s, f, f.position(), f.remaining());
        } catch (RuntimeException e) {
            counters.drop(DropReason.OUTER_MALFORMED);
            LOG.warn("dataplane {}: underlay frame of {} octets could not be handled", underlay.name(), f.remaining(), e);
        } finally {
            release(s);
        }
    }

    private void fromUnderlay(Scratch s, ByteBuffer f, int off, int len) {
        if (len < Ethernet.HEADER) {
            counters.drop(DropReason.OUTER_MALFORMED);
            return;
        }
        long dst = Ethernet.destination(f, off);
        if (!Ethernet.isGroup(dst) && dst != underlayMac) {
            counters.drop(DropReason.NOT_FOR_US);
            return;
        }
        int type = Ethernet.outerType(f, off);
        if (type == EtherType.ARP) {
            underlayArp(s, f, off + Ethernet.HEADER, len - Ethernet.HEADER);
            return;
        }
        if (type != EtherType.IPV4 && type != EtherType.IPV6) {
            counters.drop(EtherType.isControl(type) ? DropReason.CONTROL_FRAME : DropReason.NOT_TUNNEL);
            return;
        }
        Tunnel.Decoded d = s.decoded;
        Malformation m = Tunnel.decapsulate(f, off, len, encapsulation, acceptZeroUdp6Checksum, verifyUdpChecksums, d);
        if (m != null) {
            counters.drop(switch (m) {
                case BAD_IP_CHECKSUM -> DropReason.OUTER_IP_CHECKSUM;
                case BAD_FLAGS, OAM, CRITICAL_OPTION, BAD_PROTOCOL_TYPE -> DropReason.BAD_ENCAPSULATION;
                default -> DropReason.OUTER_MALFORMED;
            });
            return;
        }
        if (d.ipv6 != local.isIpv6()) {
            counters.drop(DropReason.NOT_FOR_US);
            return;
        }
        int ip = off + Ethernet.HEADER;
        if (d.ipv6 && (Neighbor.is(f, ip, len - Ethernet.HEADER, Neighbor.SOLICITATION)
                || Neighbor.is(f, ip, len - Ethernet.HEADER, Neighbor.ADVERTISEMENT))) {
            underlayNd(s, f, ip, len - Ethernet.HEADER);
            return;
        }
        if (d.ipv6 ? d.dstHigh != local.high() || d.dstLow != local.low() : d.dstIp4 != local.v4()) {
            counters.drop(DropReason.NOT_FOR_US);
            return;
        }
        if (!d.tunnel) {
            counters.drop(DropReason.NOT_TUNNEL);
            return;
        }
        Tables t = tables;
        int vni = d.vni;
        if (t.knownVnis().get(Keys.vn(vni), 0) == null) {
            counters.drop(DropReason.UNKNOWN_VNI);
            return;
        }
        int io = d.innerOffset;
        int il = d.innerLength;
        if (il + Ethernet.TAG > maxFrame) {
            counters.drop(DropReason.TOO_LONG);
            return;
        }
        int innerType = Ethernet.outerType(f, io);
        if (innerType == EtherType.VLAN || innerType == EtherType.QINQ) {
            counters.drop(DropReason.INNER_TAGGED);
            return;
        }
        long idst = Ethernet.destination(f, io);
        if (Ethernet.isGroup(idst)) {
            int[] ports = t.flood().get(Keys.vn(vni), 0);
            if (ports == null) {
                counters.drop(DropReason.NO_DESTINATION);
                return;
            }
            counters.increment(Event.DECAPSULATED);
            for (int i = 0; i < ports.length; i += 2) {
                sendRetagged(s, f, io, il, false, ports[i], ports[i + 1], Event.FLOOD_COPIES_LOCAL);
            }
            return;
        }
        LocalTsi to = t.tsis().get(Keys.mac(vni), idst);
        if (to != null) {
            sendRetagged(s, f, io, il, false, to.port, to.vid, Event.DECAPSULATED);
            return;
        }
        MovedTsi mv = t.moved().get(Keys.mac(vni), idst);
        if (mv != null && !expired(mv)) {
            forwardMoved(s, mv, f, io, il, false, d);
            return;
        }
        counters.drop(DropReason.UNKNOWN_DESTINATION);
    }

    private void underlayArp(Scratch s, ByteBuffer f, int a, int alen) {
        if (Arp.validate(f, a, alen) != null) {
            counters.drop(DropReason.OUTER_MALFORMED);
            return;
        }
        if (local.isIpv6()) {
            counters.drop(DropReason.NOT_FOR_US);
            return;
        }
        int spa = Arp.senderIp(f, a);
        long sha = Arp.senderMac(f, a);
        boolean forUs = Arp.targetIp(f, a) == local.v4();
        boolean learned = spa != 0 && !Ethernet.isGroup(sha) && learnNeighbor(Keys.ipv4(0), spa & 0xFFFFFFFFL, 0, sha, forUs);
        if (forUs && Arp.operation(f, a) == Arp.REQUEST) {
            ByteBuffer o = s.out;
            int at = Ethernet.writeHeader(o, 0, sha, underlayMac, EtherType.ARP);
            int end = Arp.write(o, at, Arp.REPLY, underlayMac, local.v4(), sha, spa);
            sendUnderlay(o, pad(o, end), Event.UNDERLAY_RESOLUTIONS_ANSWERED);
        } else if (!forUs && !learned) {
            counters.drop(DropReason.NOT_FOR_US);
        }
    }

    private void underlayNd(Scratch s, ByteBuffer f, int ip6, int len) {
        if (Neighbor.validate(f, ip6, len) != null) {
            counters.drop(DropReason.OUTER_MALFORMED);
            return;
        }
        long th = Neighbor.targetHigh(f, ip6);
        long tl = Neighbor.targetLow(f, ip6);
        if (Neighbor.type(f, ip6) == Neighbor.SOLICITATION) {
            if (th != local.high() || tl != local.low()) {
                counters.drop(DropReason.NOT_FOR_US);
                return;
            }
            long sh = Ipv6.sourceHigh(f, ip6);
            long sl = Ipv6.sourceLow(f, ip6);
            long slla = Neighbor.linkLayerOption(f, ip6, Neighbor.OPTION_SOURCE_LL);
            if (sh == 0 && sl == 0) {
                // Someone's DAD for our address: answer to all nodes (RFC 4861 7.2.4).
                ByteBuffer o = s.out;
                int at = Ethernet.writeHeader(o, 0, MulticastQuery.ALL_NODES_MAC, underlayMac, EtherType.IPV6);
                int end = Neighbor.write(o, at, Neighbor.ADVERTISEMENT, Neighbor.FLAG_OVERRIDE, local.high(), local.low(),
                        MulticastQuery.ALL_NODES_HIGH, MulticastQuery.ALL_NODES_LOW, th, tl, underlayMac);
                sendUnderlay(o, end, Event.UNDERLAY_RESOLUTIONS_ANSWERED);
                return;
            }
            long mac = slla >= 0 ? slla : Ethernet.source(f, ip6 - Ethernet.HEADER);
            learnNeighbor(Keys.ipv6(0), sh, sl, mac, true);
            ByteBuffer o = s.out;
            int at = Ethernet.writeHeader(o, 0, mac, underlayMac, EtherType.IPV6);
            int end = Neighbor.write(o, at, Neighbor.ADVERTISEMENT, Neighbor.FLAG_SOLICITED | Neighbor.FLAG_OVERRIDE, local.high(),
                    local.low(), sh, sl, th, tl, underlayMac);
            sendUnderlay(o, end, Event.UNDERLAY_RESOLUTIONS_ANSWERED);
        } else {
            long tlla = Neighbor.linkLayerOption(f, ip6, Neighbor.OPTION_TARGET_LL);
            long mac = tlla >= 0 ? tlla : Ethernet.source(f, ip6 - Ethernet.HEADER);
            if (!learnNeighbor(Keys.ipv6(0), th, tl, mac, false)) {
                counters.drop(DropReason.NOT_FOR_US);
            }
        }
    }

    // ---------------------------------------------------------------- sending

    /** Copies a frame to a trunk port with {@code vid}: retagging a tagged one, or pushing a tag. */
    private void sendRetagged(Scratch s, ByteBuffer f, int off, int len, boolean tagged, int port, int vid, Event event) {
        ByteBuffer o = s.out;
        int n;
        if (tagged) {
            o.put(0, f, off, len);
            Ethernet.setVid(o, 0, vid);
            n = len;
        } else {
            n = Ethernet.pushTag(f, off, len, o, 0, vid);
        }
        o.limit(n).position(0);
        if (trunks[port].send(o)) {
            counters.increment(event);
        } else {
            counters.drop(DropReason.SEND_FAILED);
        }
        o.clear();
    }

    private void encapsulate(Scratch s, ByteBuffer f, int off, int len, boolean tagged, int vni, UnderlayAddress remote, Event event) {
        if (remote.isIpv6() != local.isIpv6()) {
            counters.drop(DropReason.UNDERLAY_FAMILY_MISMATCH);
            return;
        }
        NeighborEntry nh = null;
        long mac = fixedNextHop;
        if (mac < 0) {
            nh = neighborFor(gateway != null ? gateway : remote);
            mac = nh.mac;
        }
        ByteBuffer o = s.out;
        int n = local.isIpv6()
                ? Tunnel.encapsulateV6(f, off, len, tagged, o, 0, Math.max(mac, 0), underlayMac, local.high(), local.low(), remote.high(),
                        remote.low(), encapsulation, vni, ttl)
                : Tunnel.encapsulateV4(f, off, len, tagged, o, 0, Math.max(mac, 0), underlayMac, local.v4(), remote.v4(), encapsulation,
                        vni, s.ipId++, ttl);
        o.limit(n).position(0);
        if (mac < 0) {
            holdForNeighbor(s, nh, o);
            o.clear();
            return;
        }
        if (nh != null) {
            refreshIfStale(s, nh);
            o.limit(n).position(0);
        }
        if (underlay.send(o)) {
            counters.increment(event);
        } else {
            counters.drop(DropReason.SEND_FAILED);
        }
        o.clear();
    }

    private void sendUnderlay(ByteBuffer o, int n, Event event) {
        o.limit(n).position(0);
        if (underlay.send(o)) {
            counters.increment(event);
        } else {
            counters.drop(DropReason.SEND_FAILED);
        }
        o.clear();
    }

    private void forwardMoved(Scratch s, MovedTsi mv, ByteBuffer f, int off, int len, boolean tagged, Tunnel.Decoded from) {
        UnderlayAddress r = directory.snapshot().remoteNve(mv.vni, mv.mac);
        if (r == null) {
            ByteBuffer o = s.out;
            int n;
            if (tagged) {
                n = Ethernet.popTag(f, off, len, o, 0);
            } else {
                o.put(0, f, off, len);
                n = len;
            }
            o.limit(n).position(0);
            boolean held = mv.held.hold(o);
            o.clear();
            if (!held) {
                counters.drop(DropReason.MIGRATION_BUFFER_FULL);
                return;
            }
            counters.increment(Event.MIGRATION_HELD);
            // The directory may have learned the new NVE between the look-up and the hold.
            UnderlayAddress now = directory.snapshot().remoteNve(mv.vni, mv.mac);
            if (now != null) {
                flushMoved(s, mv, now);
            }
            return;
        }
        if (from != null && (from.ipv6 ? from.srcHigh == r.high() && from.srcLow == r.low() : from.srcIp4 == r.v4())) {
            counters.drop(DropReason.TUNNEL_LOOP);
            return;
        }
        if (mv.held.size() > 0) {
            flushMoved(s, mv, r);
        }
        encapsulate(s, f, off, len, tagged, mv.vni, r, Event.MIGRATION_TUNNELLED);
    }

    private void flushMoved(Scratch s, MovedTsi mv, UnderlayAddress r) {
        mv.held.drain(b -> encapsulate(s, b, 0, b.limit(), false, mv.vni, r, Event.MIGRATION_TUNNELLED));
    }

    private void answerArp(Scratch s, int p, int vid, long requester, int requesterIp, int targetIp, long answer) {
        ByteBuffer o = s.out;
        int at = Ethernet.writeTaggedHeader(o, 0, requester, answer, vid, EtherType.ARP);
        int end = Arp.write(o, at, Arp.REPLY, answer, targetIp, requester, requesterIp);
        sendToTrunk(o, p, pad(o, end), Event.ARP_ANSWERED);
    }

    private void answerNs(Scratch s, int p, int vid, long requester, long rh, long rl, long th, long tl, long answer) {
        ByteBuffer o = s.out;
        int at = Ethernet.writeTaggedHeader(o, 0, requester, answer, vid, EtherType.IPV6);
        int end = Neighbor.write(o, at, Neighbor.ADVERTISEMENT, Neighbor.FLAG_SOLICITED | Neighbor.FLAG_OVERRIDE, th, tl, rh, rl, th, tl,
                answer);
        sendToTrunk(o, p, end, Event.ND_ANSWERED);
    }

    private void sendIgmpQuery(Scratch s, int p, int vid, long tsiMac) {
        ByteBuffer o = s.out;
        // To the TSI's own MAC: the query is for it, not for its neighbours on the port.
        int at = Ethernet.writeTaggedHeader(o, 0, tsiMac, underlayMac, vid, EtherType.IPV4);
        int end = MulticastQuery.writeIgmp(o, at, 0, Math.min(127, queryMaxResponseMillis / 100));
        sendToTrunk(o, p, pad(o, end), Event.QUERIES_SENT);
    }

    private void sendMldQuery(Scratch s, int p, int vid, long tsiMac) {
        ByteBuffer o = s.out;
        int at = Ethernet.writeTaggedHeader(o, 0, tsiMac, underlayMac, vid, EtherType.IPV6);
        int end = MulticastQuery.writeMld(o, at, MulticastQuery.LINK_LOCAL_HIGH, MulticastQuery.linkLocalLow(underlayMac),
                queryMaxResponseMillis);
        sendToTrunk(o, p, end, Event.QUERIES_SENT);
    }

    private void sendToTrunk(ByteBuffer o, int p, int n, Event event) {
        o.limit(n).position(0);
        if (trunks[p].send(o)) {
            counters.increment(event);
        } else {
            counters.drop(DropReason.SEND_FAILED);
        }
        o.clear();
    }

    /** Zero-pads a frame ending at {@code end} to the Ethernet minimum; returns its length. */
    private static int pad(ByteBuffer o, int end) {
        for (int i = end; i < Ethernet.MIN_FRAME; i++) {
            o.put(i, (byte) 0);
        }
        return Math.max(end, Ethernet.MIN_FRAME);
    }

    // ---------------------------------------------------------------- underlay neighbours

    private static long neighborKey0(UnderlayAddress u) {
        return u.isIpv6() ? Keys.ipv6(0) : Keys.ipv4(0);
    }

    private static long neighborKey1(UnderlayAddress u) {
        return u.isIpv6() ? u.high() : u.v4() & 0xFFFFFFFFL;
    }

    private NeighborEntry neighborFor(UnderlayAddress u) {
        long k0 = neighborKey0(u);
        long k1 = neighborKey1(u);
        NeighborEntry e = neighbors.get(k0, k1, u.low());
        if (e != null) {
            return e;
        }
        synchronized (neighborLock) {
            e = neighbors.get(k0, k1, u.low());
            if (e == null) {
                e = new NeighborEntry(u, new HeldFrames(heldPool, maxHeldPerNeighbor));
                addNeighbor(k0, k1, u.low(), e);
            }
            return e;
        }
    }

    private void addNeighbor(long k0, long k1, long k2, NeighborEntry e) {
        LongKeyTable.Builder<NeighborEntry> b = LongKeyTable.builder();
        neighbors.forEach((k, v) -> b.put(k[0], k[1], k[2], v));
        b.put(k0, k1, k2, e);
        neighbors = b.build();
    }

    /**
     * Records an underlay neighbour's MAC (RFC 826's merge: entries we hold are updated; new ones
     * are made only when the message was for us) and sends what waited for it.
     *
     * @return whether it was recorded
     */
    private boolean learnNeighbor(long k0, long k1, long k2, long mac, boolean create) {
        NeighborEntry e = neighbors.get(k0, k1, k2);
        if (e == null) {
            if (!create) {
                return false;
            }
            synchronized (neighborLock) {
                e = neighbors.get(k0, k1, k2);
                if (e == null) {
                    UnderlayAddress u = k0 == Keys.ipv4(0) ? UnderlayAddress.of(v4Address((int) k1)) : UnderlayAddress.of(v6Address(k1, k2));
                    e = new NeighborEntry(u, new HeldFrames(heldPool, maxHeldPerNeighbor));
                    addNeighbor(k0, k1, k2, e);
                }
            }
        }
        long old;
        synchronized (e) {
            old = e.mac;
            e.mac = mac;
            e.confirmedNanos = scheduler.nanoTime();
            e.tries = 0;
            if (e.retry != null) {
                e.retry.cancel();
                e.retry = null;
            }
        }
        if (old != mac) {
            counters.increment(Event.UNDERLAY_NEIGHBORS_LEARNED);
            LOG.info("dataplane {}: underlay neighbour {} is at {} (was {})", underlay.name(), e.ip, MacAddress.valueOf(mac),
                    old < 0 ? "unresolved" : MacAddress.valueOf(old));
        }
        NeighborEntry entry = e;
        if (entry.waiting.size() > 0) {
            entry.waiting.drain(b -> {
                Ethernet.putMac(b, 0, mac);
                if (underlay.send(b)) {
                    counters.increment(Event.ENCAPSULATED);
                } else {
                    counters.drop(DropReason.SEND_FAILED);
                }
            });
        }
        return true;
    }

    private void holdForNeighbor(Scratch s, NeighborEntry nh, ByteBuffer frame) {
        synchronized (nh) {
            long mac = nh.mac;
            if (mac >= 0) {
                Ethernet.putMac(frame, 0, mac);
                if (underlay.send(frame)) {
                    counters.increment(Event.ENCAPSULATED);
                } else {
                    counters.drop(DropReason.SEND_FAILED);
                }
                return;
            }
            if (!nh.waiting.hold(frame)) {
                counters.drop(DropReason.NEXT_HOP_UNRESOLVED);
            }
            if (nh.retry == null) {
                nh.tries = 0;
                sendResolution(s, nh);
                nh.retry = scheduler.schedule(Duration.ofNanos(RESOLUTION_INTERVAL_NANOS), () -> retryResolution(nh));
            }
        }
    }

    private void retryResolution(NeighborEntry nh) {
        synchronized (nh) {
            nh.retry = null;
            if (nh.mac >= 0) {
                return;
            }
            if (++nh.tries >= RESOLUTION_TRIES) {
                int n = nh.waiting.clear();
                counters.drop(DropReason.NEXT_HOP_UNRESOLVED, n);
                LOG.warn("dataplane {}: underlay neighbour {} did not answer {} {} requests; dropped {} frames", underlay.name(), nh.ip,
                        RESOLUTION_TRIES, local.isIpv6() ? "ND" : "ARP", n);
                return;
            }
            Scratch s = acquire();
            try {
                sendResolution(s, nh);
            } finally {
                release(s);
            }
            nh.retry = scheduler.schedule(Duration.ofNanos(RESOLUTION_INTERVAL_NANOS), () -> retryResolution(nh));
        }
    }

    private void refreshIfStale(Scratch s, NeighborEntry nh) {
        long now = scheduler.nanoTime();
        if (now - nh.confirmedNanos <= neighborReachable.toNanos()) {
            return;
        }
        synchronized (nh) {
            if (now - nh.lastRequestNanos >= RESOLUTION_INTERVAL_NANOS || nh.lastRequestNanos == Long.MIN_VALUE) {
                // Keep using the old MAC meanwhile: a changed one is learned from the answer.
                sendResolution(s, nh);
            }
        }
    }

    /** Sends an ARP request or neighbour solicitation for {@code nh}; uses (and clobbers) the scratch. */
    private void sendResolution(Scratch s, NeighborEntry nh) {
        nh.lastRequestNanos = scheduler.nanoTime();
        ByteBuffer o = s.out;
        int end;
        if (nh.ip.isIpv6()) {
            long groupLow = Neighbor.solicitedNodeLow(nh.ip.low());
            int at = Ethernet.writeHeader(o, 0, Neighbor.multicastMac(groupLow), underlayMac, EtherType.IPV6);
            end = Neighbor.write(o, at, Neighbor.SOLICITATION, 0, local.high(), local.low(), Neighbor.SOLICITED_NODE_HIGH, groupLow,
                    nh.ip.high(), nh.ip.low(), underlayMac);
        } else {
            int at = Ethernet.writeHeader(o, 0, Ethernet.BROADCAST, underlayMac, EtherType.ARP);
            end = pad(o, Arp.write(o, at, Arp.REQUEST, underlayMac, local.v4(), 0, nh.ip.v4()));
        }
        LOG.debug("dataplane {}: resolving underlay neighbour {}", underlay.name(), nh.ip);
        sendUnderlay(o, end, Event.UNDERLAY_RESOLUTIONS_SENT);
    }

    private static InetAddress v4Address(int ip) {
        try {
            return InetAddress.getByAddress(ByteBuffer.allocate(4).putInt(0, ip).array());
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static InetAddress v6Address(long high, long low) {
        try {
            return InetAddress.getByAddress(ByteBuffer.allocate(16).putLong(0, high).putLong(8, low).array());
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- scratch

    private Scratch acquire() {
        Scratch s = scratch.get();
        if (s.busy) {
            // Re-entered on the same thread (a port that delivers synchronously): a fresh one.
            return new Scratch(s.out.capacity());
        }
        s.busy = true;
        return s;
    }

    private void release(Scratch s) {
        s.busy = false;
        s.out.clear();
    }

    /** Stops forwarding: receivers are detached and timers cancelled; the ports stay the caller's. */
    @Override
    public void close() {
        closed = true;
        for (DataPort p : trunks) {
            p.receiver(null);
        }
        underlay.receiver(null);
        synchronized (control) {
            for (MovedTsi mv : moved.values()) {
                if (mv.timer != null) {
                    mv.timer.cancel();
                }
                mv.held.clear();
            }
        }
        LOG.info("dataplane: closed; {}", counters);
    }

    @Override
    public String toString() {
        return "DataPlane[" + local + " " + encapsulation + ", " + trunks.length + " trunks]";
    }

    /** Per-thread buffers of the forwarding path. */
    private static final class Scratch {
        final ByteBuffer out;
        final Tunnel.Decoded decoded = new Tunnel.Decoded();
        int ipId;
        boolean busy;

        Scratch(int size) {
            out = ByteBuffer.allocate(size);
        }
    }

    private record VnMac(int vni, long mac) {
    }

    /**
     * Wires a data plane. Required: the underlay port, the local underlay address, the directory
     * and a scheduler; trunk ports and the nNVE's view are what makes it useful.
     *
     * <pre>{@code
     * DataPlane dp = DataPlane.builder()
     *         .trunkPort(new LinkDataPort(vdpLinkOfEth1, false))   // shares the VDP stack's link
     *         .underlayPort(LinkDataPort.openPcap("eth0"))
     *         .localAddress(InetAddress.getByName("192.0.2.1"))
     *         .resolveNextHop()                                     // or .nextHopMac(mac)
     *         .encapsulation(Encapsulation.VXLAN)
     *         .directory(new NvaDirectory(UnderlayAddress.parse("192.0.2.1")).attach(nva))
     *         .view(nnve.dataPlaneView())
     *         .scheduler(scheduler)
     *         .build();
     * }</pre>
     */
    public static final class Builder {
        private final List<DataPort> trunks = new ArrayList<>();
        private DataPort underlay;
        private UnderlayAddress local;
        private MacAddress nextHopMac;
        private UnderlayAddress gateway;
        private Encapsulation encapsulation = Encapsulation.VXLAN;
        private OverlayDirectory directory;
        private DataPlaneView view;
        private Scheduler scheduler;
        private Duration migrationHold = Duration.ofSeconds(30);
        private int maxFrame = 9216;
        private int ttl = Ipv4.DEFAULT_TTL;
        private boolean acceptZeroUdp6Checksum;
        private boolean verifyUdpChecksums;
        private boolean answerAddressResolution = true;
        private Duration neighborReachable = Duration.ofSeconds(30);
        private Duration queryMaxResponse = Duration.ofSeconds(10);
        private int maxHeldPerTsi = 256;
        private int maxHeldPerNeighbor = 64;

        private Builder() {
        }

        /** A port facing stations; its name must be the nNVE's name for it. */
        public Builder trunkPort(DataPort p) {
            trunks.add(Objects.requireNonNull(p, "trunk port"));
            return this;
        }

        public Builder trunkPorts(List<? extends DataPort> ps) {
            ps.forEach(this::trunkPort);
            return this;
        }

        public Builder underlayPort(DataPort p) {
            underlay = Objects.requireNonNull(p, "underlay port");
            return this;
        }

        /** This NVE's underlay address (IPv4 or IPv6): the outer source, and what tunnels must be sent to. */
        public Builder localAddress(InetAddress a) {
            local = UnderlayAddress.of(a);
            return this;
        }

        public Builder localAddress(UnderlayAddress a) {
            local = Objects.requireNonNull(a);
            return this;
        }

        /** Every outer frame goes to this MAC (a router, or a point-to-point peer). */
        public Builder nextHopMac(MacAddress mac) {
            nextHopMac = Objects.requireNonNull(mac);
            return this;
        }

        /** Resolve each remote NVE's MAC by ARP (IPv4) or ND (IPv6) on the underlay (the default). */
        public Builder resolveNextHop() {
            nextHopMac = null;
            gateway = null;
            return this;
        }

        /** Resolve this gateway's MAC by ARP/ND and send every outer frame to it. */
        public Builder gateway(InetAddress a) {
            nextHopMac = null;
            gateway = UnderlayAddress.of(a);
            return this;
        }

        public Builder encapsulation(Encapsulation e) {
            encapsulation = Objects.requireNonNull(e);
            return this;
        }

        public Builder directory(OverlayDirectory d) {
            directory = Objects.requireNonNull(d);
            return this;
        }

        /** The nNVE's view ({@code nnve.dataPlaneView()}): the data plane registers as its listener. */
        public Builder view(DataPlaneView v) {
            view = Objects.requireNonNull(v);
            return this;
        }

        /** Where timers run (the nNVE's scheduler is fine). */
        public Builder scheduler(Scheduler s) {
            scheduler = Objects.requireNonNull(s);
            return this;
        }

        /** How long frames for a TSI that moved away are tunnelled to its new NVE (vmm-05 section 5). */
        public Builder migrationHold(Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("migration hold must be positive: " + d);
            }
            migrationHold = d;
            return this;
        }

        /** Longest frame forwarded, tag included (default 9216). */
        public Builder maxFrame(int n) {
            if (n < 64 || n > 65_000) {
                throw new IllegalArgumentException("max frame out of range: " + n);
            }
            maxFrame = n;
            return this;
        }

        public Builder ttl(int n) {
            if (n < 1 || n > 255) {
                throw new IllegalArgumentException("TTL out of range: " + n);
            }
            ttl = n;
            return this;
        }

        /** Accept tunnel packets over IPv6 with UDP checksum 0 (RFC 6935); off by default, like Linux. */
        /**
         * Verify the outer UDP checksum of received tunnel packets (default off). The outer IPv4
         * header checksum is always verified. Off by default because a pcap port whose peer
         * offloads checksums (veth, many NICs) sees unfinished UDP checksums, and RFC 7348 lets a
         * tunnel endpoint accept without checking; turn it on for NICs that deliver final sums.
         */
        public Builder verifyUdpChecksums(boolean v) {
            verifyUdpChecksums = v;
            return this;
        }

        public Builder acceptZeroUdp6Checksum(boolean v) {
            acceptZeroUdp6Checksum = v;
            return this;
        }

        /** Answer ARP requests and neighbour solicitations for known addresses locally (default on). */
        public Builder answerAddressResolution(boolean v) {
            answerAddressResolution = v;
            return this;
        }

        public Builder neighborReachable(Duration d) {
            neighborReachable = Objects.requireNonNull(d);
            return this;
        }

        public Builder queryMaxResponse(Duration d) {
            queryMaxResponse = Objects.requireNonNull(d);
            return this;
        }

        public Builder maxHeldPerTsi(int n) {
            maxHeldPerTsi = n;
            return this;
        }

        public Builder maxHeldPerNeighbor(int n) {
            maxHeldPerNeighbor = n;
            return this;
        }

        public DataPlane build() {
            return new DataPlane(this);
        }
    }
}
