package org.splitnve.vdpcore.lldp;

import java.util.Arrays;
import org.splitnve.vdpcore.HexDump;

/** An LLDP organizationally specific TLV (type 127) other than the EVB TLV. */
public final class OrganizationallySpecificTlv implements LldpTlv {

    private final int oui;
    private final int subtype;
    private final byte[] info;

    private OrganizationallySpecificTlv(int oui, int subtype, byte[] info) {
        this.oui = oui;
        this.subtype = subtype;
        this.info = info;
    }

    public static OrganizationallySpecificTlv of(int oui, int subtype, byte[] info) {
        if (oui < 0 || oui > 0xFFFFFF || subtype < 0 || subtype > 0xFF) {
            throw new IllegalArgumentException("OUI is 24 bits and subtype 8 bits: " + oui + ", " + subtype);
        }
        if (info.length > 507) {
            throw new IllegalArgumentException("organizationally specific information has at most 507 octets");
        }
        if (oui == EvbTlv.OUI && subtype == EvbTlv.SUBTYPE) {
            throw new IllegalArgumentException("use EvbTlv for the EVB TLV");
        }
        return new OrganizationallySpecificTlv(oui, subtype, info.clone());
    }

    @Override
    public int type() {
        return TYPE_ORGANIZATIONALLY_SPECIFIC;
    }

    public int oui() {
        return oui;
    }

    public int subtype() {
        return subtype;
    }

    public byte[] info() {
        return info.clone();
    }

    byte[] infoUnsafe() {
        return info;
    }

    @Override
    public int valueLength() {
        return 4 + info.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OrganizationallySpecificTlv t && t.oui == oui && t.subtype == subtype && Arrays.equals(t.info, info);
    }

    @Override
    public int hashCode() {
        return (oui * 31 + subtype) * 31 + Arrays.hashCode(info);
    }

    @Override
    public String toString() {
        return String.format("org[oui=%06x subtype=%d info=%s]", oui, subtype, HexDump.hex(info));
    }
}
