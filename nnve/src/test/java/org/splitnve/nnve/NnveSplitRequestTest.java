package org.splitnve.nnve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitnve.nnve.NnveTestBed.gmv;
import static org.splitnve.nnve.NnveTestBed.pre;
import static org.splitnve.nnve.NnveTestBed.vsi;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.splitnve.nnve.NnveTestBed.Station;
import org.splitnve.vdpcore.vdp.AssociationTlv;
import org.splitnve.vdpcore.vdp.RejectedTlv;
import org.splitnve.vdpcore.vdp.VdpErrorCode;
import org.splitnve.vdpcore.vdp.Vdpdu;

/** docs/PROTOCOL.md 4.1: an address set split over several TLVs of one VDPDU is one request, applied whole or not at all. */
@Timeout(60)
class NnveSplitRequestTest {

    private final NnveTestBed bed = new NnveTestBed();
    private final Station st = bed.station("p1");

    /** A request of three TLVs for VSI 1 whose middle one does not decode (its filter format is unknown). */
    private byte[] splitRequestWithABadMiddle(int firstMac) {
        AssociationTlv a = pre(vsi(1), gmv(5001, firstMac, 0));
        AssociationTlv b = pre(vsi(1), gmv(5001, firstMac + 1, 0));
        AssociationTlv c = pre(vsi(1), gmv(5001, firstMac + 2, 0));
        byte[] pdu = NnveTestBed.Station.encode(Vdpdu.of(NnveTestBed.MGR, a, b, c));
        int secondValue = 2 + 16 + 2 + a.valueLength() + 2;
        pdu[secondValue + AssociationTlv.HEADER_LENGTH] = 0x7E;
        return pdu;
    }

    @Test
    void one_bad_tlv_in_an_address_set_refuses_the_whole_set_and_every_tlv_is_answered_in_one_vdpdu() {
        st.sendRawPdu(splitRequestWithABadMiddle(1));
        bed.settle();

        assertThat(bed.nnve.tsis()).as("nothing of the set applied").isEmpty();
        assertThat(bed.nnve.vap("p1", org.splitnve.vdpcore.vdp.VnId.of(5001))).isEmpty();
        assertThat(st.received).as("one answer for one request").hasSize(1);
        List<AssociationTlv> good = st.all();
        assertThat(good).hasSize(2).allSatisfy(r -> {
            assertThat(r.vsiId()).isEqualTo(vsi(1));
            assertThat(r.status().isResponse()).isTrue();
            assertThat(r.status().error()).as("the set's error").isEqualTo(VdpErrorCode.INVALID_FORMAT);
            assertThat(r.status().keep()).isTrue();
        });
        List<RejectedTlv> echoed = st.received.get(0).rejected();
        assertThat(echoed).singleElement().satisfies(r -> {
            assertThat(r.index()).as("answered in its place").isEqualTo(1);
            assertThat(r.value()[0] & 0xFF).isEqualTo(0x40 | 0x20 | 1);
        });
        assertThat(bed.nnve.counters().refusals()).isEqualTo(1);
        assertThat(bed.nnve.counters().rejectedTlvs()).isEqualTo(1);
    }

    @Test
    void a_held_tsi_keeps_its_whole_address_set_when_an_update_carries_a_bad_tlv() {
        st.ask(pre(vsi(1), gmv(5001, 9, 0)));
        TsiView before = bed.nnve.tsi(st.key(vsi(1))).orElseThrow();

        st.sendRawPdu(splitRequestWithABadMiddle(1));
        bed.settle();

        TsiView after = bed.nnve.tsi(st.key(vsi(1))).orElseThrow();
        assertThat(after.filter()).as("neither the TLV before the bad one nor the one after it was applied")
                .isEqualTo(before.filter());
        assertThat(after.state()).isEqualTo(before.state());
    }
}
