package org.splitnve.vdpcore.frame;

import java.nio.ByteBuffer;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.MalformedFrameException;
import org.splitnve.vdpcore.vdp.VdpErrorCode;

/**
 * The Ethernet II header of a frame, with up to two VLAN tags stepped over (captures taken on a
 * trunk carry them). {@link #etherType()} is the type after the tags; a value below 0x0600 is an
 * 802.3 length, not a type.
 */
public record EthernetHeader(MacAddress dst, MacAddress src, int outerTci, int innerTci, int etherType, int payloadOffset) {

    public static final int LENGTH = 14;
    public static final int NO_TAG = -1;
    /** The minimum frame without FCS: senders pad shorter ones with zeros. */
    public static final int MIN_FRAME = 60;

    /** Parses from absolute index 0 of {@code frame}. */
    public static EthernetHeader parse(ByteBuffer frame) throws MalformedFrameException {
        int limit = frame.limit();
        if (limit < LENGTH) {
            throw new MalformedFrameException("frame of " + limit + " octets is shorter than an Ethernet header", 0,
                    VdpErrorCode.INVALID_FORMAT, frame);
        }
        MacAddress dst = MacAddress.read(frame, 0);
        MacAddress src = MacAddress.read(frame, 6);
        int p = 12;
        int[] tci = {NO_TAG, NO_TAG};
        int type = frame.getShort(p) & 0xFFFF;
        for (int i = 0; i < 2 && (type == EtherType.VLAN || type == EtherType.QINQ); i++) {
            if (limit < p + 6) {
                throw new MalformedFrameException("VLAN tag truncated", p, VdpErrorCode.INVALID_FORMAT, frame);
            }
            tci[i] = frame.getShort(p + 2) & 0xFFFF;
            p += 4;
            type = frame.getShort(p) & 0xFFFF;
        }
        return new EthernetHeader(dst, src, tci[0], tci[1], type, p + 2);
    }

    public boolean isTagged() {
        return outerTci != NO_TAG;
    }

    /** VID of the outer tag, or -1. */
    public int vlanId() {
        return outerTci == NO_TAG ? NO_TAG : outerTci & 0x0FFF;
    }
}
