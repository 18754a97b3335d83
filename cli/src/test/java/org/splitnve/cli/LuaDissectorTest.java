package org.splitnve.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.splitnve.ecptransport.capture.PcapWriter;
import org.splitnve.testsupport.Prerequisites;
import org.splitnve.vdpcore.CodePoints;
import org.splitnve.vdpcore.MalformedFrameException;
import org.splitnve.vdpcore.ecp.EcpDecoder;
import org.splitnve.vdpcore.ecp.Ecpdu;
import org.splitnve.vdpcore.vdp.VdpDecoder;

/**
 * The Wireshark Lua dissector in {@code wireshark/splitnve.lua}, run through tshark, says about every
 * frame what the project's own decoder says; it flags malformed input with expert info and never
 * raises a Lua error; and its code point preferences work as the Java {@link CodePoints} registry does.
 */
class LuaDissectorTest {

    private static final long TIMEOUT_SECONDS = 180;
    private static final long SEVERITY_ERROR = 0x00800000L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();

    /** Every field the comparison with the Java decoder reads, in -T fields order. */
    private static final List<String> FIELDS = List.of("frame.number", "frame.protocols", "_ws.col.Info", "_ws.lua.error",
            "_ws.expert.message", "_ws.expert.severity",
            "splitnve.ecp.version", "splitnve.ecp.op", "splitnve.ecp.subtype", "splitnve.ecp.seq",
            "splitnve.vdp.mgrid", "splitnve.vdp.mgrid_name", "splitnve.vdp.tlv_type", "splitnve.vdp.status",
            "splitnve.vdp.status.response", "splitnve.vdp.status.m", "splitnve.vdp.status.s", "splitnve.vdp.status.mi_valid",
            "splitnve.vdp.status.keep", "splitnve.vdp.status.hard_error", "splitnve.vdp.status.error",
            "splitnve.vdp.vsi_type", "splitnve.vdp.vsi_version", "splitnve.vdp.vsiid_format", "splitnve.vdp.vsiid",
            "splitnve.vdp.filter_format", "splitnve.vdp.entries", "splitnve.vdp.groupid", "splitnve.vdp.mac",
            "splitnve.vdp.af", "splitnve.vdp.ipv4", "splitnve.vdp.ipv6", "splitnve.vdp.ps", "splitnve.vdp.pcp",
            "splitnve.vdp.vid",
            "splitnve.evb.bridge_status", "splitnve.evb.bgid", "splitnve.evb.rrcap", "splitnve.evb.rrctr",
            "splitnve.evb.station_status", "splitnve.evb.sgid", "splitnve.evb.rrreq", "splitnve.evb.rrstat",
            "splitnve.evb.r", "splitnve.evb.rte", "splitnve.evb.mode", "splitnve.evb.rol_rwd", "splitnve.evb.rwd",
            "splitnve.evb.rol_rka", "splitnve.evb.rka");

    private static final byte[] STATION = mac("02:00:00:00:0a:01");
    private static final byte[] NCB = mac("01:80:c2:00:00:00");

    private static Path sample;
    private static Path script;

    @TempDir
    Path dir;

    @BeforeAll
    static void tsharkAndTheScriptAreThere() {
        Prerequisites.requireCommand("tshark");
        sample = Cli.committedSample();
        script = sample.getParent().getParent().resolve("wireshark").resolve("splitnve.lua").toAbsolutePath();
        assertThat(script).isRegularFile();
    }

    // ---------------------------------------------------------------------------------------------
    // (a) the committed sample, against the project's own decoder
    // ---------------------------------------------------------------------------------------------

    @Test
    void every_frame_of_the_sample_decodes_as_the_java_decoder_decodes_it() {
        Prerequisites.requireLibpcap(); // the in-process decode command opens the file through pcap4j
        Counted c = compareWithJava(sample);
        assertThat(c.frames()).isEqualTo(44);
        assertThat(c.vdp()).isEqualTo(19);
        assertThat(c.evb()).isEqualTo(2);
    }

    @Test
    void every_frame_of_the_demo_capture_decodes_as_the_java_decoder_decodes_it() {
        Prerequisites.requireLibpcap();
        Path pcap = dir.resolve("demo.pcap");
        assertThat(Cli.run("demo", "--pcap", pcap.toString()).exitCode()).isZero();
        Counted c = compareWithJava(pcap);
        // Two hypervisors and two nNVEs: LLDP with the EVB TLV both ways, VDP through the whole lifecycle.
        assertThat(c.vdp()).isGreaterThan(20);
        assertThat(c.evb()).isGreaterThanOrEqualTo(4);
    }

    /** How many frames the dissector saw, and how many of those carried VDP and the EVB TLV. */
    private record Counted(int frames, int vdp, int evb) {
    }

    /** Runs tshark with the script and {@code splitnve decode --json} on one capture and compares them field by field. */
    private Counted compareWithJava(Path capture) {
        Cli.Result java = Cli.run("decode", capture.toString(), "--json");
        assertThat(java.exitCode()).isZero();
        Map<Integer, JsonNode> javaFrames = new LinkedHashMap<>();
        for (String line : java.outLines()) {
            JsonNode n = json(line);
            javaFrames.put(n.get("frame").asInt(), n);
        }
        Map<Integer, Frame> lua = fields(tsharkClean(capture));
        assertThat(javaFrames.size()).isPositive();

        int vdpFrames = 0;
        int evbFrames = 0;
        for (Frame f : lua.values()) {
            JsonNode j = javaFrames.get(f.number());
            String where = "frame " + f.number();
            if (j == null) {
                assertThat(f.one("frame.protocols")).as(where + ": the Java decoder skips it, so must the dissector")
                        .doesNotContain("splitnve");
                assertThat(f.all("splitnve.evb.mode")).as(where).isEmpty();
                continue;
            }
            if (j.has("ecp")) {
                assertEcp(where, j.get("ecp"), f);
            }
            if (j.has("vdp")) {
                assertVdp(where, j.get("vdp"), f);
                vdpFrames++;
            }
            if (j.has("evb")) {
                assertEvb(where, j.get("evb"), f);
                evbFrames++;
            } else {
                assertThat(f.all("splitnve.evb.mode")).as(where).isEmpty();
            }
            if (j.has("error")) {
                assertThat(f.all("_ws.expert.message")).as(where + ": the Java decoder's fault is flagged")
                        .anySatisfy(m -> assertThat(m).containsIgnoringCase(j.get("error").asText()));
                assertThat(f.one("_ws.col.Info")).as(where).contains("[malformed]");
            } else {
                assertThat(f.all("_ws.expert.severity")).as(where + ": a frame the Java decoder accepts has no error expert info")
                        .noneMatch(s -> Long.parseLong(s) >= SEVERITY_ERROR);
                assertThat(f.one("_ws.col.Info")).as(where).doesNotContain("[malformed]");
            }
        }
        return new Counted(lua.size(), vdpFrames, evbFrames);
    }

    @Test
    void every_ecp_and_lldp_frame_of_the_sample_is_dissected_by_splitnve_and_none_is_left_as_data() {
        Map<Integer, Frame> lua = fields(tsharkClean(sample));
        for (Frame f : lua.values()) {
            String protocols = f.one("frame.protocols");
            if (protocols.contains(":lldp")) {
                assertThat(f.all("splitnve.evb.mode")).as("frame %d", f.number()).hasSize(1);
            }
            if (protocols.contains("splitnve.ecp")) {
                boolean request = f.one("splitnve.ecp.op").equals("0");
                assertThat(protocols).as("frame %d", f.number()).doesNotContain(":data")
                        .endsWith(request ? ":splitnve.ecp:splitnve.vdp" : ":splitnve.ecp");
                assertThat(f.one("_ws.col.Info")).startsWith("ECP " + (request ? "req" : "ack") + " seq " + f.one("splitnve.ecp.seq"));
            }
        }
        assertThat(lua.values()).filteredOn(f -> f.one("frame.protocols").contains("splitnve.ecp")).hasSize(40);
        assertThat(lua.values()).filteredOn(f -> f.one("frame.protocols").endsWith(":data"))
                .allSatisfy(f -> assertThat(f.one("frame.protocols")).doesNotContain("splitnve").contains(":udp:"));
    }

    @Test
    void the_info_column_summarises_ecp_vdp_and_evb() {
        Map<Integer, Frame> lua = fields(tsharkClean(sample));
        assertThat(lua.get(4).one("_ws.col.Info")).isEqualTo("ECP req seq 1001 VDP Pre-Associate vsi 6f4a...9f10 VN 5000 VID 0");
        assertThat(lua.get(5).one("_ws.col.Info")).isEqualTo("ECP ack seq 1001");
        assertThat(lua.get(6).one("_ws.col.Info")).isEqualTo("ECP req seq 501 VDP Pre-Associate rsp vsi 6f4a...9f10 VN 5000 VID 10");
        assertThat(lua.get(20).one("_ws.col.Info")).isEqualTo("ECP req seq 1005 VDP Associate MI M vsi 6f4a...9f10 VN 5000 VID 10");
        assertThat(lua.get(41).one("_ws.col.Info")).isEqualTo("ECP req seq 510 VDP Associate rsp vsi 2001:db8::e VN 7 VID 0 keep err 5");
        assertThat(lua.get(1).one("_ws.col.Info")).endsWith("EVB station R3 RTE8 RWD20 RKA20 SGID");
        assertThat(lua.get(2).one("_ws.col.Info")).endsWith("EVB bridge R3 RTE8 RWD20 RKA20 BGID");
    }

    private static void assertEcp(String where, JsonNode ecp, Frame f) {
        assertThat(f.one("frame.protocols")).as(where).contains("splitnve.ecp");
        assertThat(f.one("splitnve.ecp.version")).as(where).isEqualTo(ecp.get("version").asText());
        assertThat(f.one("splitnve.ecp.op")).as(where).isEqualTo(ecp.get("op").asText().equals("request") ? "0" : "1");
        assertThat(f.one("splitnve.ecp.subtype")).as(where).isEqualTo(ecp.get("subtype").asText());
        assertThat(f.one("splitnve.ecp.seq")).as(where).isEqualTo(ecp.get("seq").asText());
        if (ecp.get("op").asText().equals("ack")) {
            assertThat(f.all("splitnve.vdp.tlv_type")).as(where + ": an ack has no VDP").isEmpty();
        }
    }

    private static void assertVdp(String where, JsonNode vdp, Frame f) {
        assertThat(f.one("frame.protocols")).as(where).endsWith("splitnve.ecp:splitnve.vdp");
        assertThat(f.one("splitnve.vdp.mgrid")).as(where).isEqualTo(vdp.get("managerId").asText());
        if (vdp.has("managerName")) {
            assertThat(f.one("splitnve.vdp.mgrid_name")).as(where).isEqualTo(vdp.get("managerName").asText());
        }
        List<Integer> types = f.all("splitnve.vdp.tlv_type").stream().map(Integer::parseInt).toList();
        assertThat(types).as(where + ": Manager ID first").first().isEqualTo(5);

        List<String> tlvTypes = new ArrayList<>();
        List<String> status = new ArrayList<>();
        List<Boolean> response = new ArrayList<>();
        List<Boolean> miValid = new ArrayList<>();
        List<Boolean> m = new ArrayList<>();
        List<Boolean> s = new ArrayList<>();
        List<Boolean> keep = new ArrayList<>();
        List<Boolean> hardError = new ArrayList<>();
        List<String> error = new ArrayList<>();
        List<String> typeId = new ArrayList<>();
        List<String> typeVersion = new ArrayList<>();
        List<String> vsiIdFormat = new ArrayList<>();
        List<String> vsiId = new ArrayList<>();
        List<Integer> filterFormat = new ArrayList<>();
        List<String> count = new ArrayList<>();
        List<String> groupIds = new ArrayList<>();
        List<String> macs = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        List<Boolean> ps = new ArrayList<>();
        List<String> pcp = new ArrayList<>();
        List<String> vid = new ArrayList<>();
        for (JsonNode tlv : vdp.get("tlvs")) {
            tlvTypes.add(switch (tlv.get("type").asText()) {
                case "pre-associate" -> "1";
                case "pre-associate-rr" -> "2";
                case "associate" -> "3";
                case "de-associate" -> "4";
                default -> throw new AssertionError("unknown type " + tlv.get("type"));
            });
            status.add(tlv.get("status").asText());
            boolean rsp = tlv.get("response").asBoolean();
            response.add(rsp);
            miValid.add(tlv.get("miValid").asBoolean());
            if (rsp) {
                keep.add(tlv.get("keep").asBoolean());
                hardError.add(tlv.get("hardError").asBoolean());
            } else {
                m.add(tlv.get("m").asBoolean());
                s.add(tlv.get("s").asBoolean());
            }
            error.add(tlv.get("error").asText());
            typeId.add(tlv.get("typeId").asText());
            typeVersion.add(tlv.get("typeVersion").asText());
            vsiIdFormat.add(switch (tlv.get("vsiIdFormat").asText()) {
                case "ipv4" -> "1";
                case "ipv6" -> "2";
                case "mac" -> "3";
                case "local" -> "4";
                case "uuid" -> "5";
                default -> throw new AssertionError("unknown VSI ID format " + tlv.get("vsiIdFormat"));
            });
            vsiId.add(tlv.get("vsiId").asText());
            filterFormat.add(tlv.get("filterFormat").asInt());
            count.add(String.valueOf(tlv.get("entries").size()));
            for (JsonNode e : tlv.get("entries")) {
                if (e.has("groupId")) {
                    groupIds.add(e.get("groupId").asText());
                }
                if (e.has("mac")) {
                    macs.add(e.get("mac").asText());
                }
                if (e.has("ip")) {
                    ips.add(e.get("ip").asText());
                }
                ps.add(e.get("ps").asBoolean());
                pcp.add(e.get("pcp").asText());
                vid.add(e.get("vid").asText());
            }
        }
        assertThat(types.stream().filter(t -> t >= 1 && t <= 4).map(String::valueOf).toList()).as(where + " TLV types").isEqualTo(tlvTypes);
        assertThat(f.all("splitnve.vdp.status")).as(where + " status").isEqualTo(status);
        assertThat(f.bools("splitnve.vdp.status.response")).as(where + " response").isEqualTo(response);
        assertThat(f.bools("splitnve.vdp.status.mi_valid")).as(where + " mi_valid").isEqualTo(miValid);
        assertThat(f.bools("splitnve.vdp.status.m")).as(where + " M").isEqualTo(m);
        assertThat(f.bools("splitnve.vdp.status.s")).as(where + " S").isEqualTo(s);
        assertThat(f.bools("splitnve.vdp.status.keep")).as(where + " keep").isEqualTo(keep);
        assertThat(f.bools("splitnve.vdp.status.hard_error")).as(where + " hard error").isEqualTo(hardError);
        assertThat(f.all("splitnve.vdp.status.error")).as(where + " error").isEqualTo(error);
        assertThat(f.all("splitnve.vdp.vsi_type")).as(where + " type ID").isEqualTo(typeId);
        assertThat(f.all("splitnve.vdp.vsi_version")).as(where + " type version").isEqualTo(typeVersion);
        assertThat(f.all("splitnve.vdp.vsiid_format")).as(where + " VSI ID format").isEqualTo(vsiIdFormat);
        assertThat(f.all("splitnve.vdp.vsiid")).as(where + " VSI ID").isEqualTo(vsiId);
        assertThat(f.all("splitnve.vdp.filter_format").stream().map(x -> Integer.decode(x)).toList())
                .as(where + " filter format").isEqualTo(filterFormat);
        assertThat(f.all("splitnve.vdp.entries")).as(where + " entry count").isEqualTo(count);
        assertThat(f.all("splitnve.vdp.groupid")).as(where + " GroupIDs").isEqualTo(groupIds);
        assertThat(f.all("splitnve.vdp.mac")).as(where + " MACs").isEqualTo(macs);
        assertThat(f.ips()).as(where + " IPs in entry order").isEqualTo(ips);
        assertThat(f.bools("splitnve.vdp.ps")).as(where + " PS").isEqualTo(ps);
        assertThat(f.all("splitnve.vdp.pcp")).as(where + " PCP").isEqualTo(pcp);
        assertThat(f.all("splitnve.vdp.vid")).as(where + " VID").isEqualTo(vid);
    }

    private static void assertEvb(String where, JsonNode evb, Frame f) {
        assertThat(Integer.decode(f.one("splitnve.evb.bridge_status"))).as(where).isEqualTo(evb.get("bridgeStatus").asInt());
        assertThat(Integer.decode(f.one("splitnve.evb.station_status"))).as(where).isEqualTo(evb.get("stationStatus").asInt());
        assertThat(f.bools("splitnve.evb.bgid")).as(where + " BGID").containsExactly(evb.get("bgid").asBoolean());
        assertThat(f.bools("splitnve.evb.rrcap")).as(where + " RRCAP").containsExactly(evb.get("rrcap").asBoolean());
        assertThat(f.bools("splitnve.evb.rrctr")).as(where + " RRCTR").containsExactly(evb.get("rrctr").asBoolean());
        assertThat(f.bools("splitnve.evb.sgid")).as(where + " SGID").containsExactly(evb.get("sgid").asBoolean());
        assertThat(f.bools("splitnve.evb.rrreq")).as(where + " RRREQ").containsExactly(evb.get("rrreq").asBoolean());
        assertThat(f.one("splitnve.evb.rrstat")).as(where + " RRSTAT").isEqualTo(evb.get("rrstat").asText());
        assertThat(f.one("splitnve.evb.r")).as(where + " R").isEqualTo(evb.get("r").asText());
        assertThat(f.one("splitnve.evb.rte")).as(where + " RTE").isEqualTo(evb.get("rte").asText());
        assertThat(f.one("splitnve.evb.mode")).as(where + " mode")
                .isEqualTo(switch (evb.get("mode").asText()) {
                    case "bridge" -> "1";
                    case "station" -> "2";
                    default -> throw new AssertionError("mode " + evb.get("mode"));
                });
        assertThat(f.bools("splitnve.evb.rol_rwd")).as(where + " ROL(RWD)").containsExactly(evb.get("rolRwd").asBoolean());
        assertThat(f.one("splitnve.evb.rwd")).as(where + " RWD").isEqualTo(evb.get("rwd").asText());
        assertThat(f.bools("splitnve.evb.rol_rka")).as(where + " ROL(RKA)").containsExactly(evb.get("rolRka").asBoolean());
        assertThat(f.one("splitnve.evb.rka")).as(where + " RKA").isEqualTo(evb.get("rka").asText());
    }

    // ---------------------------------------------------------------------------------------------
    // (b) crafted malformed frames
    // ---------------------------------------------------------------------------------------------

    private record Case(String name, byte[] frame, String expert) {
    }

    private static List<Case> malformedCases() {
        byte[] good = association(0x03, 0x00, 4, entry4(100, "02:00:00:00:aa:04", 0x0000));
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("TLV length past the end", ecpRequest(1, concat(managerId(16), withLength(good, 200))),
                "TLV type 3 of 200 octets overruns the VDPDU"));
        cases.add(new Case("entry count overrunning the TLV", ecpRequest(2, vdpdu(association(0x03, 0x00, 4, 5,
                entry4(100, "02:00:00:00:aa:04", 0)))), "Entry count 5 overruns the TLV after 1 entries"));
        cases.add(new Case("unknown address family", ecpRequest(3, vdpdu(association(0x03, 0x00, 5,
                concat(u32(100), new byte[] {9, (byte) 192, 0, 2, 10}, u16(0))))), "Unknown address family 9"));
        cases.add(new Case("VID 4095", ecpRequest(4, vdpdu(association(0x03, 0x00, 4, entry4(100, "02:00:00:00:aa:04", 0x0FFF)))),
                "VID 4095 is reserved"));
        cases.add(new Case("M and S with 0x80", ecpRequest(5, vdpdu(association(0x03, 0xB0, 4, entry4(100, "02:00:00:00:aa:04", 0)))),
                "M and S both set with migration indication valid"));
        cases.add(new Case("wrong Manager ID length", ecpRequest(6, concat(managerId(15), good, u16(0))),
                "VSI Manager ID TLV length is 15, not 16"));
        cases.add(new Case("GroupID 0", ecpRequest(7, vdpdu(association(0x03, 0x00, 4, entry4(0, "02:00:00:00:aa:04", 0)))),
                "GroupID 0 is invalid"));
        cases.add(new Case("GroupID upper octet", ecpRequest(8, vdpdu(association(0x03, 0x00, 4,
                entry4(0x01000064L, "02:00:00:00:aa:04", 0)))), "GroupID 0x01000064 has a non-zero upper octet"));
        cases.add(new Case("request with an error code", ecpRequest(9, vdpdu(association(0x03, 0x03, 4,
                entry4(100, "02:00:00:00:aa:04", 0)))), "A request carries error code 3"));
        cases.add(new Case("unknown filter format", ecpRequest(10, vdpdu(association(0x03, 0x00, 0x42,
                entry4(100, "02:00:00:00:aa:04", 0)))), "Unknown filter info format 66"));
        cases.add(new Case("unknown ECP version", ecp(0x2001, 11, vdpdu(good)), "ECP version 2, only 1 is defined"));
        cases.add(new Case("undefined ECP operation", ecp(0x1801, 12, vdpdu(good)), "Undefined ECP operation 2"));
        cases.add(new Case("ECPDU shorter than its header", ethernet(new byte[] {0x10, 0x01}),
                "ECPDU of 2 octets is shorter than its 4-octet header"));
        cases.add(new Case("ack with a payload", ecp(0x1401, 14, new byte[] {0, 0, 7}), "An ECP ack carries no payload"));
        cases.add(new Case("non-zero padding after the End TLV", ecpRequest(15, concat(vdpdu(good), new byte[] {0, 0, 1})),
                "Non-zero octet in the padding after the VDPDU"));
        cases.add(new Case("filter entry cut by the TLV length", ecpRequest(16, vdpdu(withLength(
                association(0x03, 0x00, 4, entry4(100, "02:00:00:00:aa:04", 0)), 25 + 7))), "Filter entry 1 truncated by the TLV length"));
        cases.add(new Case("multicast MAC", ecpRequest(17, vdpdu(association(0x03, 0x00, 4, entry4(100, "01:00:5e:00:00:01", 0)))),
                "MAC address 01:00:5e:00:00:01 is not a usable unicast address"));
        cases.add(new Case("multicast IP", ecpRequest(18, vdpdu(association(0x03, 0x00, 7,
                concat(mac("02:00:00:00:aa:04"), new byte[] {1, (byte) 224, 0, 0, 1}, u16(0))))), "multicast address in a filter entry"));
        return cases;
    }

    @Test
    void malformed_frames_are_flagged_with_expert_info_and_never_raise_a_lua_error() throws IOException {
        List<Case> cases = malformedCases();
        Path pcap = write("malformed.pcap", cases.stream().map(Case::frame).toList());
        Map<Integer, Frame> lua = fields(tsharkClean(pcap));
        assertThat(lua).hasSize(cases.size());
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            Frame f = lua.get(i + 1);
            assertThat(f.one("frame.protocols")).as(c.name()).contains("splitnve.ecp").doesNotEndWith(":data");
            assertThat(f.all("_ws.expert.message")).as(c.name()).anySatisfy(m -> assertThat(m).contains(c.expert()));
            assertThat(f.all("_ws.expert.message")).as(c.name()).noneMatch(m -> m.contains("internal error"));
        }
    }

    @Test
    void every_crafted_malformed_frame_is_also_rejected_by_the_java_decoders() {
        for (Case c : malformedCases()) {
            ByteBuffer ecp = ByteBuffer.wrap(c.frame(), 14, c.frame().length - 14).slice();
            assertThatThrownBy(() -> {
                Ecpdu pdu = new EcpDecoder().decode(ecp);
                if (!pdu.isAck()) {
                    new VdpDecoder().decode(pdu.payload());
                }
            }).as(c.name()).isInstanceOf(MalformedFrameException.class);
        }
    }

    @Test
    void a_request_split_over_two_tlvs_shows_both_with_their_entries() throws IOException {
        byte[] first = association(0x01, 0x00, 5, concat(u32(5000), new byte[] {1, (byte) 192, 0, 2, 10}, u16(0)));
        byte[] second = association(0x01, 0x00, 5, concat(u32(5000), new byte[] {2}, ipv6Doc(), u16(0xD064)));
        byte[] frame = ecpRequest(20, vdpdu(concat(first, second)));
        ByteBuffer payload = ByteBuffer.wrap(frame, 18, frame.length - 18).slice();
        assertThat(decodesInJava(payload, CodePoints.DEFAULT)).isTrue();

        Frame f = fields(tsharkClean(write("split.pcap", List.of(frame)))).get(1);
        assertThat(f.all("splitnve.vdp.tlv_type")).containsExactly("5", "1", "1", "0");
        assertThat(f.all("splitnve.vdp.groupid")).containsExactly("5000", "5000");
        assertThat(f.all("splitnve.vdp.ipv4")).containsExactly("192.0.2.10");
        assertThat(f.all("splitnve.vdp.ipv6")).containsExactly("2001:db8::10");
        assertThat(f.bools("splitnve.vdp.ps")).containsExactly(false, true);
        assertThat(f.all("splitnve.vdp.pcp")).containsExactly("0", "5");
        assertThat(f.all("splitnve.vdp.vid")).containsExactly("0", "100");
        assertThat(f.one("_ws.col.Info")).isEqualTo("ECP req seq 20 VDP Pre-Associate vsi 0102...0f10 VN 5000 VID 0, "
                + "Pre-Associate vsi 0102...0f10 VN 5000 VID 100");
    }

    @Test
    void mutated_sample_frames_never_raise_a_lua_error() throws IOException {
        long seed = Long.getLong("seed", System.nanoTime());
        System.out.println("LuaDissectorTest mutation seed: " + seed + " (rerun with -Dseed=" + seed + ")");
        Random rnd = new Random(seed);
        List<byte[]> originals = new ArrayList<>();
        for (byte[] frame : readPcap(sample)) {
            int type = ((frame[12] & 0xFF) << 8) | (frame[13] & 0xFF);
            if (type == 0x8940 || type == 0x88CC) {
                originals.add(frame);
            }
        }
        List<byte[]> mutants = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            byte[] f = originals.get(rnd.nextInt(originals.size())).clone();
            switch (rnd.nextInt(4)) {
                case 0 -> {
                    for (int k = 1 + rnd.nextInt(5); k > 0; k--) {
                        f[14 + rnd.nextInt(f.length - 14)] = (byte) rnd.nextInt(256);
                    }
                }
                case 1 -> f = Arrays.copyOf(f, 14 + rnd.nextInt(f.length - 13));
                case 2 -> {
                    byte[] junk = new byte[rnd.nextInt(120)];
                    rnd.nextBytes(junk);
                    f = concat(Arrays.copyOf(f, 14), junk);
                }
                default -> {
                    int at = 14 + rnd.nextInt(f.length - 14);
                    f[at] ^= (byte) (1 << rnd.nextInt(8));
                    f = Arrays.copyOf(f, at + 1 + rnd.nextInt(f.length - at));
                }
            }
            mutants.add(f);
        }
        Map<Integer, Frame> lua = fields(tsharkClean(write("mutants.pcap", mutants)));
        assertThat(lua).hasSize(mutants.size());
        for (Frame f : lua.values()) {
            assertThat(f.all("_ws.expert.message")).as("seed %d frame %d", seed, f.number()).noneMatch(m -> m.contains("internal error"));
            byte[] raw = mutants.get(f.number() - 1);
            // Wireshark calls no EtherType dissector for an empty payload
            if (raw.length > 14 && raw[12] == (byte) 0x89 && raw[13] == 0x40) {
                assertThat(f.one("frame.protocols")).as("seed %d frame %d", seed, f.number()).contains("splitnve.ecp");
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // preferences = the Java CodePoints registry
    // ---------------------------------------------------------------------------------------------

    @Test
    void the_filter_format_code_points_are_preferences_as_in_the_java_registry() throws IOException {
        byte[] frame = ecpRequest(30, vdpdu(association(0x03, 0x00, 0x09,
                concat(mac("02:00:00:00:aa:04"), new byte[] {1, (byte) 203, 0, 113, 30}, u16(0x0005)))));
        ByteBuffer payload = ByteBuffer.wrap(frame, 18, frame.length - 18).slice();
        assertThat(decodesInJava(payload, CodePoints.DEFAULT)).isFalse();
        assertThat(decodesInJava(payload, CodePoints.builder().macIpVid(0x09).build())).isTrue();
        Path pcap = write("code-points.pcap", List.of(frame));

        Frame byDefault = fields(tsharkClean(pcap)).get(1);
        assertThat(byDefault.all("_ws.expert.message")).anySatisfy(m -> assertThat(m).contains("Unknown filter info format 9"));
        assertThat(byDefault.all("splitnve.vdp.ipv4")).isEmpty();

        Frame overridden = fields(tsharkClean(pcap, "-o", "splitnve.vdp.fmt_mac_ip_vid:9")).get(1);
        assertThat(overridden.all("_ws.expert.message")).isEmpty();
        assertThat(overridden.all("splitnve.vdp.mac")).containsExactly("02:00:00:00:aa:04");
        assertThat(overridden.all("splitnve.vdp.ipv4")).containsExactly("203.0.113.30");
        assertThat(overridden.all("splitnve.vdp.vid")).containsExactly("5");
    }

    @Test
    void with_the_migration_indication_bit_disabled_0x80_is_a_reserved_bit_as_in_the_java_registry() throws IOException {
        byte[] frame = ecpRequest(31, vdpdu(association(0x03, 0x90, 4, entry4(100, "02:00:00:00:aa:04", 0))));
        ByteBuffer payload = ByteBuffer.wrap(frame, 18, frame.length - 18).slice();
        assertThat(decodesInJava(payload, CodePoints.DEFAULT)).isTrue();
        assertThat(decodesInJava(payload, CodePoints.builder().migrationIndicationValidBit(0).build())).isFalse();
        Path pcap = write("mi-bit.pcap", List.of(frame));

        Frame byDefault = fields(tsharkClean(pcap)).get(1);
        assertThat(byDefault.bools("splitnve.vdp.status.mi_valid")).containsExactly(true);
        assertThat(byDefault.bools("splitnve.vdp.status.m")).containsExactly(true);
        assertThat(byDefault.all("_ws.expert.message")).isEmpty();

        Frame disabled = fields(tsharkClean(pcap, "-o", "splitnve.vdp.mi_valid_bit:0")).get(1);
        assertThat(disabled.all("splitnve.vdp.status.mi_valid")).isEmpty();
        assertThat(disabled.all("_ws.expert.message")).anySatisfy(m -> assertThat(m).contains("Reserved status bit 0x80 set"));
    }

    private static boolean decodesInJava(ByteBuffer vdpdu, CodePoints codePoints) {
        try {
            new VdpDecoder(codePoints).decode(vdpdu.duplicate());
            return true;
        } catch (MalformedFrameException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // tshark
    // ---------------------------------------------------------------------------------------------

    private record TsharkRun(int exitCode, List<String> out, List<String> err) {
    }

    /** Runs tshark with the script and the fields; asserts exit 0 and that no Lua error surfaced anywhere. */
    private static TsharkRun tsharkClean(Path pcap, String... options) {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", pcap.toString(), "-X", "lua_script:" + script));
        cmd.addAll(List.of(options));
        // Tab separates the columns: tshark escapes tabs inside values, whereas '|' can be in a mutated Manager ID name.
        cmd.addAll(List.of("-T", "fields", "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=;"));
        for (String field : FIELDS) {
            cmd.add("-e");
            cmd.add(field);
        }
        TsharkRun run = run(cmd);
        assertThat(run.exitCode()).as("tshark exit code; stderr: %s", run.err()).isZero();
        // tshark warns about running as root; anything else on stderr (Lua errors included) is a fault
        assertThat(run.err()).as("tshark stderr").allMatch(l -> l.isBlank() || l.startsWith("Running as user"));
        assertThat(String.join("\n", run.out())).doesNotContainIgnoringCase("Lua Error");
        return run;
    }

    private static TsharkRun run(List<String> cmd) {
        try {
            Path out = Files.createTempFile("tshark", ".out");
            Path err = Files.createTempFile("tshark", ".err");
            try {
                Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    fail("tshark did not finish within " + TIMEOUT_SECONDS + " s: " + cmd);
                }
                return new TsharkRun(p.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8),
                        Files.readAllLines(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One line of -T fields output. */
    private record Frame(int number, Map<String, List<String>> values) {

        List<String> all(String field) {
            return values.getOrDefault(field, List.of());
        }

        String one(String field) {
            List<String> v = all(field);
            assertThat(v).as("frame %d field %s", number, field).hasSize(1);
            return v.get(0);
        }

        /** 4.0 writes booleans as 1/0, later versions as True/False. */
        List<Boolean> bools(String field) {
            return all(field).stream().map(v -> v.equals("1") || v.equalsIgnoreCase("true")).toList();
        }

        /** The entries' IP addresses in order: the AF list says which of the two typed lists comes next. */
        List<String> ips() {
            List<String> v4 = all("splitnve.vdp.ipv4");
            List<String> v6 = all("splitnve.vdp.ipv6");
            int i4 = 0;
            int i6 = 0;
            List<String> ips = new ArrayList<>();
            for (String af : all("splitnve.vdp.af")) {
                ips.add(af.equals("1") ? v4.get(i4++) : v6.get(i6++));
            }
            assertThat(i4 + i6).as("frame %d: every address belongs to an AF", number).isEqualTo(v4.size() + v6.size());
            return ips;
        }
    }

    private static Map<Integer, Frame> fields(TsharkRun run) {
        Map<Integer, Frame> frames = new LinkedHashMap<>();
        for (String line : run.out()) {
            String[] cols = line.split("\t", -1);
            assertThat(cols).as("columns of: %s", line).hasSize(FIELDS.size());
            Map<String, List<String>> values = new LinkedHashMap<>();
            for (int i = 0; i < cols.length; i++) {
                // the aggregator is ';' because expert messages contain commas; Info and protocols are one value each
                boolean single = i <= 2;
                List<String> v = cols[i].isEmpty() ? List.of() : single ? List.of(cols[i]) : List.of(cols[i].split(";"));
                values.put(FIELDS.get(i), v);
            }
            int n = Integer.parseInt(cols[0]);
            frames.put(n, new Frame(n, values));
        }
        return frames;
    }

    private static JsonNode json(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + line, e);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // crafting frames
    // ---------------------------------------------------------------------------------------------

    private Path write(String name, List<byte[]> frames) throws IOException {
        Path file = dir.resolve(name);
        try (PcapWriter w = PcapWriter.create(file)) {
            long t = 1_735_689_600L * 1_000_000_000L;
            for (byte[] f : frames) {
                w.write(f, t);
                t += 1_000_000L;
            }
        }
        return file;
    }

    private static List<byte[]> readPcap(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getInt(0)).as("little-endian microsecond pcap").isEqualTo(PcapWriter.MAGIC_MICROSECONDS);
        List<byte[]> frames = new ArrayList<>();
        int p = PcapWriter.FILE_HEADER_LENGTH;
        while (p + PcapWriter.RECORD_HEADER_LENGTH <= b.limit()) {
            int incl = b.getInt(p + 8);
            byte[] f = new byte[incl];
            b.get(p + PcapWriter.RECORD_HEADER_LENGTH, f);
            frames.add(f);
            p += PcapWriter.RECORD_HEADER_LENGTH + incl;
        }
        return frames;
    }

    private static byte[] ethernet(byte[] ecp) {
        return concat(NCB, STATION, u16(0x8940), ecp);
    }

    private static byte[] ecp(int word, int seq, byte[] payload) {
        return ethernet(concat(u16(word), u16(seq), payload));
    }

    private static byte[] ecpRequest(int seq, byte[] vdpdu) {
        return ecp(0x1001, seq, vdpdu);
    }

    private static byte[] vdpdu(byte[] associations) {
        return concat(managerId(16), associations, u16(0));
    }

    /** The Manager ID TLV of "mgr1", with the given length in its header (the value is always 16 octets). */
    private static byte[] managerId(int length) {
        byte[] name = Arrays.copyOf("mgr1".getBytes(StandardCharsets.US_ASCII), 16);
        return concat(u16((5 << 9) | length), length == 16 ? name : Arrays.copyOf(name, length));
    }

    private static byte[] association(int type, int status, int filterFormat, byte[] entry) {
        return association(type, status, filterFormat, 1, entry);
    }

    /** An association TLV for the locally defined VSI ID 0102..0f10, type ID 4711 version 1. */
    private static byte[] association(int type, int status, int filterFormat, int count, byte[] entries) {
        byte[] vsiId = new byte[16];
        for (int i = 0; i < 16; i++) {
            vsiId[i] = (byte) (i + 1);
        }
        byte[] value = concat(new byte[] {(byte) status, 0, 0x12, 0x67, 1, 4}, vsiId, new byte[] {(byte) filterFormat},
                u16(count), entries);
        return concat(u16((type << 9) | value.length), value);
    }

    private static byte[] withLength(byte[] tlv, int length) {
        byte[] copy = tlv.clone();
        int type = (copy[0] & 0xFF) >>> 1;
        copy[0] = (byte) ((type << 1) | (length >>> 8));
        copy[1] = (byte) length;
        return copy;
    }

    private static byte[] entry4(long groupId, String mac, int psPcpVid) {
        return concat(u32(groupId), mac(mac), u16(psPcpVid));
    }

    private static byte[] ipv6Doc() {
        byte[] a = new byte[16];
        a[0] = 0x20;
        a[1] = 0x01;
        a[2] = 0x0d;
        a[3] = (byte) 0xb8;
        a[15] = 0x10;
        return a;
    }

    private static byte[] mac(String text) {
        return HEX.parseHex(text.replace(":", ""));
    }

    private static byte[] u16(int v) {
        return new byte[] {(byte) (v >>> 8), (byte) v};
    }

    private static byte[] u32(long v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
