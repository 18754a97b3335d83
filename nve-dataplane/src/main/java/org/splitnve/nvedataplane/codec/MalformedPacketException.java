package org.splitnve.nvedataplane.codec;

import java.nio.ByteBuffer;
import org.splitnve.vdpcore.HexDump;

/**
 * The one checked exception of this package's decoders: what was wrong, at which offset, with a
 * hex dump of the bytes (capped, so a jumbo frame cannot make logging expensive).
 */
public final class MalformedPacketException extends Exception {
    private static final long serialVersionUID = 1L;

    private static final int MAX_DUMP = 256;

    private final Malformation reason;
    private final int offset;
    private final String hexDump;

    public MalformedPacketException(Malformation reason, ByteBuffer buf, int offset, int length) {
        super(null, null, false, false);
        this.reason = reason;
        this.offset = offset;
        int from = Math.max(0, Math.min(offset, buf.limit()));
        int n = Math.max(0, Math.min(Math.min(length, MAX_DUMP), buf.limit() - from));
        this.hexDump = HexDump.format(buf, from, n, -1);
    }

    public Malformation reason() {
        return reason;
    }

    public int offset() {
        return offset;
    }

    public String hexDump() {
        return hexDump;
    }

    @Override
    public String getMessage() {
        return reason + " (" + reason.text() + ") at offset " + offset + "\n" + hexDump;
    }

    static void check(Malformation m, ByteBuffer buf, int off, int len) throws MalformedPacketException {
        if (m != null) {
            throw new MalformedPacketException(m, buf, off, len);
        }
    }
}
