package org.splitnve.nvedataplane.codec;

/** IP protocol / IPv6 next-header numbers (IANA) the data plane reads or writes. */
public final class IpProtocol {

    public static final int HOP_BY_HOP = 0;
    public static final int ICMP = 1;
    public static final int IGMP = 2;
    public static final int TCP = 6;
    public static final int UDP = 17;
    public static final int ICMPV6 = 58;
    public static final int SCTP = 132;

    private IpProtocol() {
    }

    /** Protocols whose first four octets are source and destination ports, used in the flow hash. */
    public static boolean hasPorts(int protocol) {
        return protocol == TCP || protocol == UDP || protocol == SCTP;
    }
}
