package org.splitnve.tnve;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.splitnve.vdpcore.IpText;
import org.splitnve.vdpcore.MacAddress;

/** One address of a TSI: what one filter entry carries besides GroupID and VID. */
public sealed interface TsiAddress permits TsiAddress.Mac, TsiAddress.Ip, TsiAddress.MacIp {

    static TsiAddress mac(MacAddress mac) {
        return new Mac(mac);
    }

    static TsiAddress ip(InetAddress ip) {
        return new Ip(ip);
    }

    static TsiAddress macIp(MacAddress mac, InetAddress ip) {
        return new MacIp(mac, ip);
    }

    /**
     * The addresses of a TSI described the way hypervisors do (one MAC, some IPs): the MAC alone
     * when there are no IPs, a MAC/IP pair per IP when there are, the IPs alone without a MAC;
     * empty with neither (the TSI then only joins its VN).
     */
    static List<TsiAddress> of(MacAddress mac, List<InetAddress> ips) {
        List<TsiAddress> out = new ArrayList<>(Math.max(1, ips.size()));
        if (mac != null && ips.isEmpty()) {
            out.add(new Mac(mac));
        } else {
            for (InetAddress ip : ips) {
                out.add(mac == null ? new Ip(ip) : new MacIp(mac, ip));
            }
        }
        return out;
    }

    /** A MAC address only: GroupID/MAC/VID entries. */
    record Mac(MacAddress mac) implements TsiAddress {
        public Mac {
            Objects.requireNonNull(mac, "mac");
        }

        @Override
        public String toString() {
            return mac.toString();
        }
    }

    /** An IP address only: GroupID/IP/VID entries (docs/PROTOCOL.md 4.1). */
    record Ip(InetAddress ip) implements TsiAddress {
        public Ip {
            Objects.requireNonNull(ip, "ip");
        }

        @Override
        public String toString() {
            return IpText.format(ip);
        }
    }

    /** A MAC and IP pair: GroupID/MAC/IP/VID entries (docs/PROTOCOL.md 4.1). */
    record MacIp(MacAddress mac, InetAddress ip) implements TsiAddress {
        public MacIp {
            Objects.requireNonNull(mac, "mac");
            Objects.requireNonNull(ip, "ip");
        }

        @Override
        public String toString() {
            return mac + "/" + IpText.format(ip);
        }
    }
}
