package org.splitnve.cli;

import org.splitnve.ecptransport.link.Libpcap;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.splitnve.ecptransport.capture.PcapWriter;
import org.splitnve.testsupport.Prerequisites;
import org.splitnve.vdpcore.HexDump;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.frame.FrameEncoder;
import org.splitnve.vdpcore.vdp.AssociationTlv;
import org.splitnve.vdpcore.vdp.FilterEntry;
import org.splitnve.vdpcore.vdp.FilterFormat;
import org.splitnve.vdpcore.vdp.ManagerId;
import org.splitnve.vdpcore.vdp.OrganizationalTlv;
import org.splitnve.vdpcore.vdp.VdpTlvType;
import org.splitnve.vdpcore.vdp.Vdpdu;
import org.splitnve.vdpcore.vdp.VsiId;

/** decode on inputs other than the sample: pcapng, VLAN tags, Linux cooked captures, and every way a file can be wrong. */
class DecodeInputsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T0 = SampleConversation.START_NANOS;
    private static final MacAddress STATION = SampleConversation.STATION;

    @TempDir
    Path dir;

    @BeforeEach
    void libpcapIsNeededToReadCaptures() {
        Prerequisites.requireLibpcap();
    }

    @Test
    void aPcapngCopyOfTheSampleDecodesToTheSameJson() throws Exception {
        Prerequisites.requireCommand("editcap");
        Path pcapng = dir.resolve("split-nve.pcapng");
        Process p = new ProcessBuilder("editcap", "-F", "pcapng", Cli.committedSample().toString(), pcapng.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("editcap: %s", output).isZero();
        byte[] head = Arrays.copyOf(Files.readAllBytes(pcapng), 4);
        assertThat(HexDump.hex(head)).as("a pcapng section header block").isEqualTo("0a0d0d0a");

        Cli.Result fromPcapng = Cli.run("decode", "--json", pcapng.toString());
        Cli.Result fromPcap = Cli.run("decode", "--json", Cli.committedSample().toString());

        assertThat(fromPcapng.exitCode()).isZero();
        assertThat(fromPcapng.out()).isEqualTo(fromPcap.out());
        assertThat(fromPcapng.err()).isEqualTo(fromPcap.err());
    }

    @Test
    void aVlanTaggedEcpFrameIsDecodedThroughTheTag() throws IOException {
        byte[] plain = vdpRequest(List.of());
        byte[] tagged = new byte[plain.length + 4];
        System.arraycopy(plain, 0, tagged, 0, 12);
        tagged[12] = (byte) 0x81;
        tagged[13] = 0x00;
        tagged[14] = (byte) 0xA0; // PCP 5, VID 7
        tagged[15] = 0x07;
        System.arraycopy(plain, 12, tagged, 16, plain.length - 12);
        Path file = capture(PcapWriter.LINKTYPE_ETHERNET, tagged);

        JsonNode n = onlyJsonLine(Cli.run("decode", "--json", file.toString()));

        assertThat(n.get("vlan").asInt()).isEqualTo(7);
        assertThat(n.get("ethertype").asText()).isEqualTo("0x8940");
        assertThat(n.get("vdp").get("tlvs").get(0).get("entries").get(0).get("groupId").asLong()).isEqualTo(100);
        Cli.Result text = Cli.run("decode", file.toString());
        assertThat(text.outLines().get(0)).contains("vlan 7  ECP");
    }

    @Test
    void organizationalVdpTlvsAppearAsOrgWithOuiSubtypeAndData() throws IOException {
        OrganizationalTlv org = OrganizationalTlv.of(0x0080C2, 9, new byte[] {(byte) 0xCA, (byte) 0xFE});
        Path file = capture(PcapWriter.LINKTYPE_ETHERNET, vdpRequest(List.of(org)));

        JsonNode tlvs = onlyJsonLine(Cli.run("decode", "--json", file.toString())).get("vdp").get("tlvs");

        assertThat(tlvs).hasSize(2);
        assertThat(tlvs.get(1).get("type").asText()).isEqualTo("org");
        assertThat(tlvs.get(1).get("oui").asText()).isEqualTo("0080c2");
        assertThat(tlvs.get(1).get("subtype").asInt()).isEqualTo(9);
        assertThat(tlvs.get(1).get("data").asText()).isEqualTo("cafe");
    }

    @Test
    void linuxCookedSllCapturesGiveTheEtherTypeAndTheSenderButNoDestination() throws IOException {
        byte[] eth = vdpRequest(List.of());
        byte[] sll = new byte[16 + eth.length - 14];
        sll[1] = 4; // outgoing
        sll[3] = 1; // ARPHRD_ETHER
        sll[5] = 6;
        System.arraycopy(STATION.toBytes(), 0, sll, 6, 6);
        sll[14] = (byte) 0x89;
        sll[15] = 0x40;
        System.arraycopy(eth, 14, sll, 16, eth.length - 14);
        Path file = capture(CaptureReader.DLT_LINUX_SLL, sll);

        JsonNode n = onlyJsonLine(Cli.run("decode", "--json", file.toString()));

        assertThat(n.get("src").asText()).isEqualTo(STATION.toString());
        assertThat(n.has("dst")).isFalse();
        assertThat(n.get("ethertype").asText()).isEqualTo("0x8940");
        assertThat(n.get("vdp").get("tlvs").get(0).get("type").asText()).isEqualTo("associate");
        assertThat(Cli.run("decode", file.toString()).outLines().get(0)).contains(STATION + " > ?  ECP");
    }

    @Test
    void linuxCookedSll2CapturesAreDecodedLikeSll() throws IOException {
        byte[] eth = vdpRequest(List.of());
        byte[] sll2 = new byte[20 + eth.length - 14];
        sll2[0] = (byte) 0x89;
        sll2[1] = 0x40;
        sll2[7] = 2; // interface index
        sll2[9] = 1; // ARPHRD_ETHER
        sll2[10] = 0; // to this host
        sll2[11] = 6;
        System.arraycopy(STATION.toBytes(), 0, sll2, 12, 6);
        System.arraycopy(eth, 14, sll2, 20, eth.length - 14);
        Path file = capture(CaptureReader.DLT_LINUX_SLL2, sll2, new byte[10]);

        Cli.Result r = Cli.run("decode", "--json", file.toString());

        assertThat(r.exitCode()).isZero();
        assertThat(r.errLines()).containsExactly("frames read: 2, decoded: 1, skipped: 0, malformed: 1");
        List<JsonNode> lines = r.outLines().stream().map(DecodeInputsTest::parse).toList();
        assertThat(lines.get(0).get("src").asText()).isEqualTo(STATION.toString());
        assertThat(lines.get(0).get("vdp")).isNotNull();
        assertThat(lines.get(1).get("error").asText()).contains("shorter than an Ethernet header");
    }

    @Test
    void anotherLinkTypeIsReportedAsUnsupportedInOneLineWithExitCode2() throws IOException {
        Path file = capture(127, new byte[] {0, 0, 8, 0, 0, 0, 0, 0}); // 802.11 with a radiotap header

        Cli.Result r = Cli.run("decode", file.toString());

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).startsWith("splitnve: " + file + ": unsupported link-layer type 127 (IEEE802_11_RADIO");
    }

    @Test
    void aMissingFileIsOneLineAndExitCode2() {
        Path missing = dir.resolve("missing.pcap");

        Cli.Result r = Cli.run("decode", missing.toString());

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).containsExactly("splitnve: " + missing + ": no such file");
    }

    @Test
    void aDirectoryOrAFileThatIsNoCaptureIsOneLineAndExitCode2() throws IOException {
        Cli.Result r = Cli.run("decode", dir.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("splitnve: " + dir + ": is a directory, not a capture file");

        Path text = Files.writeString(dir.resolve("notes.txt"), "not a capture\n");
        r = Cli.run("decode", "--json", text.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).startsWith("splitnve: " + text + ": cannot read it as a pcap or pcapng capture (libpcap: ");
    }

    @Test
    void withoutLibpcapDecodeSaysSoInOneLineAndExitsWith2() throws IOException {
        Libpcap missing = new Libpcap(() -> {
            throw new UnsatisfiedLinkError("Unable to load library 'pcap': libpcap.so: cannot open shared object file");
        });
        Libpcap alreadyFailed = new Libpcap(() -> {
            throw new NoClassDefFoundError("Could not initialize class org.pcap4j.core.NativeMappings");
        });

        for (Libpcap probe : List.of(missing, alreadyFailed)) {
            Cli.Result r = Cli.run(probe, "decode", Cli.committedSample().toString());
            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.out()).isEmpty();
            assertThat(r.errLines()).containsExactly(
                    "splitnve: " + Libpcap.MISSING);
        }
    }

    @Test
    void aFileThatBreaksOffMidRecordPrintsWhatWasReadThenTheErrorAndExitsWith1() throws IOException {
        byte[] sample = Files.readAllBytes(Cli.committedSample());
        Path cut = Files.write(dir.resolve("cut.pcap"), Arrays.copyOf(sample, sample.length - 10));

        Cli.Result r = Cli.run("decode", cut.toString());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).startsWith("splitnve: " + cut + ": read error after frame 43 (libpcap: ");
        assertThat(r.outLines()).last().isEqualTo("frames read: 43, decoded: 40, skipped: 2, malformed: 1");
    }

    @Test
    void framesCutByTheSnapshotLengthAreReportedAsMalformedAndTruncated() throws IOException {
        Path file = dir.resolve("snap.pcap");
        try (PcapWriter w = PcapWriter.create(file, PcapWriter.LINKTYPE_ETHERNET, 40)) {
            w.write(vdpRequest(List.of()), T0);
        }

        JsonNode n = onlyJsonLine(Cli.run("decode", "--json", file.toString()));

        assertThat(n.get("truncated").asBoolean()).isTrue();
        assertThat(n.get("capturedLength").asInt()).isEqualTo(40);
        assertThat(n.get("length").asInt()).isGreaterThan(40);
        assertThat(n.get("error").asText()).isNotEmpty();
        assertThat(n.get("vdpError").asInt()).isEqualTo(1);
    }

    private static byte[] vdpRequest(List<OrganizationalTlv> org) {
        AssociationTlv tlv = AssociationTlv.builder().type(VdpTlvType.ASSOCIATE).typeId(4711).typeVersion(1)
                .vsiId(VsiId.of(UUID.fromString("11223344-5566-7788-9900-aabbccddeeff")))
                .filter(FilterFormat.GROUPID_MAC_VID, FilterEntry.builder().groupId(100)
                        .mac(MacAddress.valueOf("02:00:00:00:aa:01")).vid(0).build())
                .build();
        ByteBuffer b = ByteBuffer.allocate(1600);
        int n = new FrameEncoder().ecpVdpRequest(MacAddress.NEAREST_CUSTOMER_BRIDGE, STATION, 77,
                Vdpdu.of(ManagerId.ofName("mgr1"), List.of(tlv), org), b);
        return Arrays.copyOf(b.array(), n);
    }

    private Path capture(int linktype, byte[]... frames) throws IOException {
        Path file = dir.resolve("capture-" + linktype + ".pcap");
        try (PcapWriter w = PcapWriter.create(file, linktype, PcapWriter.DEFAULT_SNAPLEN)) {
            long t = T0;
            for (byte[] f : frames) {
                w.write(f, t);
                t += 1_000_000L;
            }
        }
        return file;
    }

    private static JsonNode onlyJsonLine(Cli.Result r) {
        assertThat(r.exitCode()).as("exit code, stderr: %s", r.err()).isZero();
        assertThat(r.outLines()).hasSize(1);
        return parse(r.outLines().get(0));
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
