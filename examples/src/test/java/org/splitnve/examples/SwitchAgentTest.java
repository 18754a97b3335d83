package org.splitnve.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.splitnve.ecptransport.auth.AuthorizationEvent;
import org.splitnve.ecptransport.auth.AuthorizationTable;
import org.splitnve.ecptransport.auth.PortAuthorization;
import org.splitnve.ecptransport.clock.VirtualScheduler;
import org.splitnve.ecptransport.link.LinkFaults;
import org.splitnve.ecptransport.link.MemoryLink;
import org.splitnve.ecptransport.vdp.VdpStack;
import org.splitnve.nnve.policy.AuthorizationRequest;
import org.splitnve.nnve.policy.PolicyDecision;
import org.splitnve.nvedataplane.DropReason;
import org.splitnve.nvedataplane.codec.Encapsulation;
import org.splitnve.nvedataplane.codec.EtherType;
import org.splitnve.nvedataplane.codec.Ethernet;
import org.splitnve.nvedataplane.codec.IpProtocol;
import org.splitnve.nvedataplane.codec.Ipv4;
import org.splitnve.nvedataplane.codec.Tunnel;
import org.splitnve.nvedataplane.codec.Udp;
import org.splitnve.nvedataplane.port.DataPort;
import org.splitnve.nvedataplane.port.MemoryDataPort;
import org.splitnve.tnve.Migration;
import org.splitnve.tnve.ResponseTimeoutException;
import org.splitnve.tnve.Tnve;
import org.splitnve.tnve.TsiAddress;
import org.splitnve.tnve.TsiResult;
import org.splitnve.tnve.TsiSpec;
import org.splitnve.tnve.VdpRefusedException;
import org.splitnve.vdpcore.IpText;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.ManagerId;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VdpErrorCode;
import org.splitnve.vdpcore.vdp.VnId;
import org.splitnve.vdpcore.vdp.VsiId;

/**
 * The switch agent with a real tNVE on the other end of a memory link, and a router on its uplink that records what
 * leaves and injects what comes back, all in virtual time. The configuration and policy file are the files a user
 * writes.
 */
class SwitchAgentTest {

    private static final MacAddress HYPERVISOR_MAC = MacAddress.valueOf("02:00:00:00:00:01");
    private static final MacAddress SWITCH_MAC = MacAddress.valueOf("02:00:00:00:00:fe");
    private static final MacAddress UPLINK_MAC = MacAddress.valueOf("02:00:00:00:01:fe");
    private static final MacAddress ROUTER_MAC = MacAddress.valueOf("02:00:00:00:09:09");
    private static final MacAddress VM_MAC = MacAddress.valueOf("02:00:00:00:aa:01");
    private static final MacAddress REMOTE_VM_MAC = MacAddress.valueOf("02:00:00:00:bb:01");
    private static final String VM_IP = "10.0.1.5";
    private static final String REMOTE_VM_IP = "10.0.1.9";
    private static final String LOCAL_IP = "192.0.2.1";
    private static final String REMOTE_NVE = "192.0.2.2";
    private static final UUID VM = UUID.fromString("6f1c3a52-4d0e-4b8a-9a31-0c2e5b7d9e11");

    static final String POLICY = """
            # VN 5001 (web): any hypervisor on swp1, only its own MAC block and subnet
            allow port swp1 vn 5001 addresses 10.0.1.0/24 02:00:00:00:aa:00/ff:ff:ff:ff:ff:00
            # VN 5002 (db) is known to the NVA but not offered on this switch
            deny vn 5002
            """;

    static final String CONFIG = """
            {
              "downlinks": ["swp1"],
              "uplink": "up0",
              "localIp": "192.0.2.1",
              "nextHopMac": "02:00:00:00:09:09",
              "localTags": "100-199",
              "policyFile": "policy.txt",
              "vns": [
                {"vni": 5001, "name": "web", "remoteNves": ["192.0.2.2"]},
                {"vni": 5002, "name": "db"}
              ]
            }
            """;

    @TempDir
    Path dir;

    private final VirtualScheduler clock = new VirtualScheduler();
    private final ObjectMapper json = new ObjectMapper();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<byte[]> atRouter = new CopyOnWriteArrayList<>();
    private final List<byte[]> atHypervisor = new CopyOnWriteArrayList<>();
    private MemoryLink hypervisorLink;
    private MemoryDataPort router;
    private VdpStack hypervisorStack;
    private Tnve tnve;
    private SwitchAgent agent;

    @BeforeEach
    void wire() throws Exception {
        wire(Map.of());
    }

    /** The switch, its uplink's router and the hypervisor, fresh; downlinks named in {@code dot1x} serve only whom it authorizes. */
    private void wire(Map<String, PortAuthorization> dot1x) throws Exception {
        events.clear();
        Files.writeString(dir.resolve("policy.txt"), POLICY);
        Files.writeString(dir.resolve("switch.json"), CONFIG);
        SwitchConfig config = SwitchConfig.load(dir.resolve("switch.json"));

        MemoryLink[] wire = MemoryLink.pair(clock, "hv0", HYPERVISOR_MAC, "swp1", SWITCH_MAC, LinkFaults.NONE);
        hypervisorLink = wire[0];
        MemoryDataPort[] underlay = MemoryDataPort.pair("up0", UPLINK_MAC, "router", ROUTER_MAC);
        router = underlay[1];
        router.receiver((port, frame) -> atRouter.add(bytes(frame)));
        agent = SwitchAgent.start(config, List.of(SwitchAgent.Downlink.sharing(wire[1])), underlay[0], clock, 7, events::add, dot1x);

        hypervisorStack = VdpStack.station(hypervisorLink, clock, 8);
        hypervisorLink.addListener((frame, ts) -> {
            int type = Ethernet.outerType(frame, frame.position());
            if (type != org.splitnve.vdpcore.frame.EtherType.ECP && type != org.splitnve.vdpcore.frame.EtherType.LLDP) {
                atHypervisor.add(bytes(frame));
            }
        });
        tnve = Tnve.builder().channel(hypervisorStack.channel()).timers(hypervisorStack.timersSource()).bridge(SWITCH_MAC)
                .build().start();
        clock.runReady();
    }

    @AfterEach
    void close() {
        tnve.close();
        agent.close();
        hypervisorStack.close();
        clock.runReady();
    }

    private static TsiSpec vm(int vni, String ip) {
        return TsiSpec.builder().vsiId(VsiId.of(VM)).managerId(ManagerId.ofName("snvmgr")).typeId(1).typeVersion(1)
                .vn(VnId.of(vni)).address(TsiAddress.macIp(VM_MAC, IpText.parse(ip))).build();
    }

    /** Runs virtual time in 1 ms steps until the future is done (at most 120 s of it). */
    private <T> T await(CompletableFuture<T> f) {
        clock.runUntil(f::isDone, Duration.ofSeconds(120));
        assertThat(f).isDone();
        return f.join();
    }

    /** Lets frames in flight arrive: memory links deliver on a timer, even without delay. */
    private void settle() {
        clock.runReady();
        clock.advance(Duration.ofMillis(1));
    }

    private TsiResult activate() {
        await(tnve.associate(vm(5001, VM_IP), Migration.NONE));
        return await(tnve.activate(VsiId.of(VM), Migration.NONE));
    }

    private List<JsonNode> events(String name) {
        return events.stream().map(this::parse).filter(n -> n.get("event").asText().equals(name)).toList();
    }

    private JsonNode parse(String line) {
        try {
            return json.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not a JSON line: " + line, e);
        }
    }

    private static byte[] bytes(ByteBuffer frame) {
        byte[] b = new byte[frame.remaining()];
        frame.duplicate().get(b);
        return b;
    }

    private static int v4(String ip) {
        return ByteBuffer.wrap(IpText.parse(ip).getAddress()).getInt();
    }

    /** A UDP datagram from the VM to the remote VM, as the hypervisor's switch puts it on the wire: tagged. */
    private static ByteBuffer fromVm(int vid) {
        ByteBuffer b = ByteBuffer.allocate(100);
        int ip = Ethernet.writeTaggedHeader(b, 0, REMOTE_VM_MAC.toLong(), VM_MAC.toLong(), vid, EtherType.IPV4);
        int payload = b.capacity() - Ethernet.TAGGED_HEADER - Ipv4.HEADER;
        int udp = Ipv4.write(b, ip, payload, 1, 64, IpProtocol.UDP, v4(VM_IP), v4(REMOTE_VM_IP));
        Udp.write(b, udp, 40000, 53, payload);
        for (int i = udp + Udp.HEADER; i < b.capacity(); i++) {
            b.put(i, (byte) i);
        }
        return b;
    }

    @Test
    void a_downlink_with_802_1x_serves_only_the_hypervisors_authorized_there_and_prints_their_identities() throws Exception {
        close();
        AuthorizationTable swp1 = new AuthorizationTable("swp1");
        wire(Map.of("swp1", swp1));

        Throwable refused = catchThrowable(() -> await(tnve.associate(vm(5001, VM_IP), Migration.NONE)));
        assertThat(refused).isInstanceOf(CompletionException.class).hasCauseInstanceOf(ResponseTimeoutException.class);
        assertThat(agent.nnve().tsis()).isEmpty();
        assertThat(agent.nnve().port("swp1").orElseThrow().admission().unauthorizedVdpdus()).isPositive();

        swp1.authorize(HYPERVISOR_MAC, "hv1", AuthorizationEvent.Reason.AUTHENTICATED, "EAP-TLS");
        assertThat(activate().state()).isEqualTo(TsiState.ACTIVATED);
        JsonNode authorized = events("dot1x").get(0);
        assertThat(authorized.get("mac").asText()).isEqualTo(HYPERVISOR_MAC.toString());
        assertThat(authorized.get("identity").asText()).isEqualTo("hv1");
        assertThat(authorized.get("state").asText()).isEqualTo("AUTHORIZED");
        assertThat(authorized.get("port").asText()).isEqualTo("swp1");

        swp1.unauthorize(HYPERVISOR_MAC, AuthorizationEvent.Reason.LOGOFF, "EAPOL-Logoff");
        settle();
        clock.advance(Duration.ofSeconds(1));
        assertThat(agent.nnve().tsis()).isEmpty();
        assertThat(events("tsi")).last().satisfies(n -> assertThat(n.get("to").asText()).isEqualTo("INIT"))
                .satisfies(n -> assertThat(n.get("reason").asText()).contains("802.1X: LOGOFF"));
    }

    @Test
    void a_vm_associated_and_activated_gets_a_local_tag_from_the_configured_pool() {
        TsiResult r = activate();

        assertThat(r.state()).isEqualTo(TsiState.ACTIVATED);
        assertThat(r.tag().vid()).isBetween(100, 199);
        JsonNode connected = events("vn-connected").get(0);
        assertThat(connected.get("port").asText()).isEqualTo("swp1");
        assertThat(connected.get("vni").asInt()).isEqualTo(5001);
        assertThat(connected.get("localTag").asInt()).isEqualTo(r.tag().vid());
        assertThat(events("tsi")).extracting(n -> n.get("to").asText()).containsExactly("ASSOCIATED", "ACTIVATED");
        assertThat(events("tsi").get(1).get("vsiId").asText()).isEqualTo(VsiId.of(VM).toString());
        assertThat(agent.dataPlane().activeTsis()).singleElement().satisfies(t -> assertThat(t.macs()).containsExactly(VM_MAC));
    }

    @Test
    void a_tagged_frame_from_the_vm_leaves_the_uplink_in_vxlan_toward_the_configured_remote_and_the_answer_comes_back_tagged()
            throws Exception {
        int vid = activate().tag().vid();

        ByteBuffer sent = fromVm(vid);
        hypervisorLink.send(sent.duplicate());
        settle();

        assertThat(atRouter).hasSize(1);
        ByteBuffer outer = ByteBuffer.wrap(atRouter.get(0));
        Tunnel.Decoded d = Tunnel.decode(outer, 0, outer.limit(), Encapsulation.VXLAN);
        assertThat(d.vni).isEqualTo(5001);
        assertThat(d.srcIp4).isEqualTo(v4(LOCAL_IP));
        assertThat(d.dstIp4).isEqualTo(v4(REMOTE_NVE));
        assertThat(Ethernet.destination(outer, 0)).isEqualTo(ROUTER_MAC.toLong());
        ByteBuffer untagged = ByteBuffer.allocate(96);
        Ethernet.popTag(sent, 0, 100, untagged, 0);
        assertThat(java.util.Arrays.copyOfRange(atRouter.get(0), d.innerOffset, d.innerOffset + d.innerLength))
                .isEqualTo(untagged.array());

        // The remote VM answers: its NVE tunnels the frame (MACs swapped) back to this switch.
        ByteBuffer answer = ByteBuffer.allocate(96);
        Ethernet.writeHeader(answer, 0, VM_MAC.toLong(), REMOTE_VM_MAC.toLong(), EtherType.IPV4);
        answer.put(Ethernet.HEADER, untagged.array(), Ethernet.HEADER, 96 - Ethernet.HEADER);
        ByteBuffer tunnelled = ByteBuffer.allocate(256);
        int n = Tunnel.encapsulateV4(answer, 0, 96, false, tunnelled, 0, UPLINK_MAC.toLong(), ROUTER_MAC.toLong(),
                v4(REMOTE_NVE), v4(LOCAL_IP), Encapsulation.VXLAN, 5001, 9, 64);
        router.send(tunnelled.limit(n));
        settle();

        assertThat(atHypervisor).hasSize(1);
        ByteBuffer back = ByteBuffer.wrap(atHypervisor.get(0));
        assertThat(Ethernet.isTagged(back, 0)).isTrue();
        assertThat(Ethernet.vid(back, 0)).isEqualTo(vid);
        assertThat(Ethernet.destination(back, 0)).isEqualTo(VM_MAC.toLong());
        ByteBuffer backUntagged = ByteBuffer.allocate(96);
        Ethernet.popTag(back, 0, 100, backUntagged, 0);
        assertThat(backUntagged.array()).isEqualTo(answer.array());
    }

    @Test
    void a_vn_the_policy_file_refuses_is_refused_with_vdp_error_4_and_nothing_changes() {
        int vid = activate().tag().vid();
        VsiId other = VsiId.of(UUID.fromString("0a1b2c3d-0000-4000-8000-000000000002"));
        TsiSpec db = TsiSpec.builder().vsiId(other).managerId(ManagerId.ofName("snvmgr")).typeId(1).typeVersion(1)
                .vn(VnId.of(5002)).address(TsiAddress.mac(MacAddress.valueOf("02:00:00:00:aa:02"))).build();

        CompletableFuture<TsiResult> f = tnve.associate(db, Migration.NONE);
        Throwable failure = catchFailure(f);

        assertThat(failure).isInstanceOf(VdpRefusedException.class);
        assertThat(((VdpRefusedException) failure).error()).isEqualTo(VdpErrorCode.OTHER_FAILURE);
        JsonNode refused = events("refused").get(0);
        assertThat(refused.get("vdpError").asInt()).isEqualTo(4);
        assertThat(refused.get("vsiId").asText()).isEqualTo(other.toString());
        assertThat(refused.get("reason").asText()).contains("policy").contains("line 4");
        assertThat(events("vn-connected")).extracting(n -> n.get("vni").asInt()).containsExactly(5001);
        assertThat(agent.nnve().vaps()).singleElement().satisfies(v -> assertThat(v.tag().vid()).isEqualTo(vid));
        assertThat(agent.nnve().tsis()).singleElement().satisfies(t -> assertThat(t.state()).isEqualTo(TsiState.ACTIVATED));
    }

    @Test
    void an_address_outside_what_the_policy_allows_is_refused_with_vdp_error_5() {
        Throwable failure = catchFailure(tnve.associate(vm(5001, "10.0.2.5"), Migration.NONE));

        assertThat(((VdpRefusedException) failure).error()).isEqualTo(VdpErrorCode.INVALID_VID_GROUPID_OR_MAC);
        assertThat(events("refused").get(0).get("reason").asText()).contains("10.0.2.5");
        assertThat(agent.nnve().tsis()).isEmpty();
        assertThat(agent.nnve().vaps()).isEmpty();
    }

    private Throwable catchFailure(CompletableFuture<?> f) {
        assertThatThrownBy(() -> await(f)).isInstanceOf(CompletionException.class);
        return f.handle((ok, e) -> e instanceof CompletionException && e.getCause() != null ? e.getCause() : e).join();
    }

    @Test
    void de_associate_frees_the_tag_and_the_data_plane_stops_forwarding_for_it() throws Exception {
        int vid = activate().tag().vid();

        await(tnve.deassociate(VsiId.of(VM)));

        JsonNode disconnected = events("vn-disconnected").get(0);
        assertThat(disconnected.get("vni").asInt()).isEqualTo(5001);
        assertThat(disconnected.get("localTag").asInt()).isEqualTo(vid);
        assertThat(events("tsi")).extracting(n -> n.get("to").asText()).containsExactly("ASSOCIATED", "ACTIVATED", "INIT");
        assertThat(agent.nnve().vaps()).isEmpty();
        assertThat(agent.nnve().dataPlaneView().tagOfVn("swp1", VnId.of(5001))).isEmpty();

        hypervisorLink.send(fromVm(vid));
        settle();
        assertThat(atRouter).isEmpty();
        assertThat(agent.dataPlane().counters().drops(DropReason.UNKNOWN_TAG)).isEqualTo(1);
    }

    @Test
    void closing_prints_the_counters_and_a_stopped_line() throws Exception {
        int vid = activate().tag().vid();
        hypervisorLink.send(fromVm(vid));
        settle();

        agent.close();
        clock.runReady();

        JsonNode counters = events("counters").get(0);
        // The remote VM's MAC is not in the directory yet: the frame is flooded to the VN's one remote NVE.
        assertThat(counters.get("forwarded").toString()).as(counters.toString())
                .isEqualTo("{\"RECEIVED_TRUNK\":1,\"FLOOD_COPIES_REMOTE\":1}");
        assertThat(counters.get("dropped").isEmpty()).as(counters.toString()).isTrue();
        assertThat(counters.get("vdp").get("responsesByError").get("0").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(events("stopped").get(0).get("tsisHeld").asInt()).isEqualTo(1);
        assertThat(events.get(events.size() - 1)).contains("\"stopped\"");
    }

    @Test
    void every_line_printed_is_one_json_object_with_an_event_name() {
        activate();
        agent.close();

        assertThat(events).isNotEmpty().allSatisfy(l -> assertThat(parse(l).get("event").isTextual()).as(l).isTrue());
        JsonNode started = events("started").get(0);
        assertThat(started.get("downlinks").get(0).get("port").asText()).isEqualTo("swp1");
        assertThat(started.get("localTags").asText()).isEqualTo("100-199");
        assertThat(started.get("vns").get(0).get("remoteNves").get(0).asText()).isEqualTo(REMOTE_NVE);
    }

    @Test
    void ports_the_configuration_does_not_name_are_refused_before_anything_starts() throws Exception {
        SwitchConfig config = SwitchConfig.load(dir.resolve("switch.json"));
        MemoryLink[] wire = MemoryLink.pair(clock, "a", HYPERVISOR_MAC, "swp9", SWITCH_MAC, LinkFaults.NONE);
        DataPort up = MemoryDataPort.pair("up0", UPLINK_MAC, "r", ROUTER_MAC)[0];

        assertThatThrownBy(() -> SwitchAgent.start(config, List.of(SwitchAgent.Downlink.sharing(wire[1])), up, clock, 1, l -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[swp1]").hasMessageContaining("swp9");
    }

    @Test
    void a_bad_configuration_is_one_clear_line_naming_the_field() throws Exception {
        assertThat(badConfig(CONFIG.replace("\"uplink\": \"up0\",", ""))).isEqualTo("\"uplink\" is missing");
        assertThat(badConfig(CONFIG.replace("100-199", "200-100"))).startsWith("\"localTags\" is FIRST-LAST");
        assertThat(badConfig(CONFIG.replace("\"localIp\"", "\"localIP\""))).startsWith("unknown field \"localIP\"");
        assertThat(badConfig(CONFIG.replace("\"192.0.2.2\"", "\"2001:db8::2\""))).contains("address family");
        assertThat(badConfig(CONFIG.replace("\"swp1\"", "\"up0\""))).isEqualTo("\"uplink\" up0 is also a downlink");
        assertThat(badConfig(CONFIG.replace("{\"vni\": 5002, \"name\": \"db\"}", "{\"vni\": 5001}")))
                .isEqualTo("VN 5001 is listed twice");
        assertThat(badConfig(CONFIG.replace("policy.txt", "missing.txt"))).contains("missing.txt: no such file");
        assertThat(badConfig("{\"downlinks\": [\"swp1\"]")).startsWith("not JSON");
        assertThat(badConfig(CONFIG.replace("\"localTags\"", "\"dot1x\": \"no-hostapd\",\n  \"localTags\"")))
                .isEqualTo("\"dot1x\" " + dir.resolve("no-hostapd") + ": not a directory (hostapd's ctrl_interface)");

        Files.writeString(dir.resolve("policy.txt"), "allow vn 5001\npermit vn 5002\n");
        assertThat(badConfig(CONFIG)).contains("\"policyFile\"").contains("policy line 2")
                .contains("a rule starts with 'allow' or 'deny'");
    }

    private String badConfig(String text) {
        try {
            SwitchConfig.parse(text, dir);
        } catch (SwitchConfig.BadConfigException e) {
            assertThat(e.getMessage()).doesNotContain("\n");
            return e.getMessage();
        }
        throw new AssertionError("accepted: " + text);
    }

    @Test
    void the_sample_configuration_of_the_readme_loads_and_its_policy_decides_as_described() throws Exception {
        SwitchConfig sample = SwitchConfig.load(Path.of("switch-agent", "switch.json"));

        assertThat(sample.downlinks()).containsExactly("swp1");
        assertThat(sample.uplink()).isEqualTo("up0");
        assertThat(sample.nextHopMac()).as("ARP finds the remote NVE").isNull();
        assertThat(sample.firstTag()).isEqualTo(100);
        assertThat(sample.vns()).extracting(v -> v.vni().value()).containsExactly(5001, 5002);
        assertThat(sample.vns().get(0).remoteNves()).extracting(Object::toString).containsExactly(REMOTE_NVE);
        MacAddress station = MacAddress.valueOf("02:00:00:00:00:01");
        assertThat(sample.policy().authorize(new AuthorizationRequest("swp1", station, ManagerId.ofNumber(11), VnId.of(5001),
                List.of(VM_MAC), List.of(IpText.parse(VM_IP)))).allowed()).isTrue();
        assertThat(sample.policy().authorize(new AuthorizationRequest("swp1", station, ManagerId.ofNumber(11), VnId.of(5002),
                List.of(VM_MAC), List.of())).outcome()).isEqualTo(PolicyDecision.Outcome.DENY_VN);
    }

    @Test
    void main_with_a_bad_configuration_says_why_on_standard_error_and_exits_2() throws Exception {
        Files.writeString(dir.resolve("bad.json"), CONFIG.replace("\"localIp\": \"192.0.2.1\"", "\"localIp\": \"192.0.2\""));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = SwitchAgent.run(new String[] {dir.resolve("bad.json").toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new CountDownLatch(0));

        assertThat(code).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8).trim()).startsWith("SwitchAgent: ")
                .endsWith("bad.json: \"localIp\" is an IPv4 or IPv6 address, not '192.0.2'");
        assertThat(SwitchAgent.run(new String[0], new PrintStream(out), new PrintStream(err), new CountDownLatch(0))).isEqualTo(2);
    }
}
