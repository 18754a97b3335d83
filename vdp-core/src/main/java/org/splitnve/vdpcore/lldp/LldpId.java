package org.splitnve.vdpcore.lldp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.splitnve.vdpcore.HexDump;
import org.splitnve.vdpcore.MacAddress;

/** The subtype-plus-octets shape that the chassis ID and port ID TLVs share. */
abstract class LldpId {

    private final int subtype;
    private final byte[] id;

    LldpId(int subtype, byte[] id) {
        if (subtype < 0 || subtype > 255) {
            throw new IllegalArgumentException("an ID subtype is 8 bits: " + subtype);
        }
        if (id.length < 1 || id.length > 255) {
            throw new IllegalArgumentException("an LLDP ID has 1..255 octets, not " + id.length);
        }
        this.subtype = subtype;
        this.id = id.clone();
    }

    public int subtype() {
        return subtype;
    }

    public byte[] id() {
        return id.clone();
    }

    byte[] idUnsafe() {
        return id;
    }

    public int valueLength() {
        return 1 + id.length;
    }

    /** A MAC address, printable text, or hex, whichever the octets are. */
    String text(int macSubtype) {
        if (subtype == macSubtype && id.length == 6) {
            return MacAddress.valueOf(id).toString();
        }
        for (byte b : id) {
            if (b < 0x20 || b > 0x7E) {
                return HexDump.hex(id);
            }
        }
        return new String(id, StandardCharsets.US_ASCII);
    }

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && ((LldpId) o).subtype == subtype && Arrays.equals(((LldpId) o).id, id);
    }

    @Override
    public int hashCode() {
        return subtype * 31 + Arrays.hashCode(id);
    }
}
