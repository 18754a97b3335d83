package org.splitnve.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.splitnve.ecptransport.auth.AuthorizationEvent;
import org.splitnve.ecptransport.auth.AuthorizationSourceEvent;
import org.splitnve.nnve.NnveCounters;
import org.splitnve.nnve.NnveListener;
import org.splitnve.nnve.RefusalEvent;
import org.splitnve.nnve.TsiEvent;
import org.splitnve.nnve.VapEvent;
import org.splitnve.nnve.VapState;
import org.splitnve.nvedataplane.DataPlaneCounters;

/**
 * The switch agent's output: one JSON object per line, each with an {@code "event"} field, so a switch OS can feed
 * it to its own event bus or log shipper as it is. Called on the nNVE's protocol thread, so it only formats and
 * hands the line on.
 */
final class SwitchEvents implements NnveListener {

    private final ObjectMapper json = new ObjectMapper();
    private final Consumer<String> out;

    SwitchEvents(Consumer<String> out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    ObjectNode line(String event) {
        return json.createObjectNode().put("event", event);
    }

    void emit(ObjectNode line) {
        out.accept(line.toString());
    }

    /** VN_Connect gives the VN a local tag on the port; VN_Disconnect frees it (RFC 8394 Figure 5). */
    @Override
    public void onVap(VapEvent e) {
        boolean connected = e.newState() == VapState.VN_CONNECTED;
        ObjectNode n = line(connected ? "vn-connected" : "vn-disconnected").put("port", e.port()).put("vni", e.vn().value());
        if (e.tag() != null) {
            n.put("localTag", e.tag().vid());
        }
        emit(n.put("reason", e.why()));
    }

    /** A TSI moved in Figure 6: INIT, ASSOCIATED, ACTIVATED. */
    @Override
    public void onTsi(TsiEvent e) {
        ObjectNode n = line("tsi").put("port", e.key().port()).put("station", e.key().station().toString())
                .put("vsiId", e.key().vsiId().toString());
        if (e.vn() != null) {
            n.put("vni", e.vn().value());
        }
        emit(n.put("from", e.oldState().name()).put("to", e.newState().name()).put("reason", e.why()));
    }

    /** A request the switch answered with an error: by policy, NVA, resources or a malformed TLV. */
    @Override
    public void onRefused(RefusalEvent e) {
        ObjectNode n = line("refused").put("port", e.port());
        if (e.key() != null) {
            n.put("station", e.key().station().toString()).put("vsiId", e.key().vsiId().toString());
        }
        emit(n.put("vdpError", e.error().value()).put("vdpErrorName", e.error().name()).put("reason", e.why()));
    }

    /** Req-11: a station's 802.1X authorization on a downlink began or ended (an ended one de-associates its TSIs). */
    @Override
    public void onPortAuthorization(AuthorizationEvent e) {
        emit(line("dot1x").put("mac", e.station().toString()).put("identity", e.identity()).put("state", e.state().name())
                .put("port", e.port()).put("reason", e.reason().name()));
    }

    /** hostapd of a downlink was attached to, or lost (nothing newly authorized until it is back). */
    @Override
    public void onAuthorizationSource(AuthorizationSourceEvent e) {
        emit(line("dot1x-source").put("port", e.port()).put("attached", e.attached()).put("reason", e.detail()));
    }

    /** Totals at shutdown: what VDP answered and what the data plane forwarded and dropped (non-zero ones). */
    void counters(NnveCounters vdp, DataPlaneCounters data) {
        ObjectNode n = line("counters");
        ObjectNode v = n.putObject("vdp").put("requests", vdp.requests()).put("responses", vdp.responses())
                .put("refusals", vdp.refusals()).put("keepAliveTimeouts", vdp.keepAliveTimeouts());
        ObjectNode byError = v.putObject("responsesByError");
        vdp.responsesByError().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(x -> byError.put(String.valueOf(x.getKey()), x.getValue()));
        ObjectNode forwarded = n.putObject("forwarded");
        data.eventSnapshot().forEach((k, c) -> forwarded.put(k.name(), c));
        ObjectNode dropped = n.putObject("dropped");
        data.dropSnapshot().forEach((k, c) -> dropped.put(k.name(), c));
        emit(n);
    }
}
