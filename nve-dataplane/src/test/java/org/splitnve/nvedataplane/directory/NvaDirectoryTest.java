package org.splitnve.nvedataplane.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.splitnve.nnve.nva.InMemoryNva;
import org.splitnve.nnve.nva.NvaChange;
import org.splitnve.nnve.nva.NvaView;
import org.splitnve.nnve.nva.TsiMapping;
import org.splitnve.nvedataplane.UnderlayAddress;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.VnId;

/** The directory of remote TSIs: this NVE's own mappings are left out, and so cost it nothing. */
class NvaDirectoryTest {

    private static final VnId VN = VnId.of(5001);
    private static final String SELF = "192.0.2.1";
    private static final String OTHER = "192.0.2.2";

    private final InMemoryNva nva = new InMemoryNva();
    private final NvaDirectory directory = new NvaDirectory(UnderlayAddress.parse(SELF)).attach(nva);
    private final AtomicInteger rebuilt = new AtomicInteger();

    {
        directory.addListener(rebuilt::incrementAndGet);
    }

    private static TsiMapping mapping(int n, String nve) {
        return new TsiMapping(VN, MacAddress.valueOf(0x020000000000L + n), null, nve);
    }

    @Test
    void this_nves_own_tsis_coming_and_going_leave_the_snapshot_alone() {
        DirectorySnapshot before = directory.snapshot();
        for (int i = 0; i < 100; i++) {
            nva.publish(mapping(i, SELF), NvaView.FORWARDING);
        }
        nva.withdraw(mapping(0, SELF), NvaView.FORWARDING);
        directory.onChanges(List.of(new NvaChange(mapping(1, SELF), NvaView.FORWARDING, false)));

        assertThat(directory.snapshot()).isSameAs(before);
        assertThat(rebuilt).hasValue(0);
    }

    @Test
    void a_remote_nves_tsi_is_learned_and_forgotten() {
        nva.publish(mapping(7, OTHER), NvaView.FORWARDING);
        assertThat(directory.snapshot().remoteNve(VN.value(), mapping(7, OTHER).mac().toLong())).isEqualTo(UnderlayAddress.parse(OTHER));
        assertThat(directory.snapshot().floodList(VN.value())).containsExactly(UnderlayAddress.parse(OTHER));
        nva.withdraw(mapping(7, OTHER), NvaView.FORWARDING);
        assertThat(directory.snapshot().remoteNve(VN.value(), mapping(7, OTHER).mac().toLong())).isNull();
        assertThat(rebuilt).hasValue(2);
    }
}
