package org.splitnve.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LldpadScenariosTest {

    @TempDir
    Path dir;

    @BeforeEach
    void prerequisites() {
        LldpadScenarios.requirePrerequisites();
    }

    @Test
    void stationAndBridgeExchangeIsCapturedEndToEnd() {
        List<String> before = namespaces();
        Path pcap = dir.resolve("lldpad-exchange.pcap");

        StationBridgeExchange result = LldpadScenarios.captureStationBridgeExchange(pcap);

        assertThat(result.pcap()).isEqualTo(pcap.toAbsolutePath()).isNotEmptyFile();
        assertThat(result.requests()).extracting(StationBridgeExchange.VdpRequest::name).containsExactly(
                LldpadScenarios.REQUEST_ASSOC_GROUP, LldpadScenarios.REQUEST_ASSOC_PCP,
                LldpadScenarios.REQUEST_PREASSOC, LldpadScenarios.REQUEST_DEASSOC);
        assertThat(result.requests()).allMatch(StationBridgeExchange.VdpRequest::answered);
        assertThat(result.request(LldpadScenarios.REQUEST_ASSOC_PCP).output())
                .contains("mode = assoc", "filter = 53348-02:00:00:00:aa:02");
        assertThat(result.request(LldpadScenarios.REQUEST_PREASSOC).output()).contains("mode = preassoc");
        assertThat(result.request(LldpadScenarios.REQUEST_DEASSOC).output()).contains("mode = deassoc");
        assertThat(result.evbSeenByStation()).contains("mode:bridge", "bgid");
        assertThat(result.evbSeenByBridge()).contains("mode:station", "sgid");

        assertThat(Tshark.count(pcap, "eth.type == 0x8940")).isGreaterThanOrEqualTo(4);
        assertThat(Tshark.count(pcap, "lldp")).isGreaterThanOrEqualTo(2);
        // The EVB TLV: organisationally specific, OUI 00-80-C2, subtype 0x0D, from both ends.
        String evb = "lldp.ieee.802_1.subtype == 0x0d";
        assertThat(Tshark.count(pcap, evb + " && eth.src == " + LldpadScenarios.STATION_MAC)).isPositive();
        assertThat(Tshark.count(pcap, evb + " && eth.src == " + LldpadScenarios.BRIDGE_MAC)).isPositive();
        // Every request leaves the station and is answered by the bridge (request, ack, response, ack each).
        assertThat(Tshark.count(pcap, "eth.type == 0x8940 && eth.src == " + LldpadScenarios.STATION_MAC))
                .isGreaterThanOrEqualTo(8);
        assertThat(Tshark.count(pcap, "eth.type == 0x8940 && eth.src == " + LldpadScenarios.BRIDGE_MAC))
                .isGreaterThanOrEqualTo(8);
        // Nothing but LLDP and ECP: IPv6 was off, so no router solicitations or DAD.
        assertThat(Tshark.count(pcap, "!lldp && !(eth.type == 0x8940)")).isZero();

        assertThat(namespaces()).containsExactlyInAnyOrderElementsOf(before);
    }

    private static List<String> namespaces() {
        return NetworkNamespaceTestSupport.ownNamespaceNames();
    }
}
