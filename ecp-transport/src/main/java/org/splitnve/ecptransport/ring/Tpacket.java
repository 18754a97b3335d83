package org.splitnve.ecptransport.ring;

/**
 * The {@code TPACKET_V3} protocol's numbers as {@code linux/if_packet.h} defines them: socket options, status
 * bits, and the offsets of the fields of the structures the kernel and we share in the rings. The offsets are those
 * of the 64-bit Linux ABI and are checked against the system header by a test that compiles a C program printing
 * {@code offsetof} of each.
 *
 * <p>A receive ring is a run of blocks; each starts with a block descriptor ({@code struct tpacket_block_desc},
 * whose {@code struct tpacket_hdr_v1} says who owns the block, how many frames it holds and where the first is),
 * and its frames follow, each behind a {@code struct tpacket3_hdr} that says where the next one starts. A transmit
 * ring is a run of fixed-size slots, each a {@code struct tpacket3_hdr} with the frame behind it.
 */
final class Tpacket {

    // Socket options at level SOL_PACKET.
    static final int PACKET_ADD_MEMBERSHIP = 1;
    static final int PACKET_RX_RING = 5;
    static final int PACKET_STATISTICS = 6;
    static final int PACKET_VERSION = 10;
    static final int PACKET_RESERVE = 12;
    static final int PACKET_TX_RING = 13;
    static final int PACKET_LOSS = 14;
    static final int PACKET_FANOUT = 18;
    static final int PACKET_QDISC_BYPASS = 20;
    static final int PACKET_IGNORE_OUTGOING = 23;

    static final int TPACKET_V3 = 2;
    static final int PACKET_MR_PROMISC = 1;
    static final int PACKET_FANOUT_HASH = 0;
    static final int PACKET_FANOUT_FLAG_DEFRAG = 0x8000;
    /** {@code ETH_P_ALL}: every protocol, in host order (the socket calls want it in network order). */
    static final int ETH_P_ALL = 0x0003;
    static final int PACKET_OUTGOING = 4;

    // tp_status of a receive block and frame.
    static final int TP_STATUS_KERNEL = 0;
    static final int TP_STATUS_USER = 1;
    static final int TP_STATUS_VLAN_VALID = 1 << 4;
    static final int TP_STATUS_VLAN_TPID_VALID = 1 << 6;
    // tp_status of a transmit slot.
    static final int TP_STATUS_AVAILABLE = 0;
    static final int TP_STATUS_SEND_REQUEST = 1;
    static final int TP_STATUS_SENDING = 1 << 1;
    static final int TP_STATUS_WRONG_FORMAT = 1 << 2;

    /** Frames, blocks and slots are aligned to this ({@code TPACKET_ALIGNMENT}). */
    static final int ALIGNMENT = 16;

    // struct tpacket_block_desc: version, offset_to_priv, then struct tpacket_hdr_v1.
    static final int BLOCK_STATUS = 8;
    static final int BLOCK_NUM_PKTS = 12;
    static final int BLOCK_FIRST_PKT = 16;
    static final int BLOCK_LEN = 20;
    static final int BLOCK_SEQ = 24;
    static final int BLOCK_DESC_SIZE = 48;

    // struct tpacket3_hdr.
    static final int NEXT_OFFSET = 0;
    static final int SEC = 4;
    static final int NSEC = 8;
    static final int SNAPLEN = 12;
    static final int LEN = 16;
    static final int STATUS = 20;
    static final int MAC = 24;
    static final int NET = 26;
    static final int VLAN_TCI = 32;
    static final int VLAN_TPID = 36;
    static final int HDR_SIZE = 48;

    // struct sockaddr_ll, which follows the frame header in a receive ring.
    static final int SOCKADDR_LL_SIZE = 20;
    static final int SLL_PKTTYPE = 10;
    /** Where struct sockaddr_ll starts behind a tpacket3_hdr in a receive ring. */
    static final int RX_SOCKADDR = align(HDR_SIZE);
    /**
     * Where a frame starts in a transmit slot without {@code PACKET_TX_HAS_OFF}: {@code TPACKET3_HDRLEN} less the
     * {@code sockaddr_ll} the kernel counts in it.
     */
    static final int TX_DATA = align(HDR_SIZE);

    /** struct tpacket_req3: seven 32-bit fields. */
    static final int REQ3_SIZE = 28;
    /** struct tpacket_stats_v3: tp_packets, tp_drops, tp_freeze_q_cnt. */
    static final int STATS_V3_SIZE = 12;
    /** struct packet_mreq: mr_ifindex, mr_type, mr_alen, mr_address[8]. */
    static final int MREQ_SIZE = 16;
    /** struct ifreq: a 16-octet name, then a union whose struct sockaddr holds the hardware address at 2. */
    static final int IFREQ_SIZE = 40;
    static final int IFREQ_HWADDR = 16 + 2;
    /** Where struct ifreq holds ifr_mtu. */
    static final int IFREQ_MTU = 16;
    /** The 802.1Q tag the kernel takes into metadata, which we put back: TPID and TCI. */
    static final int VLAN_TAG = 4;
    static final int TPID_8021Q = 0x8100;

    private Tpacket() {
    }

    static int align(int n) {
        return (n + ALIGNMENT - 1) & -ALIGNMENT;
    }
}
