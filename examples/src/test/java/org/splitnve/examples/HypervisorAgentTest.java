package org.splitnve.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.splitnve.ecptransport.clock.VirtualScheduler;
import org.splitnve.ecptransport.link.LinkFaults;
import org.splitnve.ecptransport.link.MemoryLink;
import org.splitnve.ecptransport.vdp.VdpListener;
import org.splitnve.ecptransport.vdp.VdpStack;
import org.splitnve.nnve.Nnve;
import org.splitnve.nnve.TsiView;
import org.splitnve.nnve.nva.InMemoryNva;
import org.splitnve.nnve.nva.VnContext;
import org.splitnve.tnve.Tnve;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.ParsedVdpdu;
import org.splitnve.vdpcore.vdp.TsiState;
import org.splitnve.vdpcore.vdp.VnId;
import org.splitnve.vdpcore.vdp.VsiId;

/** The agent against our nNVE over a memory link, in virtual time. */
class HypervisorAgentTest {

    private static final MacAddress HOST_MAC = MacAddress.valueOf("02:00:00:00:00:01");
    private static final MacAddress BRIDGE_MAC = MacAddress.valueOf("02:00:00:00:00:fe");
    private static final UUID WEB1 = UUID.fromString("09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f");
    private static final String CREATE = "{\"event\":\"create\",\"vm\":\"web1\",\"virtualport\":{\"managerid\":11,"
            + "\"typeid\":1193047,\"typeidversion\":2,\"instanceid\":\"" + WEB1 + "\"},\"vn\":5001,"
            + "\"mac\":\"02:00:00:00:aa:01\",\"ips\":[\"10.0.0.5\"]}";

    private final VirtualScheduler clock = new VirtualScheduler();
    private final ObjectMapper json = new ObjectMapper();
    private Nnve nnve;
    private VdpStack bridgeStack;
    private VdpStack hostStack;
    private Tnve tnve;
    private HypervisorAgent agent;

    @BeforeEach
    void wire() {
        InMemoryNva nva = new InMemoryNva();
        nva.define(new VnContext(VnId.of(5001), "vn-5001"));
        nnve = Nnve.builder().nva(nva).build();
        MemoryLink[] l = MemoryLink.pair(clock, "host", HOST_MAC, "nnve-p1", BRIDGE_MAC, LinkFaults.NONE);
        bridgeStack = VdpStack.bridge(l[1], clock, 1);
        nnve.addPort(bridgeStack.channel(), bridgeStack.timersSource());
        hostStack = VdpStack.station(l[0], clock, 2);
        tnve = Tnve.builder().channel(hostStack.channel()).timers(hostStack.timersSource()).bridge(BRIDGE_MAC).build().start();
        clock.runReady();
        agent = new HypervisorAgent(tnve);
    }

    @AfterEach
    void close() {
        tnve.close();
        nnve.close();
        hostStack.close();
        bridgeStack.close();
        clock.runReady();
    }

    /** Feeds one line and runs virtual time (1 ms steps, at most 120 s) until its answer is there. */
    private JsonNode feed(String line) throws Exception {
        CompletableFuture<String> f = agent.submit(line);
        clock.runUntil(f::isDone, Duration.ofSeconds(120));
        assertThat(f).as("answer to %s", line).isDone();
        return json.readTree(f.join());
    }

    private static String event(String event) {
        return "{\"event\":\"" + event + "\",\"vm\":\"web1\"}";
    }

    private Optional<TsiView> bridgeTsi() {
        VsiId id = VsiId.of(WEB1);
        return nnve.tsis().stream().filter(t -> t.key().vsiId().equals(id)).findFirst();
    }

    private TsiState bridgeState() {
        return bridgeTsi().map(TsiView::state).orElse(TsiState.INIT);
    }

    @Test
    void create_activates_the_vm_on_the_bridge_and_answers_with_the_local_tag() throws Exception {
        JsonNode r = feed(CREATE);

        assertThat(r.get("ok").asBoolean()).as(r.toString()).isTrue();
        assertThat(r.get("vm").asText()).isEqualTo("web1");
        assertThat(r.get("event").asText()).isEqualTo("create");
        assertThat(r.get("state").asText()).isEqualTo("ACTIVATED");
        TsiView tsi = bridgeTsi().orElseThrow();
        assertThat(tsi.state()).isEqualTo(TsiState.ACTIVATED);
        assertThat(tsi.vn()).isEqualTo(VnId.of(5001));
        assertThat(tsi.typeId()).isEqualTo(1193047);
        assertThat(tsi.typeVersion()).isEqualTo(2);
        assertThat(tsi.macs()).containsExactly(MacAddress.valueOf("02:00:00:00:aa:01"));
        assertThat(r.get("localTag").asInt()).isEqualTo(tsi.tag().vid());
    }

    @Test
    void pause_sends_nothing_and_leaves_the_vm_activated() throws Exception {
        feed(CREATE);
        List<ParsedVdpdu> received = new CopyOnWriteArrayList<>();
        bridgeStack.channel().addListener(new VdpListener() {
            @Override
            public void onVdpdu(MacAddress peer, ParsedVdpdu pdu) {
                received.add(pdu);
            }
        });

        JsonNode r = feed(event("pause"));

        assertThat(r.get("ok").asBoolean()).as(r.toString()).isTrue();
        assertThat(r.get("state").asText()).isEqualTo("ACTIVATED");
        assertThat(bridgeState()).isEqualTo(TsiState.ACTIVATED);
        assertThat(received).isEmpty();
    }

    @Test
    void suspend_deactivates_and_resume_activates_again() throws Exception {
        feed(CREATE);

        JsonNode suspended = feed(event("suspend"));
        assertThat(suspended.get("ok").asBoolean()).as(suspended.toString()).isTrue();
        assertThat(suspended.get("state").asText()).isEqualTo("ASSOCIATED");
        assertThat(bridgeState()).isEqualTo(TsiState.ASSOCIATED);

        JsonNode resumed = feed(event("resume"));
        assertThat(resumed.get("ok").asBoolean()).as(resumed.toString()).isTrue();
        assertThat(resumed.get("state").asText()).isEqualTo("ACTIVATED");
        assertThat(bridgeState()).isEqualTo(TsiState.ACTIVATED);
    }

    @Test
    void shutdown_de_associates_and_forgets_the_vm() throws Exception {
        feed(CREATE);

        JsonNode r = feed(event("shutdown"));

        assertThat(r.get("ok").asBoolean()).as(r.toString()).isTrue();
        assertThat(r.get("state").asText()).isEqualTo("INIT");
        assertThat(bridgeState()).isEqualTo(TsiState.INIT);
        assertThat(agent.vms()).isEmpty();
        JsonNode again = feed(event("resume"));
        assertThat(again.get("ok").asBoolean()).isFalse();
        assertThat(again.get("error").asText()).contains("unknown VM 'web1'");
    }

    @Test
    void a_malformed_line_is_answered_with_an_error_and_changes_nothing() throws Exception {
        feed(CREATE);

        JsonNode r = feed("{\"event\":\"suspend\",\"vm\":");

        assertThat(r.get("ok").asBoolean()).isFalse();
        assertThat(r.get("error").asText()).startsWith("malformed JSON");
        assertThat(bridgeState()).isEqualTo(TsiState.ACTIVATED);
        assertThat(agent.vms()).containsExactly("web1");
    }

    @Test
    void a_virtualport_out_of_range_is_refused_before_anything_is_sent() throws Exception {
        JsonNode r = feed(CREATE.replace("\"managerid\":11", "\"managerid\":256"));

        assertThat(r.get("ok").asBoolean()).isFalse();
        assertThat(r.get("error").asText()).contains("managerid");
        assertThat(nnve.tsis()).isEmpty();
        assertThat(agent.vms()).isEmpty();
    }

    @Test
    void a_second_create_of_the_same_vm_is_refused_and_the_first_stays_activated() throws Exception {
        feed(CREATE);

        JsonNode r = feed(CREATE);

        assertThat(r.get("ok").asBoolean()).isFalse();
        assertThat(r.get("error").asText()).contains("already");
        assertThat(bridgeState()).isEqualTo(TsiState.ACTIVATED);
    }

    @Test
    void a_create_on_a_vn_the_nva_does_not_know_fails_and_the_vm_is_not_kept() throws Exception {
        JsonNode r = feed(CREATE.replace("\"vn\":5001", "\"vn\":5999"));

        assertThat(r.get("ok").asBoolean()).as(r.toString()).isFalse();
        assertThat(r.get("error").asText()).isNotBlank();
        assertThat(agent.vms()).isEmpty();
        assertThat(bridgeState()).isEqualTo(TsiState.INIT);
    }

    @Test
    void migrate_out_deactivates_and_migration_done_releases_the_source_side() throws Exception {
        feed(CREATE);

        JsonNode out = feed(event("migrate-out"));
        assertThat(out.get("ok").asBoolean()).as(out.toString()).isTrue();
        assertThat(bridgeState()).isEqualTo(TsiState.ASSOCIATED);

        JsonNode done = feed(event("migration-done"));
        assertThat(done.get("ok").asBoolean()).as(done.toString()).isTrue();
        assertThat(bridgeState()).isEqualTo(TsiState.INIT);
        assertThat(agent.vms()).isEmpty();
    }
}
