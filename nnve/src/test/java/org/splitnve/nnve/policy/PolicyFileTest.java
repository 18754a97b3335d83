package org.splitnve.nnve.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.splitnve.vdpcore.IpText;
import org.splitnve.vdpcore.MacAddress;
import org.splitnve.vdpcore.vdp.ManagerId;
import org.splitnve.vdpcore.vdp.VnId;

class PolicyFileTest {

    private static final MacAddress STATION = MacAddress.valueOf("02:00:00:00:00:01");

    private static AuthorizationRequest req(int vn, String station, String manager, List<String> macs, List<String> ips) {
        return new AuthorizationRequest("eth1", MacAddress.valueOf(station), ManagerId.ofName(manager), VnId.of(vn),
                macs.stream().map(MacAddress::valueOf).toList(), ips.stream().map(IpText::parse).toList());
    }

    @Test
    void the_example_rule_allows_its_vn_station_manager_and_addresses() throws Exception {
        PolicyFile p = PolicyFile.parse("allow vn 5001 station 02:00:00:00:00:01 manager snvmgr addresses 10.0.0.0/24 "
                + "02:00:00:00:00:00/ff:ff:ff:00:00:00\n");
        assertThat(p.authorize(req(5001, "02:00:00:00:00:01", "snvmgr", List.of("02:00:00:12:34:56"), List.of("10.0.0.7"))).allowed())
                .isTrue();
    }

    @Test
    void an_address_outside_the_allow_rule_is_refused_as_an_address() throws Exception {
        PolicyFile p = PolicyFile.parse("allow vn 5001 addresses 10.0.0.0/24 02:00:00:00:00:00/ff:ff:ff:00:00:00");
        PolicyDecision ip = p.authorize(req(5001, "02:00:00:00:00:01", "m", List.of(), List.of("10.0.1.1")));
        assertThat(ip.outcome()).isEqualTo(PolicyDecision.Outcome.DENY_ADDRESS);
        assertThat(ip.detail()).contains("10.0.1.1");
        assertThat(ip.rule()).startsWith("line 1:");
        PolicyDecision mac = p.authorize(req(5001, "02:00:00:00:00:01", "m", List.of("02:00:01:00:00:01"), List.of()));
        assertThat(mac.outcome()).isEqualTo(PolicyDecision.Outcome.DENY_ADDRESS);
    }

    @Test
    void the_first_matching_rule_wins_and_nothing_matching_is_denied() throws Exception {
        PolicyFile p = PolicyFile.parse("""
                # fence one address, then open the VN range
                deny vn 5001 addresses 10.0.0.66
                deny station 02:00:00:00:00:66
                allow vn 5000-5099
                """);
        assertThat(p.size()).isEqualTo(3);
        assertThat(p.authorize(req(5001, "02:00:00:00:00:01", "m", List.of(), List.of("10.0.0.66"))).outcome())
                .isEqualTo(PolicyDecision.Outcome.DENY_ADDRESS);
        assertThat(p.authorize(req(5001, "02:00:00:00:00:01", "m", List.of(), List.of("10.0.0.67"))).allowed()).isTrue();
        PolicyDecision st = p.authorize(req(5001, "02:00:00:00:00:66", "m", List.of(), List.of()));
        assertThat(st.outcome()).isEqualTo(PolicyDecision.Outcome.DENY_VN);
        assertThat(st.rule()).startsWith("line 3:");
        PolicyDecision none = p.authorize(req(6000, "02:00:00:00:00:01", "m", List.of(), List.of()));
        assertThat(none.outcome()).isEqualTo(PolicyDecision.Outcome.DENY_VN);
        assertThat(none.rule()).isEqualTo("default deny");
    }

    @Test
    void a_policy_without_rules_is_refused_rather_than_read_as_allowing_everything() {
        assertThatThrownBy(() -> PolicyFile.parse("# nothing yet\n\n")).isInstanceOf(PolicyParseException.class)
                .hasMessageContaining("no rules");
        assertThatThrownBy(() -> PolicyFile.parse("")).isInstanceOf(PolicyParseException.class);
    }

    @Test
    void a_file_cut_short_in_the_middle_of_a_line_is_refused(@TempDir Path dir) throws Exception {
        Path cut = dir.resolve("cut.policy");
        Files.writeString(cut, "deny vn 5001 addresses 10.0.0.1\nallow vn 50");
        assertThatThrownBy(() -> PolicyFile.load(cut)).isInstanceOf(PolicyParseException.class).hasMessageContaining("cut short");
        Path empty = dir.resolve("empty.policy");
        Files.writeString(empty, "");
        assertThatThrownBy(() -> PolicyFile.load(empty)).isInstanceOf(PolicyParseException.class).hasMessageContaining("no rules");
        Path whole = dir.resolve("whole.policy");
        Files.writeString(whole, "allow\n");
        assertThat(PolicyFile.load(whole).size()).isEqualTo(1);
    }

    @Test
    void an_ipv4_mapped_ipv6_address_is_matched_as_the_ipv4_address_it_maps() throws Exception {
        PolicyFile p = PolicyFile.parse("""
                deny vn 5001 addresses 10.0.0.1
                allow vn 5001 addresses 10.0.0.0/24 ::ffff:192.168.0.0/112
                """);
        PolicyDecision mapped = p.authorize(req(5001, "02:00:00:00:00:01", "m", List.of(), List.of("::ffff:10.0.0.1")));
        assertThat(mapped.outcome()).as("the denied address written as IPv6").isEqualTo(PolicyDecision.Outcome.DENY_ADDRESS);
        assertThat(p.authorize(req(5001, "02:00:00:00:00:01", "m", List.of(), List.of("::ffff:10.0.0.2"))).allowed()).isTrue();
        assertThat(p.authorize(req(5001, "02:00:00:00:00:01", "m", List.of(), List.of("192.168.3.4"))).allowed())
                .as("a rule written as mapped IPv6 covers the IPv4 addresses").isTrue();
        assertThat(p.authorize(req(5001, "02:00:00:00:00:01", "m", List.of(), List.of("::ffff:10.0.1.1"))).allowed()).isFalse();
    }

    @Test
    void port_manager_and_station_mask_conditions_must_all_match() throws Exception {
        PolicyFile p = PolicyFile.parse("allow port eth1 manager 0x" + ManagerId.ofName("snvmgr").toHex()
                + " station 02:00:00:00:00:00/ff:ff:ff:ff:ff:00 vn any");
        assertThat(p.authorize(req(7, "02:00:00:00:00:42", "snvmgr", List.of(), List.of())).allowed()).isTrue();
        assertThat(p.authorize(req(7, "02:00:00:00:01:42", "snvmgr", List.of(), List.of())).allowed()).isFalse();
        assertThat(p.authorize(req(7, "02:00:00:00:00:42", "other", List.of(), List.of())).allowed()).isFalse();
        assertThat(p.authorize(new AuthorizationRequest("eth2", STATION, ManagerId.ofName("snvmgr"), VnId.of(7), List.of(), List.of()))
                .allowed()).isFalse();
    }

    @Test
    void ipv6_prefixes_match_bit_by_bit() throws Exception {
        PolicyFile p = PolicyFile.parse("allow addresses 2001:db8::/33");
        assertThat(p.authorize(req(1, "02:00:00:00:00:01", "m", List.of(), List.of("2001:db8:7fff::1"))).allowed()).isTrue();
        assertThat(p.authorize(req(1, "02:00:00:00:00:01", "m", List.of(), List.of("2001:db8:8000::1"))).allowed()).isFalse();
        assertThat(p.authorize(req(1, "02:00:00:00:00:01", "m", List.of(), List.of("10.0.0.1"))).allowed()).isFalse();
    }

    @Test
    void parse_errors_name_their_line() {
        assertError("allow vn 5001\npermit vn 5002\n", 2, "'allow' or 'deny'");
        assertError("\n\nallow vn 0\n", 3, "bad VN");
        assertError("allow vn 20-10", 1, "empty VN range");
        assertError("# c\nallow station 02:00:00:00:00\n", 2, "bad MAC");
        assertError("allow addresses 10.0.0.0/33", 1, "prefix length");
        assertError("allow addresses nonsense", 1, "bad address");
        assertError("allow addresses", 1, "at least one address");
        assertError("allow vn", 1, "needs a value");
        assertError("allow vn 1 vn 2", 1, "given twice");
        assertError("allow colour blue", 1, "unknown condition");
        assertError("allow manager 0x1234", 1, "bad manager");
        assertError("allow manager this-name-is-far-too-long", 1, "bad manager");
    }

    private static void assertError(String text, int line, String reason) {
        assertThatThrownBy(() -> PolicyFile.parse(text)).isInstanceOfSatisfying(PolicyParseException.class, e -> {
            assertThat(e.line()).isEqualTo(line);
            assertThat(e.reason()).contains(reason);
            assertThat(e.getMessage()).startsWith("policy line " + line + ":");
        });
    }

    @Test
    void load_reads_a_file(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("policy.txt");
        Files.writeString(f, "allow vn 5001\n");
        assertThat(PolicyFile.load(f).authorize(req(5001, "02:00:00:00:00:01", "m", List.of(), List.of())).allowed()).isTrue();
    }

    private static AuthorizationRequest withIdentity(int vn, String identity) {
        return new AuthorizationRequest("eth1", STATION, ManagerId.ofName("m"), VnId.of(vn), List.of(), List.of(),
                java.util.Optional.ofNullable(identity));
    }

    @Test
    void an_identity_rule_matches_that_identity_or_its_glob_and_never_a_station_without_one() throws Exception {
        PolicyFile p = PolicyFile.parse("""
                allow identity hv1 vn 7001 addresses 10.7.1.0/24
                allow identity lab-?? vn 7100-7199
                deny identity * vn 7200
                allow vn 7200
                """);
        assertThat(p.authorize(withIdentity(7001, "hv1")).allowed()).isTrue();
        assertThat(p.authorize(withIdentity(7001, "hv10")).allowed()).isFalse();
        assertThat(p.authorize(withIdentity(7001, null)).allowed()).as("no 802.1X, no identity rule").isFalse();
        assertThat(p.authorize(withIdentity(7150, "lab-07")).allowed()).isTrue();
        assertThat(p.authorize(withIdentity(7150, "lab-7")).allowed()).isFalse();
        assertThat(p.authorize(withIdentity(7200, "anyone")).outcome()).isEqualTo(PolicyDecision.Outcome.DENY_VN);
        assertThat(p.authorize(withIdentity(7200, null)).allowed()).isTrue();
        PolicyDecision d = p.authorize(withIdentity(7002, "hv1"));
        assertThat(d.detail()).contains("identity 'hv1'");
    }

    @Test
    void an_identity_pattern_stands_for_itself_apart_from_its_wildcards() throws Exception {
        PolicyFile p = PolicyFile.parse("allow identity a.b+(c)* vn 1");
        assertThat(p.authorize(withIdentity(1, "a.b+(c)-x")).allowed()).isTrue();
        assertThat(p.authorize(withIdentity(1, "aXb+(c)")).allowed()).as("a dot is a dot").isFalse();
    }

    @Test
    void a_bad_identity_condition_refuses_the_whole_file() {
        assertThatThrownBy(() -> PolicyFile.parse("allow vn 1\nallow identity " + "x".repeat(300) + " vn 2"))
                .isInstanceOf(PolicyParseException.class).hasMessageContaining("line 2").hasMessageContaining("bad identity");
        assertThatThrownBy(() -> PolicyFile.parse("allow identity"))
                .isInstanceOf(PolicyParseException.class).hasMessageContaining("'identity' needs a value");
        assertThatThrownBy(() -> PolicyFile.parse("allow identity a identity b"))
                .isInstanceOf(PolicyParseException.class).hasMessageContaining("given twice");
    }
}
