package org.splitnve.nvedataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitnve.nvedataplane.TestFrames.active;
import static org.splitnve.nvedataplane.TestFrames.udp4;

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

/** Req-7 in the data plane: a TSI whose VN has several tags on its port sends on each and gets broadcasts on each. */
class SeveralTagsTest {

    static final MacAddress A = MacAddress.valueOf("52:54:00:00:00:0a");
    static final MacAddress B = MacAddress.valueOf("52:54:00:00:00:0b");
    static final int VNI = 5000;

    /** B on p2 with its MAC on VIDs 200 and 201. */
    private static TsiView twoTags() {
        List<FilterEntry> es = List.of(FilterEntry.builder().vn(VNI).mac(B).vid(200).build(),
                FilterEntry.builder().vn(VNI).mac(B).vid(201).build());
        return new TsiView(new TsiKey("p2", MacAddress.valueOf(0x020000000002L), VsiId.of(B)), ManagerId.ofNumber(1), 1, 1,
                VnId.of(VNI), LocalTag.of(200), TsiState.ACTIVATED, FilterInfo.of(FilterFormat.GROUPID_MAC_VID, es), false, 0);
    }

    @Test
    void frames_on_either_tag_of_the_vn_are_admitted_and_a_broadcast_reaches_the_tsi_on_each_of_its_tags() {
        DataPlaneTestBed bed = new DataPlaneTestBed();
        bed.dp.onTsiActivated(active("p1", VNI, 100, A));
        bed.dp.onTsiActivated(twoTags());

        bed.fromStation2(udp4(A.toLong(), B.toLong(), 200, 1, 2, 3, 4, 80));
        bed.fromStation2(udp4(A.toLong(), B.toLong(), 201, 1, 2, 3, 4, 80));
        assertThat(bed.sta1.size()).as("both delivered to A with its tag").isEqualTo(2);
        assertThat(bed.dp.counters().count(Event.DELIVERED_LOCAL)).isEqualTo(2);

        bed.fromStation1(udp4(Ethernet.BROADCAST, A.toLong(), 100, 1, 2, 3, 4, 80));
        assertThat(bed.sta2.frames).extracting(f -> Ethernet.vid(f, 0)).containsExactlyInAnyOrder(200, 201);

        bed.fromStation1(udp4(B.toLong(), A.toLong(), 100, 1, 2, 3, 4, 80));
        assertThat(Ethernet.vid(bed.sta2.last(), 0)).as("unicast to B carries its first tag").isEqualTo(200);
    }
}
