package org.splitnve.cli;

import org.splitnve.ecptransport.clock.RealScheduler;
import org.splitnve.ecptransport.ecp.EcpAddressing;
import org.splitnve.ecptransport.ecp.EcpConfig;
import org.splitnve.ecptransport.link.Libpcap;
import org.splitnve.ecptransport.link.LinkException;
import org.splitnve.ecptransport.link.PcapLink;
import org.splitnve.ecptransport.link.ResilientLink;
import org.splitnve.ecptransport.lldp.LldpAgentConfig;
import org.splitnve.ecptransport.vdp.VdpStack;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.frame.EtherType;
import org.splitnve.vdpcore.vdp.VdpDecoder;
import org.splitnve.vdpcore.vdp.VdpEncoder;
import java.security.SecureRandom;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * What the commands that speak VDP on a NIC ({@code bridge}, {@code station}, {@code conformance}) share: the log
 * level, the EVB values they advertise, and the prologue that checks them, libpcap and the NIC before anything
 * starts. Every failure of the prologue is a usage error ({@link Usage#error}): one line, exit 2.
 */
final class NicOptions {

    private static final String LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";
    private static final List<String> LEVELS = List.of("error", "warn", "info", "debug", "trace", "off");

    @Option(names = "--log", paramLabel = "LEVEL", description = "log level on standard error: warn (default), info, debug")
    String logLevel;

    /**
     * Sets the log level that {@code --log LEVEL} (or {@code --log=LEVEL}) on the command line names, before the first
     * logger exists; a value that is not a level is left for the command to report as a usage error.
     */
    static void presetLogLevel(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String level = args[i].equals("--log") && i + 1 < args.length ? args[i + 1]
                    : args[i].startsWith("--log=") ? args[i].substring("--log=".length()) : null;
            if (level != null && LEVELS.contains(level)) {
                System.setProperty(LEVEL_PROPERTY, level);
            }
        }
    }

    @Mixin
    EvbOptions evb = new EvbOptions();

    /**
     * Applies the log level (before any logger exists) and returns the LLDP agent configuration of the role with
     * the EVB options applied.
     */
    LldpAgentConfig prologue(CommandSpec spec, LldpAgentConfig role) {
        if (logLevel != null) {
            if (!LEVELS.contains(logLevel)) {
                throw Usage.error(spec, "--log is one of " + String.join(", ", LEVELS) + ", not '" + logLevel + "'");
            }
            // Effective only if no logger exists yet; main() sets it first (presetLogLevel), in-process callers here.
            System.setProperty(LEVEL_PROPERTY, logLevel);
        }
        try {
            return evb.apply(role);
        } catch (IllegalArgumentException e) {
            throw Usage.error(spec, e.getMessage());
        }
    }

    /** Opens the NIC for ECP and LLDP: libpcap checked first, then the interface. */
    static PcapLink openLink(CommandSpec spec, Libpcap libpcap, String iface) {
        Libpcap.Status lib = libpcap.check();
        if (!lib.available()) {
            throw Usage.error(spec, lib.problem());
        }
        try {
            return PcapLink.open(iface, EtherType.ECP, EtherType.LLDP);
        } catch (LinkException e) {
            throw Usage.error(spec, iface + ": " + e.getMessage());
        }
    }

    /**
     * Opens VDP on the NIC with these ECP settings and a random first ECP sequence number (docs/PROTOCOL.md section 1).
     * A NIC that fails later (down, removed) is opened again as {@code retry} says ({@link ResilientLink}); one that
     * cannot be opened now is a usage error.
     */
    static VdpStack openStack(CommandSpec spec, Libpcap libpcap, String iface, LldpAgentConfig lldp, EcpConfig ecp,
                              RealScheduler scheduler, ResilientLink.Retry retry) {
        PcapLink first = openLink(spec, libpcap, iface);
        ResilientLink link;
        try {
            boolean[] opened = {false};
            link = ResilientLink.open(() -> {
                if (!opened[0]) {
                    opened[0] = true;
                    return first;
                }
                return PcapLink.open(iface, EtherType.ECP, EtherType.LLDP);
            }, scheduler, retry);
        } catch (LinkException e) {
            first.close();
            throw Usage.error(spec, iface + ": " + e.getMessage());
        }
        long seed = new SecureRandom().nextLong();
        return VdpStack.start(link, scheduler, lldp, ecp, new VdpDecoder(), new VdpEncoder(), seed);
    }

    /**
     * A group MAC given for ECP (docs/PROTOCOL.md 4.3): a group address, not one of the reserved 01-80-C2-00-00-01 to
     * -0F; a usage error naming {@code option} otherwise.
     */
    static MacAddress ecpGroup(CommandSpec spec, String option, String text) {
        try {
            MacAddress mac = MacAddress.valueOf(text);
            EcpAddressing.checkGroup(mac);
            return mac;
        } catch (IllegalArgumentException e) {
            throw Usage.error(spec, option + ": " + e.getMessage());
        }
    }
}
