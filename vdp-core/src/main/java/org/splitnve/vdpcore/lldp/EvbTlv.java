package org.splitnve.vdpcore.lldp;

import java.time.Duration;
import java.util.Objects;

/**
 * The EVB TLV (802.1Q D.2.13): an LLDP organizationally specific TLV, OUI 00-80-C2, subtype 0x0D,
 * five octets that negotiate ECP's retries and ack timer and VDP's resource-wait and keep-alive
 * timers between a bridge and a station.
 */
public final class EvbTlv implements LldpTlv {

    public static final int OUI = 0x0080C2;
    public static final int SUBTYPE = 0x0D;
    public static final int VALUE_LENGTH = 9;

    /** Bridge status: the bridge supports GroupID filter formats. */
    public static final int BGID = 0x04;
    public static final int RRCAP = 0x02;
    public static final int RRCTR = 0x01;
    /** Station status: the station wants GroupID filter formats. */
    public static final int SGID = 0x08;
    public static final int RRREQ = 0x04;
    public static final int RRSTAT_MASK = 0x03;

    private final int bridgeStatus;
    private final int stationStatus;
    private final int r;
    private final int rte;
    private final EvbMode mode;
    private final boolean rolRwd;
    private final int rwd;
    private final boolean rolRka;
    private final int rka;

    private EvbTlv(Builder b) {
        this.bridgeStatus = b.bridgeStatus;
        this.stationStatus = b.stationStatus;
        this.r = b.r;
        this.rte = b.rte;
        this.mode = b.mode;
        this.rolRwd = b.rolRwd;
        this.rwd = b.rwd;
        this.rolRka = b.rolRka;
        this.rka = b.rka;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** lldpad's defaults: station mode, R 3, RTE 8, RWD 20, RKA 20. */
    public static Builder stationDefaults() {
        return new Builder().mode(EvbMode.STATION).r(3).rte(8).rwd(20).rka(20);
    }

    public Builder toBuilder() {
        return new Builder().bridgeStatus(bridgeStatus).stationStatus(stationStatus).r(r).rte(rte).mode(mode)
                .rolRwd(rolRwd).rwd(rwd).rolRka(rolRka).rka(rka);
    }

    @Override
    public int type() {
        return TYPE_ORGANIZATIONALLY_SPECIFIC;
    }

    @Override
    public int valueLength() {
        return VALUE_LENGTH;
    }

    /** The bridge status octet: BGID 0x04, RRCAP 0x02, RRCTR 0x01. */
    public int bridgeStatus() {
        return bridgeStatus;
    }

    /** The station status octet: SGID 0x08, RRREQ 0x04, RRSTAT 0x03. */
    public int stationStatus() {
        return stationStatus;
    }

    public boolean bgid() {
        return (bridgeStatus & BGID) != 0;
    }

    public boolean rrcap() {
        return (bridgeStatus & RRCAP) != 0;
    }

    public boolean rrctr() {
        return (bridgeStatus & RRCTR) != 0;
    }

    public boolean sgid() {
        return (stationStatus & SGID) != 0;
    }

    public boolean rrreq() {
        return (stationStatus & RRREQ) != 0;
    }

    /** 0 off, 1 on, 3 not yet known. */
    public int rrstat() {
        return stationStatus & RRSTAT_MASK;
    }

    /** ECP's maximum number of retries, 0..7. */
    public int r() {
        return r;
    }

    /** ECP's retransmission timer exponent: 10 us x 2^RTE. */
    public int rte() {
        return rte;
    }

    public EvbMode mode() {
        return mode;
    }

    /** Set when the remote's RWD is the operating value. */
    public boolean rolRwd() {
        return rolRwd;
    }

    /** VDP's resource-wait exponent. */
    public int rwd() {
        return rwd;
    }

    public boolean rolRka() {
        return rolRka;
    }

    /** VDP's keep-alive exponent. */
    public int rka() {
        return rka;
    }

    /** 10 us x 2^exponent, the unit of every EVB timer. */
    public static Duration timerDuration(int exponent) {
        if (exponent < 0 || exponent > 31) {
            throw new IllegalArgumentException("EVB timer exponents are 5 bits: " + exponent);
        }
        return Duration.ofNanos(10_000L << exponent);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EvbTlv e && e.bridgeStatus == bridgeStatus && e.stationStatus == stationStatus && e.r == r
                && e.rte == rte && e.mode == mode && e.rolRwd == rolRwd && e.rwd == rwd && e.rolRka == rolRka && e.rka == rka;
    }

    @Override
    public int hashCode() {
        return Objects.hash(bridgeStatus, stationStatus, r, rte, mode.value(), rolRwd, rwd, rolRka, rka);
    }

    @Override
    public String toString() {
        return String.format("EVB[mode=%s bridge=0x%02x%s station=0x%02x%s R=%d RTE=%d RWD=%d%s RKA=%d%s]", mode, bridgeStatus,
                bgid() ? "(BGID)" : "", stationStatus, sgid() ? "(SGID)" : "", r, rte, rwd, rolRwd ? "(ROL)" : "", rka,
                rolRka ? "(ROL)" : "");
    }

    public static final class Builder {
        private int bridgeStatus;
        private int stationStatus;
        private int r;
        private int rte;
        private EvbMode mode = EvbMode.STATION;
        private boolean rolRwd;
        private int rwd;
        private boolean rolRka;
        private int rka;

        private Builder() {
        }

        public Builder bridgeStatus(int v) {
            bridgeStatus = bits(v, 8, "bridge status");
            return this;
        }

        public Builder stationStatus(int v) {
            stationStatus = bits(v, 8, "station status");
            return this;
        }

        public Builder bgid(boolean on) {
            bridgeStatus = on ? bridgeStatus | BGID : bridgeStatus & ~BGID;
            return this;
        }

        public Builder sgid(boolean on) {
            stationStatus = on ? stationStatus | SGID : stationStatus & ~SGID;
            return this;
        }

        public Builder r(int v) {
            r = bits(v, 3, "R");
            return this;
        }

        public Builder rte(int v) {
            rte = bits(v, 5, "RTE");
            return this;
        }

        public Builder mode(EvbMode v) {
            mode = Objects.requireNonNull(v, "mode");
            return this;
        }

        public Builder rolRwd(boolean v) {
            rolRwd = v;
            return this;
        }

        public Builder rwd(int v) {
            rwd = bits(v, 5, "RWD");
            return this;
        }

        public Builder rolRka(boolean v) {
            rolRka = v;
            return this;
        }

        public Builder rka(int v) {
            rka = bits(v, 5, "RKA");
            return this;
        }

        private static int bits(int v, int n, String what) {
            if (v < 0 || v >= 1 << n) {
                throw new IllegalArgumentException(what + " is " + n + " bits: " + v);
            }
            return v;
        }

        public EvbTlv build() {
            return new EvbTlv(this);
        }
    }
}
