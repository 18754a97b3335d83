package org.splitnve.conformance;

import java.util.List;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.ManagerId;

/**
 * One ECP frame the peer sent: a data PDU (with its VDP TLVs when its subtype is VDP) or an
 * acknowledgement. Retransmissions arrive as separate records with the same sequence number.
 *
 * @param destination the frame's destination MAC: ours, or a group address
 * @param word        the ECP header word as sent (version, operation, subtype)
 * @param managerId   the VDPDU's Manager ID, or {@code null} (acks, or a PDU without one)
 * @param repeat      a data PDU with the sequence number of the peer's previous one: a retransmission,
 *                    which ECP delivers once, so checks waiting for an answer skip it
 * @param tlvs        the association TLVs of a VDP data PDU, in order; empty for acks
 * @param problem     why the VDPDU does not parse as clause 41 says, or {@code null}
 * @param nanos       arrival time on {@link System#nanoTime()}
 */
public record PeerPdu(MacAddress destination, int word, int sequence, ManagerId managerId, List<PeerTlv> tlvs, String problem, boolean repeat,
                      long nanos) {

    public int version() {
        return (word >>> 12) & 0xF;
    }

    public int operation() {
        return (word >>> 10) & 0x3;
    }

    public int subtype() {
        return word & 0x3FF;
    }

    public boolean isAck() {
        return operation() == 1;
    }

    /** "; gaps 2666 us, 3722 us" between successive copies, for a check's reason. */
    static String gaps(List<PeerPdu> copies) {
        StringBuilder s = new StringBuilder();
        for (int i = 1; i < copies.size(); i++) {
            s.append(i == 1 ? "; gaps " : ", ").append((copies.get(i).nanos() - copies.get(i - 1).nanos()) / 1000).append(" us");
        }
        return s.toString();
    }
}
