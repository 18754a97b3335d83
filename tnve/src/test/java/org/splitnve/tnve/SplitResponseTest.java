package org.splitnve.tnve;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.AssociationTlv;
import org.splitnve.vdpcore.vdp.FilterEntry;
import org.splitnve.vdpcore.vdp.FilterInfo;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VdpErrorCode;
import org.splitnve.vdpcore.vdp.VnId;
import org.splitnve.vdpcore.vdp.VsiStatus;

/** docs/PROTOCOL.md 4.1: the answer to an address set split over several TLVs is read TLV by TLV. */
class SplitResponseTest {

    private static final VnId VN = VnId.of(5001);

    /** A TSI with enough MAC addresses that its set takes two TLVs. */
    private static TsiSpec bigSpec() {
        List<TsiAddress> macs = new ArrayList<>();
        for (int i = 1; i <= 60; i++) {
            macs.add(TsiAddress.mac(MacAddress.valueOf(0x020000000000L | i)));
        }
        return TsiSpec.builder().vsiId(TnveTestBed.vsi(1)).managerId(TnveTestBed.MGR).vn(VN).addresses(macs).build();
    }

    /** Associates the big TSI; the bridge answers the first TLV with success and the tag, the others with {@code rest}. */
    private static CompletableFuture<TsiResult> associateAndAnswer(TnveTestBed bed, VsiStatus rest) {
        bed.bridge().answerAll(ScriptedBridge.Answer.SILENT);
        CompletableFuture<TsiResult> f = bed.tnve.associate(bigSpec(), Migration.NONE);
        bed.run(java.time.Duration.ofMillis(10));
        ScriptedBridge br = bed.bridge();
        ScriptedBridge.Request r = br.last();
        assertThat(r.tlvs()).as("the set is split").hasSizeGreaterThan(1);
        List<AssociationTlv> out = new ArrayList<>();
        for (int i = 0; i < r.tlvs().size(); i++) {
            AssociationTlv t = r.tlvs().get(i);
            VsiStatus st = i == 0 ? VsiStatus.response().migrationIndicationValid(true).build() : rest;
            List<FilterEntry> es = new ArrayList<>();
            for (FilterEntry e : t.filter().entries()) {
                es.add(e.withVid(100));
            }
            out.add(t.toBuilder().status(st).filter(FilterInfo.of(t.filter().format(), es)).build());
        }
        br.channel.send(TnveTestBed.STATION, r.managerId(), out);
        return f;
    }

    @Test
    void a_split_set_whose_second_tlv_is_refused_fails_with_that_tlvs_error_and_the_station_reports_each_tlv() {
        TnveTestBed bed = TnveTestBed.single(TnveConfig.DEFAULT);
        CompletableFuture<TsiResult> f = associateAndAnswer(bed, VsiStatus.response().migrationIndicationValid(true).keep(true).error(VdpErrorCode.INVALID_VID_GROUPID_OR_MAC).build());

        Throwable t = bed.failure(f);
        assertThat(t).isInstanceOf(VdpRefusedException.class);
        assertThat(((VdpRefusedException) t).error()).isEqualTo(VdpErrorCode.INVALID_VID_GROUPID_OR_MAC);
        assertThat(((VdpRefusedException) t).keep()).isTrue();
        assertThat(bed.tnve.state(TnveTestBed.vsi(1))).isEqualTo(TsiState.INIT);
        assertThat(bed.events(ResponseEvent.class)).singleElement().satisfies(e -> {
            assertThat(e.error()).isEqualTo(VdpErrorCode.INVALID_VID_GROUPID_OR_MAC);
            assertThat(e.tlvErrors()).hasSizeGreaterThan(1).startsWith(VdpErrorCode.SUCCESS)
                    .endsWith(VdpErrorCode.INVALID_VID_GROUPID_OR_MAC);
        });
        assertThat(bed.tnve.localTag(VN)).as("a refused request connects no VN").isEmpty();
    }

    @Test
    void a_split_set_answered_success_in_every_tlv_succeeds() {
        TnveTestBed bed = TnveTestBed.single(TnveConfig.DEFAULT);
        CompletableFuture<TsiResult> f = associateAndAnswer(bed, VsiStatus.response().migrationIndicationValid(true).build());
        assertThat(bed.await(f).state()).isEqualTo(TsiState.ASSOCIATED);
        assertThat(bed.events(ResponseEvent.class)).singleElement().satisfies(e -> assertThat(e.tlvErrors()).containsOnly(VdpErrorCode.SUCCESS));
    }
}
