package org.splitnve.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.splitnve.testsupport.Prerequisites;

/** Decodes the committed sample capture, in text and JSON, and checks chosen frames field by field. */
class DecodeSampleTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Cli.Result jsonRun;
    private static Map<Integer, JsonNode> byFrame;

    @BeforeAll
    static void decodeTheSampleOnceAsJson() {
        Prerequisites.requireLibpcap();
        jsonRun = Cli.run("decode", "--json", Cli.committedSample().toString());
        byFrame = new LinkedHashMap<>();
        for (String line : jsonRun.outLines()) {
            JsonNode n = parse(line);
            byFrame.put(n.get("frame").asInt(), n);
        }
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException("not JSON: " + line, e);
        }
    }

    @Test
    void theSampleHas44FramesOfWhich41DecodeTwoAreSkippedAndOneIsMalformed() {
        Cli.Result text = Cli.run("decode", Cli.committedSample().toString());

        assertThat(text.exitCode()).isZero();
        assertThat(text.err()).isEmpty();
        assertThat(text.outLines()).last().isEqualTo("frames read: 44, decoded: 41, skipped: 2, malformed: 1");
        assertThat(jsonRun.exitCode()).isZero();
        assertThat(jsonRun.errLines()).containsExactly("frames read: 44, decoded: 41, skipped: 2, malformed: 1");
    }

    @Test
    void jsonModeWritesOneJsonObjectPerDecodedOrMalformedFrameAndNothingElse() {
        assertThat(jsonRun.outLines()).hasSize(42).allSatisfy(l -> assertThat(parse(l).isObject()).isTrue());
        assertThat(byFrame.keySet()).doesNotContain(3, 24).contains(1, 2, 4, 43, 44);
    }

    @Test
    void everyFrameCarriesFrameSourceDestinationAndEthertype() {
        for (JsonNode n : byFrame.values()) {
            assertThat(fields(n)).contains("frame", "src", "dst", "ethertype");
            assertThat(n.get("src").asText()).matches("([0-9a-f]{2}:){5}[0-9a-f]{2}");
            assertThat(n.get("dst").asText()).matches("([0-9a-f]{2}:){5}[0-9a-f]{2}");
        }
        assertThat(byFrame.get(4).get("ethertype").asText()).isEqualTo("0x8940");
        assertThat(byFrame.get(1).get("ethertype").asText()).isEqualTo("0x88cc");
    }

    @Test
    void theStationsLldpFrameCarriesTheEvbTlvInStationModeWithSgid() {
        JsonNode n = byFrame.get(1);
        assertThat(n.get("src").asText()).isEqualTo("02:00:00:00:0a:01");
        assertThat(n.get("dst").asText()).isEqualTo("01:80:c2:00:00:00");
        assertThat(n.get("lldp").get("chassis").asText()).isEqualTo("02:00:00:00:0a:01");
        assertThat(n.get("lldp").get("port").asText()).isEqualTo("eth0");
        assertThat(n.get("lldp").get("ttl").asInt()).isEqualTo(120);
        JsonNode evb = n.get("evb");
        assertThat(fields(evb)).contains("bridgeStatus", "stationStatus", "r", "rte", "mode", "rwd", "rka");
        assertThat(evb.get("mode").asText()).isEqualTo("station");
        assertThat(evb.get("stationStatus").asInt()).isEqualTo(0x08);
        assertThat(evb.get("sgid").asBoolean()).isTrue();
        assertThat(evb.get("bgid").asBoolean()).isFalse();
        assertThat(evb.get("r").asInt()).isEqualTo(3);
        assertThat(evb.get("rte").asInt()).isEqualTo(8);
        assertThat(evb.get("rwd").asInt()).isEqualTo(20);
        assertThat(evb.get("rka").asInt()).isEqualTo(20);
    }

    @Test
    void theBridgesLldpFrameIsInBridgeModeWithBgidAndBothRolBits() {
        JsonNode evb = byFrame.get(2).get("evb");
        assertThat(evb.get("mode").asText()).isEqualTo("bridge");
        assertThat(evb.get("bridgeStatus").asInt()).isEqualTo(0x04);
        assertThat(evb.get("bgid").asBoolean()).isTrue();
        assertThat(evb.get("rolRwd").asBoolean()).isTrue();
        assertThat(evb.get("rolRka").asBoolean()).isTrue();
    }

    @Test
    void aVdpRequestCarriesTheEcpHeaderManagerIdAndEveryTlvKey() {
        JsonNode n = byFrame.get(4);
        JsonNode ecp = n.get("ecp");
        assertThat(fields(ecp)).contains("version", "op", "subtype", "seq");
        assertThat(ecp.get("version").asInt()).isEqualTo(1);
        assertThat(ecp.get("op").asText()).isEqualTo("request");
        assertThat(ecp.get("subtype").asInt()).isEqualTo(1);
        assertThat(ecp.get("seq").asInt()).isEqualTo(1001);
        JsonNode vdp = n.get("vdp");
        assertThat(vdp.get("managerId").asText()).isEqualTo("6d677231000000000000000000000000");
        assertThat(vdp.get("tlvs")).hasSize(1);
        JsonNode tlv = vdp.get("tlvs").get(0);
        assertThat(fields(tlv)).contains("type", "response", "m", "s", "miValid", "keep", "hardError", "error", "typeId",
                "typeVersion", "vsiIdFormat", "vsiId", "filterFormat", "entries");
        assertThat(tlv.get("type").asText()).isEqualTo("pre-associate");
        assertThat(tlv.get("response").asBoolean()).isFalse();
        assertThat(tlv.get("error").asInt()).isZero();
        assertThat(tlv.get("typeId").asInt()).isEqualTo(4711);
        assertThat(tlv.get("typeVersion").asInt()).isEqualTo(1);
        assertThat(tlv.get("vsiIdFormat").asText()).isEqualTo("uuid");
        assertThat(tlv.get("vsiId").asText()).isEqualTo("6f4a2c1e-8d53-4a1f-9c27-0b5e7d3a9f10");
        assertThat(tlv.get("filterFormat").asInt()).isEqualTo(0x06);
        JsonNode entries = tlv.get("entries");
        assertThat(entries).hasSize(2);
        assertThat(fields(entries.get(0))).containsExactly("groupId", "mac", "ip", "ps", "pcp", "vid");
        assertThat(entries.get(0).get("groupId").asLong()).isEqualTo(5000);
        assertThat(entries.get(0).get("mac").asText()).isEqualTo("02:00:00:00:aa:01");
        assertThat(entries.get(0).get("ip").asText()).isEqualTo("192.0.2.10");
        assertThat(entries.get(1).get("ip").asText()).isEqualTo("2001:db8:0:1::10");
        assertThat(entries.get(0).get("vid").asInt()).isZero();
    }

    @Test
    void theBridgesResponseAssignsTheLocalTagAndAnAckEchoesTheSequence() {
        JsonNode response = byFrame.get(6);
        assertThat(response.get("src").asText()).isEqualTo("02:00:00:00:0b:01");
        assertThat(response.get("dst").asText()).isEqualTo("02:00:00:00:0a:01");
        JsonNode tlv = response.get("vdp").get("tlvs").get(0);
        assertThat(tlv.get("response").asBoolean()).isTrue();
        assertThat(tlv.get("entries")).allSatisfy(e -> assertThat(e.get("vid").asInt()).isEqualTo(10));

        JsonNode ack = byFrame.get(5);
        assertThat(ack.get("ecp").get("op").asText()).isEqualTo("ack");
        assertThat(ack.get("ecp").get("seq").asInt()).isEqualTo(1001);
        assertThat(fields(ack)).doesNotContain("vdp");
    }

    @Test
    void thePreAssociateWithResourceReservationUsesGroupIdIpVidWithoutMacs() {
        JsonNode tlv = byFrame.get(8).get("vdp").get("tlvs").get(0);
        assertThat(tlv.get("type").asText()).isEqualTo("pre-associate-rr");
        assertThat(tlv.get("filterFormat").asInt()).isEqualTo(0x05);
        assertThat(tlv.get("vsiIdFormat").asText()).isEqualTo("mac");
        assertThat(tlv.get("vsiId").asText()).isEqualTo("02:00:00:00:aa:02");
        assertThat(fields(tlv.get("entries").get(0))).containsExactly("groupId", "ip", "ps", "pcp", "vid");
        assertThat(tlv.get("entries").get(1).get("ip").asText()).isEqualTo("2001:db8:1::20");
    }

    @Test
    void theD064EntryGivesPsTruePcp5Vid100() {
        JsonNode tlv = byFrame.get(12).get("vdp").get("tlvs").get(0);
        assertThat(tlv.get("filterFormat").asInt()).isEqualTo(0x07);
        assertThat(tlv.get("vsiIdFormat").asText()).isEqualTo("ipv4");
        assertThat(tlv.get("vsiId").asText()).isEqualTo("198.51.100.30");
        JsonNode e = tlv.get("entries").get(0);
        assertThat(fields(e)).containsExactly("mac", "ip", "ps", "pcp", "vid");
        assertThat(e.get("ps").asBoolean()).isTrue();
        assertThat(e.get("pcp").asInt()).isEqualTo(5);
        assertThat(e.get("vid").asInt()).isEqualTo(100);
        assertThat(e.get("ip").asText()).isEqualTo("203.0.113.30");
    }

    @Test
    void theLldpadStyleAssociateHasGroupId100AndANullVidAndNoEndTlv() {
        JsonNode n = byFrame.get(16);
        assertThat(n.get("length").asInt()).as("two octets shorter than with the End TLV").isEqualTo(75);
        JsonNode tlv = n.get("vdp").get("tlvs").get(0);
        assertThat(tlv.get("type").asText()).isEqualTo("associate");
        assertThat(tlv.get("filterFormat").asInt()).isEqualTo(4);
        assertThat(tlv.get("vsiId").asText()).isEqualTo("11223344-5566-7788-9900-aabbccddeeff");
        JsonNode e = tlv.get("entries").get(0);
        assertThat(fields(e)).containsExactly("groupId", "mac", "ps", "pcp", "vid");
        assertThat(e.get("groupId").asLong()).isEqualTo(100);
        assertThat(e.get("mac").asText()).isEqualTo("02:00:00:00:aa:04");
        assertThat(e.get("vid").asInt()).isZero();
        assertThat(e.get("ps").asBoolean()).isFalse();

        JsonNode answer = byFrame.get(18).get("vdp").get("tlvs").get(0).get("entries").get(0);
        assertThat(answer.get("groupId").asLong()).isEqualTo(100);
        assertThat(answer.get("vid").asInt()).isEqualTo(12);
    }

    @Test
    void theMigrationDestinationAssociateHasMiValidAndMAndTheResponseEchoesMiValid() {
        JsonNode tlv = byFrame.get(20).get("vdp").get("tlvs").get(0);
        assertThat(tlv.get("type").asText()).isEqualTo("associate");
        assertThat(tlv.get("miValid").asBoolean()).isTrue();
        assertThat(tlv.get("m").asBoolean()).isTrue();
        assertThat(tlv.get("s").asBoolean()).isFalse();
        assertThat(tlv.get("response").asBoolean()).isFalse();

        JsonNode echo = byFrame.get(22).get("vdp").get("tlvs").get(0);
        assertThat(echo.get("response").asBoolean()).isTrue();
        assertThat(echo.get("miValid").asBoolean()).isTrue();
        assertThat(echo.get("m").asBoolean()).isFalse();
    }

    @Test
    void theKeepAliveRepeatsTheLldpadStyleAssociateWithTheNextSequenceNumber() {
        JsonNode first = byFrame.get(16);
        JsonNode keepAlive = byFrame.get(25);
        assertThat(keepAlive.get("vdp")).isEqualTo(first.get("vdp"));
        assertThat(keepAlive.get("ecp").get("seq").asInt()).isEqualTo(first.get("ecp").get("seq").asInt() + 2);
    }

    @Test
    void deactivationDeAssociateAndTheBridgeInitiatedDeAssociateAreDecoded() {
        JsonNode deactivate = byFrame.get(29).get("vdp").get("tlvs").get(0);
        assertThat(deactivate.get("type").asText()).isEqualTo("pre-associate");
        assertThat(deactivate.get("entries").get(0).get("vid").asInt()).isEqualTo(10);

        assertThat(byFrame.get(33).get("vdp").get("tlvs").get(0).get("type").asText()).isEqualTo("de-associate");

        JsonNode bridgeInitiated = byFrame.get(37);
        assertThat(bridgeInitiated.get("src").asText()).isEqualTo("02:00:00:00:0b:01");
        JsonNode tlv = bridgeInitiated.get("vdp").get("tlvs").get(0);
        assertThat(tlv.get("type").asText()).isEqualTo("de-associate");
        assertThat(tlv.get("response").asBoolean()).isFalse();
        assertThat(byFrame.get(38).get("ecp").get("seq").asInt()).isEqualTo(bridgeInitiated.get("ecp").get("seq").asInt());
    }

    @Test
    void theRefusedRequestIsAnsweredWithKeepAndError5() {
        JsonNode tlv = byFrame.get(41).get("vdp").get("tlvs").get(0);
        assertThat(tlv.get("response").asBoolean()).isTrue();
        assertThat(tlv.get("keep").asBoolean()).isTrue();
        assertThat(tlv.get("hardError").asBoolean()).isFalse();
        assertThat(tlv.get("error").asInt()).isEqualTo(5);
        assertThat(tlv.get("vsiIdFormat").asText()).isEqualTo("ipv6");
        assertThat(tlv.get("vsiId").asText()).isEqualTo("2001:db8::e");
    }

    @Test
    void theMalformedFrameYieldsAnErrorLineAndDecodingGoesOn() {
        JsonNode bad = byFrame.get(43);
        assertThat(fields(bad)).contains("frame", "src", "dst", "ethertype", "error", "errorOffset", "vdpError")
                .doesNotContain("vdp");
        assertThat(bad.get("error").asText()).isEqualTo("unknown filter info format 66");
        assertThat(bad.get("errorOffset").asInt()).isEqualTo(SampleConversation.filterFormatOffset());
        assertThat(bad.get("vdpError").asInt()).isEqualTo(1);
        assertThat(bad.get("ecp").get("seq").asInt()).isEqualTo(1010);

        JsonNode next = byFrame.get(44);
        assertThat(next.get("ecp").get("op").asText()).isEqualTo("ack");
        assertThat(next.get("ecp").get("seq").asInt()).isEqualTo(1010);
    }

    @Test
    void textModeShowsEachLayerOnIndentedLinesAndTheMalformedFrameWithItsError() {
        Cli.Result text = Cli.run("decode", Cli.committedSample().toString());
        String out = text.out();

        assertThat(text.outLines().get(0)).isEqualTo("1  0.000000  02:00:00:00:0a:01 > 01:80:c2:00:00:00  LLDP  60 octets");
        assertThat(out).contains("    EVB mode station  bridge status 0x00 (BGID=0 RRCAP=0 RRCTR=0)  station status 0x08 (SGID=1 RRREQ=0 RRSTAT=0)\n"
                + "        R 3  RTE 8 (2.56 ms)  RWD 20 (10.49 s) ROL=0  RKA 20 (10.49 s) ROL=0\n");
        assertThat(out).contains("12  1.200000  02:00:00:00:0a:01 > 01:80:c2:00:00:00  ECP  103 octets\n"
                + "    ECP v1 request  subtype 1 (VDP)  seq 1003\n"
                + "    VDP manager 6d677231000000000000000000000000 (\"mgr1\")\n"
                + "    pre-associate  status 0x00 request  M=0 S=0 mi-valid=0\n"
                + "        type ID 4711 version 1  VSI ID ipv4 198.51.100.30\n"
                + "        filter 0x07 MAC/IP/VID, 2 entries\n"
                + "          MAC 02:00:00:00:aa:03  IP 203.0.113.30  PS 1 PCP 5 VID 100\n");
        assertThat(out).contains("associate  status 0x90 request  M=1 S=0 mi-valid=1");
        assertThat(out).contains("43  12.400000  02:00:00:00:0a:01 > 01:80:c2:00:00:00  ECP  77 octets  MALFORMED\n"
                + "    ECP v1 request  subtype 1 (VDP)  seq 1010\n"
                + "    error: unknown filter info format 66 at offset 60 (VDP error 1, invalid format)\n");
        assertThat(out).contains("44  12.400050  02:00:00:00:0b:01 > 02:00:00:00:0a:01  ECP  18 octets\n");
        assertThat(text.outLines()).noneMatch(l -> l.startsWith("3  ") || l.startsWith("24  "));
    }

    private static List<String> fields(JsonNode n) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
