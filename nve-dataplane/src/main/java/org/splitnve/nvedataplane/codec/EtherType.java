package org.splitnve.nvedataplane.codec;

/** The EtherTypes the data plane reads or writes (IEEE registry). */
public final class EtherType {

    public static final int IPV4 = 0x0800;
    public static final int ARP = 0x0806;
    /** C-tag, the local tag of a VN on a hypervisor-facing port (802.1Q). */
    public static final int VLAN = 0x8100;
    public static final int QINQ = 0x88A8;
    public static final int IPV6 = 0x86DD;
    /** Transparent Ethernet bridging: Geneve's protocol type for an Ethernet payload (RFC 8926). */
    public static final int TRANSPARENT_ETHERNET = 0x6558;
    /** LLDP and ECP belong to the VDP stack that shares a trunk port; the data plane leaves them alone. */
    public static final int LLDP = 0x88CC;
    public static final int ECP = 0x8940;

    private EtherType() {
    }

    /** True for the control protocols that the VDP stack on a shared port consumes. */
    public static boolean isControl(int etherType) {
        return etherType == LLDP || etherType == ECP;
    }
}
