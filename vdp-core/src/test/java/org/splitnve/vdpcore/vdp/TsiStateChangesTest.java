package org.splitnve.vdpcore.vdp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The counts behind the one log line per VDPDU. */
class TsiStateChangesTest {

    @Test
    void changes_are_counted_by_old_and_new_state_and_listed_in_state_order() {
        TsiStateChanges c = new TsiStateChanges();
        assertThat(c).hasToString("");
        for (int i = 0; i < 37; i++) {
            c.count(TsiState.INIT, TsiState.ACTIVATED);
        }
        c.count(TsiState.ACTIVATED, TsiState.INIT);
        c.count(TsiState.ACTIVATED, TsiState.INIT);
        assertThat(c.total()).isEqualTo(39);
        assertThat(c).hasToString("37 INIT -> ACTIVATED, 2 ACTIVATED -> INIT");
    }
}
