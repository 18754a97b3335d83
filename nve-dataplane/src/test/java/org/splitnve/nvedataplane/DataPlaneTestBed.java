package org.splitnve.nvedataplane;

import java.time.Duration;
import org.splitnve.nvedataplane.codec.Encapsulation;

/**
 * One data plane on the {@link PortsTestBed}'s two trunk ports and underlay port, next hop the
 * router. The data plane's listener methods are called directly with TSI views built by
 * {@link TestFrames}; the directory is fed as an NVA would feed it.
 */
final class DataPlaneTestBed extends PortsTestBed {

    final DataPlane dp;

    DataPlaneTestBed(Encapsulation enc) {
        this(enc, false);
    }

    /** @param transmitSlots give the data plane's ports transmit slots, so it builds frames in place in them */
    DataPlaneTestBed(Encapsulation enc, boolean transmitSlots) {
        if (transmitSlots) {
            p1[0].withTransmitSlots(4);
            p2[0].withTransmitSlots(4);
            up[0].withTransmitSlots(4);
        }
        dp = DataPlane.builder().trunkPort(p1[0]).trunkPort(p2[0]).underlayPort(up[0]).localAddress(TestFrames.ip(LOCAL))
                .nextHopMac(ROUTER_MAC).encapsulation(enc).directory(directory).scheduler(scheduler)
                .migrationHold(Duration.ofSeconds(10)).build();
    }

    DataPlaneTestBed() {
        this(Encapsulation.VXLAN);
    }
}
