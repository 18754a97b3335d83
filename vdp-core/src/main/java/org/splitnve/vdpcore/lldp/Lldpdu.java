package org.splitnve.vdpcore.lldp;

import java.util.List;
import java.util.Objects;

/**
 * An LLDPDU: the mandatory chassis ID, port ID and time-to-live, then optional TLVs in order. The
 * End TLV is implied: the encoder writes it, the decoder stops at it.
 */
public final class Lldpdu {

    private final ChassisId chassisId;
    private final PortId portId;
    private final int ttl;
    private final List<LldpTlv> tlvs;

    private Lldpdu(ChassisId chassisId, PortId portId, int ttl, List<LldpTlv> tlvs) {
        this.chassisId = chassisId;
        this.portId = portId;
        this.ttl = ttl;
        this.tlvs = tlvs;
    }

    public static Lldpdu of(ChassisId chassisId, PortId portId, int ttl, List<LldpTlv> tlvs) {
        if (ttl < 0 || ttl > 0xFFFF) {
            throw new IllegalArgumentException("the LLDP TTL is 16 bits: " + ttl);
        }
        return new Lldpdu(Objects.requireNonNull(chassisId, "chassisId"), Objects.requireNonNull(portId, "portId"), ttl,
                List.copyOf(tlvs));
    }

    public ChassisId chassisId() {
        return chassisId;
    }

    public PortId portId() {
        return portId;
    }

    /** Seconds the receiver keeps this information; 0 means "forget me now" (shutdown). */
    public int ttl() {
        return ttl;
    }

    public List<LldpTlv> tlvs() {
        return tlvs;
    }

    /** The EVB TLV, or {@code null} when the LLDPDU has none. */
    public EvbTlv evb() {
        for (LldpTlv t : tlvs) {
            if (t instanceof EvbTlv e) {
                return e;
            }
        }
        return null;
    }

    /** Octets the encoder writes, End TLV included. */
    public int encodedLength() {
        int n = 2 + chassisId.valueLength() + 2 + portId.valueLength() + 2 + 2 + 2;
        for (LldpTlv t : tlvs) {
            n += 2 + t.valueLength();
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Lldpdu l && l.chassisId.equals(chassisId) && l.portId.equals(portId) && l.ttl == ttl && l.tlvs.equals(tlvs);
    }

    @Override
    public int hashCode() {
        return Objects.hash(chassisId, portId, ttl, tlvs);
    }

    @Override
    public String toString() {
        return "LLDP[chassis " + chassisId + ", port " + portId + ", ttl " + ttl + (tlvs.isEmpty() ? "" : ", " + tlvs) + "]";
    }
}
