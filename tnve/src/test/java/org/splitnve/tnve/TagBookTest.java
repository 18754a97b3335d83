package org.splitnve.tnve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitnve.tnve.TnveTestBed.BRIDGE;
import static org.splitnve.tnve.TnveTestBed.BRIDGE2;
import static org.splitnve.tnve.TnveTestBed.mac;
import static org.splitnve.tnve.TnveTestBed.spec;

import org.junit.jupiter.api.Test;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.VdpTlvType;
import org.splitnve.vdpcore.vdp.VnId;

/** The tags of each VN on each bridge. */
class TagBookTest {

    private static final VnId VN = VnId.of(5001);
    private static final VnId VN2 = VnId.of(5002);

    private final TnveTestBed bed = new TnveTestBed();
    private final TagBook book = new TagBook("station", bed.listeners());

    private static Binding binding(int n, VnId vn, boolean anchor) {
        return new Tsi(spec(n, vn, mac(n)), anchor).binding(BRIDGE);
    }

    @Test
    void a_first_tag_connects_the_vn_and_says_whether_implicitly_or_by_the_anchor() {
        assertThat(book.learn(binding(1, VN, false), VdpTlvType.PRE_ASSOCIATE, LocalTag.of(100))).isFalse();
        assertThat(book.learn(binding(2, VN2, true), VdpTlvType.PRE_ASSOCIATE, LocalTag.of(101))).isFalse();

        assertThat(book.known(BRIDGE, VN)).isEqualTo(LocalTag.of(100));
        assertThat(book.confirmed(BRIDGE, VN)).isEqualTo(LocalTag.of(100));
        assertThat(book.known(BRIDGE2, VN)).isNull();
        assertThat(bed.events(VnEvent.class)).satisfiesExactly(
                e -> {
                    assertThat(e.connected()).isTrue();
                    assertThat(e.tag()).isEqualTo(LocalTag.of(100));
                    assertThat(e.why()).startsWith("implicit VN_Connect by VSI");
                },
                e -> assertThat(e.why()).startsWith("explicit VN_Connect (anchor"));
    }

    @Test
    void the_same_tag_again_changes_nothing_and_another_replaces_it_and_is_reported() {
        Binding b = binding(1, VN, false);
        book.learn(b, VdpTlvType.PRE_ASSOCIATE, LocalTag.of(100));
        assertThat(book.learn(b, VdpTlvType.ASSOCIATE, LocalTag.of(100))).isFalse();
        assertThat(bed.events).hasSize(1);

        assertThat(book.learn(b, VdpTlvType.ASSOCIATE, LocalTag.of(300))).isTrue();
        assertThat(book.known(BRIDGE, VN)).isEqualTo(LocalTag.of(300));
        assertThat(bed.events(TnveTestBed.TagChanged.class))
                .containsExactly(new TnveTestBed.TagChanged(VN, BRIDGE, LocalTag.of(100), LocalTag.of(300)));
        assertThat(bed.events(VnEvent.class)).hasSize(1);
    }

    @Test
    void unconfirmed_tags_stay_known_but_requests_carry_the_null_vid_until_the_bridge_answers() {
        book.learn(binding(1, VN, false), VdpTlvType.PRE_ASSOCIATE, LocalTag.of(100));
        book.learn(binding(2, VN2, false), VdpTlvType.PRE_ASSOCIATE, LocalTag.of(101));
        book.unconfirmAll(BRIDGE);
        assertThat(book.known(BRIDGE, VN)).isEqualTo(LocalTag.of(100));
        assertThat(book.confirmed(BRIDGE, VN)).isNull();
        assertThat(book.confirmed(BRIDGE, VN2)).isNull();

        book.learn(binding(1, VN, false), VdpTlvType.PRE_ASSOCIATE, LocalTag.of(100));
        assertThat(book.confirmed(BRIDGE, VN)).isEqualTo(LocalTag.of(100));
        book.confirm(BRIDGE, VN2);
        assertThat(book.confirmed(BRIDGE, VN2)).isEqualTo(LocalTag.of(101));
    }

    @Test
    void releasing_a_vn_disconnects_it_on_that_bridge_once_and_forgets_that_it_was_unconfirmed() {
        book.learn(binding(1, VN, false), VdpTlvType.PRE_ASSOCIATE, LocalTag.of(100));
        book.unconfirmAll(BRIDGE);
        book.release(BRIDGE, VN, "last TSI gone");
        book.release(BRIDGE, VN, "again");
        book.release(BRIDGE2, VN, "never connected there");

        assertThat(book.known(BRIDGE, VN)).isNull();
        assertThat(bed.events(VnEvent.class)).filteredOn(e -> !e.connected()).singleElement().satisfies(e -> {
            assertThat(e.bridge()).isEqualTo(BRIDGE);
            assertThat(e.tag()).isEqualTo(LocalTag.of(100));
            assertThat(e.why()).isEqualTo("last TSI gone");
        });
        // Connected again, the new tag is confirmed at once.
        book.learn(binding(1, VN, false), VdpTlvType.PRE_ASSOCIATE, LocalTag.of(102));
        assertThat(book.confirmed(BRIDGE, VN)).isEqualTo(LocalTag.of(102));
    }

    @Test
    void releasing_a_vn_everywhere_disconnects_it_on_every_bridge_and_leaves_other_vns() {
        book.learn(binding(1, VN, false), VdpTlvType.PRE_ASSOCIATE, LocalTag.of(100));
        book.learn(new Tsi(spec(1, VN, mac(1)), false).binding(BRIDGE2), VdpTlvType.PRE_ASSOCIATE, LocalTag.of(700));
        book.learn(binding(2, VN2, false), VdpTlvType.PRE_ASSOCIATE, LocalTag.of(101));
        book.releaseEverywhere(VN, "explicit VN_Disconnect");

        assertThat(book.known(BRIDGE, VN)).isNull();
        assertThat(book.known(BRIDGE2, VN)).isNull();
        assertThat(book.known(BRIDGE, VN2)).isEqualTo(LocalTag.of(101));
        assertThat(bed.events(VnEvent.class)).filteredOn(e -> !e.connected()).extracting(VnEvent::bridge)
                .containsExactlyInAnyOrder(BRIDGE, BRIDGE2);
    }
}
