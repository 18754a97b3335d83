package org.splitnve.ecptransport.capture;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * Writes classic pcap files (the libpcap savefile format that every capture tool reads):
 * microsecond timestamps, little-endian as libpcap writes them on the common hosts, so that the
 * same frames and timestamps always give the same bytes whatever machine writes them.
 *
 * <p>Records are assembled in one internal buffer and written to the stream in large blocks; a
 * frame costs no allocation. Frames longer than the snapshot length are cut to it, and the record
 * keeps their original length, as a capture would. Writes are serialized, so one writer can record
 * both directions of a link from different threads.
 */
public final class PcapWriter implements AutoCloseable {

    /** The magic number of microsecond-resolution pcap files. */
    public static final int MAGIC_MICROSECONDS = 0xA1B2C3D4;
    public static final int VERSION_MAJOR = 2;
    public static final int VERSION_MINOR = 4;
    /** LINKTYPE_ETHERNET: frames start with the Ethernet header, without FCS. */
    public static final int LINKTYPE_ETHERNET = 1;
    public static final int DEFAULT_SNAPLEN = 65535;
    public static final int FILE_HEADER_LENGTH = 24;
    public static final int RECORD_HEADER_LENGTH = 16;

    private static final int BUFFER_SIZE = 64 * 1024;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** The seconds field is an unsigned 32-bit number: timestamps up to early 2106. */
    private static final long MAX_SECONDS = 0xFFFFFFFFL;

    private final OutputStream out;
    private final int snaplen;
    private final byte[] block = new byte[BUFFER_SIZE];
    private final ByteBuffer buf = ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN);
    private long frames;
    private boolean closed;

    /** An Ethernet capture with a 65535-octet snapshot length; writes the file header at once. */
    public PcapWriter(OutputStream out) throws IOException {
        this(out, LINKTYPE_ETHERNET, DEFAULT_SNAPLEN);
    }

    /**
     * @param linktype a LINKTYPE_* value from the tcpdump.org registry
     * @param snaplen  the largest number of octets stored per frame, 1..2^31-1
     */
    public PcapWriter(OutputStream out, int linktype, int snaplen) throws IOException {
        this.out = Objects.requireNonNull(out, "out");
        if (snaplen <= 0) {
            throw new IllegalArgumentException("the snapshot length must be positive: " + snaplen);
        }
        if (linktype < 0 || linktype > 0xFFFF) {
            throw new IllegalArgumentException("a link type is 16 bits: " + linktype);
        }
        this.snaplen = snaplen;
        buf.putInt(MAGIC_MICROSECONDS)
                .putShort((short) VERSION_MAJOR)
                .putShort((short) VERSION_MINOR)
                .putInt(0) // thiszone: timestamps are UTC
                .putInt(0) // sigfigs
                .putInt(snaplen)
                .putInt(linktype);
    }

    /** Creates (or truncates) the file and writes an Ethernet capture to it. */
    public static PcapWriter create(Path file) throws IOException {
        return create(file, LINKTYPE_ETHERNET, DEFAULT_SNAPLEN);
    }

    public static PcapWriter create(Path file, int linktype, int snaplen) throws IOException {
        OutputStream os = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        try {
            return new PcapWriter(os, linktype, snaplen);
        } catch (RuntimeException e) {
            os.close();
            throw e;
        }
    }

    /**
     * Writes the frame between the buffer's position and limit; the position is left unchanged.
     *
     * @param timestampNanos nanoseconds since the Unix epoch (UTC), stored to the microsecond
     */
    public synchronized void write(ByteBuffer frame, long timestampNanos) throws IOException {
        int from = frame.position();
        int length = frame.remaining();
        if (frame.hasArray()) {
            write(frame.array(), frame.arrayOffset() + from, length, timestampNanos);
            return;
        }
        int stored = beginRecord(length, timestampNanos);
        for (int done = 0; done < stored; ) {
            if (!buf.hasRemaining()) {
                drain();
            }
            int n = Math.min(stored - done, buf.remaining());
            buf.put(buf.position(), frame, from + done, n);
            buf.position(buf.position() + n);
            done += n;
        }
        frames++;
    }

    /** Writes {@code length} octets of {@code frame} from {@code offset} as one frame. */
    public synchronized void write(byte[] frame, int offset, int length, long timestampNanos) throws IOException {
        Objects.checkFromIndexSize(offset, length, frame.length);
        int stored = beginRecord(length, timestampNanos);
        if (stored <= buf.remaining()) {
            buf.put(frame, offset, stored);
        } else {
            // Larger than what is left of the block: write the block, then the frame straight from
            // the caller's array rather than copying it piecewise.
            drain();
            out.write(frame, offset, stored);
        }
        frames++;
    }

    public void write(byte[] frame, long timestampNanos) throws IOException {
        write(frame, 0, frame.length, timestampNanos);
    }

    private int beginRecord(int length, long timestampNanos) throws IOException {
        if (closed) {
            throw new IOException("pcap writer is closed");
        }
        if (timestampNanos < 0) {
            throw new IllegalArgumentException("a pcap timestamp cannot be before 1970: " + timestampNanos + " ns");
        }
        long seconds = timestampNanos / NANOS_PER_SECOND;
        if (seconds > MAX_SECONDS) {
            throw new IllegalArgumentException("a pcap timestamp must be before 2106: " + seconds + " s");
        }
        int micros = (int) ((timestampNanos % NANOS_PER_SECOND) / 1000);
        int stored = Math.min(length, snaplen);
        if (buf.remaining() < RECORD_HEADER_LENGTH) {
            drain();
        }
        buf.putInt((int) seconds).putInt(micros).putInt(stored).putInt(length);
        return stored;
    }

    private void drain() throws IOException {
        if (buf.position() > 0) {
            out.write(block, 0, buf.position());
            buf.clear();
        }
    }

    /** Frames written so far. */
    public synchronized long frameCount() {
        return frames;
    }

    /** The snapshot length in the file header. */
    public int snaplen() {
        return snaplen;
    }

    /** Hands everything written so far to the stream and flushes it. */
    public synchronized void flush() throws IOException {
        if (closed) {
            return;
        }
        drain();
        out.flush();
    }

    /** Flushes and closes the stream; later writes fail, a second close does nothing. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            drain();
            out.flush();
        } finally {
            closed = true;
            out.close();
        }
    }
}
