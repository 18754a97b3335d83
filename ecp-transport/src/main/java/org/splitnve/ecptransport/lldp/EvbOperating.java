package org.splitnve.ecptransport.lldp;

import java.time.Duration;
import org.splitnve.vdpcore.lldp.EvbMode;
import org.splitnve.vdpcore.lldp.EvbTlv;

/**
 * What EVB negotiation settled on a port: R and RTE for the ECP engine, RWD, RKA and whether
 * GroupID filter formats may be used, for VDP.
 *
 * @param r               ECP retries
 * @param rte             ECP ack timer exponent
 * @param rwd             VDP resource-wait exponent
 * @param rka             VDP keep-alive exponent
 * @param groupIdUsable   bridge BGID and station SGID are both set
 * @param rolRwd          the remote's RWD won
 * @param rolRka          the remote's RKA won
 * @param peerMode        the neighbour's EVB mode, {@code null} before one is heard
 * @param reflectiveRelay the bridge granted reflective relay (RRCTR / RRSTAT on)
 */
public record EvbOperating(int r, int rte, int rwd, int rka, boolean groupIdUsable, boolean rolRwd, boolean rolRka,
                           EvbMode peerMode, boolean reflectiveRelay) {

    public Duration ackTimeout() {
        return EvbTlv.timerDuration(rte);
    }

    public Duration resourceWait() {
        return EvbTlv.timerDuration(rwd);
    }

    public Duration keepAlive() {
        return EvbTlv.timerDuration(rka);
    }
}
