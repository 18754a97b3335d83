package org.splitnve.vdpcore;

import java.nio.ByteBuffer;
import org.splitnve.vdpcore.vdp.VdpErrorCode;

/**
 * The one checked exception every decoder throws for bad bytes. It says where (the offset into the
 * buffer that was given to the decoder), why, and which VDP error code the fault maps to, so that a
 * bridge can answer a malformed request with the code the protocol prescribes.
 */
public final class MalformedFrameException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Dumps are capped so that a hostile jumbo frame cannot make error logging expensive. */
    private static final int MAX_DUMP = 256;

    private final int offset;
    private final VdpErrorCode vdpError;
    private final String reason;
    private final String hexDump;

    public MalformedFrameException(String reason, int offset, VdpErrorCode vdpError, ByteBuffer buf) {
        super(null, null, false, false);
        this.reason = reason;
        this.offset = offset;
        this.vdpError = vdpError;
        this.hexDump = dump(buf, offset);
    }

    private static String dump(ByteBuffer buf, int offset) {
        if (buf == null) {
            return "";
        }
        int limit = buf.limit();
        int from = 0;
        int end = limit;
        if (limit > MAX_DUMP) {
            int start = Math.max(0, Math.min(offset - MAX_DUMP / 2, limit - MAX_DUMP));
            // Lines start at a multiple of 16, but the window keeps its end: rounding the start down
            // and cutting at MAX_DUMP octets would lose an offending octet in the frame's last line.
            from = start & ~0xF;
            end = Math.min(limit, start + MAX_DUMP);
        }
        int len = end - from;
        String body = HexDump.format(buf, from, len, offset - from);
        return from == 0 && len == limit ? body : "(octets " + from + ".." + (from + len - 1) + " of " + limit + ")\n" + body;
    }

    /** Offset of the offending octet within the buffer given to the decoder. */
    public int offset() {
        return offset;
    }

    public VdpErrorCode vdpError() {
        return vdpError;
    }

    /** The reason alone, without offset and dump: short enough for one log line. */
    public String reason() {
        return reason;
    }

    public String hexDump() {
        return hexDump;
    }

    @Override
    public String getMessage() {
        return reason + " at offset " + offset + " (VDP error " + vdpError + ")" + (hexDump.isEmpty() ? "" : "\n" + hexDump);
    }
}
