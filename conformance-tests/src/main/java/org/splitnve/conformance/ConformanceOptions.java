package org.splitnve.conformance;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.splitnve.vdpcore.CodePoints;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.lldp.EvbMode;
import org.splitnve.vdpcore.lldp.EvbTlv;
import org.splitnve.vdpcore.vdp.ManagerId;

/**
 * How the suite runs against one peer.
 *
 * @param role            the role of the implementation under test
 * @param peerMac         the peer to test when several are on the segment, or {@code null} for the
 *                        first EVB neighbour in the opposite mode
 * @param evbPolicy       the EVB TLV the suite advertises before negotiation
 * @param vn              the VN (GroupID) the suite's requests use
 * @param peerTimeout     how long to wait for the peer's EVB TLV
 * @param responseTimeout how long to wait for a VDP response or an ECP ack beyond the negotiated timers
 * @param stationWait     against a station: how long to wait for its first request (someone must
 *                        make it associate a VSI while the suite runs)
 * @param ecpDestination  destination of our ECPDUs, or {@code null}: the nearest-customer-bridge
 *                        group address, or the peer's MAC when {@code unicastEcp}
 * @param only            against a bridge, the checks to run: IDs or ID prefixes such as {@code ecp}
 *                        or {@code vdp.error}; empty runs all ({@code evb.tlv}, which finds the peer,
 *                        always runs)
 * @param lenient         count a required feature the run could not test as n/a instead of FAIL
 */
public record ConformanceOptions(PeerRole role, MacAddress peerMac, EvbTlv evbPolicy, ManagerId managerId, CodePoints codePoints,
                                 long seed, int vn, Duration peerTimeout, Duration responseTimeout, Duration stationWait,
                                 MacAddress ecpDestination, boolean unicastEcp, List<String> only, boolean lenient) {

    public ConformanceOptions {
        Objects.requireNonNull(role);
        Objects.requireNonNull(evbPolicy);
        Objects.requireNonNull(managerId);
        Objects.requireNonNull(codePoints);
        Objects.requireNonNull(peerTimeout);
        Objects.requireNonNull(responseTimeout);
        Objects.requireNonNull(stationWait);
        only = List.copyOf(only);
        if (!only.isEmpty() && role == PeerRole.STATION) {
            throw new IllegalArgumentException("against a station the checks follow one VSI in order, so they run all together; choosing checks applies to a bridge");
        }
        if (vn < 1 || vn > 0xFFFFFF) {
            throw new IllegalArgumentException("VN is 1..16777215: " + vn);
        }
        EvbMode ours = role == PeerRole.BRIDGE ? EvbMode.STATION : EvbMode.BRIDGE;
        if (evbPolicy.mode() != ours) {
            throw new IllegalArgumentException("against a " + role.label() + " the suite advertises EVB mode " + ours);
        }
    }

    /** Whether a check runs under {@link #only()}. */
    public boolean selects(String checkId) {
        return only.isEmpty() || checkId.equals("evb.tlv")
                || only.stream().anyMatch(p -> checkId.equals(p) || checkId.startsWith(p + "."));
    }

    public static Builder builder(PeerRole role) {
        return new Builder(role);
    }

    public static final class Builder {
        private final PeerRole role;
        private MacAddress peerMac;
        private EvbTlv evbPolicy;
        private ManagerId managerId = ManagerId.ofName("conformance");
        private CodePoints codePoints = CodePoints.DEFAULT;
        private long seed = System.nanoTime();
        private int vn = 5001;
        private Duration peerTimeout = Duration.ofSeconds(60);
        private Duration responseTimeout = Duration.ofSeconds(3);
        private Duration stationWait = Duration.ofSeconds(120);
        private MacAddress ecpDestination;
        private boolean unicastEcp;
        private List<String> only = List.of();
        private boolean lenient;

        private Builder(PeerRole role) {
            this.role = Objects.requireNonNull(role);
        }

        public Builder peerMac(MacAddress v) {
            peerMac = v;
            return this;
        }

        /** Our EVB TLV; by default lldpad's defaults in the opposite mode, with GroupID support. */
        public Builder evbPolicy(EvbTlv v) {
            evbPolicy = v;
            return this;
        }

        /** Our R, RTE, RWD and RKA exponents, on the default TLV of the role we play. */
        public Builder evbTimers(int r, int rte, int rwd, int rka) {
            evbPolicy = defaultPolicy().toBuilder().r(r).rte(rte).rwd(rwd).rka(rka).build();
            return this;
        }

        public Builder managerId(ManagerId v) {
            managerId = v;
            return this;
        }

        public Builder codePoints(CodePoints v) {
            codePoints = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder vn(int v) {
            vn = v;
            return this;
        }

        public Builder peerTimeout(Duration v) {
            peerTimeout = v;
            return this;
        }

        public Builder responseTimeout(Duration v) {
            responseTimeout = v;
            return this;
        }

        public Builder stationWait(Duration v) {
            stationWait = v;
            return this;
        }

        public Builder ecpDestination(MacAddress v) {
            ecpDestination = v;
            return this;
        }

        public Builder unicastEcp(boolean v) {
            unicastEcp = v;
            return this;
        }

        public Builder only(List<String> v) {
            only = v;
            return this;
        }

        /** Count a required feature the run could not test as n/a instead of FAIL. */
        public Builder lenient(boolean v) {
            lenient = v;
            return this;
        }

        private EvbTlv defaultPolicy() {
            return role == PeerRole.BRIDGE
                    ? EvbTlv.stationDefaults().sgid(true).stationStatus(EvbTlv.SGID | EvbTlv.RRREQ | 3).build()
                    : EvbTlv.stationDefaults().mode(EvbMode.BRIDGE).bridgeStatus(EvbTlv.BGID | EvbTlv.RRCAP).stationStatus(0).build();
        }

        public ConformanceOptions build() {
            return new ConformanceOptions(role, peerMac, evbPolicy != null ? evbPolicy : defaultPolicy(), managerId, codePoints, seed, vn,
                    peerTimeout, responseTimeout, stationWait, ecpDestination, unicastEcp, only, lenient);
        }
    }
}
