package org.splitnve.ecptransport.ring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.splitnve.testsupport.Prerequisites;

/**
 * The offsets and constants of {@link Tpacket} are the system header's: a C program compiled against
 * {@code linux/if_packet.h} prints {@code offsetof}, {@code sizeof} and each constant, and they must match.
 */
class TpacketLayoutTest {

    private static final String PROGRAM = """
            #include <stdio.h>
            #include <stddef.h>
            #include <sys/socket.h>
            #include <sys/ioctl.h>
            #include <net/if.h>
            #include <poll.h>
            #include <linux/if_packet.h>
            #include <linux/if_ether.h>
            #define P(name, value) printf("%s %ld\\n", name, (long) (value))
            int main(void) {
                P("BLOCK_STATUS", offsetof(struct tpacket_block_desc, hdr.bh1.block_status));
                P("BLOCK_NUM_PKTS", offsetof(struct tpacket_block_desc, hdr.bh1.num_pkts));
                P("BLOCK_FIRST_PKT", offsetof(struct tpacket_block_desc, hdr.bh1.offset_to_first_pkt));
                P("BLOCK_LEN", offsetof(struct tpacket_block_desc, hdr.bh1.blk_len));
                P("BLOCK_SEQ", offsetof(struct tpacket_block_desc, hdr.bh1.seq_num));
                P("BLOCK_DESC_SIZE", sizeof(struct tpacket_block_desc));
                P("NEXT_OFFSET", offsetof(struct tpacket3_hdr, tp_next_offset));
                P("SEC", offsetof(struct tpacket3_hdr, tp_sec));
                P("NSEC", offsetof(struct tpacket3_hdr, tp_nsec));
                P("SNAPLEN", offsetof(struct tpacket3_hdr, tp_snaplen));
                P("LEN", offsetof(struct tpacket3_hdr, tp_len));
                P("STATUS", offsetof(struct tpacket3_hdr, tp_status));
                P("MAC", offsetof(struct tpacket3_hdr, tp_mac));
                P("NET", offsetof(struct tpacket3_hdr, tp_net));
                P("VLAN_TCI", offsetof(struct tpacket3_hdr, hv1.tp_vlan_tci));
                P("VLAN_TPID", offsetof(struct tpacket3_hdr, hv1.tp_vlan_tpid));
                P("HDR_SIZE", sizeof(struct tpacket3_hdr));
                P("SOCKADDR_LL_SIZE", sizeof(struct sockaddr_ll));
                P("SLL_PKTTYPE", offsetof(struct sockaddr_ll, sll_pkttype));
                P("RX_SOCKADDR", TPACKET_ALIGN(sizeof(struct tpacket3_hdr)));
                P("TX_DATA", TPACKET3_HDRLEN - sizeof(struct sockaddr_ll));
                P("ALIGNMENT", TPACKET_ALIGNMENT);
                P("REQ3_SIZE", sizeof(struct tpacket_req3));
                P("STATS_V3_SIZE", sizeof(struct tpacket_stats_v3));
                P("MREQ_SIZE", sizeof(struct packet_mreq));
                P("IFREQ_SIZE", sizeof(struct ifreq));
                P("IFREQ_HWADDR", offsetof(struct ifreq, ifr_hwaddr.sa_data));
                P("IFREQ_MTU", offsetof(struct ifreq, ifr_mtu));
                P("PACKET_ADD_MEMBERSHIP", PACKET_ADD_MEMBERSHIP);
                P("PACKET_RX_RING", PACKET_RX_RING);
                P("PACKET_STATISTICS", PACKET_STATISTICS);
                P("PACKET_VERSION", PACKET_VERSION);
                P("PACKET_RESERVE", PACKET_RESERVE);
                P("PACKET_TX_RING", PACKET_TX_RING);
                P("PACKET_LOSS", PACKET_LOSS);
                P("PACKET_FANOUT", PACKET_FANOUT);
                P("PACKET_QDISC_BYPASS", PACKET_QDISC_BYPASS);
                P("PACKET_IGNORE_OUTGOING", PACKET_IGNORE_OUTGOING);
                P("TPACKET_V3", TPACKET_V3);
                P("PACKET_MR_PROMISC", PACKET_MR_PROMISC);
                P("PACKET_FANOUT_HASH", PACKET_FANOUT_HASH);
                P("PACKET_FANOUT_FLAG_DEFRAG", PACKET_FANOUT_FLAG_DEFRAG);
                P("ETH_P_ALL", ETH_P_ALL);
                P("PACKET_OUTGOING", PACKET_OUTGOING);
                P("TP_STATUS_KERNEL", TP_STATUS_KERNEL);
                P("TP_STATUS_USER", TP_STATUS_USER);
                P("TP_STATUS_VLAN_VALID", TP_STATUS_VLAN_VALID);
                P("TP_STATUS_VLAN_TPID_VALID", TP_STATUS_VLAN_TPID_VALID);
                P("TP_STATUS_AVAILABLE", TP_STATUS_AVAILABLE);
                P("TP_STATUS_SEND_REQUEST", TP_STATUS_SEND_REQUEST);
                P("TP_STATUS_SENDING", TP_STATUS_SENDING);
                P("TP_STATUS_WRONG_FORMAT", TP_STATUS_WRONG_FORMAT);
                P("Libc.AF_PACKET", AF_PACKET);
                P("Libc.SOCK_RAW", SOCK_RAW);
                P("Libc.SOL_SOCKET", SOL_SOCKET);
                P("Libc.SO_ERROR", SO_ERROR);
                P("Libc.SOL_PACKET", SOL_PACKET);
                P("Libc.POLLIN", POLLIN);
                P("Libc.POLLOUT", POLLOUT);
                P("Libc.POLLERR", POLLERR);
                P("Libc.POLLHUP", POLLHUP);
                P("Libc.POLLNVAL", POLLNVAL);
                P("Libc.MSG_DONTWAIT", MSG_DONTWAIT);
                P("Libc.SIOCGIFHWADDR", SIOCGIFHWADDR);
                P("Libc.SIOCGIFMTU", SIOCGIFMTU);
                return 0;
            }
            """;

    @Test
    void every_offset_size_and_constant_matches_the_system_header(@TempDir Path dir) throws Exception {
        Prerequisites.requireCommand("gcc");
        Path source = dir.resolve("layout.c");
        Path binary = dir.resolve("layout");
        Files.writeString(source, PROGRAM);
        Process cc = new ProcessBuilder("gcc", "-o", binary.toString(), source.toString()).redirectErrorStream(true).start();
        String ccOut = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(cc.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(cc.exitValue()).as(ccOut).isZero();
        Process run = new ProcessBuilder(binary.toString()).start();
        String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(run.waitFor(10, TimeUnit.SECONDS)).isTrue();

        Map<String, Long> header = new LinkedHashMap<>();
        out.lines().map(l -> l.split(" ")).forEach(p -> header.put(p[0], Long.parseLong(p[1])));
        assertThat(header).hasSize(65);
        Map<String, Long> ours = new LinkedHashMap<>();
        for (String name : header.keySet()) {
            ours.put(name, value(name));
        }
        assertThat(ours).isEqualTo(header);
    }

    private static long value(String name) throws ReflectiveOperationException {
        Class<?> owner = name.startsWith("Libc.") ? Libc.class : Tpacket.class;
        var field = owner.getDeclaredField(name.startsWith("Libc.") ? name.substring(5) : name);
        field.setAccessible(true);
        return ((Number) field.get(null)).longValue();
    }
}
