package org.splitnve.vdpcore.lldp;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;

/** Encodes LLDPDUs, End TLV included, into a caller's buffer. Thread-safe. */
public final class LldpEncoder {

    /** Writes at the buffer's position and advances it; returns the octets written. */
    public int encode(Lldpdu pdu, ByteBuffer out) {
        int n = pdu.encodedLength();
        if (out.remaining() < n) {
            throw new BufferOverflowException();
        }
        id(out, LldpTlv.TYPE_CHASSIS_ID, pdu.chassisId());
        id(out, LldpTlv.TYPE_PORT_ID, pdu.portId());
        header(out, LldpTlv.TYPE_TTL, 2);
        out.putShort((short) pdu.ttl());
        for (LldpTlv t : pdu.tlvs()) {
            header(out, t.type(), t.valueLength());
            if (t instanceof EvbTlv e) {
                writeEvb(e, out);
            } else if (t instanceof OrganizationallySpecificTlv o) {
                out.put((byte) (o.oui() >>> 16)).putShort((short) o.oui()).put((byte) o.subtype()).put(o.infoUnsafe());
            } else if (t instanceof BasicTlv b) {
                out.put(b.valueUnsafe());
            }
        }
        out.putShort((short) 0);
        return n;
    }

    private static void writeEvb(EvbTlv e, ByteBuffer out) {
        out.put((byte) (EvbTlv.OUI >>> 16)).putShort((short) EvbTlv.OUI).put((byte) EvbTlv.SUBTYPE);
        out.put((byte) e.bridgeStatus());
        out.put((byte) e.stationStatus());
        out.put((byte) ((e.r() << 5) | e.rte()));
        out.put((byte) ((e.mode().value() << 6) | (e.rolRwd() ? 0x20 : 0) | e.rwd()));
        out.put((byte) ((e.rolRka() ? 0x20 : 0) | e.rka()));
    }

    private static void id(ByteBuffer out, int type, LldpId id) {
        header(out, type, id.valueLength());
        out.put((byte) id.subtype()).put(id.idUnsafe());
    }

    private static void header(ByteBuffer out, int type, int len) {
        out.putShort((short) ((type << 9) | len));
    }
}
