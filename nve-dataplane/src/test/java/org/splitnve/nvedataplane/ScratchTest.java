package org.splitnve.nvedataplane;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ScratchTest {

    @Test
    void a_thread_gets_its_one_scratch_back_each_time_and_a_fresh_one_when_it_reenters() {
        Scratch.PerThread scratches = new Scratch.PerThread(128);
        Scratch first = scratches.acquire();
        Scratch nested = scratches.acquire();
        assertThat(nested).isNotSameAs(first);
        assertThat(nested.out.capacity()).isEqualTo(128);
        scratches.release(nested);
        first.out.position(10).limit(20);
        scratches.release(first);
        assertThat(first.out.position()).isZero();
        assertThat(first.out.limit()).isEqualTo(128);
        assertThat(scratches.acquire()).isSameAs(first);
    }

    @Test
    void each_thread_has_its_own() throws Exception {
        Scratch.PerThread scratches = new Scratch.PerThread(64);
        Scratch mine = scratches.acquire();
        Scratch[] theirs = new Scratch[1];
        Thread other = new Thread(() -> theirs[0] = scratches.acquire());
        other.start();
        other.join();
        assertThat(theirs[0]).isNotNull().isNotSameAs(mine);
    }
}
