package org.splitnve.vdpcore.vdp;

import java.util.Arrays;
import org.splitnve.vdpcore.HexDump;

/** An organizationally defined VDP TLV (type 127): OUI, subtype and opaque data. */
public final class OrganizationalTlv {

    private final int oui;
    private final int subtype;
    private final byte[] data;

    private OrganizationalTlv(int oui, int subtype, byte[] data) {
        this.oui = oui;
        this.subtype = subtype;
        this.data = data;
    }

    public static OrganizationalTlv of(int oui, int subtype, byte[] data) {
        if (oui < 0 || oui > 0xFFFFFF) {
            throw new IllegalArgumentException("an OUI is 24 bits: " + oui);
        }
        if (subtype < 0 || subtype > 0xFF) {
            throw new IllegalArgumentException("the subtype is 8 bits: " + subtype);
        }
        if (data.length + 4 > AssociationTlv.MAX_VALUE_LENGTH) {
            throw new IllegalArgumentException("organizational TLV value exceeds 511 octets");
        }
        return new OrganizationalTlv(oui, subtype, data.clone());
    }

    public int oui() {
        return oui;
    }

    public int subtype() {
        return subtype;
    }

    public byte[] data() {
        return data.clone();
    }

    public int dataLength() {
        return data.length;
    }

    byte[] dataUnsafe() {
        return data;
    }

    public int valueLength() {
        return 4 + data.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OrganizationalTlv t && t.oui == oui && t.subtype == subtype && Arrays.equals(t.data, data);
    }

    @Override
    public int hashCode() {
        return (oui * 31 + subtype) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return String.format("org[oui=%06x subtype=%d data=%s]", oui, subtype, HexDump.hex(data));
    }
}
