package org.splitnve.ecptransport.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.splitnve.ecptransport.link.Link;
import org.splitnve.ecptransport.link.LinkException;
import org.splitnve.ecptransport.link.PcapLink;
import org.splitnve.ecptransport.link.RingLink;
import org.splitnve.ecptransport.testing.LiveVeth;
import org.splitnve.ecptransport.testing.ReceivedFrames;
import org.splitnve.testsupport.InNamespace;
import org.splitnve.testsupport.Prerequisites;
import org.splitnve.vdpcore.MacAddress;

/** RingLink and its packet socket on a real veth pair between two namespaces the test creates. */
class RingLinkLiveTest {

    private static final MacAddress MAC_A = MacAddress.valueOf("02:00:00:00:0d:01");
    private static final MacAddress MAC_B = MacAddress.valueOf("02:00:00:00:0d:02");
    /** IEEE 802 local experimental EtherType: an opaque payload nobody else reacts to. */
    private static final int OTHER = 0x88B5;

    private LiveVeth veth;

    @BeforeEach
    void setUp() {
        veth = LiveVeth.forTest("rl-a", MAC_A, "rl-b", MAC_B);
    }

    @AfterEach
    void tearDown() {
        if (veth != null) {
            veth.close();
        }
    }

    private RingLink ringA(int... types) throws Exception {
        return veth.track(InNamespace.call(veth.nsA(), () -> RingLink.open(veth.ifA(), types)));
    }

    private RingLink ringB(int... types) throws Exception {
        return veth.track(InNamespace.call(veth.nsB(), () -> RingLink.open(veth.ifB(), types)));
    }

    @Test
    void a_ring_link_knows_its_interface_and_mac_and_refuses_a_missing_one() throws Exception {
        RingLink a = ringA();

        assertThat(a.name()).isEqualTo("rl-a");
        assertThat(a.macAddress()).isEqualTo(MAC_A);
        assertThatThrownBy(() -> RingLink.open("rl-a")).isInstanceOf(LinkException.class)
                .hasMessageContaining("no network interface named rl-a");
    }

    @Test
    void frames_cross_the_rings_both_ways_in_order_and_intact() throws Exception {
        RingLink a = ringA(OTHER);
        RingLink b = ringB(OTHER);
        ReceivedFrames atA = new ReceivedFrames(a);
        ReceivedFrames atB = new ReceivedFrames(b);

        List<byte[]> aToB = new ArrayList<>();
        List<byte[]> bToA = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            byte[] f = frame(MAC_A, OTHER, i, 60 + i * 7 % 1440);
            aToB.add(f);
            a.send(ByteBuffer.wrap(f));
            if (i % 4 == 0) {
                byte[] g = frame(MAC_B, OTHER, i, 60 + i % 200);
                bToA.add(g);
                b.send(ByteBuffer.wrap(g));
            }
        }

        atB.await(aToB.size());
        atA.await(bToA.size());
        assertThat(atB.frames).as("stats %s", b.socket().stats()).hasSize(aToB.size());
        assertThat(atA.frames).hasSize(bToA.size());
        for (int i = 0; i < aToB.size(); i++) {
            assertThat(atB.frames.get(i)).isEqualTo(aToB.get(i));
        }
        for (int i = 0; i < bToA.size(); i++) {
            assertThat(atA.frames.get(i)).isEqualTo(bToA.get(i));
        }
        assertThat(b.socket().stats().kernelDrops()).isZero();
        assertThat(a.socket().stats().sent()).isEqualTo(aToB.size());
    }

    @Test
    void what_the_ring_sends_is_what_libpcap_sees_on_the_wire() throws Exception {
        Prerequisites.requireLibpcap();
        RingLink a = ringA();
        PcapLink b = veth.track(InNamespace.call(veth.nsB(), () -> PcapLink.open(veth.ifB(), OTHER)));
        ReceivedFrames atB = new ReceivedFrames(b);

        byte[] f = frame(MAC_A, OTHER, 7, 1514);
        a.send(ByteBuffer.wrap(f));

        atB.await(1);
        assertThat(atB.frames).singleElement().isEqualTo(f);
    }

    @Test
    void tagged_frames_keep_their_tag_and_its_tpid() throws Exception {
        RingLink a = ringA();
        RingLink b = ringB(0x8100, 0x88A8);
        ReceivedFrames atB = new ReceivedFrames(b);

        byte[] dot1q = tagged(0x8100, 0x6000 | 100, 90);
        byte[] dot1ad = tagged(0x88A8, 0x0FFE, 200);
        a.send(ByteBuffer.wrap(dot1q));
        a.send(ByteBuffer.wrap(dot1ad));

        atB.await(2);
        assertThat(atB.frames).hasSize(2);
        assertThat(atB.frames.get(0)).isEqualTo(dot1q);
        assertThat(atB.frames.get(1)).isEqualTo(dot1ad);
        // The kernel took both tags into metadata; the ring put them back.
        assertThat(b.socket().stats().vlanRestored()).isEqualTo(2);
    }

    @Test
    void our_own_frames_are_not_looped_back() throws Exception {
        RingLink a = ringA(OTHER);
        RingLink b = ringB(OTHER);
        ReceivedFrames atA = new ReceivedFrames(a);
        ReceivedFrames atB = new ReceivedFrames(b);

        for (int i = 0; i < 20; i++) {
            a.send(ByteBuffer.wrap(frame(MAC_A, OTHER, i, 60)));
        }
        b.send(ByteBuffer.wrap(frame(MAC_B, OTHER, 99, 60)));

        atB.await(20);
        atA.await(1);
        Thread.sleep(200);
        assertThat(atA.frames).singleElement().satisfies(f -> assertThat(f[14]).isEqualTo((byte) 99));
        assertThat(atB.frames).hasSize(20);
    }

    @Test
    void a_slot_given_up_unsent_does_not_hold_up_the_ring() throws Exception {
        RingLink a = ringA();
        RingLink b = ringB(OTHER);
        ReceivedFrames atB = new ReceivedFrames(b);
        PacketSocket s = a.socket();

        // Round the ring three times with slots given up.
        for (int i = 0; i < 3 * s.config().txFrames(); i++) {
            int given = s.reserve();
            assertThat(given).as("slot %d", i).isNotNegative();
            s.commit(given, 0);
        }
        int slot = s.reserve();
        byte[] f = frame(MAC_A, OTHER, 1, 60);
        s.slot(slot).put(0, f);
        s.commit(slot, f.length);

        atB.await(1);
        assertThat(atB.frames).singleElement().isEqualTo(f);
    }

    @Test
    void removing_the_interface_is_reported_to_the_owner_and_the_thread_ends() throws Exception {
        RingLink a = ringA();
        AtomicReference<LinkException> reported = new AtomicReference<>();
        CountDownLatch failed = new CountDownLatch(1);
        a.onFailure((port, e) -> {
            reported.set(e);
            failed.countDown();
        });

        veth.nsA().exec("ip", "link", "del", veth.ifA());

        assertThat(failed.await(5, TimeUnit.SECONDS)).as("failure reported").isTrue();
        assertThat(reported.get()).hasMessageContaining("rl-a").hasMessageContaining("gone");
        assertThatThrownBy(() -> a.send(ByteBuffer.wrap(frame(MAC_A, OTHER, 1, 60)))).isInstanceOf(LinkException.class);
    }

    @Test
    void a_link_that_goes_down_and_up_again_receives_again() throws Exception {
        RingLink a = ringA();
        RingLink b = ringB(OTHER);
        ReceivedFrames atB = new ReceivedFrames(b);
        AtomicReference<LinkException> reported = new AtomicReference<>();
        b.onFailure((port, e) -> reported.set(e));

        veth.nsB().exec("ip", "link", "set", veth.ifB(), "down");
        Thread.sleep(300);
        veth.nsB().exec("ip", "link", "set", veth.ifB(), "up");
        Thread.sleep(300);
        a.send(ByteBuffer.wrap(frame(MAC_A, OTHER, 5, 60)));

        atB.await(1);
        assertThat(atB.frames).hasSize(1);
        assertThat(reported.get()).isNull();
    }

    @Test
    void a_listener_may_close_its_link_on_the_receive_thread() throws Exception {
        RingLink a = ringA();
        RingLink b = ringB(OTHER);
        CountDownLatch closed = new CountDownLatch(1);
        b.addListener((f, t) -> {
            b.close();
            closed.countDown();
        });

        for (int i = 0; i < 50; i++) {
            a.send(ByteBuffer.wrap(frame(MAC_A, OTHER, i, 60)));
        }

        assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("ring-rl-b")) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("ring-rl-b"));
        assertThatThrownBy(() -> b.send(ByteBuffer.wrap(frame(MAC_B, OTHER, 1, 60)))).isInstanceOf(LinkException.class);
    }

    @Test
    void close_stops_the_receive_thread_promptly() throws Exception {
        RingLink a = ringA();
        long start = System.nanoTime();
        a.close();
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("ring-rl-a"));
        assertThat(tookMillis).isLessThan(1_000);
        assertThatThrownBy(() -> a.send(ByteBuffer.wrap(frame(MAC_A, OTHER, 1, 60)))).isInstanceOf(LinkException.class)
                .hasMessageContaining("closed");
        a.close();
    }

    private static byte[] tagged(int tpid, int tci, int length) {
        ByteBuffer b = ByteBuffer.allocate(length);
        MAC_B.writeTo(b);
        MAC_A.writeTo(b);
        b.putShort((short) tpid).putShort((short) tci).putShort((short) OTHER);
        while (b.hasRemaining()) {
            b.put((byte) b.position());
        }
        return b.array();
    }

    /** A frame to end B's MAC: marker after the header, then a counting pattern. */
    private static byte[] frame(MacAddress src, int etherType, int marker, int length) {
        ByteBuffer b = ByteBuffer.allocate(length);
        (src.equals(MAC_A) ? MAC_B : MAC_A).writeTo(b);
        src.writeTo(b);
        b.putShort((short) etherType);
        b.put((byte) marker);
        b.put((byte) (marker >> 8));
        while (b.hasRemaining()) {
            b.put((byte) b.position());
        }
        return b.array();
    }
}
