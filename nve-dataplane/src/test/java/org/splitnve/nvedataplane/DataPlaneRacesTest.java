package org.splitnve.nvedataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.splitnve.nvedataplane.TestFrames.active;
import static org.splitnve.nvedataplane.TestFrames.udp4;
import static org.splitnve.nvedataplane.TestFrames.v4;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.splitnve.ecptransport.clock.Scheduler;
import org.splitnve.ecptransport.clock.VirtualScheduler;
import org.splitnve.nnve.DataPlaneListener;
import org.splitnve.nnve.DataPlaneView;
import org.splitnve.nnve.TsiView;
import org.splitnve.nvedataplane.DataPlaneCounters.Event;
import org.splitnve.nvedataplane.codec.Arp;
import org.splitnve.nvedataplane.codec.Encapsulation;
import org.splitnve.nvedataplane.codec.Ethernet;
import org.splitnve.nvedataplane.codec.Tunnel;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.LocalTag;
import org.splitnve.vdpcore.vdp.VnId;

/**
 * The data plane where a control event and a forwarding thread, or the closing thread, meet: each interleaving is
 * forced deterministically, and what the data plane holds afterwards must be what the last event says.
 */
@Timeout(30)
class DataPlaneRacesTest {

    static final MacAddress A = MacAddress.valueOf("52:54:00:00:00:0a");
    static final MacAddress B = MacAddress.valueOf("52:54:00:00:00:0b");
    static final int VNI = 5000;

    /** An nNVE's view whose TSI is deactivated on the protocol thread right after the data plane read the active ones. */
    private static final class RacingView implements DataPlaneView {
        final TsiView tsi = active("p1", VNI, 100, A);
        final List<DataPlaneListener> listeners = new CopyOnWriteArrayList<>();

        @Override
        public java.util.Optional<VnId> vnOfTag(String port, LocalTag tag) {
            return java.util.Optional.empty();
        }

        @Override
        public java.util.Optional<LocalTag> tagOfVn(String port, VnId vn) {
            return java.util.Optional.empty();
        }

        @Override
        public List<TsiView> activeTsis() {
            List<TsiView> snapshot = List.of(tsi);
            listeners.forEach(l -> l.onTsiDeactivated(tsi, "deactivated meanwhile", false));
            return snapshot;
        }

        @Override
        public void addListener(DataPlaneListener listener) {
            listeners.add(listener);
        }
    }

    @Test
    void a_tsi_deactivated_while_the_data_plane_replays_the_active_ones_stays_deactivated() {
        PortsTestBed ports = new PortsTestBed();
        RacingView view = new RacingView();
        DataPlane dp = DataPlane.builder().trunkPort(ports.p1[0]).trunkPort(ports.p2[0]).underlayPort(ports.up[0])
                .localAddress(TestFrames.ip(PortsTestBed.LOCAL)).nextHopMac(PortsTestBed.ROUTER_MAC).directory(ports.directory)
                .scheduler(ports.scheduler).view(view).build();

        assertThat(dp.activeTsis()).as("the replay did not bring it back").isEmpty();
        ports.fromStation1(udp4(B.toLong(), A.toLong(), 100, 1, 2, 3, 4, 80));
        assertThat(dp.counters().count(Event.RECEIVED_TRUNK)).isEqualTo(1);
        assertThat(dp.counters().totalDrops()).isEqualTo(1);
    }

    @Test
    void a_frame_for_a_moved_tsi_that_arrives_after_its_hold_ended_is_dropped_and_counted_not_held() {
        EgressTestBed bed = new EgressTestBed();
        MigrationHold hold = bed.hold();
        MovedTsi moved = hold.left(active("p2", VNI, 300, B).key(), VNI, B.toLong(), hold.expiryOfLeavingNow(), null);
        hold.startTimers(List.of(moved), m -> { });
        long buffers = bed.heldPool.created();
        // The TSI came back; a forwarding thread still had the snapshot naming it moved.
        hold.returned(moved, active("p1", VNI, 110, B), 0);
        ByteBuffer late = udp4(B.toLong(), A.toLong(), 100, 1, 2, 3, 4, 80);
        bed.withScratch(s -> hold.forward(s, moved, late, 0, late.limit(), true, null));

        assertThat(moved.held.size()).as("nothing held where nobody drains").isZero();
        assertThat(bed.counters.count(Event.MIGRATION_HELD)).isZero();
        assertThat(bed.counters.drops(DropReason.MIGRATION_ENDED)).isEqualTo(1);
        assertThat(bed.heldPool.created()).as("no pooled buffer taken").isEqualTo(buffers);
    }

    /** A scheduler whose migration-hold timers are scheduled while another thread closes the data plane. */
    private static final class ClosingScheduler implements Scheduler {
        final VirtualScheduler clock = new VirtualScheduler();
        final Duration hold;
        final AtomicReference<Runnable> onHoldTimer = new AtomicReference<>();
        final List<Timer> holdTimers = new CopyOnWriteArrayList<>();

        ClosingScheduler(Duration hold) {
            this.hold = hold;
        }

        @Override
        public long nanoTime() {
            return clock.nanoTime();
        }

        @Override
        public void execute(Runnable task) {
            clock.execute(task);
        }

        @Override
        public Timer schedule(Duration delay, Runnable task) {
            Runnable hook = delay.equals(hold) ? onHoldTimer.getAndSet(null) : null;
            if (hook != null) {
                hook.run();
            }
            Timer t = clock.schedule(delay, task);
            if (delay.equals(hold)) {
                holdTimers.add(t);
            }
            return t;
        }

        @Override
        public boolean inSchedulerThread() {
            return clock.inSchedulerThread();
        }
    }

    @Test
    void closing_while_a_moved_tsis_timer_is_being_started_still_stops_that_timer() throws Exception {
        PortsTestBed ports = new PortsTestBed();
        Duration holdFor = Duration.ofSeconds(7);
        ClosingScheduler scheduler = new ClosingScheduler(holdFor);
        DataPlane dp = DataPlane.builder().trunkPort(ports.p1[0]).trunkPort(ports.p2[0]).underlayPort(ports.up[0])
                .localAddress(TestFrames.ip(PortsTestBed.LOCAL)).nextHopMac(PortsTestBed.ROUTER_MAC).directory(ports.directory)
                .scheduler(scheduler).migrationHold(holdFor).build();
        TsiView t = active("p2", VNI, 300, B);
        dp.onTsiActivated(t);
        Thread[] closer = new Thread[1];
        scheduler.onHoldTimer.set(() -> {
            closer[0] = new Thread(dp::close, "closer");
            closer[0].start();
            try {
                closer[0].join(300); // the closing thread gets as far as it can while the timer is being started
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        dp.onTsiDeactivated(t, "moved", true);
        closer[0].join(5_000);

        assertThat(scheduler.holdTimers).singleElement().satisfies(timer -> assertThat(timer.isCancelled())
                .as("close saw the timer and stopped it").isTrue());
    }

    @Test
    void a_tunnel_packet_sent_while_its_next_hop_is_refreshed_is_intact() throws Exception {
        EgressTestBed bed = new EgressTestBed();
        UnderlayNeighbors neighbors = bed.neighbors(EgressTestBed.LOCAL_ADDRESS, Duration.ofSeconds(1), 64);
        Encapsulator enc = bed.encapsulator(neighbors, -1, null, EgressTestBed.LOCAL_ADDRESS);
        ByteBuffer reply = TestFrames.underlayArp(Arp.REPLY, bed.underlayMac(), 0x020000000202L, v4(PortsTestBed.REMOTE),
                bed.underlayMac(), v4(PortsTestBed.LOCAL));
        bed.withScratch(s -> enc.encapsulate(s, udp4(B.toLong(), A.toLong(), 100, 1, 2, 3, 4, 80), 0, 80, true, VNI,
                EgressTestBed.REMOTE_ADDRESS, Event.ENCAPSULATED));
        bed.withScratch(s -> neighbors.onArp(s, reply, Ethernet.HEADER, reply.limit() - Ethernet.HEADER));
        bed.scheduler.advance(Duration.ofSeconds(2)); // the next hop is now older than its reachable time
        bed.router.frames.clear();

        ByteBuffer frame = udp4(B.toLong(), A.toLong(), 100, 1, 2, 3, 4, 80);
        bed.withScratch(s -> enc.encapsulate(s, frame, 0, 80, true, VNI, EgressTestBed.REMOTE_ADDRESS, Event.ENCAPSULATED));

        List<ByteBuffer> tunnels = bed.router.frames.stream().filter(f -> Ethernet.outerType(f, 0) == 0x0800).toList();
        assertThat(bed.router.frames).as("an ARP request to refresh, and the packet").hasSize(2);
        assertThat(tunnels).singleElement().satisfies(p -> {
            assertThat(Ethernet.destination(p, 0)).isEqualTo(0x020000000202L);
            Tunnel.Decoded d = Tunnel.decode(p, 0, p.limit(), Encapsulation.VXLAN);
            assertThat(d.vni).isEqualTo(VNI);
            assertThat(d.dstIp4).isEqualTo(v4(PortsTestBed.REMOTE));
            assertThat(Ethernet.destination(p, d.innerOffset)).isEqualTo(B.toLong());
        });
    }

    @Test
    void flood_copies_and_migration_tunnelling_that_waited_for_a_next_hop_are_counted_as_what_they_are() {
        EgressTestBed bed = new EgressTestBed();
        UnderlayNeighbors neighbors = bed.neighbors();
        Encapsulator enc = bed.encapsulator(neighbors, -1, null, EgressTestBed.LOCAL_ADDRESS);
        bed.withScratch(s -> enc.encapsulate(s, udp4(Ethernet.BROADCAST, A.toLong(), 100, 1, 2, 3, 4, 80), 0, 80, true, VNI,
                EgressTestBed.REMOTE_ADDRESS, Event.FLOOD_COPIES_REMOTE));
        bed.withScratch(s -> enc.encapsulate(s, udp4(B.toLong(), A.toLong(), 100, 1, 2, 3, 4, 80), 0, 80, true, VNI,
                EgressTestBed.REMOTE_ADDRESS, Event.MIGRATION_TUNNELLED));
        ByteBuffer reply = TestFrames.underlayArp(Arp.REPLY, bed.underlayMac(), 0x020000000202L, v4(PortsTestBed.REMOTE),
                bed.underlayMac(), v4(PortsTestBed.LOCAL));
        bed.withScratch(s -> neighbors.onArp(s, reply, Ethernet.HEADER, reply.limit() - Ethernet.HEADER));

        assertThat(bed.counters.count(Event.FLOOD_COPIES_REMOTE)).isEqualTo(1);
        assertThat(bed.counters.count(Event.MIGRATION_TUNNELLED)).isEqualTo(1);
        assertThat(bed.counters.count(Event.ENCAPSULATED)).isZero();
    }

    @Test
    void closing_stops_the_arp_retries_and_returns_the_frames_that_waited_for_a_next_hop() {
        PortsTestBed ports = new PortsTestBed();
        DataPlane dp = DataPlane.builder().trunkPort(ports.p1[0]).trunkPort(ports.p2[0]).underlayPort(ports.up[0])
                .localAddress(TestFrames.ip(PortsTestBed.LOCAL)).resolveNextHop().directory(ports.directory).scheduler(ports.scheduler)
                .build();
        dp.onTsiActivated(active("p1", VNI, 100, A));
        ports.remote(VNI, B, null, PortsTestBed.REMOTE);
        ports.fromStation1(udp4(B.toLong(), A.toLong(), 100, 1, 2, 3, 4, 80));
        assertThat(ports.scheduler.pendingTimers()).as("an ARP retry").isPositive();

        dp.close();

        assertThat(ports.scheduler.pendingTimers()).isZero();
        ports.remote(VNI, A, null, PortsTestBed.REMOTE);
        ports.scheduler.advance(Duration.ofSeconds(10));
        ByteBuffer reply = TestFrames.underlayArp(Arp.REPLY, ports.underlayMac(), 0x020000000202L, v4(PortsTestBed.REMOTE),
                ports.underlayMac(), v4(PortsTestBed.LOCAL));
        ports.fromUnderlay(reply);
        assertThat(ports.router.frames).as("nothing sent after close").allSatisfy(f -> assertThat(Ethernet.outerType(f, 0)).isEqualTo(0x0806));
    }
}
