package org.splitnve.cli;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.splitnve.ecptransport.clock.Scheduler;
import org.splitnve.ecptransport.link.LinkException;
import org.splitnve.nnve.Nnve;
import org.splitnve.nnve.nva.ObservableNva;
import org.splitnve.nvedataplane.DataPlane;
import org.splitnve.nvedataplane.UnderlayAddress;
import org.splitnve.nvedataplane.codec.Encapsulation;
import org.splitnve.nvedataplane.directory.NvaDirectory;
import org.splitnve.nvedataplane.port.DataPort;
import org.splitnve.nvedataplane.port.PortIo;
import org.splitnve.nvedataplane.port.RingDataPort;
import org.splitnve.vdpcore.IpText;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.VnId;
import picocli.CommandLine.Model.CommandSpec;

/** The data-plane options of {@code splitnve bridge}, checked before any NIC is opened. */
record DataPlaneOptions(String underlay, UnderlayAddress local, List<Remote> remotes, MacAddress nextHop, Encapsulation encap, PortIo io) {

    /** A static remote NVE of a VN ({@code --remote VNI=IP}). */
    record Remote(VnId vn, UnderlayAddress address) {
    }

    /** Null when no data plane was asked for; IllegalArgumentException says what is wrong. */
    static DataPlaneOptions parse(String underlay, String localIp, List<String> remotes, String nextHop, String encap, String io) {
        if (underlay == null) {
            if (localIp != null || !remotes.isEmpty() || nextHop != null) {
                throw new IllegalArgumentException("--local-ip, --remote and --next-hop need --underlay");
            }
            return null;
        }
        if (localIp == null) {
            throw new IllegalArgumentException("--underlay needs --local-ip");
        }
        UnderlayAddress local = address("--local-ip", localIp);
        List<Remote> rs = new ArrayList<>();
        for (String r : remotes) {
            int eq = r.indexOf('=');
            if (eq < 1 || !r.substring(0, eq).matches("\\d{1,8}")) {
                throw new IllegalArgumentException("--remote is VNI=IP, not '" + r + "'");
            }
            UnderlayAddress a = address("--remote", r.substring(eq + 1));
            if (a.isIpv6() != local.isIpv6()) {
                throw new IllegalArgumentException("--remote " + r + " is not of the address family of --local-ip " + localIp);
            }
            if (a.equals(local)) {
                throw new IllegalArgumentException("--remote " + r + " is --local-ip itself");
            }
            rs.add(new Remote(VnId.of(Integer.parseInt(r.substring(0, eq))), a));
        }
        MacAddress hop = nextHop == null ? null : MacAddress.valueOf(nextHop);
        Encapsulation e = switch (encap) {
            case "vxlan" -> Encapsulation.VXLAN;
            case "geneve" -> Encapsulation.GENEVE;
            default -> throw new IllegalArgumentException("--encap is vxlan or geneve, not '" + encap + "'");
        };
        return new DataPlaneOptions(underlay, local, List.copyOf(rs), hop, e, PortIo.of(io));
    }

    /** An NVE's underlay address: a unicast address another host can reach, not unspecified, multicast or loopback. */
    private static UnderlayAddress address(String option, String literal) {
        InetAddress a;
        try {
            a = IpText.parse(literal);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": not an IP address: '" + literal + "'");
        }
        String wrong = VsiFile.notAHostAddress(a);
        if (wrong == null && a.isLoopbackAddress()) {
            wrong = "a loopback address";
        }
        if (wrong != null) {
            throw new IllegalArgumentException(option + ": " + literal + " is " + wrong + ", not an NVE's underlay address");
        }
        return UnderlayAddress.of(a);
    }

    /**
     * Opens the trunk (beside the VDP stack's handle on the same NIC) and the underlay as {@code --io} says, and
     * starts forwarding; remote NVEs and flood lists come from {@code nva}, in memory or shared, and from
     * {@code --remote}. A ring port that fails later (its NIC removed) is reported as an {@code error} event.
     */
    AutoCloseable start(CommandSpec spec, String trunkIf, ObservableNva nva, Nnve nnve, Scheduler scheduler, EventLog log) {
        DataPort trunk;
        DataPort under;
        try {
            trunk = io.open(trunkIf);
        } catch (LinkException e) {
            throw Usage.error(spec, trunkIf + ": " + e.getMessage());
        }
        try {
            under = io.open(underlay);
        } catch (LinkException e) {
            trunk.close();
            throw Usage.error(spec, underlay + ": " + e.getMessage());
        }
        for (DataPort p : List.of(trunk, under)) {
            if (p instanceof RingDataPort ring) {
                ring.onFailure((port, e) -> log.emit("error", n -> n.put("port", port).put("why", e.getMessage())));
            }
        }
        NvaDirectory directory = new NvaDirectory(local).attach(nva);
        for (Remote r : remotes) {
            directory.addStatic(r.vn(), r.address());
        }
        DataPlane.Builder b = DataPlane.builder().trunkPort(trunk).underlayPort(under).localAddress(local).encapsulation(encap)
                .directory(directory).view(nnve.dataPlaneView()).scheduler(scheduler);
        if (nextHop != null) {
            b.nextHopMac(nextHop);
        } else {
            b.resolveNextHop();
        }
        DataPlane dp = b.build();
        String used = trunk instanceof RingDataPort && under instanceof RingDataPort ? PortIo.RING.option() : PortIo.PCAP.option();
        log.emit("dataplane", n -> n.put("trunk", trunkIf).put("underlay", underlay).put("localIp", local.address().getHostAddress())
                .put("encap", encap.name()).put("io", used));
        return () -> {
            log.emit("counters", n -> n.put("dataplane", dp.counters().toString()));
            dp.close();
            nva.unfollow(directory);
            trunk.close();
            under.close();
        };
    }
}
