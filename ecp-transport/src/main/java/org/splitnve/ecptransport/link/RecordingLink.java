package org.splitnve.ecptransport.link;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.ecptransport.capture.PcapWriter;
import org.splitnve.ecptransport.clock.Scheduler;
import org.splitnve.vdpcore.MacAddress;

/**
 * A link that records: it wraps another {@link Link} and writes every frame sent and every frame received to a
 * classic pcap file, in the order they crossed this end, so that any capture tool can show an exchange afterwards.
 *
 * <p>A sent frame is written once the wrapped link has taken it (a frame it refused never was on the wire), and a
 * received one before the listeners see it. One lock orders the two directions: a reply that arrives while its
 * request is still being sent waits for the request's record, so a request never appears after its answer.
 *
 * <p>Timestamps come from one clock for both directions, nanoseconds since the Unix epoch: the wall clock by
 * default, or a {@link Scheduler}'s clock anchored at a given epoch time ({@link #schedulerClock}), which makes the
 * file of a virtual-time test the same bytes on every run.
 *
 * <p>A failure to write the file is logged once and counted; the link itself goes on. The recorder owns the writer
 * and the wrapped link: {@link #close()} closes both.
 */
public final class RecordingLink implements Link {

    private static final Logger LOG = LoggerFactory.getLogger(RecordingLink.class);

    private final Link delegate;
    private final PcapWriter writer;
    private final LongSupplier epochNanos;
    private final FrameListeners listeners = new FrameListeners();
    private final FrameListener fromDelegate = this::onFrame;
    private final Object order = new Object();
    private final AtomicLong recordedSent = new AtomicLong();
    private final AtomicLong recordedReceived = new AtomicLong();
    private final AtomicLong writeErrors = new AtomicLong();
    private volatile boolean closed;

    /** Records {@code delegate} into {@code writer} with wall-clock timestamps. */
    public RecordingLink(Link delegate, PcapWriter writer) {
        this(delegate, writer, RecordingLink::wallClockNanos);
    }

    /**
     * @param epochNanos the clock of the records: nanoseconds since 1970-01-01T00:00:00Z, never negative
     */
    public RecordingLink(Link delegate, PcapWriter writer, LongSupplier epochNanos) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.writer = Objects.requireNonNull(writer, "writer");
        this.epochNanos = Objects.requireNonNull(epochNanos, "epochNanos");
        delegate.addListener(fromDelegate);
    }

    /** Creates (or truncates) {@code file} and records {@code delegate} into it with wall-clock timestamps. */
    public static RecordingLink toFile(Link delegate, Path file) throws IOException {
        return new RecordingLink(delegate, PcapWriter.create(file));
    }

    /**
     * A clock for the records that follows {@code scheduler}: {@code epochNanosAtStart} now, then as much later as the
     * scheduler's clock has moved. With a {@code VirtualScheduler} and a fixed start the file is reproducible.
     */
    public static LongSupplier schedulerClock(Scheduler scheduler, long epochNanosAtStart) {
        Objects.requireNonNull(scheduler, "scheduler");
        if (epochNanosAtStart < 0) {
            throw new IllegalArgumentException("a pcap timestamp cannot be before 1970: " + epochNanosAtStart);
        }
        long origin = scheduler.nanoTime();
        return () -> epochNanosAtStart + (scheduler.nanoTime() - origin);
    }

    /** The wall clock in nanoseconds since the epoch, at the platform clock's resolution (microseconds or better). */
    public static long wallClockNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** The wrapped link. */
    public Link delegate() {
        return delegate;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public int mtu() {
        return delegate.mtu();
    }

    @Override
    public MacAddress macAddress() {
        return delegate.macAddress();
    }

    @Override
    public void send(ByteBuffer frame) throws LinkException {
        synchronized (order) {
            long at = epochNanos.getAsLong();
            delegate.send(frame);
            if (record(frame, at)) {
                recordedSent.incrementAndGet();
            }
        }
    }

    private void onFrame(ByteBuffer frame, long timestampNanos) {
        boolean recorded;
        synchronized (order) {
            recorded = record(frame, epochNanos.getAsLong());
        }
        if (recorded) {
            recordedReceived.incrementAndGet();
        }
        listeners.deliver("recording " + delegate.name(), frame, timestampNanos);
    }

    private boolean record(ByteBuffer frame, long at) {
        if (closed) {
            return false;
        }
        try {
            writer.write(frame, at);
            return true;
        } catch (IOException | RuntimeException e) {
            if (writeErrors.getAndIncrement() == 0) {
                LOG.error("recording {}: cannot write a frame to the capture; frames go on unrecorded: {}", delegate.name(),
                        e.toString());
            }
            return false;
        }
    }

    @Override
    public void addListener(FrameListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(FrameListener listener) {
        listeners.remove(listener);
    }

    /** Hands what has been recorded so far to the file, so that it can be read while the link runs. */
    public void flush() {
        synchronized (order) {
            try {
                writer.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot flush the capture of " + delegate.name(), e);
            }
        }
    }

    /** Frames sent and written to the file. */
    public long recordedSent() {
        return recordedSent.get();
    }

    /** Frames received and written to the file. */
    public long recordedReceived() {
        return recordedReceived.get();
    }

    /** Frames that could not be written. */
    public long writeErrors() {
        return writeErrors.get();
    }

    /** Closes the wrapped link, then the file; frames still in flight after this are not recorded. */
    @Override
    public void close() {
        delegate.removeListener(fromDelegate);
        delegate.close();
        synchronized (order) {
            closed = true;
            try {
                writer.close();
            } catch (IOException e) {
                LOG.error("recording {}: cannot close the capture: {}", delegate.name(), e.toString());
            }
        }
        LOG.debug("recording {}: closed after {} frames out, {} in, {} write errors", delegate.name(), recordedSent.get(),
                recordedReceived.get(), writeErrors.get());
    }

    @Override
    public String toString() {
        return "RecordingLink[" + delegate + "]";
    }
}
