package org.splitnve.nvedataplane;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.ecptransport.clock.Scheduler;
import org.splitnve.nnve.TsiKey;
import org.splitnve.nnve.TsiView;
import org.splitnve.nvedataplane.DataPlaneCounters.Event;
import org.splitnve.nvedataplane.codec.Ethernet;
import org.splitnve.nvedataplane.codec.Tunnel;
import org.splitnve.nvedataplane.directory.OverlayDirectory;
import org.splitnve.nvedataplane.port.BufferPool;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.LocalTag;

/**
 * The old NVE's side of a migration (draft-ietf-nvo3-vmm-05 section 5): frames still arriving for
 * a TSI that left are tunnelled to its new NVE, held until the directory names that NVE, handed
 * back to the port if the TSI returns, and dropped (counted) when the migration timer ends first.
 *
 * <p>Which TSIs moved is {@link ForwardingTables}' state; this class owns their held frames and
 * timers. Held frames are untagged inner frames in pooled buffers.
 */
final class MigrationHold {

    // The data plane's one log category, as operators configure it.
    private static final Logger LOG = LoggerFactory.getLogger(DataPlane.class);

    private final Egress egress;
    private final Encapsulator encapsulator;
    private final OverlayDirectory directory;
    private final Scratch.PerThread scratches;
    private final Scheduler scheduler;
    private final Duration hold;
    private final BufferPool heldPool;
    private final int maxHeldPerTsi;
    private final DataPlaneCounters counters;

    MigrationHold(Egress egress, Encapsulator encapsulator, OverlayDirectory directory, Scratch.PerThread scratches, Scheduler scheduler,
                  Duration hold, BufferPool heldPool, int maxHeldPerTsi, DataPlaneCounters counters) {
        this.egress = egress;
        this.encapsulator = encapsulator;
        this.directory = directory;
        this.scratches = scratches;
        this.scheduler = scheduler;
        this.hold = hold;
        this.heldPool = heldPool;
        this.maxHeldPerTsi = maxHeldPerTsi;
        this.counters = counters;
    }

    /** How long a moved TSI's frames are tunnelled. */
    Duration duration() {
        return hold;
    }

    /** When the timer of a TSI leaving now will end, in {@link Scheduler#nanoTime()}. */
    long expiryOfLeavingNow() {
        return scheduler.nanoTime() + hold.toNanos();
    }

    /**
     * A TSI's MAC left: its entry, keeping what was held for it if it had left before and its
     * earlier timer (now cancelled) had not ended.
     */
    MovedTsi left(TsiKey key, int vni, long mac, long expiresNanos, MovedTsi earlier) {
        if (earlier != null && earlier.timer != null) {
            earlier.timer.cancel();
        }
        boolean keep = earlier != null && !earlier.held.isClosed();
        return new MovedTsi(key, vni, mac, expiresNanos, keep ? earlier.held : new HeldFrames(heldPool, maxHeldPerTsi));
    }

    /**
     * Starts the timers of TSIs that left; when one ends, {@code forget} removes it from the tables first. Called
     * with the tables' lock held, so that closing, under the same lock, finds every timer started.
     */
    void startTimers(List<MovedTsi> left, Consumer<MovedTsi> forget) {
        for (MovedTsi moved : left) {
            moved.timer = scheduler.schedule(hold, () -> expire(moved, forget));
        }
    }

    /** Whether the timer of {@code moved} has ended (checked per frame: the timer task may lag). */
    boolean expired(MovedTsi moved) {
        return scheduler.nanoTime() - moved.expiresNanos > 0;
    }

    /**
     * The TSI came back (or moved between two of our ports) before its timer ended: what was
     * held is its, delivered on its port with its tag.
     */
    void returned(MovedTsi moved, TsiView tsi, int trunk) {
        if (moved.timer != null) {
            moved.timer.cancel();
        }
        LOG.info("dataplane: TSI {} ({} {}) is local again; delivering {} held frames", tsi.key(), tsi.vn(),
                MacAddress.valueOf(moved.mac), moved.held.size());
        LocalTag tag = tsi.tagOf(MacAddress.valueOf(moved.mac));
        int vid = (tag != null ? tag : tsi.tag()).vid();
        Scratch scratch = scratches.acquire();
        try {
            moved.held.drain((frame, event) -> egress.retagged(scratch, frame, 0, frame.limit(), false, trunk, vid,
                    Event.MIGRATION_DELIVERED_LOCAL));
        } finally {
            scratches.release(scratch);
        }
        // What a forwarding thread that still saw it moved hands over now is dropped, not left held.
        moved.held.close();
    }

    /**
     * A frame for a moved TSI: tunnelled to its new NVE if the directory knows it (what was held
     * first), else held. {@code from} is the tunnel it came in on, if any, to refuse a loop.
     */
    void forward(Scratch scratch, MovedTsi moved, ByteBuffer frame, int offset, int length, boolean tagged, Tunnel.Decoded from) {
        UnderlayAddress newNve = directory.snapshot().remoteNve(moved.vni, moved.mac);
        if (newNve == null) {
            hold(scratch, moved, frame, offset, length, tagged);
            return;
        }
        if (from != null && (from.ipv6 ? from.srcHigh == newNve.high() && from.srcLow == newNve.low() : from.srcIp4 == newNve.v4())) {
            counters.drop(DropReason.TUNNEL_LOOP);
            return;
        }
        if (moved.held.size() > 0) {
            tunnelHeld(scratch, moved, newNve);
        }
        encapsulator.encapsulate(scratch, frame, offset, length, tagged, moved.vni, newNve, Event.MIGRATION_TUNNELLED);
    }

    /** The directory changed: if it now names the new NVE of {@code moved}, what was held goes there. */
    void onNewNve(MovedTsi moved, UnderlayAddress newNve) {
        if (moved.held.size() == 0) {
            return;
        }
        LOG.info("dataplane: new NVE of {} ({}) is {}; tunnelling {} held frames", moved.key,
                MacAddress.valueOf(moved.mac), newNve, moved.held.size());
        Scratch scratch = scratches.acquire();
        try {
            tunnelHeld(scratch, moved, newNve);
        } finally {
            scratches.release(scratch);
        }
    }

    /**
     * The TSI's MAC left again, and this time not by migration: its timer stops and what it still held is dropped,
     * counted as expired, since no new location will take it.
     */
    void release(MovedTsi moved) {
        if (moved.timer != null) {
            moved.timer.cancel();
        }
        int dropped = moved.held.close();
        if (dropped > 0) {
            counters.drop(DropReason.MIGRATION_EXPIRED, dropped);
        }
        LOG.info("dataplane: {} ({}) left without migrating; no longer tunnelling its frames, {} held ones dropped", moved.key,
                MacAddress.valueOf(moved.mac), dropped);
    }

    /** Stops a moved TSI's timer and drops what it held, uncounted (the data plane is closing). */
    void discard(MovedTsi moved) {
        if (moved.timer != null) {
            moved.timer.cancel();
        }
        moved.held.close();
    }

    private void hold(Scratch scratch, MovedTsi moved, ByteBuffer frame, int offset, int length, boolean tagged) {
        ByteBuffer out = scratch.out;
        int heldLength;
        if (tagged) {
            heldLength = Ethernet.popTag(frame, offset, length, out, 0);
        } else {
            out.put(0, frame, offset, length);
            heldLength = length;
        }
        out.limit(heldLength).position(0);
        HeldFrames.Held held = moved.held.hold(out, Event.MIGRATION_TUNNELLED);
        out.clear();
        if (held != HeldFrames.Held.HELD) {
            counters.drop(held == HeldFrames.Held.FULL ? DropReason.MIGRATION_BUFFER_FULL : DropReason.MIGRATION_ENDED);
            return;
        }
        counters.increment(Event.MIGRATION_HELD);
        // The directory may have learned the new NVE between the look-up and the hold.
        UnderlayAddress newNve = directory.snapshot().remoteNve(moved.vni, moved.mac);
        if (newNve != null) {
            tunnelHeld(scratch, moved, newNve);
        }
    }

    private void tunnelHeld(Scratch scratch, MovedTsi moved, UnderlayAddress newNve) {
        moved.held.drain((frame, event) -> encapsulator.encapsulate(scratch, frame, 0, frame.limit(), false, moved.vni, newNve,
                event));
    }

    private void expire(MovedTsi moved, Consumer<MovedTsi> forget) {
        forget.accept(moved);
        int dropped = moved.held.close();
        if (dropped > 0) {
            counters.drop(DropReason.MIGRATION_EXPIRED, dropped);
            LOG.warn("dataplane: migration timer of {} ({}) ended before its new NVE was known; dropped {} held frames", moved.key,
                    MacAddress.valueOf(moved.mac), dropped);
        } else {
            LOG.info("dataplane: migration timer of {} ({}) ended; no longer tunnelling its in-flight frames", moved.key,
                    MacAddress.valueOf(moved.mac));
        }
    }
}
