package org.splitnve.nnve;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.splitnve.ecptransport.auth.AuthorizationEvent;
import org.splitnve.ecptransport.auth.PortAuthorization;
import org.splitnve.ecptransport.clock.VirtualScheduler;
import org.splitnve.ecptransport.ecp.EcpConfig;
import org.splitnve.ecptransport.ecp.EcpEngine;
import org.splitnve.ecptransport.link.LinkFaults;
import org.splitnve.ecptransport.link.MemoryLink;
import org.splitnve.ecptransport.vdp.VdpChannel;
import org.splitnve.ecptransport.vdp.VdpTimers;
import org.splitnve.nnve.nva.InMemoryNva;
import org.splitnve.nnve.nva.Nva;
import org.splitnve.nnve.nva.VnContext;
import org.splitnve.nnve.policy.AuthorizationPolicy;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.ecp.EcpSubtype;
import org.splitnve.vdpcore.vdp.AssociationTlv;
import org.splitnve.vdpcore.vdp.FilterEntry;
import org.splitnve.vdpcore.vdp.FilterFormat;
import org.splitnve.vdpcore.vdp.FilterInfo;
import org.splitnve.vdpcore.vdp.ManagerId;
import org.splitnve.vdpcore.vdp.ParsedVdpdu;
import org.splitnve.vdpcore.vdp.VdpEncoder;
import org.splitnve.vdpcore.vdp.VdpTlvType;
import org.splitnve.vdpcore.vdp.Vdpdu;
import org.splitnve.vdpcore.vdp.VnId;
import org.splitnve.vdpcore.vdp.VsiId;
import org.splitnve.vdpcore.vdp.VsiStatus;

/**
 * A bridge under test and scripted stations, each on its own in-memory link (one port each), in
 * virtual time. Stations are an ECP engine and a VDP channel sending hand-built TLVs and recording
 * what the bridge sends back.
 */
final class NnveTestBed {

    static final ManagerId MGR = ManagerId.ofName("snvmgr");
    static final VdpTimers TIMERS = VdpTimers.DEFAULT;

    final VirtualScheduler clock = new VirtualScheduler();
    final InMemoryNva memoryNva = new InMemoryNva();
    final Nnve nnve;
    final List<Object> events = new CopyOnWriteArrayList<>();
    final List<Object> dataPlane = new CopyOnWriteArrayList<>();
    private int ports;

    NnveTestBed() {
        this(NnveConfig.DEFAULT, AuthorizationPolicy.allowAll(), null);
    }

    NnveTestBed(NnveConfig config, AuthorizationPolicy policy, Nva nva) {
        for (int vn : new int[] {5001, 5002, 5003, 5004}) {
            memoryNva.define(new VnContext(VnId.of(vn), "vn-" + vn));
        }
        nnve = Nnve.builder().nva(nva != null ? nva : memoryNva).policy(policy).config(config).build();
        nnve.addListener(new NnveListener() {
            @Override
            public void onVap(VapEvent e) {
                events.add(e);
            }

            @Override
            public void onTsi(TsiEvent e) {
                events.add(e);
            }

            @Override
            public void onRefused(RefusalEvent e) {
                events.add(e);
            }

            @Override
            public void onPortAuthorization(AuthorizationEvent e) {
                events.add(e);
            }
        });
        nnve.dataPlaneView().addListener(new DataPlaneListener() {
            @Override
            public void onVnMapped(String port, VnId vn, org.splitnve.vdpcore.vdp.LocalTag tag, VnContext context) {
                dataPlane.add("mapped " + port + " " + vn.value() + " " + tag.vid());
            }

            @Override
            public void onVnUnmapped(String port, VnId vn, org.splitnve.vdpcore.vdp.LocalTag tag) {
                dataPlane.add("unmapped " + port + " " + vn.value() + " " + tag.vid());
            }

            @Override
            public void onTsiActivated(TsiView tsi) {
                dataPlane.add("activated " + tsi.key().vsiId());
            }

            @Override
            public void onTsiDeactivated(TsiView tsi, String why) {
                dataPlane.add("deactivated " + tsi.key().vsiId());
            }

            @Override
            public void onActivatedWithMigration(TsiView tsi) {
                dataPlane.add("migrated " + tsi.key().vsiId());
            }
        });
    }

    Station station(String port) {
        return station(port, LinkFaults.NONE, () -> TIMERS);
    }

    /** A station on a port that serves only the stations {@code authorization} admits (Req-11). */
    Station station(String port, PortAuthorization authorization) {
        return station(port, LinkFaults.NONE, () -> TIMERS, authorization);
    }

    Station station(String port, LinkFaults faults, Supplier<VdpTimers> timers) {
        return station(port, faults, timers, null);
    }

    private Station station(String port, LinkFaults faults, Supplier<VdpTimers> timers, PortAuthorization authorization) {
        int n = ++ports;
        MacAddress bridgeMac = MacAddress.valueOf(0x02000000B000L + n);
        MacAddress stationMac = MacAddress.valueOf(0x02000000A000L + n);
        MemoryLink[] links = MemoryLink.pair(clock, port, bridgeMac, "st-" + port, stationMac, faults);
        EcpEngine bridgeEcp = new EcpEngine(links[0], clock, EcpConfig.DEFAULT, n).start();
        VdpChannel bridge = new VdpChannel(bridgeEcp, clock, new org.splitnve.vdpcore.vdp.VdpDecoder(), new VdpEncoder());
        nnve.addPort(bridge, timers, authorization);
        EcpEngine stationEcp = new EcpEngine(links[1], clock, EcpConfig.DEFAULT, 1000 + n).start();
        VdpChannel st = new VdpChannel(stationEcp, clock, new org.splitnve.vdpcore.vdp.VdpDecoder(), new VdpEncoder());
        return new Station(this, port, stationMac, bridgeMac, stationEcp, st);
    }

    /** Lets the link and ECP deliver what is queued (no loss: well under a second). */
    void settle() {
        clock.advance(Duration.ofMillis(300));
    }

    void advance(Duration d) {
        clock.advance(d);
    }

    @SuppressWarnings("unchecked")
    <T> List<T> events(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Object o : events) {
            if (type.isInstance(o)) {
                out.add((T) o);
            }
        }
        return out;
    }

    // ------------------------------------------------------------ TLV building

    static VsiId vsi(int n) {
        return VsiId.of(new java.util.UUID(0x5151L, n));
    }

    static FilterEntry gmv(int vn, long mac, int vid) {
        return FilterEntry.builder().vn(vn).mac(MacAddress.valueOf(0x020000000000L + mac)).vid(vid).build();
    }

    static AssociationTlv tlv(VdpTlvType type, VsiId vsi, VsiStatus status, FilterFormat format, FilterEntry... entries) {
        return AssociationTlv.builder().type(type).status(status).typeId(7).typeVersion(1).vsiId(vsi)
                .filter(FilterInfo.of(format, entries)).build();
    }

    static AssociationTlv pre(VsiId vsi, FilterEntry... entries) {
        return tlv(VdpTlvType.PRE_ASSOCIATE, vsi, VsiStatus.REQUEST, FilterFormat.GROUPID_MAC_VID, entries);
    }

    static AssociationTlv assoc(VsiId vsi, FilterEntry... entries) {
        return tlv(VdpTlvType.ASSOCIATE, vsi, VsiStatus.REQUEST, FilterFormat.GROUPID_MAC_VID, entries);
    }

    static AssociationTlv deassoc(VsiId vsi, FilterEntry... entries) {
        return tlv(VdpTlvType.DE_ASSOCIATE, vsi, VsiStatus.REQUEST, FilterFormat.GROUPID_MAC_VID, entries);
    }

    /** A scripted VDP station on one port. */
    static final class Station {
        final NnveTestBed bed;
        final String port;
        final MacAddress mac;
        final MacAddress bridgeMac;
        final EcpEngine ecp;
        final VdpChannel channel;
        final List<ParsedVdpdu> received = new CopyOnWriteArrayList<>();

        Station(NnveTestBed bed, String port, MacAddress mac, MacAddress bridgeMac, EcpEngine ecp, VdpChannel channel) {
            this.bed = bed;
            this.port = port;
            this.mac = mac;
            this.bridgeMac = bridgeMac;
            this.ecp = ecp;
            this.channel = channel;
            channel.addListener((peer, pdu) -> received.add(pdu));
        }

        /** One request (the TLVs of one VSI), as a tNVE sends it. */
        CompletableFuture<Void> send(AssociationTlv... tlvs) {
            return channel.send(bridgeMac, MGR, List.of(tlvs));
        }

        /** Sends and lets it be answered; returns the answers that came back for this VSI. */
        List<AssociationTlv> exchange(AssociationTlv... tlvs) {
            int before = received.size();
            send(tlvs);
            bed.settle();
            List<AssociationTlv> out = new ArrayList<>();
            for (ParsedVdpdu p : received.subList(before, received.size())) {
                for (AssociationTlv t : p.associations()) {
                    if (t.vsiId().equals(tlvs[0].vsiId()) && t.status().isResponse()) {
                        out.add(t);
                    }
                }
            }
            return out;
        }

        /** Exactly one answer expected. */
        AssociationTlv ask(AssociationTlv tlv) {
            List<AssociationTlv> a = exchange(tlv);
            if (a.size() != 1) {
                throw new AssertionError("expected one answer to " + tlv + ", got " + a);
            }
            return a.get(0);
        }

        /** Sends a hand-encoded VDPDU as it is, bypassing the channel's batching. */
        void sendRawPdu(byte[] pdu) {
            ecp.send(bridgeMac, EcpSubtype.VDP, ByteBuffer.wrap(pdu));
        }

        static byte[] encode(Vdpdu pdu) {
            ByteBuffer b = ByteBuffer.allocate(pdu.encodedLength());
            new VdpEncoder().encode(pdu, b);
            return b.array();
        }

        /** Every association TLV received, in order. */
        List<AssociationTlv> all() {
            List<AssociationTlv> out = new ArrayList<>();
            for (ParsedVdpdu p : received) {
                out.addAll(p.associations());
            }
            return out;
        }

        /** Unsolicited De-Associates from the bridge (type 4, response bit clear). */
        List<AssociationTlv> bridgeDeassociates() {
            return all().stream().filter(t -> t.type() == VdpTlvType.DE_ASSOCIATE && !t.status().isResponse()).toList();
        }

        TsiKey key(VsiId vsi) {
            return new TsiKey(port, mac, vsi);
        }
    }
}
