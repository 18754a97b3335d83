package org.splitnve.tnve;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.splitnve.ecptransport.auth.AuthorizationEvent;
import org.splitnve.ecptransport.auth.PortAuthorization;
import org.splitnve.ecptransport.clock.VirtualScheduler;
import org.splitnve.ecptransport.ecp.EcpAddressing;
import org.splitnve.ecptransport.ecp.EcpConfig;
import org.splitnve.ecptransport.ecp.EcpEngine;
import org.splitnve.ecptransport.link.Link;
import org.splitnve.ecptransport.link.LinkFaults;
import org.splitnve.ecptransport.link.MemoryBridge;
import org.splitnve.ecptransport.link.MemoryLink;
import org.splitnve.ecptransport.vdp.VdpChannel;
import org.splitnve.ecptransport.vdp.VdpTimers;
import org.splitnve.testsupport.Outcomes;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.ManagerId;
import org.splitnve.vdpcore.vdp.VdpDecoder;
import org.splitnve.vdpcore.vdp.VdpEncoder;
import org.splitnve.vdpcore.vdp.VnId;
import org.splitnve.vdpcore.vdp.VsiId;

/** A station (tNVE) and scripted bridges in virtual time, with every listener event recorded. */
final class TnveTestBed {

    /** How much virtual time {@link #await} and {@link #failure} give a future. */
    static final Duration AWAIT_LIMIT = Duration.ofSeconds(120);

    static final MacAddress STATION = MacAddress.valueOf("02:00:00:00:00:01");
    static final MacAddress BRIDGE = MacAddress.valueOf("02:00:00:00:00:b1");
    static final MacAddress BRIDGE2 = MacAddress.valueOf("02:00:00:00:00:b2");
    static final ManagerId MGR = ManagerId.ofNumber(11);
    static final VdpTimers TIMERS = VdpTimers.DEFAULT;

    final VirtualScheduler clock = new VirtualScheduler();
    final Map<MacAddress, ScriptedBridge> bridges = new LinkedHashMap<>();
    final List<Object> events = new CopyOnWriteArrayList<>();
    final List<Link> links = new ArrayList<>();
    VdpChannel channel;
    EcpEngine stationEcp;
    Tnve tnve;

    /** Records every event in {@link #events}. */
    private final TnveListener recorder = new TnveListener() {
        @Override
        public void onTsiState(TsiEvent e) {
            events.add(e);
        }

        @Override
        public void onVn(VnEvent e) {
            events.add(e);
        }

        @Override
        public void onResponse(ResponseEvent e) {
            events.add(e);
        }

        @Override
        public void onBridgeDeassociate(VsiId vsiId, MacAddress bridge) {
            events.add(new Deassociated(vsiId, bridge));
        }

        @Override
        public void onTagChanged(VnId vn, MacAddress bridge, LocalTag oldTag, LocalTag newTag) {
            events.add(new TagChanged(vn, bridge, oldTag, newTag));
        }

        @Override
        public void onPeerLost(MacAddress bridge, String why) {
            events.add(new PeerLost(bridge, why));
        }

        @Override
        public void onFailover(MacAddress from, MacAddress to) {
            events.add(new Failover(from, to));
        }

        @Override
        public void onLegacyPeer(MacAddress bridge, String what) {
            events.add(new Legacy(bridge, what));
        }

        @Override
        public void onAuthentication(AuthorizationEvent e) {
            events.add(e);
        }
    };

    /** A station and one bridge over a MemoryLink pair. */
    static TnveTestBed single(TnveConfig config, LinkFaults faults) {
        TnveTestBed r = pair(faults);
        r.tnve = r.listen(Tnve.builder().channel(r.channel).timers(() -> TIMERS).bridge(BRIDGE).config(config).build()).start();
        r.clock.runReady();
        return r;
    }

    static TnveTestBed single(TnveConfig config) {
        return single(config, LinkFaults.NONE);
    }

    /** A station that sends VDP only while {@code authentication} authorizes it (Req-11), and one bridge. */
    static TnveTestBed authenticated(PortAuthorization authentication) {
        TnveTestBed r = pair(LinkFaults.NONE);
        r.tnve = r.listen(Tnve.builder().channel(r.channel).timers(() -> TIMERS).bridge(BRIDGE).authentication(authentication)
                .build()).start();
        r.clock.runReady();
        return r;
    }

    /** The station's channel and one bridge over a MemoryLink pair, without a Tnve: for a part of the station alone. */
    static TnveTestBed pair(LinkFaults faults) {
        TnveTestBed r = new TnveTestBed();
        MemoryLink[] l = MemoryLink.pair(r.clock, "station", STATION, "bridge", BRIDGE, faults);
        r.links.add(l[0]);
        r.links.add(l[1]);
        r.stationEcp = new EcpEngine(l[0], r.clock, EcpConfig.DEFAULT, 1).start();
        r.channel = new VdpChannel(r.stationEcp, r.clock, new VdpDecoder(), new VdpEncoder());
        EcpEngine be = new EcpEngine(l[1], r.clock, EcpConfig.DEFAULT, 2).start();
        r.bridges.put(BRIDGE, new ScriptedBridge(new VdpChannel(be, r.clock, new VdpDecoder(), new VdpEncoder())));
        return r;
    }

    /** A station and several bridges on a bridged network (unicast ECP addressing); the Tnve is built by the caller's builder tweaks. */
    static TnveTestBed hub(BridgeMode mode, MacAddress standby, MacAddress... bridgeMacs) {
        TnveTestBed r = network(bridgeMacs);
        Tnve.Builder b = Tnve.builder().channel(r.channel).timers(() -> TIMERS).bridge(bridgeMacs[0]).bridgeMode(mode);
        if (standby != null) {
            b.standby(standby);
        }
        r.tnve = r.listen(b.build()).start();
        r.clock.runReady();
        return r;
    }

    /** The station's channel and several bridges on a bridged network, without a Tnve: for a part of the station alone. */
    static TnveTestBed network(MacAddress... bridgeMacs) {
        TnveTestBed r = new TnveTestBed();
        MemoryBridge hub = new MemoryBridge(r.clock, Duration.ofNanos(10_000));
        MemoryBridge.Port sp = hub.attach("station", STATION);
        r.links.add(sp);
        // A bridged network does not forward the nearest-customer-bridge address (docs/PROTOCOL.md 4.3): both ends use unicast.
        r.stationEcp = new EcpEngine(sp, r.clock, EcpConfig.DEFAULT.withAddressing(EcpAddressing.unicast()), 1).start();
        r.channel = new VdpChannel(r.stationEcp, r.clock, new VdpDecoder(), new VdpEncoder());
        int seed = 10;
        for (MacAddress m : bridgeMacs) {
            MemoryBridge.Port bp = hub.attach("bridge-" + m, m);
            r.links.add(bp);
            EcpEngine be = new EcpEngine(bp, r.clock, EcpConfig.DEFAULT.withAddressing(EcpAddressing.unicast()), seed++).start();
            r.bridges.put(m, new ScriptedBridge(new VdpChannel(be, r.clock, new VdpDecoder(), new VdpEncoder())));
        }
        return r;
    }

    /** Listeners that record every event in {@link #events}, for a part of the station built without a Tnve. */
    Listeners listeners() {
        Listeners l = new Listeners();
        l.add(recorder);
        return l;
    }

    private Tnve listen(Tnve t) {
        t.addListener(recorder);
        return t;
    }

    record Deassociated(VsiId vsiId, MacAddress bridge) {
    }

    record TagChanged(VnId vn, MacAddress bridge, LocalTag oldTag, LocalTag newTag) {
    }

    record PeerLost(MacAddress bridge, String why) {
    }

    record Failover(MacAddress from, MacAddress to) {
    }

    record Legacy(MacAddress bridge, String what) {
    }

    <T> List<T> events(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    ScriptedBridge bridge() {
        return bridges.values().iterator().next();
    }

    ScriptedBridge bridge(MacAddress m) {
        return bridges.get(m);
    }

    /** Runs virtual time in small steps until the future is done (at most {@code limit}). */
    <T> CompletableFuture<T> settle(CompletableFuture<T> f, Duration limit) {
        clock.runUntil(f::isDone, limit);
        return f;
    }

    /** The future's value, after running virtual time until it completed (at most {@link #AWAIT_LIMIT}). */
    <T> T await(CompletableFuture<T> f) {
        return Outcomes.value(settle(f, AWAIT_LIMIT), AWAIT_LIMIT.toSeconds() + " s of virtual time");
    }

    /** The exception a future failed with (unwrapped), after running it to completion. */
    Throwable failure(CompletableFuture<?> f) {
        return Outcomes.failure(settle(f, AWAIT_LIMIT), AWAIT_LIMIT.toSeconds() + " s of virtual time");
    }

    void run(Duration d) {
        clock.advance(d);
    }

    TnveCounters counters() {
        return await(tnve.counters());
    }

    static VsiId vsi(int n) {
        return VsiId.of(new UUID(0x1234L, n));
    }

    static TsiSpec spec(int n, VnId vn, TsiAddress... addresses) {
        return TsiSpec.builder().vsiId(vsi(n)).managerId(MGR).typeId(0x123456).typeVersion(2).vn(vn).addresses(List.of(addresses))
                .build();
    }

    static TsiAddress mac(int n) {
        return TsiAddress.mac(MacAddress.valueOf(0x020000000000L | n));
    }
}
