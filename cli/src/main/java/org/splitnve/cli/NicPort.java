package org.splitnve.cli;

import java.security.SecureRandom;
import org.splitnve.ecptransport.clock.RealScheduler;
import org.splitnve.ecptransport.ecp.EcpConfig;
import org.splitnve.ecptransport.lldp.LldpAgentConfig;
import org.splitnve.vdpcore.vdp.VdpDecoder;
import org.splitnve.vdpcore.vdp.VdpEncoder;
import org.splitnve.ecptransport.link.Libpcap;
import org.splitnve.ecptransport.link.LinkException;
import org.splitnve.ecptransport.link.PcapLink;
import org.splitnve.ecptransport.vdp.VdpStack;
import org.splitnve.vdpcore.frame.EtherType;

/**
 * Opens VDP on a NIC for {@code bridge} and {@code station}: libpcap checked first, then the
 * interface, each failure one line that says what to do.
 */
final class NicPort {

    /** Why the port could not be opened; the message is the one line the user sees. */
    static final class NicException extends Exception {
        NicException(String message) {
            super(message);
        }
    }

    private NicPort() {
    }

    static VdpStack open(Libpcap libpcap, String iface, boolean bridge, EvbOptions evb, RealScheduler scheduler)
            throws NicException {
        LldpAgentConfig lldp;
        try {
            lldp = evb.apply(bridge ? LldpAgentConfig.bridge() : LldpAgentConfig.station());
        } catch (IllegalArgumentException e) {
            throw new NicException(e.getMessage());
        }
        Libpcap.Status lib = libpcap.check();
        if (!lib.available()) {
            throw new NicException(lib.problem());
        }
        PcapLink link;
        try {
            link = PcapLink.open(iface, EtherType.ECP, EtherType.LLDP);
        } catch (LinkException e) {
            throw new NicException(iface + ": " + e.getMessage());
        }
        long seed = new SecureRandom().nextLong();
        return VdpStack.start(link, scheduler, lldp, EcpConfig.DEFAULT, new VdpDecoder(), new VdpEncoder(), seed);
    }

    /** Sets the SLF4J simple logger's level; only effective before the first logger is created. */
    static void logLevel(String level) {
        if (level != null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level);
        }
    }
}
