package org.splitnve.nvedataplane.codec;

/**
 * Why bytes were refused. Validators return one of these (or {@code null} for good bytes) so that
 * the forwarding path can count a bad frame without allocating an exception.
 */
public enum Malformation {
    TRUNCATED("shorter than its header says"),
    BAD_VERSION("wrong IP version"),
    BAD_HEADER_LENGTH("header length out of range"),
    BAD_TOTAL_LENGTH("total or payload length out of range"),
    BAD_IP_CHECKSUM("IPv4 header checksum does not verify"),
    FRAGMENT("IP fragment"),
    BAD_UDP_LENGTH("UDP length out of range"),
    BAD_UDP_CHECKSUM("UDP checksum does not verify"),
    ZERO_UDP_CHECKSUM("zero UDP checksum over IPv6"),
    BAD_FLAGS("encapsulation flags invalid (VXLAN I bit clear, Geneve version not 0)"),
    OAM("Geneve control (O bit) frame"),
    CRITICAL_OPTION("Geneve critical option not understood"),
    BAD_PROTOCOL_TYPE("Geneve protocol type is not Ethernet"),
    BAD_ARP("not an Ethernet/IPv4 ARP request or reply"),
    BAD_ICMPV6("ICMPv6 message malformed (length, code, hop limit or checksum)");

    private final String text;

    Malformation(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }
}
