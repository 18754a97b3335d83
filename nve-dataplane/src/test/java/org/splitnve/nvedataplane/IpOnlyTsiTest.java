package org.splitnve.nvedataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitnve.nvedataplane.TestFrames.active;
import static org.splitnve.nvedataplane.TestFrames.ip;
import static org.splitnve.nvedataplane.TestFrames.udp4;
import static org.splitnve.nvedataplane.TestFrames.v4;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.splitnve.nnve.TsiKey;
import org.splitnve.nnve.TsiView;
import org.splitnve.nvedataplane.DataPlaneCounters.Event;
import org.splitnve.nvedataplane.codec.Ethernet;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.FilterEntry;
import org.splitnve.vdpcore.vdp.FilterFormat;
import org.splitnve.vdpcore.vdp.FilterInfo;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.ManagerId;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VnId;
import org.splitnve.vdpcore.vdp.VsiId;

/**
 * docs/PROTOCOL.md section 5: a TSI registered by IP addresses alone (filter format 0x05) forwards from those addresses,
 * whatever MAC its VM uses, and its ARP and ND from them too.
 */
class IpOnlyTsiTest {

    static final MacAddress VM = MacAddress.valueOf("52:54:00:00:00:0b");
    static final MacAddress A = MacAddress.valueOf("52:54:00:00:00:0a");
    static final MacAddress R = MacAddress.valueOf("52:54:00:00:00:0f");
    static final int VNI = 5000;

    /** VSI 9 on p2, registered by 10.0.0.5 and 2001:db8::5 only, tag 200. */
    private static TsiView ipOnly() {
        List<FilterEntry> es = List.of(FilterEntry.builder().vn(VNI).ip(ip("10.0.0.5")).vid(200).build(),
                FilterEntry.builder().vn(VNI).ip(ip("2001:db8::5")).vid(200).build());
        return new TsiView(new TsiKey("p2", MacAddress.valueOf(0x020000000002L), VsiId.of(VM)), ManagerId.ofNumber(1), 1, 1,
                VnId.of(VNI), LocalTag.of(200), TsiState.ACTIVATED, FilterInfo.of(FilterFormat.GROUPID_IP_VID, es), false, 0);
    }

    @Test
    void frames_from_the_registered_ips_forward_whatever_mac_the_vm_uses_and_others_are_refused() {
        DataPlaneTestBed bed = new DataPlaneTestBed();
        bed.dp.onTsiActivated(active("p1", VNI, 100, A, ip("10.0.0.1")));
        bed.dp.onTsiActivated(ipOnly());
        bed.remote(VNI, R, "10.0.0.9", DataPlaneTestBed.REMOTE);

        bed.fromStation2(udp4(R.toLong(), VM.toLong(), 200, v4("10.0.0.5"), v4("10.0.0.9"), 1, 2, 100));
        assertThat(bed.dp.counters().count(Event.ENCAPSULATED)).as("to the remote NVE").isEqualTo(1);
        bed.fromStation2(udp4(A.toLong(), VM.toLong(), 200, v4("10.0.0.5"), v4("10.0.0.1"), 1, 2, 100));
        assertThat(bed.sta1.size()).as("to the local TSI").isEqualTo(1);

        bed.fromStation2(udp4(R.toLong(), VM.toLong(), 200, v4("10.0.0.6"), v4("10.0.0.9"), 1, 2, 100));
        assertThat(bed.dp.counters().drops(DropReason.SPOOFED_SOURCE_IP)).as("an address it did not register").isEqualTo(1);
        bed.fromStation2(udp4(R.toLong(), MacAddress.valueOf("52:54:00:00:00:99").toLong(), 200, v4("10.0.0.7"), v4("10.0.0.9"), 1, 2,
                100));
        assertThat(bed.dp.counters().drops(DropReason.SOURCE_NOT_ACTIVATED)).as("nobody's address").isEqualTo(1);
    }

    @Test
    void the_vms_arp_is_admitted_and_frames_come_back_to_it_from_the_tunnel_and_from_local_tsis() {
        DataPlaneTestBed bed = new DataPlaneTestBed();
        bed.dp.onTsiActivated(active("p1", VNI, 100, A, ip("10.0.0.1")));
        bed.dp.onTsiActivated(ipOnly());

        bed.fromStation2(TestFrames.arpRequest(200, VM.toLong(), v4("10.0.0.5"), v4("10.0.0.1")));
        assertThat(bed.dp.counters().count(Event.ARP_ANSWERED)).as("answered for A").isEqualTo(1);
        assertThat(Ethernet.destination(bed.sta2.last(), 0)).isEqualTo(VM.toLong());

        bed.fromStation1(udp4(VM.toLong(), A.toLong(), 100, v4("10.0.0.1"), v4("10.0.0.5"), 1, 2, 100));
        assertThat(bed.sta2.size()).as("A reaches the VM at the MAC it showed").isEqualTo(2);
        assertThat(Ethernet.vid(bed.sta2.last(), 0)).isEqualTo(200);

        bed.fromUnderlay(DataPlaneTest.tunnelTo(VM, VNI));
        assertThat(bed.sta2.size()).as("and so does a remote NVE").isEqualTo(3);

        ByteBuffer arpForVm = TestFrames.arpRequest(100, A.toLong(), v4("10.0.0.1"), v4("10.0.0.5"));
        bed.fromStation1(arpForVm);
        assertThat(bed.dp.counters().count(Event.ARP_ANSWERED)).as("answered with the MAC the VM showed").isEqualTo(2);
        assertThat(bed.sta1.last().getShort(Ethernet.TAGGED_HEADER + 6)).isEqualTo((short) 2);
    }

    @Test
    void after_deactivation_the_mac_the_vm_showed_no_longer_forwards() {
        DataPlaneTestBed bed = new DataPlaneTestBed();
        bed.dp.onTsiActivated(active("p1", VNI, 100, A, ip("10.0.0.1")));
        bed.dp.onTsiActivated(ipOnly());
        bed.fromStation2(udp4(A.toLong(), VM.toLong(), 200, v4("10.0.0.5"), v4("10.0.0.1"), 1, 2, 100));
        assertThat(bed.sta1.size()).isEqualTo(1);

        bed.dp.onTsiDeactivated(ipOnly(), "deactivate", false);
        bed.fromStation2(udp4(A.toLong(), VM.toLong(), 200, v4("10.0.0.5"), v4("10.0.0.1"), 1, 2, 100));
        assertThat(bed.sta1.size()).isEqualTo(1);
        assertThat(bed.dp.counters().drops(DropReason.SOURCE_NOT_ACTIVATED)).isEqualTo(1);
    }
}
