package org.splitnve.conformance;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.splitnve.ecptransport.clock.VirtualScheduler;
import org.splitnve.ecptransport.ecp.EcpAddressing;
import org.splitnve.ecptransport.ecp.EcpConfig;
import org.splitnve.ecptransport.link.Link;
import org.splitnve.ecptransport.link.LinkFaults;
import org.splitnve.ecptransport.link.MemoryBridge;
import org.splitnve.ecptransport.link.MemoryLink;
import org.splitnve.ecptransport.lldp.LldpAgentConfig;
import org.splitnve.ecptransport.vdp.VdpListener;
import org.splitnve.ecptransport.vdp.VdpStack;
import org.splitnve.nnve.DataPlaneListener;
import org.splitnve.nnve.Nnve;
import org.splitnve.nnve.NnveConfig;
import org.splitnve.nnve.NnveListener;
import org.splitnve.nnve.RefusalEvent;
import org.splitnve.nnve.TsiKey;
import org.splitnve.nnve.TsiView;
import org.splitnve.nnve.VapEvent;
import org.splitnve.nnve.VapView;
import org.splitnve.nnve.nva.InMemoryNva;
import org.splitnve.nnve.nva.Nva;
import org.splitnve.nnve.nva.NvaView;
import org.splitnve.nnve.nva.TsiMapping;
import org.splitnve.nnve.nva.VnContext;
import org.splitnve.nnve.policy.AuthorizationPolicy;
import org.splitnve.testsupport.Outcomes;
import org.splitnve.tnve.ResponseEvent;
import org.splitnve.tnve.Tnve;
import org.splitnve.tnve.TnveListener;
import org.splitnve.tnve.TsiAddress;
import org.splitnve.tnve.TsiEvent;
import org.splitnve.tnve.TsiSpec;
import org.splitnve.tnve.VmLifecycle;
import org.splitnve.tnve.VnEvent;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.ManagerId;
import org.splitnve.vdpcore.vdp.ParsedVdpdu;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VdpDecoder;
import org.splitnve.vdpcore.vdp.VdpEncoder;
import org.splitnve.vdpcore.vdp.VnId;
import org.splitnve.vdpcore.vdp.VsiId;

/**
 * Our tNVEs (stations) against our nNVEs (bridges), in memory and in virtual time: every side is a
 * {@link VdpStack} (link, ECP, LLDP/EVB, VDP channel) on one {@link VirtualScheduler}, joined by
 * {@link MemoryLink} pairs (optionally lossy, seeded) or by one {@link MemoryBridge} (the bridged
 * network of RFC 8394 Req-1/Req-2). Every listener event of both sides is recorded.
 */
final class SplitNveTestBed {

    /** How much virtual time {@link #await} and {@link #failure} give a future. */
    static final Duration AWAIT_LIMIT = Duration.ofSeconds(120);

    static final ManagerId MGR = ManagerId.ofName("snvmgr");
    static final VnId VN1 = VnId.of(5001);
    static final VnId VN2 = VnId.of(5002);
    static final VnId VN3 = VnId.of(5003);
    static final Duration WIRE_DELAY = Duration.ofNanos(10_000);

    final VirtualScheduler clock = new VirtualScheduler();
    private MemoryBridge network;
    private long seeds = 100;

    // ------------------------------------------------------------------ topology

    /** The bridged network, created on first use. */
    MemoryBridge network() {
        if (network == null) {
            network = new MemoryBridge(clock, WIRE_DELAY);
        }
        return network;
    }

    /** An NVA that knows VN1..VN3. */
    static InMemoryNva nva() {
        InMemoryNva nva = new InMemoryNva();
        for (VnId vn : List.of(VN1, VN2, VN3)) {
            nva.define(new VnContext(vn, "vn-" + vn.value()));
        }
        return nva;
    }

    /** An nNVE with the default config, allow-all policy and its own NVA; no port yet. */
    Bridge nnve(String name, MacAddress mac) {
        return nnve(name, mac, NnveConfig.builder().nveName(name).build(), AuthorizationPolicy.allowAll(), nva());
    }

    Bridge nnve(String name, MacAddress mac, NnveConfig config, AuthorizationPolicy policy, InMemoryNva nva) {
        return new Bridge(name, mac, config, policy, nva, nva);
    }

    /** An nNVE that talks to {@code front} (e.g. a slow NVA) whose views are those of {@code nva}. */
    Bridge nnve(String name, MacAddress mac, NnveConfig config, AuthorizationPolicy policy, InMemoryNva nva, Nva front) {
        return new Bridge(name, mac, config, policy, nva, front);
    }

    MemoryLink[] pair(String a, MacAddress macA, String b, MacAddress macB, LinkFaults faults) {
        return MemoryLink.pair(clock, a, macA, b, macB, faults);
    }

    /** A station directly attached to its own port of {@code bridge} by a (possibly lossy) link. */
    Host directHost(String name, MacAddress mac, Bridge bridge, LinkFaults faults) {
        return directHost(name, mac, bridge, faults, UnaryOperator.identity());
    }

    Host directHost(String name, MacAddress mac, Bridge bridge, LinkFaults faults, UnaryOperator<Tnve.Builder> tweak) {
        MemoryLink[] l = pair(name, mac, bridge.name + "-" + name, bridge.mac, faults);
        bridge.serve(l[1]);
        return host(name, l[0], bridge.mac, tweak);
    }

    /**
     * An nNVE port on the bridged network, with the shipped configuration: it answers every station at its own MAC
     * (docs/PROTOCOL.md 4.3), so no setting is needed for reserved groups not crossing the network.
     */
    Bridge onNetwork(Bridge bridge) {
        return onNetwork(bridge, EcpConfig.DEFAULT);
    }

    /** An nNVE port on the bridged network with its own ECP settings (e.g. a group address it also listens to). */
    Bridge onNetwork(Bridge bridge, EcpConfig ecp) {
        bridge.serve(network().attach(bridge.name + "-p1", bridge.mac), ecp);
        return bridge;
    }

    /**
     * A station on the bridged network.
     *
     * @param unicastTo when given (its bridge), the station addresses its bridge by unicast; without, by the default
     *                  nearest-customer-bridge group, which the network does not forward
     */
    Host networkHost(String name, MacAddress mac, MacAddress bridge, UnaryOperator<Tnve.Builder> tweak, MacAddress... unicastTo) {
        MemoryBridge.Port port = network().attach(name, mac);
        UnaryOperator<Tnve.Builder> addressing = unicastTo.length > 0 ? b -> tweak.apply(b.addressing(EcpAddressing.unicast())) : tweak;
        Host h = host(name, port, bridge, addressing);
        clock.runReady();
        return h;
    }

    Host host(String name, Link link, MacAddress bridge, UnaryOperator<Tnve.Builder> tweak) {
        return host(name, link, bridge, tweak, LldpAgentConfig.station());
    }

    /** A station whose LLDP agent advertises {@code lldp}; like a shipped station, GroupID formats follow its EVB TLVs. */
    Host host(String name, Link link, MacAddress bridge, UnaryOperator<Tnve.Builder> tweak, LldpAgentConfig lldp) {
        VdpStack stack = VdpStack.start(link, clock, lldp, EcpConfig.DEFAULT, new VdpDecoder(), new VdpEncoder(), seeds++);
        Tnve.Builder b = Tnve.builder().channel(stack.channel()).timers(stack.timersSource()).groupIds(stack.groupIdSupport())
                .bridge(bridge);
        Host h = new Host(name, link, stack, tweak.apply(b).build());
        h.tnve.start();
        clock.runReady();
        return h;
    }

    // ------------------------------------------------------------------ time

    /** Runs virtual time in 1 ms steps until the future is done or {@code limit} passed. */
    <T> CompletableFuture<T> settle(CompletableFuture<T> f, Duration limit) {
        clock.runUntil(f::isDone, limit);
        return f;
    }

    /** The future's value, after running virtual time until it completed (at most {@link #AWAIT_LIMIT}). */
    <T> T await(CompletableFuture<T> f) {
        return Outcomes.value(settle(f, AWAIT_LIMIT), AWAIT_LIMIT.toSeconds() + " s of virtual time");
    }

    /** The exception the future failed with (unwrapped), after running virtual time until it completed. */
    Throwable failure(CompletableFuture<?> f) {
        return Outcomes.failure(settle(f, AWAIT_LIMIT), AWAIT_LIMIT.toSeconds() + " s of virtual time");
    }

    void run(Duration d) {
        clock.advance(d);
    }

    // ------------------------------------------------------------------ values

    static VsiId vsi(int n) {
        return VsiId.of(new UUID(0x5EEDL, n));
    }

    static MacAddress vmMac(int n) {
        return MacAddress.valueOf(0x020000AA0000L + n);
    }

    static InetAddress ip(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    /** VM {@code n} in {@code vn} with one MAC address. */
    static TsiSpec spec(int n, VnId vn) {
        return spec(n, vn, TsiAddress.mac(vmMac(n)));
    }

    static TsiSpec spec(int n, VnId vn, TsiAddress... addresses) {
        return TsiSpec.builder().vsiId(vsi(n)).managerId(MGR).typeId(0x123456).typeVersion(1).vn(vn).addresses(List.of(addresses))
                .build();
    }

    // ------------------------------------------------------------------ sides

    /** One nNVE: its Nnve, NVA and (once it serves) its one port's stack, with every event recorded. */
    final class Bridge {
        final String name;
        final MacAddress mac;
        final InMemoryNva nva;
        final Nnve nnve;
        final List<Object> events = new CopyOnWriteArrayList<>();
        final List<Object> dataPlane = new CopyOnWriteArrayList<>();
        /** Every VDPDU the port received, with its sender. */
        final List<Received> received = new CopyOnWriteArrayList<>();
        VdpStack stack;

        Bridge(String name, MacAddress mac, NnveConfig config, AuthorizationPolicy policy, InMemoryNva nva, Nva front) {
            this.name = name;
            this.mac = mac;
            this.nva = nva;
            this.nnve = Nnve.builder().nva(front).policy(policy).config(config).build();
            nnve.addListener(new NnveListener() {
                @Override
                public void onVap(VapEvent e) {
                    events.add(e);
                }

                @Override
                public void onTsi(org.splitnve.nnve.TsiEvent e) {
                    events.add(e);
                }

                @Override
                public void onResponse(org.splitnve.nnve.ResponseEvent e) {
                    events.add(e);
                }

                @Override
                public void onRefused(RefusalEvent e) {
                    events.add(e);
                }
            });
            nnve.dataPlaneView().addListener(new DataPlaneListener() {
                @Override
                public void onVnMapped(String port, VnId vn, LocalTag tag, VnContext context) {
                    dataPlane.add(new Mapped(port, vn, tag));
                }

                @Override
                public void onVnUnmapped(String port, VnId vn, LocalTag tag) {
                    dataPlane.add(new Unmapped(port, vn, tag));
                }

                @Override
                public void onTsiActivated(TsiView tsi) {
                    dataPlane.add(new Activated(tsi));
                }

                @Override
                public void onTsiDeactivated(TsiView tsi, String why, boolean mayHaveMoved) {
                    dataPlane.add(new Deactivated(tsi, why, mayHaveMoved));
                }

                @Override
                public void onActivatedWithMigration(TsiView tsi) {
                    dataPlane.add(new Migrated(tsi));
                }
            });
        }

        /** Serves VDP on {@code link} with the shipped configuration (that of {@code splitnve bridge}). */
        Bridge serve(Link link) {
            return serve(link, EcpConfig.DEFAULT);
        }

        Bridge serve(Link link, EcpConfig ecp) {
            return serve(link, ecp, LldpAgentConfig.bridge());
        }

        /** Serves VDP on {@code link}, GroupID formats following the EVB TLVs as {@code splitnve bridge} has them. */
        Bridge serve(Link link, EcpConfig ecp, LldpAgentConfig lldp) {
            stack = VdpStack.start(link, clock, lldp, ecp, new VdpDecoder(), new VdpEncoder(), seeds++);
            stack.channel().addListener(new VdpListener() {
                @Override
                public void onVdpdu(MacAddress peer, ParsedVdpdu pdu) {
                    received.add(new Received(peer, pdu));
                }
            });
            nnve.addPort(stack.channel(), stack.timersSource(), stack.groupIdSupport());
            clock.runReady();
            return this;
        }

        String port() {
            return stack.channel().portName();
        }

        /** A data plane on this nNVE's port, following it, with {@code localIp} as its underlay address. */
        DataPath dataPlane(String localIp) {
            return new DataPath(port(), nnve, nva, localIp, clock);
        }

        TsiKey key(Host h, VsiId id) {
            return new TsiKey(port(), h.mac(), id);
        }

        Optional<TsiView> tsi(Host h, VsiId id) {
            return nnve.tsi(key(h, id));
        }

        /** The bridge's state of the VSI from that station: INIT when it holds nothing. */
        TsiState state(Host h, VsiId id) {
            return tsi(h, id).map(TsiView::state).orElse(TsiState.INIT);
        }

        Optional<VapView> vap(VnId vn) {
            return nnve.vap(port(), vn);
        }

        List<TsiMapping> view(NvaView v) {
            return nva.mappings(v).stream().filter(m -> m.nve().equals(nnve.config().nveName())).toList();
        }

        <T> List<T> events(Class<T> type) {
            return events.stream().filter(type::isInstance).map(type::cast).toList();
        }

        <T> List<T> dataPlane(Class<T> type) {
            return dataPlane.stream().filter(type::isInstance).map(type::cast).toList();
        }

        /** The association TLVs this port received (requests and station responses). */
        List<org.splitnve.vdpcore.vdp.AssociationTlv> receivedTlvs() {
            List<org.splitnve.vdpcore.vdp.AssociationTlv> out = new ArrayList<>();
            received.forEach(r -> out.addAll(r.pdu().associations()));
            return out;
        }

        /** Stops this nNVE without de-associating anything (a crash or restart); the link goes with the stack. */
        void kill() {
            nnve.close();
            stack.close();
            clock.runReady();
        }
    }

    /** One station: its tNVE on a VDP stack, the VM lifecycle adapter, every tNVE event recorded. */
    final class Host {
        final String name;
        final Link link;
        final VdpStack stack;
        final Tnve tnve;
        final VmLifecycle vm;
        final List<Object> events = new CopyOnWriteArrayList<>();

        Host(String name, Link link, VdpStack stack, Tnve tnve) {
            this.name = name;
            this.link = link;
            this.stack = stack;
            this.tnve = tnve;
            this.vm = new VmLifecycle(tnve);
            tnve.addListener(new TnveListener() {
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
                    events.add(new BridgeDeassociated(vsiId, bridge));
                }

                @Override
                public void onBridgeDeactivate(VsiId vsiId, MacAddress bridge) {
                    events.add(new BridgeDeactivated(vsiId, bridge));
                }

                @Override
                public void onBridgeRemovedAddresses(VsiId vsiId, MacAddress bridge, List<TsiAddress> removed) {
                    events.add(new BridgeRemovedAddresses(vsiId, bridge, removed));
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
            });
        }

        MacAddress mac() {
            return stack.channel().localMac();
        }

        <T> List<T> events(Class<T> type) {
            return events.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }

    record Received(MacAddress peer, ParsedVdpdu pdu) {
    }

    record Mapped(String port, VnId vn, LocalTag tag) {
    }

    record Unmapped(String port, VnId vn, LocalTag tag) {
    }

    record Activated(TsiView tsi) {
    }

    /** {@code mayHaveMoved}: the data plane is to hold the TSI's frames for its new location (docs/PROTOCOL.md 4.2). */
    record Deactivated(TsiView tsi, String why, boolean mayHaveMoved) {
    }

    record Migrated(TsiView tsi) {
    }

    record BridgeDeassociated(VsiId vsiId, MacAddress bridge) {
    }

    record BridgeDeactivated(VsiId vsiId, MacAddress bridge) {
    }

    record BridgeRemovedAddresses(VsiId vsiId, MacAddress bridge, List<TsiAddress> removed) {
    }

    record TagChanged(VnId vn, MacAddress bridge, LocalTag oldTag, LocalTag newTag) {
    }

    record PeerLost(MacAddress bridge, String why) {
    }

    record Failover(MacAddress from, MacAddress to) {
    }
}
