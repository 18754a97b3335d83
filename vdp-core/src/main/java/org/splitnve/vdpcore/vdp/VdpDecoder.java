package org.splitnve.vdpcore.vdp;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.splitnve.vdpcore.CodePoints;
import org.splitnve.vdpcore.IpText;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.MalformedFrameException;

/**
 * Decodes VDPDUs strictly and totally: every input yields a {@link Vdpdu} or one
 * {@link MalformedFrameException} naming the offset and the VDP error code the fault maps to.
 *
 * <p>It accepts what real peers send: no End TLV (lldpad), and zero padding after the PDU, since
 * ECP pads requests to the Ethernet minimum and the frame length says nothing about the PDU length.
 * Instances are immutable and thread-safe.
 */
public final class VdpDecoder {

    /** More association TLVs than the largest jumbo PDU could hold is hostile input. */
    public static final int DEFAULT_MAX_ASSOCIATIONS = 512;

    private static final VdpErrorCode FORMAT = VdpErrorCode.INVALID_FORMAT;
    private static final VdpErrorCode VID_GROUP_MAC = VdpErrorCode.INVALID_VID_GROUPID_OR_MAC;

    private final CodePoints codePoints;
    private final int maxLength;
    private final int maxAssociations;

    /** Project code points, a 1494-octet PDU at most, {@value #DEFAULT_MAX_ASSOCIATIONS} association TLVs. */
    public VdpDecoder() {
        this(CodePoints.DEFAULT, Vdpdu.MAX_LENGTH_STANDARD_MTU, DEFAULT_MAX_ASSOCIATIONS);
    }

    public VdpDecoder(CodePoints codePoints) {
        this(codePoints, Vdpdu.MAX_LENGTH_STANDARD_MTU, DEFAULT_MAX_ASSOCIATIONS);
    }

    /**
     * @param maxLength       the largest VDPDU accepted, in octets (padding after it not counted)
     * @param maxAssociations the most association TLVs accepted in one VDPDU
     */
    public VdpDecoder(CodePoints codePoints, int maxLength, int maxAssociations) {
        if (maxLength < 20 || maxAssociations < 1) {
            throw new IllegalArgumentException("limits too small: maxLength " + maxLength + ", maxAssociations " + maxAssociations);
        }
        this.codePoints = codePoints;
        this.maxLength = maxLength;
        this.maxAssociations = maxAssociations;
    }

    public CodePoints codePoints() {
        return codePoints;
    }

    /** The largest VDPDU accepted, in octets. */
    public int maxLength() {
        return maxLength;
    }

    /** This decoder with another largest VDPDU (a port with a larger MTU), its code points and association limit kept. */
    public VdpDecoder withMaxLength(int length) {
        return length == maxLength ? this : new VdpDecoder(codePoints, length, maxAssociations);
    }

    /**
     * Decodes the VDPDU between the buffer's position and limit, padding included, and consumes
     * all of it. Offsets in exceptions are absolute indexes into {@code buf}. On failure the
     * position is left unchanged.
     */
    public Vdpdu decode(ByteBuffer buf) throws MalformedFrameException {
        return (Vdpdu) decode(buf, false);
    }

    /**
     * Decodes a received VDPDU the way an engine that must answer needs it: a VDPDU whose framing
     * holds (Manager ID TLV first, every TLV within the PDU, zero padding) yields a
     * {@link ParsedVdpdu} even when some association TLVs inside it are bad. Each bad one becomes a
     * {@link RejectedTlv} carrying its raw value and the error code to answer it with, so one bad
     * TLV cannot hide the good ones beside it. Unknown TLV types are skipped and counted, as lldpad
     * does. Broken framing still throws, since then nothing in the PDU can be trusted.
     */
    public ParsedVdpdu decodeTolerant(ByteBuffer buf) throws MalformedFrameException {
        return (ParsedVdpdu) decode(buf, true);
    }

    private Object decode(ByteBuffer buf, boolean tolerant) throws MalformedFrameException {
        final int start = buf.position();
        final int limit = buf.limit();
        final int end = Math.min(limit, start + maxLength);

        int p = start;
        if (end - p < 2) {
            throw fault("VDPDU of " + (limit - start) + " octets has no room for the Manager ID TLV", p, FORMAT, buf);
        }
        int hdr = buf.getShort(p) & 0xFFFF;
        if (hdr >>> 9 != VdpTlvType.MANAGER_ID.value()) {
            throw fault("a VDPDU starts with the VSI Manager ID TLV, not type " + (hdr >>> 9), p, FORMAT, buf);
        }
        if ((hdr & 0x1FF) != ManagerId.LENGTH) {
            throw fault("VSI Manager ID TLV length is " + (hdr & 0x1FF) + ", not 16", p, FORMAT, buf);
        }
        if (p + 2 + ManagerId.LENGTH > end) {
            throw fault("VSI Manager ID TLV truncated", p, FORMAT, buf);
        }
        ManagerId managerId = ManagerId.read(buf, p + 2);
        p += 2 + ManagerId.LENGTH;

        List<AssociationTlv> associations = new ArrayList<>(4);
        List<RejectedTlv> rejected = List.of();
        int skipped = 0;
        int index = 0;
        List<OrganizationalTlv> organizational = List.of();
        boolean ended = false;
        while (p < end) {
            if (end - p == 1) {
                if (buf.get(p) != 0) {
                    throw fault("truncated TLV header", p, FORMAT, buf);
                }
                p++;
                ended = true;
                break;
            }
            hdr = buf.getShort(p) & 0xFFFF;
            int type = hdr >>> 9;
            int len = hdr & 0x1FF;
            if (type == VdpTlvType.END.value()) {
                if (len != 0) {
                    throw fault("End TLV with length " + len, p, FORMAT, buf);
                }
                p += 2;
                ended = true;
                break;
            }
            int v = p + 2;
            if (v + len > end) {
                throw fault("TLV type " + type + " of " + len + " octets overruns the VDPDU", p, FORMAT, buf);
            }
            if (type >= 1 && type <= 4) {
                if (!organizational.isEmpty()) {
                    throw fault("association TLV after an organizational TLV", p, FORMAT, buf);
                }
                if (index == maxAssociations) {
                    throw fault("more than " + maxAssociations + " association TLVs", p, VdpErrorCode.INSUFFICIENT_RESOURCES, buf);
                }
                if (!tolerant) {
                    associations.add(association(buf, VdpTlvType.valueOf(type), p, v, len));
                } else {
                    try {
                        associations.add(association(buf, VdpTlvType.valueOf(type), p, v, len));
                    } catch (MalformedFrameException e) {
                        if (rejected.isEmpty()) {
                            rejected = new ArrayList<>(2);
                        }
                        rejected.add(rejectedTlv(buf, VdpTlvType.valueOf(type), index, v, len, e));
                    }
                }
                index++;
            } else if (type == VdpTlvType.ORGANIZATIONAL.value()) {
                if (index == 0) {
                    throw fault("organizational TLV before any association TLV", p, FORMAT, buf);
                }
                if (len < 4) {
                    throw fault("organizational TLV of " + len + " octets has no room for OUI and subtype", p, FORMAT, buf);
                }
                if (organizational.isEmpty()) {
                    organizational = new ArrayList<>(2);
                }
                byte[] data = new byte[len - 4];
                buf.get(v + 4, data);
                organizational.add(OrganizationalTlv.of(u24(buf, v), buf.get(v + 3) & 0xFF, data));
            } else if (type == VdpTlvType.MANAGER_ID.value()) {
                throw fault("a second VSI Manager ID TLV", p, FORMAT, buf);
            } else if (tolerant) {
                skipped++;
            } else {
                throw fault("unknown VDP TLV type " + type, p, FORMAT, buf);
            }
            p = v + len;
        }
        // A PDU that fills maxLength without an End TLV may still be followed by zero padding,
        // which the limit does not count; only a non-zero octet there starts another TLV.
        if (!ended && end < limit && buf.get(end) != 0) {
            throw fault("VDPDU longer than " + maxLength + " octets", end, FORMAT, buf);
        }
        if (index == 0) {
            throw fault("VDPDU carries no association TLV", p, FORMAT, buf);
        }
        for (int i = p; i < limit; i++) {
            if (buf.get(i) != 0) {
                throw fault("non-zero octet in the padding after the VDPDU", i, FORMAT, buf);
            }
        }
        buf.position(limit);
        if (tolerant) {
            return new ParsedVdpdu(managerId, associations, rejected, organizational, skipped);
        }
        return Vdpdu.of(managerId, associations, organizational);
    }

    private AssociationTlv association(ByteBuffer buf, VdpTlvType type, int tlv, int v, int len) throws MalformedFrameException {
        int vEnd = v + len;
        if (len < AssociationTlv.HEADER_LENGTH + 3) {
            throw fault(type + " TLV value of " + len + " octets is shorter than 25", tlv, FORMAT, buf);
        }
        VsiStatus status = status(buf, v);
        int typeId = u24(buf, v + 1);
        int typeVersion = buf.get(v + 4) & 0xFF;
        VsiId vsiId = vsiId(buf, v + 5);

        int fmtAt = v + AssociationTlv.HEADER_LENGTH;
        int code = buf.get(fmtAt) & 0xFF;
        FilterFormat format = codePoints.filterFormat(code);
        if (format == null) {
            throw fault("unknown filter info format " + code, fmtAt, FORMAT, buf);
        }
        int count = buf.getShort(fmtAt + 1) & 0xFFFF;
        if (count == 0) {
            throw fault("filter info with no entries", fmtAt + 1, FORMAT, buf);
        }
        List<FilterEntry> entries = new ArrayList<>(Math.min(count, 64));
        int q = fmtAt + 3;
        for (int i = 0; i < count; i++) {
            if (q >= vEnd) {
                throw fault("entry count " + count + " overruns the TLV after " + i + " entries", fmtAt + 1, FORMAT, buf);
            }
            FilterEntry.Builder e = FilterEntry.builder();
            if (format.hasGroupId()) {
                need(buf, q, 4, vEnd);
                long gid = buf.getInt(q) & 0xFFFFFFFFL;
                if (gid == 0) {
                    throw fault("GroupID 0", q, VID_GROUP_MAC, buf);
                }
                if (gid > FilterEntry.MAX_GROUP_ID) {
                    throw fault("GroupID 0x" + Long.toHexString(gid) + " has a non-zero upper octet (NVO3 VNIs are 24 bits)", q, VID_GROUP_MAC, buf);
                }
                e.groupId(gid);
                q += 4;
            }
            if (format.hasMac()) {
                need(buf, q, 6, vEnd);
                MacAddress mac = MacAddress.read(buf, q);
                if (!mac.isUsableUnicast()) {
                    throw fault("MAC address " + mac + " is not a usable unicast address", q, VID_GROUP_MAC, buf);
                }
                e.mac(mac);
                q += 6;
            }
            if (format.hasIp()) {
                need(buf, q, 1, vEnd);
                int af = buf.get(q) & 0xFF;
                int alen = af == FilterEntry.AF_IPV4 ? 4 : af == FilterEntry.AF_IPV6 ? 16 : -1;
                if (alen < 0) {
                    throw fault("unknown address family " + af, q, FORMAT, buf);
                }
                need(buf, q + 1, alen, vEnd);
                byte[] a = new byte[alen];
                buf.get(q + 1, a);
                String why = FilterEntry.invalidIpReason(a);
                if (why != null) {
                    throw fault(why + " in a filter entry", q + 1, VID_GROUP_MAC, buf);
                }
                e.ip(alen == 4 ? IpText.ipv4(a) : IpText.ipv6(a));
                q += 1 + alen;
            }
            need(buf, q, 2, vEnd);
            int word = buf.getShort(q) & 0xFFFF;
            if ((word & 0x0FFF) > FilterEntry.MAX_VID) {
                throw fault("VID " + (word & 0x0FFF) + " is reserved", q, VID_GROUP_MAC, buf);
            }
            entries.add(e.psPcpVid(word).build());
            q += 2;
        }
        if (q != vEnd) {
            throw fault((vEnd - q) + " octets after the last of " + count + " entries", q, FORMAT, buf);
        }
        return AssociationTlv.builder().type(type).status(status).typeId(typeId).typeVersion(typeVersion).vsiId(vsiId)
                .filter(FilterInfo.of(format, entries)).build();
    }

    private RejectedTlv rejectedTlv(ByteBuffer buf, VdpTlvType type, int index, int v, int len, MalformedFrameException e) {
        byte[] value = new byte[len];
        buf.get(v, value);
        VsiId vsiId = null;
        if (len >= AssociationTlv.HEADER_LENGTH) {
            try {
                vsiId = vsiId(buf, v + 5);
            } catch (MalformedFrameException unreadable) {
                // the VSI ID's format is the fault: the answer echoes its raw octets (RejectedTlv.answerable)
            }
        }
        return new RejectedTlv(type, index, value, vsiId, e);
    }

    private VsiStatus status(ByteBuffer buf, int at) throws MalformedFrameException {
        int s = buf.get(at) & 0xFF;
        int mi = codePoints.migrationIndicationValidBit();
        if (mi == 0 && (s & 0x80) != 0) {
            throw fault("reserved status bit 0x80 set", at, FORMAT, buf);
        }
        boolean miValid = mi != 0 && (s & mi) != 0;
        if ((s & 0x40) == 0) {
            if ((s & 0x0F) != 0) {
                throw fault("a request carries error code " + (s & 0x0F), at, FORMAT, buf);
            }
            boolean m = (s & 0x10) != 0;
            boolean sBit = (s & 0x20) != 0;
            if (miValid && m && sBit) {
                throw fault("M and S both set with the migration indication valid", at, FORMAT, buf);
            }
            return VsiStatus.request().migrationIndicationValid(miValid).m(m).s(sBit).build();
        }
        return VsiStatus.response().migrationIndicationValid(miValid).keep((s & 0x20) != 0).hardError((s & 0x10) != 0)
                .error(VdpErrorCode.valueOf(s & 0x0F)).build();
    }

    private VsiId vsiId(ByteBuffer buf, int fmtAt) throws MalformedFrameException {
        int f = buf.get(fmtAt) & 0xFF;
        VsiIdFormat format = VsiIdFormat.valueOf(f);
        if (format == null) {
            throw fault("unknown VSI ID format " + f, fmtAt, FORMAT, buf);
        }
        int id = fmtAt + 1;
        long hi = buf.getLong(id);
        long lo = buf.getLong(id + 8);
        switch (f) {
            case 1: // ::ffff:a.b.c.d
                if (hi != 0 || (lo >>> 32) != 0xFFFFL) {
                    throw fault("an IPv4 VSI ID is carried as ::ffff:a.b.c.d", id, FORMAT, buf);
                }
                return new VsiId.Ipv4(IpText.ipv4(new byte[] {(byte) (lo >>> 24), (byte) (lo >>> 16), (byte) (lo >>> 8), (byte) lo}));
            case 2: {
                byte[] a = new byte[16];
                buf.get(id, a);
                return new VsiId.Ipv6(IpText.ipv6(a));
            }
            case 3:
                if (hi != 0 || (lo >>> 48) != 0) {
                    throw fault("a MAC VSI ID has ten zero octets before the address", id, FORMAT, buf);
                }
                return new VsiId.Mac(MacAddress.valueOf(lo & 0xFFFFFFFFFFFFL));
            case 4:
                return new VsiId.Local(hi, lo);
            default:
                return new VsiId.Uuid(new UUID(hi, lo));
        }
    }

    private static void need(ByteBuffer buf, int at, int n, int vEnd) throws MalformedFrameException {
        if (at + n > vEnd) {
            throw fault("filter entry truncated by the TLV length", at, FORMAT, buf);
        }
    }

    private static int u24(ByteBuffer buf, int at) {
        return ((buf.get(at) & 0xFF) << 16) | (buf.getShort(at + 1) & 0xFFFF);
    }

    private static MalformedFrameException fault(String why, int at, VdpErrorCode code, ByteBuffer buf) {
        return new MalformedFrameException(why, at, code, buf);
    }
}
