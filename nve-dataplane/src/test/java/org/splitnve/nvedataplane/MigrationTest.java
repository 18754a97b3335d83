package org.splitnve.nvedataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitnve.nvedataplane.TestFrames.active;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.splitnve.ecptransport.clock.VirtualScheduler;
import org.splitnve.nnve.TsiView;
import org.splitnve.nnve.nva.InMemoryNva;
import org.splitnve.nnve.nva.NvaView;
import org.splitnve.nnve.nva.TsiMapping;
import org.splitnve.nvedataplane.codec.Ethernet;
import org.splitnve.nvedataplane.directory.NvaDirectory;
import org.splitnve.nvedataplane.port.MemoryDataPort;
import org.splitnve.nvedataplane.port.MemoryHub;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.VnId;

/**
 * A live migration between two nNVE data planes (old A, new B) on one in-memory underlay, while a
 * third NVE (C) with a stale mapping keeps sending to A: every frame that reaches A within the
 * timer reaches the TSI, at A before the move and through B after it, in order.
 *
 * <p>The control plane is played by hand: the nNVE's listener calls are made with TSI views built
 * directly, and its NVA publications into a shared {@link InMemoryNva} (what {@code NnvePort} does
 * on activation and deactivation) are made alongside, so the directories learn as in production.
 * Underlay next hops are resolved by real ARP on the hub.
 */
class MigrationTest {

    static final int VNI = 7000;
    static final MacAddress M = MacAddress.valueOf("52:54:00:aa:00:01");
    static final MacAddress S = MacAddress.valueOf("52:54:00:cc:00:01");

    record Nve(DataPlane dp, MemoryDataPort station, List<Integer> got) {
    }

    final VirtualScheduler scheduler = new VirtualScheduler();
    final MemoryHub hub = new MemoryHub(null);
    final InMemoryNva nva = new InMemoryNva();

    Nve nve(String ip, int n, NvaDirectory dir) {
        MemoryDataPort[] trunk = MemoryDataPort.pair("p1", MacAddress.valueOf(0x020000000a00L + n), "sta",
                MacAddress.valueOf(0x020000000b00L + n));
        List<Integer> got = new ArrayList<>();
        trunk[1].receiver((p, f) -> {
            if (Ethernet.payloadType(f, f.position()) == 0x0800 && f.get(f.position() + Ethernet.TAGGED_HEADER + 9) == 17) {
                got.add(f.getInt(f.position() + Ethernet.TAGGED_HEADER + 28));
            }
        });
        DataPlane dp = DataPlane.builder().trunkPort(trunk[0]).underlayPort(hub.attach("up" + n, MacAddress.valueOf(0x020000000c00L + n)))
                .localAddress(TestFrames.ip(ip)).directory(dir).scheduler(scheduler).migrationHold(Duration.ofSeconds(5)).build();
        return new Nve(dp, trunk[1], got);
    }

    void publish(TsiView t, String nve, boolean on) {
        TsiMapping m = new TsiMapping(t.vn(), t.macs().get(0), null, nve);
        if (on) {
            nva.publish(m, NvaView.FORWARDING);
        } else {
            nva.withdraw(m, NvaView.FORWARDING);
        }
    }

    @Test
    void no_frame_that_reached_the_old_nve_within_the_timer_is_lost() {
        Nve a = nve("192.0.2.1", 1, new NvaDirectory(UnderlayAddress.parse("192.0.2.1")).attach(nva));
        Nve b = nve("192.0.2.2", 2, new NvaDirectory(UnderlayAddress.parse("192.0.2.2")).attach(nva));
        NvaDirectory stale = new NvaDirectory(UnderlayAddress.parse("192.0.2.3"));
        stale.onPublished(new TsiMapping(VnId.of(VNI), M, null, "192.0.2.1"), NvaView.FORWARDING);
        Nve c = nve("192.0.2.3", 3, stale);
        c.dp().onTsiActivated(active("p1", VNI, 30, S));

        TsiView onA = active("p1", VNI, 10, M);
        TsiView onB = active("p1", VNI, 20, M);
        a.dp().onTsiActivated(onA);
        publish(onA, "192.0.2.1", true);

        int[] seq = {0};
        Runnable burst = () -> {
            for (int i = 0; i < 25; i++) {
                ByteBuffer f = TestFrames.udp4(M.toLong(), S.toLong(), 30, 1, 2, 3, 4, 100);
                f.putInt(Ethernet.TAGGED_HEADER + 28, seq[0]++);
                c.station().send(f);
            }
        };
        burst.run();
        assertThat(a.got()).hasSize(25);

        // Old NVE: Pre-Associate with S (deactivate): withdrawn from the forwarding view.
        a.dp().onTsiDeactivated(onA, "migrating away (Pre-Associate, S)");
        publish(onA, "192.0.2.1", false);
        burst.run();
        scheduler.advance(Duration.ofSeconds(1));
        burst.run();
        assertThat(a.dp().counters().count(DataPlaneCounters.Event.MIGRATION_HELD)).isEqualTo(50);

        // New NVE: Associate with M: activated and published; A learns where M went.
        b.dp().onTsiActivated(onB);
        publish(onB, "192.0.2.2", true);
        b.dp().onActivatedWithMigration(onB);
        burst.run();
        scheduler.advance(Duration.ofSeconds(2));
        burst.run();

        List<Integer> all = new ArrayList<>(a.got());
        all.addAll(b.got());
        assertThat(all).as("A %s, B %s, C %s", a.dp().counters(), b.dp().counters(), c.dp().counters()).hasSize(seq[0]);
        for (int i = 0; i < all.size(); i++) {
            assertThat(all.get(i)).isEqualTo(i);
        }
        assertThat(b.dp().counters().count(DataPlaneCounters.Event.DECAPSULATED)).isEqualTo(100);
        assertThat(a.dp().counters().totalDrops()).isZero();
        assertThat(b.dp().counters().count(DataPlaneCounters.Event.QUERIES_SENT)).isEqualTo(1);

        // After the timer the old NVE stops tunnelling, and says so in its counters.
        scheduler.advance(Duration.ofSeconds(3));
        burst.run();
        assertThat(b.got()).hasSize(100);
        assertThat(a.dp().counters().drops(DropReason.UNKNOWN_DESTINATION)).isEqualTo(25);
        assertThat(a.dp().neighbor(InetAddress.getLoopbackAddress())).isEmpty();
    }
}
