package org.splitnve.nnve.policy;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.ManagerId;
import org.splitnve.vdpcore.vdp.VnId;

/**
 * Who asks to put a TSI into a VN, and which addresses it claims.
 *
 * @param port     the NVE port the request came in on
 * @param station  the MAC address of the end device (the VDP station)
 * @param manager  the VSI Manager ID of the request
 * @param vn       the VN to join
 * @param macs     MAC addresses claimed (filter entries)
 * @param ips      IP addresses claimed (filter entries)
 * @param identity the EAP identity the station authenticated with on the port (IEEE 802.1X, Req-11); empty when the
 *                 port does not authenticate stations. Unlike the MAC and the Manager ID, no station can claim it.
 */
public record AuthorizationRequest(String port, MacAddress station, ManagerId manager, VnId vn, List<MacAddress> macs,
                                   List<InetAddress> ips, Optional<String> identity) {

    public AuthorizationRequest {
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(station, "station");
        Objects.requireNonNull(manager, "manager");
        Objects.requireNonNull(vn, "vn");
        Objects.requireNonNull(identity, "identity");
        macs = List.copyOf(macs);
        ips = List.copyOf(ips);
    }

    /** A request on a port that does not authenticate stations: no identity. */
    public AuthorizationRequest(String port, MacAddress station, ManagerId manager, VnId vn, List<MacAddress> macs,
                                List<InetAddress> ips) {
        this(port, station, manager, vn, macs, ips, Optional.empty());
    }
}
