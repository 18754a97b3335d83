package org.splitnve.ecptransport.ring;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MTU of a network interface, asked of the kernel ({@code SIOCGIFMTU} on a datagram socket, which needs no
 * privilege) in the network namespace of the calling thread: what a link that does not own a packet socket (libpcap)
 * reads to size its PDUs and its capture.
 */
public final class InterfaceMtu {

    private static final Logger LOG = LoggerFactory.getLogger(InterfaceMtu.class);
    private static final int AF_INET = 2;
    private static final int SOCK_DGRAM = 2;

    private InterfaceMtu() {
    }

    /** The MTU of {@code ifname}, or {@code fallback} when it cannot be read (not Linux, no such interface). */
    public static int of(String ifname, int fallback) {
        if (Libc.UNSUPPORTED != null) {
            LOG.debug("MTU of {} not read ({}); taking {}", ifname, Libc.UNSUPPORTED, fallback);
            return fallback;
        }
        int fd = -1;
        try (Memory ifreq = new Memory(Tpacket.IFREQ_SIZE)) {
            ifreq.clear();
            byte[] name = ifname.getBytes(StandardCharsets.US_ASCII);
            ifreq.write(0, name, 0, Math.min(name.length, 15));
            fd = Libc.socket(AF_INET, SOCK_DGRAM, 0);
            Libc.ioctl(fd, Libc.SIOCGIFMTU, ifreq);
            int mtu = ifreq.getInt(Tpacket.IFREQ_MTU);
            return mtu > 0 ? mtu : fallback;
        } catch (LastErrorException e) {
            LOG.debug("MTU of {} not read (errno {}); taking {}", ifname, e.getErrorCode(), fallback);
            return fallback;
        } finally {
            if (fd >= 0) {
                try {
                    Libc.close(fd);
                } catch (LastErrorException ignored) {
                    // A socket that cannot be closed leaks one descriptor; the MTU was read anyway.
                }
            }
        }
    }
}
