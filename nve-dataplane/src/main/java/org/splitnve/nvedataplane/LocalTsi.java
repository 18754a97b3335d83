package org.splitnve.nvedataplane;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;
import org.splitnve.nnve.TsiView;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.LocalTag;

/**
 * An Activated TSI as the forwarding path checks it: port, tag and registered addresses unpacked; {@code mac} is the
 * MAC it is found under, or -1 where it is found by IP address (a TSI registered by IP addresses alone).
 */
final class LocalTsi {

    final TsiView view;
    final int port;
    final int vid;
    final int vni;
    final long mac;
    final int[] v4;
    final long[] v6;
    final boolean anyIp;

    LocalTsi(TsiView view, int port, long mac) {
        this.view = view;
        this.port = port;
        // The tag of its entries with this MAC: a TSI with several tags (Req-7) receives on the first of them.
        LocalTag tag = mac < 0 ? null : view.tagOf(MacAddress.valueOf(mac));
        this.vid = (tag != null ? tag : view.tag()).vid();
        this.vni = view.vn().value();
        this.mac = mac;
        List<InetAddress> ips = view.ips();
        int n4 = 0;
        int n6 = 0;
        for (InetAddress a : ips) {
            if (a instanceof Inet6Address) {
                n6++;
            } else {
                n4++;
            }
        }
        v4 = new int[n4];
        v6 = new long[n6 * 2];
        int i4 = 0;
        int i6 = 0;
        for (InetAddress a : ips) {
            ByteBuffer b = ByteBuffer.wrap(a.getAddress());
            if (a instanceof Inet6Address) {
                v6[i6++] = b.getLong(0);
                v6[i6++] = b.getLong(8);
            } else {
                v4[i4++] = b.getInt(0);
            }
        }
        anyIp = !ips.isEmpty();
    }

    /** An IPv4 source this TSI may use: any when it registered no IP, else a registered one. */
    boolean mayUseIpv4(int ip) {
        if (!anyIp || ip == 0) {
            // 0.0.0.0 is DHCP and ARP probes (RFC 5227): it impersonates nobody.
            return true;
        }
        for (int a : v4) {
            if (a == ip) {
                return true;
            }
        }
        return false;
    }

    boolean hasIpv6(long high, long low) {
        for (int i = 0; i < v6.length; i += 2) {
            if (v6[i] == high && v6[i + 1] == low) {
                return true;
            }
        }
        return false;
    }

    /**
     * An IPv6 source this TSI may use: any when it registered no IP; otherwise a registered one,
     * or link-local when it registered some IPv6 address (ND needs link-local addresses, which
     * reach no further than the VN).
     */
    boolean mayUseIpv6(long high, long low) {
        if (!anyIp) {
            return true;
        }
        if (v6.length > 0 && org.splitnve.nvedataplane.codec.Ipv6.isLinkLocal(high)) {
            return true;
        }
        return hasIpv6(high, low);
    }
}
