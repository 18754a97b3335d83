package org.splitnve.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The trafgen launcher: its configuration text, and a real run over a veth pair counted by the interface. */
class TrafgenTest {

    @Test
    void a_frame_becomes_a_list_of_its_octets() {
        assertThat(Trafgen.config(new byte[] {0x02, (byte) 0xff, 0x00})).isEqualTo("{ 0x02, 0xff, 0x00 }\n");
    }

    @Test
    void every_frame_sent_is_counted_by_the_receiving_interface() {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("ip", "trafgen");
        try (NamespacePair pair = NamespacePair.create("tg-a", "02:00:00:00:0a:01", "tg-b", "02:00:00:00:0a:02")) {
            byte[] frame = new byte[64];
            System.arraycopy(new byte[] {0x02, 0, 0, 0, 0x0a, 0x02, 0x02, 0, 0, 0, 0x0a, 0x01, (byte) 0x88, (byte) 0xb5}, 0, frame, 0, 14);
            long before = Trafgen.rxPackets(pair.b(), "tg-b");

            Trafgen.Run run = Trafgen.send(pair.a(), "tg-a", frame, 10_000, 2_000, Duration.ofSeconds(20));

            assertThat(run.frames()).isEqualTo(2_000);
            assertThat(run.seconds()).isPositive();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (Trafgen.rxPackets(pair.b(), "tg-b") - before < 2_000 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(Trafgen.rxPackets(pair.b(), "tg-b") - before).isEqualTo(2_000);
            assertThat(Trafgen.txPackets(pair.a(), "tg-a")).isGreaterThanOrEqualTo(2_000);
        }
    }
}
