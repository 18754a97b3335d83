package org.splitnve.testsupport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * What {@link LldpadScenarios#captureStationBridgeExchange(Path)} produced.
 *
 * @param pcap              the classic pcap file captured on the station's interface
 * @param stationMac        source MAC of the station's frames
 * @param bridgeMac         source MAC of the bridge's frames
 * @param evbSeenByStation  the bridge's EVB TLV as the station's lldpad shows it ({@code lldptool -t -n ... -V evb})
 * @param evbSeenByBridge   the station's EVB TLV as the bridge's lldpad shows it
 * @param requests          the VDP requests in the order they were sent
 * @param elapsed           wall-clock time of the whole scenario, set-up and clean-up included
 */
public record StationBridgeExchange(Path pcap, String stationMac, String bridgeMac, String evbSeenByStation,
        String evbSeenByBridge, List<VdpRequest> requests, Duration elapsed) {

    public StationBridgeExchange {
        requests = List.copyOf(requests);
    }

    /**
     * One vdptool call on the station.
     *
     * @param name   a short label, one of the {@code LldpadScenarios.REQUEST_*} constants
     * @param args   the vdptool arguments
     * @param output what vdptool printed; "Response from VDP" and the response's fields when the bridge answered.
     *               vdptool shows GroupID 0 in responses even when the frame carries the right value.
     */
    public record VdpRequest(String name, List<String> args, String output) {

        public VdpRequest {
            args = List.copyOf(args);
        }

        /** Whether vdptool reported a response from the bridge (it prints nothing when none came in 5 s). */
        public boolean answered() {
            return output.contains("Response from VDP");
        }
    }

    /** The request with that name. */
    public VdpRequest request(String name) {
        return requests.stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no request named " + name));
    }
}
