package org.splitnve.testsupport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reusable exchanges between two real lldpad daemons, producing captures of frames this project did not write.
 * The constants are the values that end up on the wire, so a decoding test can assert on them.
 */
public final class LldpadScenarios {

    private static final Logger LOG = LoggerFactory.getLogger(LldpadScenarios.class);

    /** The station's interface MAC, source of its LLDP and ECP frames. */
    public static final String STATION_MAC = "02:00:00:00:01:01";
    /** The bridge's interface MAC. */
    public static final String BRIDGE_MAC = "02:00:00:00:01:02";
    public static final String STATION_INTERFACE = "evb-station";
    public static final String BRIDGE_INTERFACE = "evb-bridge";

    /**
     * VSI manager ID as vdptool's mgrid2: up to 16 letters and digits, zero-padded on the wire. vdptool rejects
     * anything else, a dash included, with "Invalid parameters".
     */
    public static final String MANAGER_ID = "snvmgr";
    public static final int TYPE_ID = 4711;
    public static final int TYPE_VERSION = 1;
    /** GroupID of the requests in filter format 4 (GroupID/MAC/VID). */
    public static final int GROUP_ID = 100;
    /** The PS|PCP|VID word of the second Associate: PS 1, PCP 5, VID 100. */
    public static final int PS_PCP5_VID100 = 0xD064;

    public static final String VSI_1 = "5a3b0c1d-0000-4000-8000-000000000001";
    public static final String VSI_2 = "5a3b0c1d-0000-4000-8000-000000000002";
    public static final String VSI_3 = "5a3b0c1d-0000-4000-8000-000000000003";
    public static final String VSI_MAC_1 = "02:00:00:00:aa:01";
    public static final String VSI_MAC_2 = "02:00:00:00:aa:02";
    public static final String VSI_MAC_3 = "02:00:00:00:aa:03";

    /** Associate VSI_1, format 4: null VID, VSI_MAC_1, GROUP_ID. */
    public static final String REQUEST_ASSOC_GROUP = "assoc-group";
    /** Associate VSI_2, format 2: PS_PCP5_VID100, VSI_MAC_2. */
    public static final String REQUEST_ASSOC_PCP = "assoc-pcp";
    /** Pre-Associate VSI_3, format 4: null VID, VSI_MAC_3, GROUP_ID. */
    public static final String REQUEST_PREASSOC = "preassoc";
    /** De-Associate VSI_1 with the filter it was associated with. */
    public static final String REQUEST_DEASSOC = "deassoc";

    private static final Duration EVB_TIMEOUT = Duration.ofSeconds(20);

    /**
     * Time between the last response and stopping the capture. vdptool returns as soon as the station's lldpad has
     * the response; the station's ECP ack for it leaves right after, and dumpcap must still read it from the
     * socket before it is told to stop.
     */
    private static final Duration CAPTURE_SETTLE = Duration.ofMillis(500);

    private LldpadScenarios() {
    }

    /** Skips (by hand) or fails (CI) the calling test unless everything the scenarios need is there. */
    public static void requirePrerequisites() {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("ip", "unshare", "mount", "sh", "sysctl",
                "lldpad", "lldptool", "vdptool", "dumpcap", "tshark");
    }

    /**
     * Two namespaces joined by a veth pair; lldpad as bridge in one and as station in the other, both with GroupID
     * support; a capture on the station's interface from before either daemon starts. Once EVB is negotiated the
     * station sends, with vdptool, one after the other and each waiting for its response:
     * <ol>
     *   <li>Associate VSI_1, filter format 4: null VID, VSI_MAC_1, GroupID 100;</li>
     *   <li>Associate VSI_2, filter format 2: PS 1, PCP 5, VID 100 (0xD064), VSI_MAC_2;</li>
     *   <li>Pre-Associate VSI_3, filter format 4: null VID, VSI_MAC_3, GroupID 100;</li>
     *   <li>De-Associate VSI_1.</li>
     * </ol>
     * Then the capture is stopped and everything torn down. The file holds LLDP frames with the EVB TLV from both
     * sides and, per request, the station's ECP request, the bridge's ack, the bridge's response and the station's
     * ack (lldpad may add retransmissions). Takes about three seconds.
     *
     * @throws IllegalStateException if negotiation fails or a request gets no response
     */
    @SuppressWarnings("try") // the capture is closed explicitly before the daemons stop; see below
    public static StationBridgeExchange captureStationBridgeExchange(Path pcapOut) {
        long begin = System.nanoTime();
        List<StationBridgeExchange.VdpRequest> requests = new ArrayList<>();
        String evbSeenByStation;
        String evbSeenByBridge;
        try (NetworkNamespace bridgeNs = NetworkNamespace.create();
                NetworkNamespace stationNs = NetworkNamespace.create()) {
            VethPair.between(bridgeNs, stationNs)
                    .names(BRIDGE_INTERFACE, STATION_INTERFACE)
                    .macs(BRIDGE_MAC, STATION_MAC)
                    .create();
            // The capture starts first so that it holds the very first LLDP frames, and is closed explicitly
            // before the daemons stop, so that their shutdown frames stay out of it.
            try (Capture capture = Capture.start(stationNs, STATION_INTERFACE, pcapOut);
                    Lldpad bridge = Lldpad.start(bridgeNs, BRIDGE_INTERFACE,
                            LldpadConfig.of(LldpadConfig.Role.BRIDGE).withGroupId(true));
                    Lldpad station = Lldpad.start(stationNs, STATION_INTERFACE,
                            LldpadConfig.of(LldpadConfig.Role.STATION).withGroupId(true))) {
                evbSeenByStation = station.waitForEvbPeer(EVB_TIMEOUT);
                evbSeenByBridge = bridge.waitForEvbPeer(EVB_TIMEOUT);
                requests.add(send(station, REQUEST_ASSOC_GROUP, "assoc", VSI_1, "0-" + VSI_MAC_1 + "-" + GROUP_ID));
                requests.add(send(station, REQUEST_ASSOC_PCP, "assoc", VSI_2, PS_PCP5_VID100 + "-" + VSI_MAC_2));
                requests.add(send(station, REQUEST_PREASSOC, "preassoc", VSI_3, "0-" + VSI_MAC_3 + "-" + GROUP_ID));
                requests.add(send(station, REQUEST_DEASSOC, "deassoc", VSI_1, "0-" + VSI_MAC_1 + "-" + GROUP_ID));
                Poll.sleep(CAPTURE_SETTLE);
                capture.close();
            }
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - begin);
        LOG.info("lldpad station/bridge exchange captured to {} in {} ms", pcapOut, elapsed.toMillis());
        return new StationBridgeExchange(pcapOut.toAbsolutePath(), STATION_MAC, BRIDGE_MAC, evbSeenByStation,
                evbSeenByBridge, requests, elapsed);
    }

    /**
     * Sends one request with {@code vdptool -T -W}: -W makes vdptool wait (at most 5 s) for the bridge's response
     * and print it. The TLV keyword after -V and the mode must agree (assoc, preassoc, preassoc-rr, deassoc).
     */
    private static StationBridgeExchange.VdpRequest send(Lldpad station, String name, String mode, String vsi,
            String filter) {
        List<String> args = List.of("-i", station.interfaceName(), "-T", "-W", "-V", mode,
                "-c", "mode=" + mode,
                "-c", "mgrid2=" + MANAGER_ID,
                "-c", "typeid=" + TYPE_ID,
                "-c", "typeidver=" + TYPE_VERSION,
                "-c", "uuid=" + vsi,
                "-c", "hints=none",
                "-c", "filter=" + filter);
        String output = station.vdptool(args.toArray(String[]::new));
        StationBridgeExchange.VdpRequest request = new StationBridgeExchange.VdpRequest(name, args, output);
        if (!request.answered()) {
            throw new IllegalStateException("no VDP response to " + name + " (vdptool printed: '" + output.strip()
                    + "'); station log ends with:\n" + station.logTail(30));
        }
        return request;
    }
}
