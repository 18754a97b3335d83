package org.splitnve.vdpcore.vdp;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import org.splitnve.vdpcore.CodePoints;

/**
 * Encodes VDPDUs into a caller's buffer, allocating nothing. Values are validated when they are
 * built (VID range, GroupID, 511-octet TLVs); the encoder adds the checks that depend on where the
 * PDU goes: the code points and the largest PDU the link carries. Thread-safe.
 */
public final class VdpEncoder {

    private final CodePoints codePoints;
    private final int maxLength;

    public VdpEncoder() {
        this(CodePoints.DEFAULT, Vdpdu.MAX_LENGTH_STANDARD_MTU);
    }

    public VdpEncoder(CodePoints codePoints) {
        this(codePoints, Vdpdu.MAX_LENGTH_STANDARD_MTU);
    }

    public VdpEncoder(CodePoints codePoints, int maxLength) {
        this.codePoints = codePoints;
        this.maxLength = maxLength;
    }

    public CodePoints codePoints() {
        return codePoints;
    }

    /**
     * Writes the VDPDU, End TLV included, at the buffer's position and advances it.
     *
     * @return the number of octets written
     * @throws IllegalArgumentException if the PDU exceeds the largest PDU (use {@link Vdpdu#pack})
     *                                  or needs a code point this registry disables
     * @throws BufferOverflowException  if the buffer has too little room; nothing is written then
     */
    public int encode(Vdpdu pdu, ByteBuffer out) {
        int n = pdu.encodedLength();
        if (n > maxLength) {
            throw new IllegalArgumentException("VDPDU of " + n + " octets exceeds " + maxLength + "; use Vdpdu.pack");
        }
        if (out.remaining() < n) {
            throw new BufferOverflowException();
        }
        int mi = codePoints.migrationIndicationValidBit();
        for (AssociationTlv t : pdu.associations()) {
            if (mi == 0 && t.status().migrationIndicationValid()) {
                throw new IllegalArgumentException("migration indication requested but disabled by the code points");
            }
        }
        int start = out.position();
        header(out, VdpTlvType.MANAGER_ID.value(), ManagerId.LENGTH);
        pdu.managerId().writeTo(out);
        for (AssociationTlv t : pdu.associations()) {
            writeAssociation(t, out, mi);
        }
        for (OrganizationalTlv t : pdu.organizational()) {
            header(out, VdpTlvType.ORGANIZATIONAL.value(), t.valueLength());
            out.put((byte) (t.oui() >>> 16)).putShort((short) t.oui()).put((byte) t.subtype()).put(t.dataUnsafe());
        }
        out.putShort((short) 0);
        return out.position() - start;
    }

    /**
     * Writes one association TLV (header and value) at the buffer's position, for engines that
     * pack TLVs from several requests into one VDPDU themselves.
     *
     * @return the number of octets written, {@code 2 + t.valueLength()}
     * @throws BufferOverflowException if the buffer has too little room; nothing is written then
     */
    public int encodeAssociation(AssociationTlv t, ByteBuffer out) {
        int mi = codePoints.migrationIndicationValidBit();
        if (mi == 0 && t.status().migrationIndicationValid()) {
            throw new IllegalArgumentException("migration indication requested but disabled by the code points");
        }
        if (out.remaining() < 2 + t.valueLength()) {
            throw new BufferOverflowException();
        }
        writeAssociation(t, out, mi);
        return 2 + t.valueLength();
    }

    private void writeAssociation(AssociationTlv t, ByteBuffer out, int mi) {
        header(out, t.type().value(), t.valueLength());
        out.put((byte) statusOctet(t.status(), mi));
        out.put((byte) (t.typeId() >>> 16)).putShort((short) t.typeId());
        out.put((byte) t.typeVersion());
        out.put((byte) t.vsiId().format().value());
        t.vsiId().writeTo(out);
        FilterInfo f = t.filter();
        out.put((byte) codePoints.code(f.format()));
        out.putShort((short) f.entries().size());
        for (int i = 0, n = f.entries().size(); i < n; i++) {
            FilterEntry e = f.entries().get(i);
            if (e.hasGroupId()) {
                out.putInt((int) e.groupId());
            }
            if (e.mac() != null) {
                e.mac().writeTo(out);
            }
            byte[] ip = e.ipBytesUnsafe();
            if (ip != null) {
                out.put((byte) (ip.length == 4 ? FilterEntry.AF_IPV4 : FilterEntry.AF_IPV6)).put(ip);
            }
            out.putShort((short) e.psPcpVid());
        }
    }

    /** The status octet for a status; exposed for logs and the dissector tests. */
    public int statusOctet(VsiStatus s) {
        return statusOctet(s, codePoints.migrationIndicationValidBit());
    }

    private static int statusOctet(VsiStatus s, int mi) {
        int v = s.migrationIndicationValid() ? mi : 0;
        if (s.isResponse()) {
            v |= 0x40 | (s.keep() ? 0x20 : 0) | (s.hardError() ? 0x10 : 0) | s.error().value();
        } else {
            v |= (s.s() ? 0x20 : 0) | (s.m() ? 0x10 : 0);
        }
        return v;
    }

    private static void header(ByteBuffer out, int type, int len) {
        out.putShort((short) ((type << 9) | len));
    }
}
