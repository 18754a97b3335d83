package org.splitnve.nnve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.VdpErrorCode;
import org.splitnve.vdpcore.vdp.VnId;

class LocalTagPoolTest {

    private static final VnId A = VnId.of(1);
    private static final VnId B = VnId.of(2);
    private static final VnId C = VnId.of(3);

    @Test
    void the_default_range_never_hands_out_vid_1() throws Exception {
        LocalTagPool p = new LocalTagPool();
        assertThat(p.first()).isEqualTo(2);
        assertThat(p.last()).isEqualTo(4094);
        assertThat(p.acquire(A, 0)).isEqualTo(LocalTag.of(2));
        assertThatThrownBy(() -> p.acquire(B, 1)).isInstanceOfSatisfying(TagUnavailableException.class,
                e -> assertThat(e.error()).isEqualTo(VdpErrorCode.INVALID_VID_GROUPID_OR_MAC));
    }

    @Test
    void a_vn_keeps_one_tag_until_released_as_often_as_acquired() throws Exception {
        LocalTagPool p = new LocalTagPool(10, 20);
        LocalTag t = p.acquire(A, 0);
        assertThat(p.acquire(A, 0)).isEqualTo(t);
        assertThat(p.acquire(A, t.vid())).isEqualTo(t);
        assertThat(p.release(A)).isFalse();
        assertThat(p.release(A)).isFalse();
        assertThat(p.release(A)).isTrue();
        assertThat(p.tagOf(A)).isEmpty();
        assertThat(p.vnOf(t)).isEmpty();
        assertThatThrownBy(() -> p.release(A)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void a_vid_asked_for_must_be_free_or_the_vns_own() throws Exception {
        LocalTagPool p = new LocalTagPool(10, 20);
        assertThat(p.acquire(A, 15)).isEqualTo(LocalTag.of(15));
        assertThatThrownBy(() -> p.acquire(B, 15)).isInstanceOfSatisfying(TagUnavailableException.class,
                e -> assertThat(e.error()).isEqualTo(VdpErrorCode.INVALID_VID_GROUPID_OR_MAC));
        assertThatThrownBy(() -> p.acquire(A, 16)).isInstanceOf(TagUnavailableException.class);
        assertThatThrownBy(() -> p.acquire(B, 21)).isInstanceOf(TagUnavailableException.class);
        assertThat(p.vnOf(LocalTag.of(15))).contains(A);
    }

    @Test
    void an_exhausted_pool_answers_insufficient_resources_and_reuses_released_tags() throws Exception {
        LocalTagPool p = new LocalTagPool(10, 11);
        LocalTag a = p.acquire(A, 0);
        p.acquire(B, 0);
        assertThatThrownBy(() -> p.acquire(C, 0)).isInstanceOfSatisfying(TagUnavailableException.class,
                e -> assertThat(e.error()).isEqualTo(VdpErrorCode.INSUFFICIENT_RESOURCES));
        p.release(A);
        assertThat(p.acquire(C, 0)).isEqualTo(a);
        assertThat(p.inUse()).isEqualTo(2);
    }

    @Test
    void allocation_is_next_fit_so_a_just_released_tag_is_reused_last() throws Exception {
        LocalTagPool p = new LocalTagPool(10, 20);
        LocalTag a = p.acquire(A, 0);
        p.release(A);
        assertThat(p.acquire(B, 0)).isNotEqualTo(a);
    }

    @Test
    void a_range_outside_1_to_4094_is_rejected() {
        assertThatThrownBy(() -> new LocalTagPool(0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LocalTagPool(2, 4095)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LocalTagPool(20, 10)).isInstanceOf(IllegalArgumentException.class);
    }
}
