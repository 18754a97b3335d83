package org.splitnve.nnve.nva;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.VnId;

class InMemoryNvaTest {

    private static final TsiMapping M = new TsiMapping(VnId.of(1), MacAddress.valueOf("02:00:00:00:00:01"), null, "nve");

    @Test
    void a_vn_is_found_by_id_and_by_name_and_names_are_unique() {
        InMemoryNva nva = new InMemoryNva().define(new VnContext(VnId.of(1), "red"));
        assertThat(nva.context("red")).get().extracting(VnContext::vn).isEqualTo(VnId.of(1));
        assertThat(nva.vnContext(VnId.of(1)).toCompletableFuture().join()).isPresent();
        assertThat(nva.vnContext(VnId.of(2)).toCompletableFuture().join()).isEmpty();
        assertThatThrownBy(() -> nva.define(new VnContext(VnId.of(2), "red"))).isInstanceOf(IllegalArgumentException.class);
        nva.define(new VnContext(VnId.of(1), "blue"));
        assertThat(nva.context("red")).isEmpty();
        assertThat(nva.undefine(VnId.of(1))).isTrue();
        assertThat(nva.context("blue")).isEmpty();
    }

    @Test
    void views_count_holders_so_one_withdraw_does_not_remove_another_holders_mapping() {
        InMemoryNva nva = new InMemoryNva();
        List<String> seen = new ArrayList<>();
        nva.addListener(new NvaListener() {
            @Override
            public void onPublished(TsiMapping mapping, NvaView view) {
                seen.add("+" + view);
            }

            @Override
            public void onWithdrawn(TsiMapping mapping, NvaView view) {
                seen.add("-" + view);
            }
        });
        nva.publish(M, NvaView.MAPPING);
        nva.publish(M, NvaView.MAPPING);
        nva.withdraw(M, NvaView.MAPPING);
        assertThat(nva.mappings(NvaView.MAPPING)).containsExactly(M);
        nva.withdraw(M, NvaView.MAPPING);
        assertThat(nva.mappings(NvaView.MAPPING)).isEmpty();
        nva.withdraw(M, NvaView.MAPPING);
        assertThat(seen).containsExactly("+MAPPING", "+MAPPING", "-MAPPING", "-MAPPING");
    }
}
