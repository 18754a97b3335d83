package org.splitnve.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.splitnve.nnve.nva.VnContext;
import org.splitnve.vdpcore.vdp.VnId;

class CommandLineNvaTest {

    @Test
    void without_vn_options_every_vn_asked_for_is_known_and_none_is_kept() {
        CommandLineNva nva = new CommandLineNva(List.of());
        for (int vn = 1; vn <= 10_000; vn++) {
            assertThat(nva.vnContext(VnId.of(vn)).toCompletableFuture().join()).contains(new VnContext(VnId.of(vn), "vn-" + vn));
        }
        assertThat(nva.vns()).isZero();
    }

    @Test
    void with_vn_options_only_those_vns_are_known() {
        CommandLineNva nva = new CommandLineNva(List.of(CommandLineNva.parse("5001=tenant-a")));
        assertThat(nva.vnContext(VnId.of(5001)).toCompletableFuture().join()).contains(new VnContext(VnId.of(5001), "tenant-a"));
        assertThat(nva.vnContext(VnId.of(5002)).toCompletableFuture().join()).isEmpty();
        assertThat(nva.vns()).isEqualTo(1);
    }
}
