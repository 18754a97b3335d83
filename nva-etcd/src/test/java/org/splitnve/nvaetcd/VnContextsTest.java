package org.splitnve.nvaetcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.splitnve.nnve.nva.VnContext;
import org.splitnve.vdpcore.vdp.VnId;

/** Why a VN definition is refused, as the operator reads it (the compare-and-swap itself runs against etcd in {@link EtcdNvaTest}). */
class VnContextsTest {

    private static final VnContext RED = new VnContext(VnId.of(5002), "red");

    @Test
    void a_refusal_names_the_vn_that_holds_the_vni() {
        assertThat(VnContexts.conflict(RED, true, Optional.of(new VnContext(VnId.of(5002), "blue")), null))
                .isEqualTo(VnId.of(5002) + " is 'blue'");
    }

    @Test
    void a_refusal_names_the_vni_the_name_belongs_to() {
        assertThat(VnContexts.conflict(RED, false, Optional.empty(), "5001")).isEqualTo("'red' is VN 5001");
    }

    @Test
    void a_refusal_for_both_names_both() {
        assertThat(VnContexts.conflict(RED, true, Optional.of(new VnContext(VnId.of(5002), "blue")), "5001"))
                .isEqualTo(VnId.of(5002) + " is 'blue'; 'red' is VN 5001");
    }

    @Test
    void a_vni_held_by_a_value_that_is_not_a_vn_is_said_to_be_taken() {
        assertThat(VnContexts.conflict(RED, true, Optional.empty(), "5002")).isEqualTo(VnId.of(5002) + " is taken");
    }
}
