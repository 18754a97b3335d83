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
import org.splitnve.nvedataplane.port.LinkDataPort;
import org.splitnve.vdpcore.IpText;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.VnId;
import picocli.CommandLine.Model.CommandSpec;

/** The data-plane options of {@code splitnve bridge}, checked before any NIC is opened. */
record DataPlaneOptions(String underlay, UnderlayAddress local, List<Remote> remotes, MacAddress nextHop, Encapsulation encap) {

    /** A static remote NVE of a VN ({@code --remote VNI=IP}). */
    record Remote(VnId vn, UnderlayAddress address) {
    }

    /** Null when no data plane was asked for; IllegalArgumentException says what is wrong. */
    static DataPlaneOptions parse(String underlay, String localIp, List<String> remotes, String nextHop, String encap) {
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
            rs.add(new Remote(VnId.of(Integer.parseInt(r.substring(0, eq))), a));
        }
        MacAddress hop = nextHop == null ? null : MacAddress.valueOf(nextHop);
        Encapsulation e = switch (encap) {
            case "vxlan" -> Encapsulation.VXLAN;
            case "geneve" -> Encapsulation.GENEVE;
            default -> throw new IllegalArgumentException("--encap is vxlan or geneve, not '" + encap + "'");
        };
        return new DataPlaneOptions(underlay, local, List.copyOf(rs), hop, e);
    }

    private static UnderlayAddress address(String option, String literal) {
        InetAddress a;
        try {
            a = IpText.parse(literal);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": not an IP address: '" + literal + "'");
        }
        return UnderlayAddress.of(a);
    }

    /**
     * Opens the trunk (a second handle on the VDP NIC) and the underlay, and starts forwarding; remote NVEs and flood
     * lists come from {@code nva}, in memory or shared, and from {@code --remote}.
     */
    AutoCloseable start(CommandSpec spec, String trunkIf, ObservableNva nva, Nnve nnve, Scheduler scheduler, EventLog log) {
        LinkDataPort trunk;
        LinkDataPort under;
        try {
            trunk = LinkDataPort.openPcap(trunkIf);
        } catch (LinkException e) {
            throw Usage.error(spec, trunkIf + ": " + e.getMessage());
        }
        try {
            under = LinkDataPort.openPcap(underlay);
        } catch (LinkException e) {
            trunk.close();
            throw Usage.error(spec, underlay + ": " + e.getMessage());
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
        log.emit("dataplane", n -> n.put("trunk", trunkIf).put("underlay", underlay).put("localIp", local.address().getHostAddress())
                .put("encap", encap.name()));
        return () -> {
            log.emit("counters", n -> n.put("dataplane", dp.counters().toString()));
            dp.close();
            nva.unfollow(directory);
            trunk.close();
            under.close();
        };
    }
}
