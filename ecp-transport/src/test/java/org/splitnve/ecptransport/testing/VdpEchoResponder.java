package org.splitnve.ecptransport.testing;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.splitnve.ecptransport.ecp.EcpEngine;
import org.splitnve.ecptransport.ecp.EcpUpperLayer;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.MalformedFrameException;
import org.splitnve.vdpcore.ecp.EcpSubtype;
import org.splitnve.vdpcore.vdp.AssociationTlv;
import org.splitnve.vdpcore.vdp.VdpDecoder;
import org.splitnve.vdpcore.vdp.VdpEncoder;
import org.splitnve.vdpcore.vdp.Vdpdu;
import org.splitnve.vdpcore.vdp.VsiStatus;

/**
 * The smallest VDP bridge a station accepts, for tests only: it records every VDPDU the engine delivers, decoded, and
 * (when enabled) answers each at once with the same TLVs, response bit set and success, as lldpad's bridge does
 * (a null VID stays null). It keeps no VSI state.
 */
public final class VdpEchoResponder implements EcpUpperLayer {

    /** One delivery from the engine. */
    public record Delivery(MacAddress peer, byte[] payload, Vdpdu vdpdu, String error) {
    }

    private final EcpEngine engine;
    private final boolean answer;
    private final VdpDecoder decoder = new VdpDecoder();
    private final VdpEncoder encoder = new VdpEncoder();
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final List<CompletableFuture<Void>> responses = new CopyOnWriteArrayList<>();

    public VdpEchoResponder(EcpEngine engine, boolean answer) {
        this.engine = engine;
        this.answer = answer;
    }

    @Override
    public void onPdu(MacAddress peer, ByteBuffer payload) {
        byte[] copy = new byte[payload.remaining()];
        payload.duplicate().get(copy);
        Vdpdu pdu;
        try {
            pdu = decoder.decode(ByteBuffer.wrap(copy));
        } catch (MalformedFrameException e) {
            deliveries.add(new Delivery(peer, copy, null, e.getMessage()));
            return;
        }
        deliveries.add(new Delivery(peer, copy, pdu, null));
        if (answer) {
            responses.add(engine.send(peer, EcpSubtype.VDP, encode(response(pdu))));
        }
    }

    /** The same TLVs with the response bit set and success. */
    public static Vdpdu response(Vdpdu request) {
        List<AssociationTlv> answers = new ArrayList<>();
        for (AssociationTlv t : request.associations()) {
            answers.add(t.toBuilder().status(VsiStatus.response().build()).build());
        }
        return Vdpdu.of(request.managerId(), answers, List.of());
    }

    public ByteBuffer encode(Vdpdu pdu) {
        ByteBuffer b = ByteBuffer.allocate(pdu.encodedLength());
        encoder.encode(pdu, b);
        return b.flip();
    }

    public List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    /** The futures of the responses sent, in order. */
    public List<CompletableFuture<Void>> responses() {
        return List.copyOf(responses);
    }
}
