package org.splitnve.vdpcore.frame;

/** EtherTypes the library speaks or steps over. */
public final class EtherType {

    public static final int IPV4 = 0x0800;
    public static final int ARP = 0x0806;
    public static final int VLAN = 0x8100;
    public static final int IPV6 = 0x86DD;
    public static final int QINQ = 0x88A8;
    public static final int LLDP = 0x88CC;
    /** Edge Control Protocol, 802.1Q clause 43. */
    public static final int ECP = 0x8940;

    private EtherType() {
    }

    /** A short name for text output, or the hex value. */
    public static String name(int type) {
        return switch (type) {
            case IPV4 -> "IPv4";
            case ARP -> "ARP";
            case VLAN -> "802.1Q";
            case IPV6 -> "IPv6";
            case QINQ -> "802.1ad";
            case LLDP -> "LLDP";
            case ECP -> "ECP";
            default -> hex(type);
        };
    }

    /** {@code 0x8940} style text, as JSON output shows EtherTypes. */
    public static String hex(int type) {
        return switch (type) {
            case ECP -> "0x8940";
            case LLDP -> "0x88cc";
            default -> new String(new char[] {'0', 'x', HEX[(type >>> 12) & 0xF], HEX[(type >>> 8) & 0xF],
                HEX[(type >>> 4) & 0xF], HEX[type & 0xF]});
        };
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();
}
