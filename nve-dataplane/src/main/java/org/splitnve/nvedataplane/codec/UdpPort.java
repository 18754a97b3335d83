package org.splitnve.nvedataplane.codec;

/** UDP port numbers of the encapsulations and the outer source-port range. */
public final class UdpPort {

    /** IANA-assigned VXLAN port (RFC 7348 section 5). */
    public static final int VXLAN = 4789;
    /** IANA-assigned Geneve port (RFC 8926 section 3.3). */
    public static final int GENEVE = 6081;
    /** RFC 7348 recommends outer source ports from the dynamic range 49152..65535. */
    public static final int FLOW_MIN = 49152;
    public static final int FLOW_MAX = 65535;

    private UdpPort() {
    }
}
