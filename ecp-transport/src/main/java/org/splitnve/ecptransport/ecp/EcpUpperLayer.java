package org.splitnve.ecptransport.ecp;

import java.nio.ByteBuffer;
import org.splitnve.vdpcore.MacAddress;

/** An upper-layer protocol (VDP is subtype 1) that receives PDUs from an {@link EcpEngine}. */
@FunctionalInterface
public interface EcpUpperLayer {

    /**
     * A new PDU from {@code peer}, delivered exactly once and in the peer's order, on the
     * engine's scheduler thread. The buffer holds the ECP payload, padding included, and is valid
     * only during the call.
     */
    void onPdu(MacAddress peer, ByteBuffer payload);
}
