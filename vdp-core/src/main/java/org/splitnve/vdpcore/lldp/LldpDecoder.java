package org.splitnve.vdpcore.lldp;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.splitnve.vdpcore.MalformedFrameException;
import org.splitnve.vdpcore.vdp.VdpErrorCode;

/**
 * Decodes LLDPDUs (what follows EtherType 0x88CC) strictly: chassis ID, port ID and TTL first and
 * once, well-formed lengths, an EVB TLV of exactly nine octets; zero padding after the End TLV.
 * A missing End TLV is accepted when the PDU ends with the frame. Thread-safe.
 */
public final class LldpDecoder {

    public static final int DEFAULT_MAX_TLVS = 256;

    private final int maxLength;
    private final int maxTlvs;

    public LldpDecoder() {
        this(1500, DEFAULT_MAX_TLVS);
    }

    public LldpDecoder(int maxLength, int maxTlvs) {
        this.maxLength = maxLength;
        this.maxTlvs = maxTlvs;
    }

    /** Decodes from the buffer's position to its limit, padding included, and consumes it all. */
    public Lldpdu decode(ByteBuffer buf) throws MalformedFrameException {
        int start = buf.position();
        int limit = buf.limit();
        int end = Math.min(limit, start + maxLength);
        int p = start;
        ChassisId chassis = null;
        PortId port = null;
        int ttl = -1;
        List<LldpTlv> tlvs = new ArrayList<>(4);
        boolean ended = false;
        int index = 0;
        while (p < end) {
            if (end - p < 2) {
                // One zero octet left: padding after an LLDPDU without End TLV, as the VDP decoder
                // accepts it. Anything else is half a TLV header.
                if (buf.get(p) != 0 || index < 3) {
                    throw fault("truncated TLV header", p, buf);
                }
                p++;
                ended = true;
                break;
            }
            int hdr = buf.getShort(p) & 0xFFFF;
            int type = hdr >>> 9;
            int len = hdr & 0x1FF;
            int v = p + 2;
            if (v + len > end) {
                throw fault("LLDP TLV type " + type + " of " + len + " octets overruns the LLDPDU", p, buf);
            }
            if (index < 3 && type != index + 1) {
                throw fault("LLDP TLV " + (index + 1) + " must be " + mandatoryName(index) + ", not type " + type, p, buf);
            }
            switch (type) {
                case LldpTlv.TYPE_END -> {
                    if (len != 0) {
                        throw fault("End TLV with length " + len, p, buf);
                    }
                    ended = true;
                }
                case LldpTlv.TYPE_CHASSIS_ID, LldpTlv.TYPE_PORT_ID -> {
                    if (index >= 3) {
                        throw fault("a second " + (type == 1 ? "chassis" : "port") + " ID TLV", p, buf);
                    }
                    if (len < 2 || len > 256) {
                        throw fault("ID TLV length " + len + " is outside 2..256", p, buf);
                    }
                    byte[] id = new byte[len - 1];
                    buf.get(v + 1, id);
                    int subtype = buf.get(v) & 0xFF;
                    if (type == 1) {
                        chassis = new ChassisId(subtype, id);
                    } else {
                        port = new PortId(subtype, id);
                    }
                }
                case LldpTlv.TYPE_TTL -> {
                    if (index >= 3) {
                        throw fault("a second TTL TLV", p, buf);
                    }
                    if (len != 2) {
                        throw fault("TTL TLV length " + len + ", not 2", p, buf);
                    }
                    ttl = buf.getShort(v) & 0xFFFF;
                }
                case LldpTlv.TYPE_ORGANIZATIONALLY_SPECIFIC -> tlvs.add(organizational(buf, p, v, len));
                default -> {
                    byte[] value = new byte[len];
                    buf.get(v, value);
                    tlvs.add(BasicTlv.of(type, value));
                }
            }
            if (ended) {
                p = v;
                break;
            }
            if (++index > maxTlvs) {
                throw fault("more than " + maxTlvs + " TLVs", p, buf);
            }
            p = v + len;
        }
        if (index < 3) {
            throw fault("LLDPDU ends before its " + mandatoryName(index) + " TLV", p, buf);
        }
        // Zero octets after an LLDPDU that fills maxLength without End TLV are padding, which the
        // limit does not count; only a non-zero octet there starts another TLV.
        if (!ended && end < limit && buf.get(end) != 0) {
            throw fault("LLDPDU longer than " + maxLength + " octets", end, buf);
        }
        for (int i = p; i < limit; i++) {
            if (buf.get(i) != 0) {
                throw fault("non-zero octet in the padding after the LLDPDU", i, buf);
            }
        }
        buf.position(limit);
        return Lldpdu.of(chassis, port, ttl, tlvs);
    }

    private static LldpTlv organizational(ByteBuffer buf, int tlv, int v, int len) throws MalformedFrameException {
        if (len < 4) {
            throw fault("organizationally specific TLV of " + len + " octets has no room for OUI and subtype", tlv, buf);
        }
        int oui = ((buf.get(v) & 0xFF) << 16) | (buf.getShort(v + 1) & 0xFFFF);
        int subtype = buf.get(v + 3) & 0xFF;
        if (oui == EvbTlv.OUI && subtype == EvbTlv.SUBTYPE) {
            return evb(buf, tlv, v, len);
        }
        byte[] info = new byte[len - 4];
        buf.get(v + 4, info);
        return OrganizationallySpecificTlv.of(oui, subtype, info);
    }

    private static EvbTlv evb(ByteBuffer buf, int tlv, int v, int len) throws MalformedFrameException {
        if (len != EvbTlv.VALUE_LENGTH) {
            throw fault("EVB TLV length " + len + ", not 9", tlv, buf);
        }
        int o = v + 4;
        int rRte = buf.get(o + 2) & 0xFF;
        int modeRwd = buf.get(o + 3) & 0xFF;
        int rka = buf.get(o + 4) & 0xFF;
        if ((rka & 0xC0) != 0) {
            throw fault("reserved bits set in the EVB RKA octet", o + 4, buf);
        }
        return EvbTlv.builder()
                .bridgeStatus(buf.get(o) & 0xFF)
                .stationStatus(buf.get(o + 1) & 0xFF)
                .r(rRte >>> 5)
                .rte(rRte & 0x1F)
                .mode(EvbMode.valueOf(modeRwd >>> 6))
                .rolRwd((modeRwd & 0x20) != 0)
                .rwd(modeRwd & 0x1F)
                .rolRka((rka & 0x20) != 0)
                .rka(rka & 0x1F)
                .build();
    }

    private static String mandatoryName(int index) {
        return switch (index) {
            case 0 -> "chassis ID";
            case 1 -> "port ID";
            default -> "TTL";
        };
    }

    private static MalformedFrameException fault(String why, int at, ByteBuffer buf) {
        return new MalformedFrameException(why, at, VdpErrorCode.INVALID_FORMAT, buf);
    }
}
