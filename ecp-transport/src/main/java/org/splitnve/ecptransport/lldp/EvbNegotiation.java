package org.splitnve.ecptransport.lldp;

import org.splitnve.vdpcore.lldp.EvbMode;
import org.splitnve.vdpcore.lldp.EvbTlv;

/**
 * EVB negotiation as lldpad does it (802.1Q D.2.13): R, RTE, RWD and RKA each operate at
 * max(local, received); ROL is set when the remote value won, ties included; the bridge echoes
 * the station's status and sets RRCTR when the station asks (RRREQ) and it can (RRCAP); the
 * station echoes the bridge's status and reports RRSTAT; GroupID formats are usable only when
 * bridge BGID and station SGID are both set.
 */
public final class EvbNegotiation {

    private EvbNegotiation() {
    }

    /** The TLV to transmit, given our policy and the last TLV received ({@code null} if none). */
    public static EvbTlv outgoing(EvbTlv policy, EvbTlv received) {
        EvbTlv recv = received != null ? received : EvbTlv.builder().mode(EvbMode.valueOf(0)).build();
        EvbTlv.Builder out = EvbTlv.builder().mode(policy.mode());
        if (policy.mode() == EvbMode.STATION) {
            int rrstat = received == null ? 3 : recv.rrctr() ? 1 : 0;
            out.bridgeStatus(recv.bridgeStatus())
                    .stationStatus((policy.stationStatus() & ~EvbTlv.RRSTAT_MASK) | rrstat);
        } else {
            int bridge = policy.bridgeStatus() & ~EvbTlv.RRCTR;
            if (recv.rrreq() && policy.rrcap()) {
                bridge |= EvbTlv.RRCTR;
            }
            out.bridgeStatus(bridge).stationStatus(recv.stationStatus());
        }
        out.r(Math.max(policy.r(), recv.r())).rte(Math.max(policy.rte(), recv.rte()));
        out.rwd(Math.max(policy.rwd(), recv.rwd())).rolRwd(policy.rwd() <= recv.rwd());
        out.rka(Math.max(policy.rka(), recv.rka())).rolRka(policy.rka() <= recv.rka());
        return out.build();
    }

    /** The operating values that the outgoing TLV carries, for ECP and VDP. */
    public static EvbOperating operating(EvbTlv outgoing, EvbTlv received) {
        return new EvbOperating(outgoing.r(), outgoing.rte(), outgoing.rwd(), outgoing.rka(),
                outgoing.bgid() && outgoing.sgid(), outgoing.rolRwd(), outgoing.rolRka(),
                received == null ? null : received.mode(), outgoing.rrstat() == 1 || outgoing.rrctr());
    }
}
