package org.splitnve.conformance;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.splitnve.vdpcore.vdp.ManagerId;
import org.splitnve.vdpcore.vdp.VdpDecoder;

/**
 * Walks the TLVs of a VDPDU from the peer without trusting them: the suite must report a peer's
 * malformed PDU, not fall over it, and must still find the association TLVs a response check
 * needs. Stops at the End TLV or the end of the data (padding is zeros, which reads as End).
 */
final class PeerVdpdu {

    private PeerVdpdu() {
    }

    /**
     * What a VDPDU held.
     *
     * @param managerId the PDU's Manager ID, or {@code null} when it has none (a bridge answers
     *                  under the station's Manager ID, so the suite must keep it)
     * @param tlvs      the association TLVs (types 1 to 4), in order
     * @param problem   what is wrong with the PDU as a whole, or {@code null}
     */
    record Parsed(ManagerId managerId, List<PeerTlv> tlvs, String problem) {
    }

    /**
     * Reads {@code p}.
     *
     * @param fallback the Manager ID to decode the TLVs under when the PDU lacks one
     */
    static Parsed read(byte[] p, ManagerId fallback, VdpDecoder decoder) {
        List<PeerTlv> out = new ArrayList<>();
        String problem = walk(p, out, fallback, decoder);
        return new Parsed(managerOf(p), List.copyOf(out), problem);
    }

    /** The Manager ID when the PDU starts with a well-formed Manager ID TLV. */
    private static ManagerId managerOf(byte[] p) {
        if (p.length >= 2 + ManagerId.LENGTH && (((p[0] & 0xFF) << 8) | (p[1] & 0xFF)) == ((5 << 9) | ManagerId.LENGTH)) {
            return ManagerId.of(Arrays.copyOfRange(p, 2, 2 + ManagerId.LENGTH));
        }
        return null;
    }

    private static String walk(byte[] p, List<PeerTlv> out, ManagerId fallback, VdpDecoder decoder) {
        byte[] managerTlv = null;
        int at = 0;
        while (at + 2 <= p.length) {
            int header = ((p[at] & 0xFF) << 8) | (p[at + 1] & 0xFF);
            int type = header >>> 9;
            int len = header & 0x1FF;
            if (type == 0) {
                break;
            }
            if (at + 2 + len > p.length) {
                return "TLV type " + type + " at offset " + at + " claims " + len + " octets, " + (p.length - at - 2) + " remain";
            }
            if (type == 5) {
                if (managerTlv != null) {
                    return "a second Manager ID TLV at offset " + at;
                }
                if (len != ManagerId.LENGTH) {
                    return "Manager ID TLV of " + len + " octets at offset " + at;
                }
                managerTlv = Arrays.copyOfRange(p, at, at + 2 + len);
            } else if (type >= 1 && type <= 4) {
                byte[] value = Arrays.copyOfRange(p, at + 2, at + 2 + len);
                out.add(PeerTlv.read(type, value, managerTlv != null ? managerTlv : managerTlv(fallback), decoder));
            }
            at += 2 + len;
        }
        if (managerTlv == null) {
            return "no Manager ID TLV";
        }
        return out.isEmpty() ? "no association TLV" : null;
    }

    /** A Manager ID TLV, header and value. */
    static byte[] managerTlv(ManagerId id) {
        ByteBuffer b = ByteBuffer.allocate(2 + ManagerId.LENGTH);
        b.putShort((short) ((5 << 9) | ManagerId.LENGTH));
        id.writeTo(b);
        return b.array();
    }
}
